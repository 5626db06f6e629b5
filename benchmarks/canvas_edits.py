"""Canvas edits under a busy minute: 200 changes across the demo's 16 trials in one minute.

The real app (in process) on the demo programme, its WebClient talking to the fake Slack,
which answers 429 past one call a second to `canvases.edit` and `canvases.sections.lookup`
(Slack's Tier 3 is 50 a minute) and past one every three seconds to canvas creation
(Tier 2). Every trial's canvas is made first; then 200 `/update`s arrive spread over a
minute; then the bot is left to catch up.

Goal (issue 18): at most one publishing pass per trial per coalescing window, and no 429.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import select  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.server import EVENTS_PATH  # noqa: E402
from handlers.background import Background  # noqa: E402
from models import demo  # noqa: E402
from models.db import Database  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.tables import Member, Task, Trial  # noqa: E402
from simulator.web_api import FakeSlack  # noqa: E402
from slack_api import canvases  # noqa: E402
from tests.harness.slack_requests import Slack  # noqa: E402

NZ = ZoneInfo("Pacific/Auckland")
SECRET = "benchmark-signing-secret"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--window", type=float, default=10.0, help="the coalescing window")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="canvas-bench-"))
    database = Database(f"sqlite:///{folder / 'advisory.db'}")
    upgrade(database)
    with database.session() as session:
        demo.load(session=session, today=datetime.now(NZ).date(), tz=NZ)
    fake = FakeSlack().start()
    fake.rate_limit("canvases.edit", 1)
    fake.rate_limit("canvases.sections.lookup", 1)
    settings = Settings(
        slack_bot_token="xoxb-bench",
        slack_signing_secret=SECRET,
        slack_api_url=fake.url,
        database_url=database.url.render_as_string(hide_password=False),
        director_user_ids=frozenset({demo.DIRECTOR[0]}),
    )
    background = Background()
    app = create_app(settings, database=database, background=background, canvas_window=args.window)
    slack = Slack(EVENTS_PATH, SECRET, fake, app=app)
    with database.session(write=False) as session:
        trials = session.exec(select(Trial).order_by(Trial.id)).all()
        plan = []
        for trial in trials:
            lead = session.exec(
                select(Member).where(Member.trial_id == trial.id, Member.role == "lead")
            ).first()
            task = session.exec(
                select(Task).where(Task.trial_id == trial.id, Task.status != "done")
            ).first()
            if lead and task and trial.channel_id:
                plan.append((trial.channel_id, lead.slack_user_id, task.id))

    started = time.monotonic()
    for trial in trials:  # every canvas made first
        if trial.id is not None:
            canvases.publish(
                client=app.client, database=database, trial_id=trial.id, now=datetime.now(NZ), tz=NZ
            )
    made = time.monotonic() - started

    calls_before = len(fake.calls)
    started = time.monotonic()
    for n in range(args.changes):
        channel, lead, task_id = plan[n % len(plan)]
        due = started + n * args.seconds / args.changes
        time.sleep(max(0.0, due - time.monotonic()))
        text = f"T-{task_id} on-track {n % 90 + 1}% Benchmark"
        slack.command("/update", text, user=lead, channel=channel)
    _settle(fake, quiet=args.window + 10)
    elapsed = time.monotonic() - started
    background.shutdown()

    edits = [c for c in fake.calls[calls_before:] if c.method == "canvases.edit"]
    limited = [c for c in fake.calls if c.status == 429]
    by_canvas: dict[str, list[float]] = {}
    for call in edits:
        by_canvas.setdefault(str(call.params.get("canvas_id")), []).append(call.at - started)
    passes = {canvas: _passes(at, gap=args.window / 2) for canvas, at in by_canvas.items()}
    windows = args.seconds / args.window + 2
    most = max(passes.values(), default=0)
    print(f"Canvas edits: {args.changes} changes across {len(plan)} trials in {args.seconds:.0f} s")
    print(f"{'measure':<44} {'value':>10}")
    print(f"{'canvases made (s)':<44} {made:>10.1f}")
    print(f"{'time until every canvas caught up (s)':<44} {elapsed:>10.1f}")
    print(f"{'canvases.edit calls':<44} {len(edits):>10}")
    print(f"{'publishing passes, most for one trial':<44} {most:>10}")
    print(f"{'coalescing windows in the run (most allowed)':<44} {windows:>10.0f}")
    print(f"{'429 answers':<44} {len(limited):>10}")
    met = most <= windows and not limited
    print(f"goal: passes per trial <= windows, and no 429: {'met' if met else 'NOT met'}")
    fake.stop()
    database.dispose()
    return 0


def _passes(times: list[float], *, gap: float) -> int:
    """Edits close together are one pass; a pause of `gap` seconds starts another."""
    count, last = 0, None
    for at in sorted(times):
        if last is None or at - last > gap:
            count += 1
        last = at
    return count


def _settle(fake: FakeSlack, *, quiet: float) -> None:
    """Until the fake has heard nothing for `quiet` seconds."""
    while True:
        seen = len(fake.calls)
        time.sleep(quiet)
        if len(fake.calls) == seen:
            return


if __name__ == "__main__":
    raise SystemExit(main())
