"""Assertions shared by the conversation tests."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

from sqlmodel import SQLModel, func, select

from models.db import Database
from models.inbox import Inbox
from models.tables import AuditLog
from tests.harness.slack_requests import Reply, Slack


def wait_until_made(database: Database, timeout: float = 10.0) -> None:
    """Wait until every change acknowledged has been made and answered: it is kept in the
    inbox from before its ack until then."""
    inbox = Inbox(database)
    try:
        deadline = time.monotonic() + timeout
        while inbox.waiting():
            assert time.monotonic() < deadline, "a change acknowledged was never made"
            time.sleep(0.02)
    finally:
        inbox.dispose()


def audit_count(database: Database) -> int:
    with database.session(write=False) as session:
        return session.exec(select(func.count()).select_from(AuditLog)).one()


def assert_refused(
    slack: Slack, database: Database, line: str, says: str, *, user: str, channel: str
) -> Reply:
    """The command gets a specific warning only its author sees, and changes nothing (every
    change writes to the audit log, so its size stands still)."""
    before = audit_count(database)
    reply = slack.say(line, user=user, channel=channel)
    assert reply.ephemeral, reply.text
    assert says in reply.text and ":warning:" in reply.text, reply.text
    assert audit_count(database) == before
    return reply


def table_count(database: Database, table: str) -> int:
    """The rows in one of the bot's tables, by its name."""
    model = next(m for m in SQLModel.__subclasses__() if getattr(m, "__tablename__", "") == table)
    with database.session(write=False) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def wait_for_token_refused(healthz_url: str, *, timeout: float) -> None:
    """`/healthz` comes to answer 503, saying Slack refused the bot's token (revoked)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(healthz_url, timeout=5)
        except urllib.error.HTTPError as error:
            assert error.code == 503
            assert json.load(error)["slack"] == "the bot's token is refused (token_revoked)"
            return
        assert time.monotonic() < deadline, "/healthz said ok with a revoked token"
        time.sleep(0.05)
