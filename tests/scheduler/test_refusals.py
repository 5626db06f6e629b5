"""Slack's permanent refusals are not blips: the target is not tried again, and what the
message was for reaches someone who can act. A revoked token stops the sweep and turns
/healthz to 503."""

from __future__ import annotations

import json
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.app import make_client
from bot.config import Settings
from bot.server import EVENTS_PATH
from models.db import Database
from models.tables import ReminderLedger
from scheduler.sweep import sweep
from simulator.web_api import FakeSlack
from tests.conftest import DIRECTOR, DIRECTORATE, GORE, HEMI, LISA
from tests.harness.checks import wait_for_token_refused
from tests.harness.slack_requests import Slack

NZ = ZoneInfo("Pacific/Auckland")


def _sweep(settings: Settings, database: Database, day: int, month: int = 11) -> object:
    return sweep(
        now=datetime(2026, month, day, 9, 5, tzinfo=NZ),
        database=database,
        client=make_client(settings),
        settings=settings,
        me="test",
    )


def _ledger(database: Database) -> list[tuple[str, str | None]]:
    """The ledger's rows, but for those recorded as missed (due before the test's time)."""
    with database.session(write=False) as session:
        rows = session.exec(select(ReminderLedger)).all()
    return [(r.state, r.last_error) for r in rows if not (r.last_error or "").startswith("missed")]


def _posts_to(fake_slack: FakeSlack, channel: str) -> list[dict[str, object]]:
    return [
        c.params for c in fake_slack.calls_to("chat.postMessage") if c.params["channel"] == channel
    ]


def test_a_deadline_for_someone_who_left_goes_to_the_lead_and_is_not_retried(
    gore: Slack, fake_slack: FakeSlack, settings: Settings, database: Database
) -> None:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    gore.say(
        f"/deadline add Six-monthly report due 30/11 owner <@{HEMI}|hemi>", user=LISA, channel=GORE
    )
    fake_slack.refuse(HEMI, "account_inactive")
    _sweep(settings, database, 27)  # three days before
    assert len(_posts_to(fake_slack, HEMI)) == 1
    to_lisa = _posts_to(fake_slack, LISA)
    assert len(to_lisa) == 1 and "Slack can't reach" in str(to_lisa[0]["text"])
    assert "Six-monthly report" in json.dumps(to_lisa[0]["blocks"], ensure_ascii=False)
    assert _ledger(database) == [("skipped", "refused: account_inactive")]
    _sweep(settings, database, 30)  # on the day: straight to the lead, no call to Hemi
    assert len(_posts_to(fake_slack, HEMI)) == 1
    assert len(_posts_to(fake_slack, LISA)) == 2
    listing = gore.say("/group list", user=LISA, channel=GORE)
    assert "Slack can't reach them (account_inactive)" in listing.text


def test_a_post_to_a_channel_the_bot_left_tells_the_lead_how_to_invite_it_back(
    gore: Slack, fake_slack: FakeSlack, settings: Settings, database: Database
) -> None:
    gore.say("/meeting schedule 2/12 10am at Gore Library", user=LISA, channel=GORE)
    fake_slack.refuse(GORE, "not_in_channel")
    _sweep(settings, database, 27)  # the call for agenda items, five days before
    assert len(_posts_to(fake_slack, GORE)) == 1
    to_lisa = _posts_to(fake_slack, LISA)
    assert len(to_lisa) == 1 and "/invite @advisory-bot" in str(to_lisa[0]["text"])
    _sweep(settings, database, 27)  # the next sweep: not tried again
    assert len(_posts_to(fake_slack, GORE)) == 1


def test_an_escalation_the_directors_channel_refuses_goes_to_the_director(
    gore: Slack, fake_slack: FakeSlack, settings: Settings, database: Database
) -> None:
    gore.say("/deadline add Report to the Joint Venture Board due 30/11", user=LISA, channel=GORE)
    fake_slack.refuse(DIRECTORATE, "is_archived")
    _sweep(settings, database, 3, month=12)  # three working days overdue
    assert len(_posts_to(fake_slack, DIRECTORATE)) == 1
    to_director = _posts_to(fake_slack, DIRECTOR)
    assert len(to_director) == 1
    assert "Director's channel" in str(to_director[0]["text"])
    assert "Joint Venture Board" in json.dumps(to_director[0]["blocks"], ensure_ascii=False)


