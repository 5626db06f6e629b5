"""Reminder fan-out: 2,000 due reminders through a fake Slack that allows 50 messages a
second and answers 429 with Retry-After beyond it. The floor that limit sets is 40 s;
goal (issue 8): within 1.25× of it, none lost, none duplicated."""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import make_client
from bot.config import Settings
from models.db import Database
from models.migrate import upgrade
from scheduler.sweep import sweep
from simulator.web_api import FakeSlack
from tests.harness import data

REMINDERS, PER_SECOND = 2000, 50


def main() -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp())
    database = Database(f"sqlite:///{folder / 'fanout.db'}")
    upgrade(database)
    with database.session() as session:
        data.many_tasks_due(session, count=REMINDERS, due=date(2026, 12, 15), owners=REMINDERS)
    fake = FakeSlack().start()
    fake.rate_limit("chat.postMessage", PER_SECOND)
    settings = Settings(slack_bot_token="xoxb-bench", slack_api_url=fake.url)
    client = make_client(settings)
    now = datetime(2026, 12, 15, 9, 0, tzinfo=ZoneInfo("Pacific/Auckland"))
    started = time.monotonic()
    sweeps = 0
    while sweeps < 10:
        sweeps += 1
        result = sweep(
            now=now.replace(minute=sweeps),
            database=database,
            client=client,
            settings=settings,
            me="bench",
        )
        if not result.failed and not result.sent:
            break
    elapsed = time.monotonic() - started
    delivered = Counter(fake.delivered_reminders())
    refused = sum(1 for c in fake.calls_to("chat.postMessage") if c.status == 429)
    fake.stop()
    database.dispose()
    floor = REMINDERS / PER_SECOND
    return {
        "reminders": REMINDERS,
        "seconds": elapsed,
        "floor_seconds": floor,
        "ratio": elapsed / floor,
        "lost": REMINDERS - len(delivered),
        "duplicates": sum(count - 1 for count in delivered.values()),
        "answered_429": refused,
        "sweeps": sweeps,
    }


def table(r: dict[str, Any]) -> str:
    return (
        f"{r['reminders']} reminders at {PER_SECOND}/s: {r['seconds']:.1f} s against a "
        f"{r['floor_seconds']:.0f} s floor ({r['ratio']:.2f}×, goal ≤ 1.25×); lost "
        f"{r['lost']}, duplicates {r['duplicates']}; {r['answered_429']} answers of 429 "
        f"honoured; {r['sweeps']} sweep(s)"
    )


if __name__ == "__main__":
    print(table(main()))
