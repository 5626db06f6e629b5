"""The app over HTTP: signatures, health, acks under load, retried events, Web API
retries, and what a user sees when something breaks on our side."""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import func, select

from bot.app import create_app
from bot.config import Settings
from bot.server import EVENTS_PATH
from handlers.background import Background
from handlers.making import LEFT_BEHIND_ROUNDS
from models.db import Database
from models.inbox import Inbox
from models.tables import AuditLog, Task, Trial
from simulator.web_api import DROP, FakeSlack
from tests.conftest import DIRECTOR, GORE, HEMI, LISA, SIGNING_SECRET
from tests.harness.checks import wait_until_made
from tests.harness.outage import Outage
from tests.harness.serving import serving
from tests.harness.slack_requests import Slack, sign


@pytest.fixture
def slack(served_slack: Slack) -> Slack:
    """Here the requests really go over HTTP, through waitress."""
    return served_slack


def _counts(database: Database) -> tuple[int, int]:
    with database.session(write=False) as session:
        return (
            session.exec(select(func.count()).select_from(Trial)).one(),
            session.exec(select(func.count()).select_from(AuditLog)).one(),
        )


def test_forged_unsigned_tampered_and_stale_requests_get_401_and_change_nothing(
    slack: Slack, database: Database, fake_slack: FakeSlack
) -> None:
    body = Slack.command_body(
        "/group",
        "setup Gore District",
        user=DIRECTOR,
        channel=GORE,
        response_url=fake_slack.new_response_url(),
    )
    now = int(time.time())
    forged = slack.post(
        body, "application/x-www-form-urlencoded", signature=sign("not-the-secret", now, body)
    )
    unsigned = slack.post(body, "application/x-www-form-urlencoded", signature="")
    tampered = slack.post(
        body.replace(b"Gore", b"Rotorua"),
        "application/x-www-form-urlencoded",
        signature=sign(SIGNING_SECRET, now, body),
        timestamp=now,
    )
    stale_time = now - 6 * 60
    stale = slack.post(
        body,
        "application/x-www-form-urlencoded",
        timestamp=stale_time,
        signature=sign(SIGNING_SECRET, stale_time, body),
    )
    assert [r.status for r in (forged, unsigned, tampered, stale)] == [401, 401, 401, 401]
    time.sleep(0.3)  # would any listener have run, it would have answered by now
    assert _counts(database) == (0, 0)
    assert fake_slack.calls_to("response_url") == []


def test_healthz_reports_the_database(slack: Slack, settings: Settings) -> None:
    url = slack.events_url.replace(EVENTS_PATH, "/healthz")
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200
        assert json.load(response) == {"status": "ok", "database": "ok"}

    unreachable = Database("postgresql://postgres@127.0.0.1:9/none?connect_timeout=2")
    app = create_app(settings, database=unreachable)
    with serving(app, unreachable, SIGNING_SECRET) as base_url:
        with pytest.raises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(base_url + "/healthz", timeout=10)
        assert raised.value.code == 503
        assert json.load(raised.value) == {"status": "degraded", "database": "unreachable"}


def test_slow_handlers_do_not_hold_back_new_acks(gore: Slack, fake_slack: FakeSlack) -> None:
    fake_slack.delay("response_url", 3.0)  # Slack is slow to take each reply
    results = []
    for _ in range(7):
        results.append(gore.command("/group", "list", user=LISA, channel=GORE))
    assert all(r.status == 200 for r in results)
    # Six replies are still on their way to the slow response_url; the seventh was acked anyway.
    assert results[-1].seconds < 1.0, [round(r.seconds, 2) for r in results]
    assert max(r.seconds for r in results) < 1.0
    fake_slack.wait_for("response_url", count=8, timeout=15)  # setup's reply + seven