def test_a_revoked_token_stops_the_sweep_and_turns_healthz_to_503(
    served_slack: Slack, fake_slack: FakeSlack, settings: Settings, database: Database
) -> None:
    served_slack.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
    for n in range(5):
        served_slack.say(f"/task add Action {n} due 26/11", user=LISA, channel=GORE)
    fake_slack.revoke()
    client = make_client(settings)
    result = sweep(
        now=datetime(2026, 11, 26, 9, 5, tzinfo=NZ),
        database=database,
        client=client,
        settings=settings,
        me="test",
    )
    assert result.sent == 0 and result.failed == 1 and result.held == 4
    assert len(_ledger(database)) == 1  # the rest are not claimed: still due
    published = len(fake_slack.calls_to("views.publish"))
    served_slack.say("/task add One more", user=LISA, channel=GORE)  # App Home: refused
    health = served_slack.events_url.replace(EVENTS_PATH, "/healthz")
    fake_slack.wait_for("views.publish", count=published + 1)
    # The refusal is recorded, then the bot reads it.
    wait_for_token_refused(health, timeout=5)


def test_an_escalation_survives_a_two_day_outage_and_says_it_is_late(
    gore: Slack, fake_slack: FakeSlack, settings: Settings, database: Database
) -> None:
    gore.say("/deadline add Report to the Joint Venture Board due 30/11", user=LISA, channel=GORE)
    # The escalation fell due on Thu 3 Dec at 09:00; the bot comes back on Sat 5 Dec.
    sweep(
        now=datetime(2026, 12, 5, 11, 0, tzinfo=NZ),
        database=database,
        client=make_client(settings),
        settings=settings,
        me="test",
    )
    escalations = [
        p for p in _posts_to(fake_slack, DIRECTORATE) if ":rotating_light:" in str(p["text"])
    ]
    assert len(escalations) == 1  # beside Friday's digest, which went late too
    assert "(Late)" in str(escalations[0]["text"])
    assert "Thu 3 Dec 2026, 09:00" in json.dumps(escalations[0]["blocks"], ensure_ascii=False)


def test_a_deactivated_person_shows_as_unreachable_until_they_are_back(
    gore: Slack, database: Database
) -> None:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    gone = {"type": "user_change", "user": {"id": HEMI, "deleted": True}}
    assert gore.event(gone, event_id="EvGONE").status == 200
    assert "Slack can't reach them" in gore.say("/group list", user=LISA, channel=GORE).text
    back = {"type": "user_change", "user": {"id": HEMI, "deleted": False}}
    gore.event(back, event_id="EvBACK")
    assert "Slack can't reach them" not in gore.say("/group list", user=LISA, channel=GORE).text


def test_an_archived_channel_tells_the_lead_once(gore: Slack, fake_slack: FakeSlack) -> None:
    archived = {"type": "channel_archive", "channel": GORE, "user": "UADMIN"}
    assert gore.event(archived, event_id="EvARCHIVE").status == 200
    gore.event(archived, event_id="EvARCHIVE", retry_num=1)  # Slack's retry: once is enough
    told = fake_slack.wait_for("chat.postMessage")
    time.sleep(0.3)  # a second note, had the retry made one, would be here by now
    to_lisa = _posts_to(fake_slack, LISA)
    assert len(told) == 1 and len(to_lisa) == 1
    assert "was archived" in str(to_lisa[0]["text"]) and "/group setup" in str(to_lisa[0]["text"])
    left = {"type": "channel_left", "channel": GORE}
    gore.event(left, event_id="EvLEFT")
    fake_slack.wait_for("chat.postMessage", count=2)
    assert "/invite @advisory-bot" in str(_posts_to(fake_slack, LISA)[-1]["text"])