def test_work_waiting_on_slack_lets_other_commands_through(
    gore: Slack, fake_slack: FakeSlack
) -> None:
    fake_slack.delay("users.info", 3.0)  # Slack is slow to say who the new member is
    asked_before = len(fake_slack.calls_to("users.info"))
    adding = gore.command("/group", f"add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    assert adding.seconds < 1.0, "the ack waited on Slack"
    added = fake_slack.wait_for("response_url", hook=adding.hook, timeout=2.0)[0]
    assert "hemi" in added.params["text"].lower()
    listing = gore.command("/group", "list", user=LISA, channel=GORE)
    assert listing.hook
    fake_slack.wait_for("response_url", hook=listing.hook, timeout=2.0)
    assert len(fake_slack.calls_to("users.info")) <= asked_before + 1, "the list waited"


def test_replies_go_through_dropped_connections_500_and_429(
    gore: Slack, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("response_url", DROP)
    fake_slack.fail("response_url", 500)
    fake_slack.fail("response_url", 429, retry_after=1)
    result = gore.command("/group", "list", user=LISA, channel=GORE)
    assert result.hook
    attempts = fake_slack.wait_for("response_url", hook=result.hook, count=4, timeout=15)
    assert [a.status for a in attempts] == [DROP, 500, 429, 200]
    assert "Gore District" in attempts[-1].params["text"]


def test_a_retried_event_takes_effect_once(slack: Slack, fake_slack: FakeSlack) -> None:
    event = {"type": "app_home_opened", "user": LISA, "channel": "DLISA", "tab": "home"}
    assert slack.event(event, event_id="Ev01").status == 200
    assert slack.event(event, event_id="Ev01", retry_num=1).status == 200
    assert slack.event(event, event_id="Ev01", retry_num=2).status == 200
    fake_slack.wait_for("views.publish")
    time.sleep(0.3)
    assert len(fake_slack.calls_to("views.publish")) == 1
    assert slack.event(event, event_id="Ev02").status == 200
    fake_slack.wait_for("views.publish", count=2)


def test_web_api_calls_retry_on_rate_limits_and_server_errors(
    slack: Slack, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("views.publish", 429, retry_after=1)
    fake_slack.fail("views.publish", 500)
    event = {"type": "app_home_opened", "user": LISA, "channel": "DLISA", "tab": "home"}
    started = time.monotonic()
    assert slack.event(event, event_id="Ev03").status == 200
    calls = fake_slack.wait_for("views.publish", count=3)
    assert len(calls) == 3
    assert calls[1].at - calls[0].at >= 0.9  # Retry-After was honoured
    assert time.monotonic() - started < 8
    view = (
        json.loads(calls[-1].params["view"])
        if isinstance(calls[-1].params["view"], str)
        else calls[-1].params["view"]
    )
    assert view["type"] == "home"


def test_an_internal_failure_still_acks_apologises_and_logs_a_reference(
    settings: Settings, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    broken = Database("postgresql://postgres@127.0.0.1:9/none?connect_timeout=2")
    app = create_app(settings, database=broken)
    with serving(app, broken, SIGNING_SECRET) as base_url, caplog.at_level(logging.ERROR):
        slack = Slack(base_url + EVENTS_PATH, SIGNING_SECRET, fake_slack)
        reply = slack.say("/group list", user=LISA, channel=GORE, timeout=15)
    assert reply.ephemeral
    assert "something went wrong on our side and nothing was changed" in reply.text
    reference = reply.text.split("reference `")[1].split("`")[0]
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].exc_info is not None


def test_concurrent_commands_are_all_answered(gore: Slack, fake_slack: FakeSlack) -> None:
    replies: list[str] = []

    def ask() -> None:
        replies.append(gore.say("/group info", user=LISA, channel=GORE).text)

    threads = [threading.Thread(target=ask) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(replies) == 16 and all("Gore District" in text for text in replies)


def test_a_briefly_locked_database_delays_a_command_but_loses_nothing(
    gore: Slack, database: Database
) -> None:
    locked = threading.Event()

    def hold_the_lock() -> None:
        with database.session() as session:  # a write transaction: BEGIN IMMEDIATE on SQLite
            if database.url.get_backend_name() == "postgresql":
                session.execute(text("LOCK TABLE task IN EXCLUSIVE MODE"))
            else:
                session.execute(text("SELECT 1"))
            locked.set()
            time.sleep(1.5)

    release = threading.Thread(target=hold_the_lock)
    release.start()
    assert locked.wait(5)
    started = time.monotonic()
    reply = gore.say("/task add Hire a truancy officer", user=LISA, channel=GORE, timeout=30)
    waited = time.monotonic() - started
    release.join()
    assert "T-1 · Hire a truancy officer" in reply.text
    assert waited >= 1.0  # it queued behind the lock rather than failing


def test_a_change_the_database_cannot_take_in_time_waits_in_the_inbox(
    gore: Slack, database: Database, settings: Settings, fake_slack: FakeSlack
) -> None:
    """Another process holds the write lock longer than a change may wait: the ack comes
    at once, the reply says the change waits its turn, and nothing is changed meanwhile;
    once the lock is free, a bot that comes back makes it, once, and answers."""
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        # Outside the bot's own sessions, as another process would hold it.
        if database.url.get_backend_name() == "postgresql":
            with database.engine.connect() as connection:
                connection.execute(text("LOCK TABLE task IN EXCLUSIVE MODE"))
                locked.set()
                release.wait(20)
                connection.rollback()
            return
        locker = database.engine.raw_connection()
        try:
            locker.execute("BEGIN IMMEDIATE")
            locked.set()
            release.wait(20)
        finally:
            locker.rollback()
            locker.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(5)
        result = gore.command("/task", "add Hire a truancy officer", user=LISA, channel=GORE)
        assert result.status == 200 and result.seconds < 3.0 and result.body == ""
        assert result.hook is not None
        waiting = fake_slack.wait_for("response_url", hook=result.hook, timeout=15)[0]
        assert "waiting its turn" in waiting.params["text"]
        with database.session(write=False) as session:
            assert session.exec(select(func.count()).select_from(Task)).one() == 0
    finally:
        release.set()
        holder.join()
    background = Background()  # an instance beside it takes the change once its lease runs out
    create_app(
        settings, database=database, background=background, left_behind_every=LEFT_BEHIND_ROUNDS
    )
    made = fake_slack.wait_for("response_url", hook=result.hook, count=2, timeout=15)[1]
    assert "Hire a truancy officer" in json.dumps(made.params)
    with database.session(write=False) as session:
        assert session.exec(select(Task.title)).all() == ["Hire a truancy officer"]
    background.shutdown()


def test_a_change_the_inbox_cannot_take_in_time_is_refused_in_the_ack(
    gore: Slack, database: Database
) -> None:
    """Something outside the bot holds the inbox longer than an ack may wait: the ack
    itself says to try again, within Slack's 3 s, and nothing is changed."""
    wait_until_made(database)  # the setup's change has left the inbox
    locked, release = threading.Event(), threading.Event()
    inbox = Inbox(database)

    def hold_the_inbox() -> None:
        with inbox.engine.connect() as connection:
            if database.url.get_backend_name() == "postgresql":
                connection.execute(text("LOCK TABLE receivedcommand IN EXCLUSIVE MODE"))
            else:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            locked.set()
            release.wait(10)
            connection.rollback()

    holder = threading.Thread(target=hold_the_inbox)
    holder.start()
    try:
        assert locked.wait(5)
        result = gore.command("/task", "add Hire a truancy officer", user=LISA, channel=GORE)
    finally:
        release.set()
        holder.join()
    assert result.status == 200 and result.seconds < 3.0
    assert "nothing was changed" in result.body and "try again" in result.body
    time.sleep(0.3)  # had anything been kept, it would be made by now
    with database.session(write=False) as session:
        assert session.exec(select(func.count()).select_from(Task)).one() == 0
    assert inbox.waiting() == 0
    inbox.dispose()


def _health(base_url: str) -> tuple[int, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(base_url + "/healthz", timeout=10) as response:
            return response.status, time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, time.monotonic() - started


def test_a_frozen_database_turns_healthz_to_503_within_two_seconds(fake_slack: FakeSlack) -> None:
    """A server that accepts connections and never answers (a frozen database)."""
    import socket

    frozen = socket.socket()
    frozen.bind(("127.0.0.1", 0))
    frozen.listen(64)
    port = frozen.getsockname()[1]
    url = f"postgresql://postgres@127.0.0.1:{port}/frozen"
    database = Database(url)
    settings = Settings(
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.url,
        database_url=url,
    )
    app = create_app(settings, database=database)
    try:
        with serving(app, database, SIGNING_SECRET) as base_url:
            status, seconds = _health(base_url)
            assert status == 503 and seconds < 3.0
            probes = [_health(base_url) for _ in range(2)]
            assert all(s == 503 and took < 3.0 for s, took in probes)
    finally:
        frozen.close()
        database.dispose()


def test_a_locked_sqlite_database_never_holds_health_probes_or_acks(
    sqlite_template: Path, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """SQLite's case (PostgreSQL's is the frozen server above): a writer in another process
    holds the lock; twenty probes and a command still get their answers in time."""
    path = tmp_path / "locked.db"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    settings = Settings(
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.url,
        database_url=f"sqlite:///{path}",
        director_user_ids=frozenset({DIRECTOR}),
    )
    app = create_app(settings, database=database)
    locker = database.engine.raw_connection()
    try:
        locker.execute("BEGIN EXCLUSIVE")
        with serving(app, database, SIGNING_SECRET) as base_url:
            status, seconds = _health(base_url)
            assert status in (200, 503) and seconds < 3.0
            slack = Slack(base_url + EVENTS_PATH, SIGNING_SECRET, fake_slack)
            threads = [threading.Thread(target=_health, args=(base_url,)) for _ in range(20)]
            for thread in threads:
                thread.start()
            result = slack.command("/group", "list", user=LISA, channel=GORE)
            assert result.status == 200 and result.seconds < 3.0
            for thread in threads:
                thread.join()
    finally:
        locker.rollback()
        locker.close()
        database.dispose()


def test_a_command_whose_text_says_payload_is_answered(slack: Slack, database: Database) -> None:
    """Bolt reads any form body containing "payload" as an interactive payload; ours does
    not, over HTTP and in the lazy listener's copy of the request."""
    slack.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
    slack.say("/meeting schedule 15/12 10am", user=LISA, channel=GORE)
    added = slack.say("/agenda add Payload of the data van", user=LISA, channel=GORE)
    assert "Payload of the data van" in added.text
    listed = slack.say("/task add Review the payload figures due 15/12", user=LISA, channel=GORE)
    assert "T-1" in listed.text


def test_a_home_opened_while_the_database_is_down_is_published_when_it_is_back(
    postgres_database: Database, fake_slack: FakeSlack, settings: Settings
) -> None:
    outage = Outage(str(postgres_database.url.render_as_string(hide_password=False)))
    through = Database(outage.through(postgres_database.url.render_as_string(hide_password=False)))
    background = Background()
    app = create_app(settings, database=through, background=background)
    with serving(app, through, SIGNING_SECRET) as base_url:
        slack = Slack(base_url + EVENTS_PATH, SIGNING_SECRET, fake_slack)
        slack.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
        published = len(fake_slack.calls_to("views.publish"))
        outage.down()
        event = {"type": "app_home_opened", "user": HEMI, "tab": "home"}
        body = {"type": "event_callback", "event_id": "EvHOME1", "event": event}
        result = slack.post(json.dumps(body).encode(), "application/json")
        assert result.status == 200 and result.seconds < 3.0
        time.sleep(1.0)
        assert len(fake_slack.calls_to("views.publish")) == published  # nothing to read yet
        outage.up()
        homes = fake_slack.wait_for("views.publish", count=published + 1, timeout=20)
        assert homes[-1].params["user_id"] == HEMI
    background.shutdown()
    through.dispose()
    outage.down()
