"""The inbox keeps a change from its ack until it is made; its receipt makes it once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import func, select

from models.db import AlreadyMade, Database
from models.errors import UserError
from models.inbox import SIDE_FILE_SUFFIX, Inbox
from models.tables import Member, SlackEventReceipt, Task, Trial
from models.types import utcnow
from tests.harness import data


def test_a_kept_command_stays_until_done_oldest_first(database: Database) -> None:
    inbox = Inbox(database)
    now = utcnow()
    first = inbox.keep({"command": "/task", "text": "add Kai for the kura"}, now=now)
    second = inbox.keep({"command": "/update", "text": "T-1 done Rānui"}, now=now + timedelta(1))
    assert inbox.left_behind(before=now) == []  # received at `now`: not before it
    assert inbox.left_behind(before=now + timedelta(2)) == [first, second]
    assert second.body == {"command": "/update", "text": "T-1 done Rānui"}
    inbox.done(first)
    assert Inbox(database).left_behind(before=now + timedelta(2)) == [second]  # as others see it
    inbox.dispose()


def test_on_sqlite_the_inbox_is_a_file_beside_the_database(database: Database) -> None:
    if database.url.get_backend_name() != "sqlite":
        assert Inbox(database).engine.url == database.url  # the database's own table
        return
    Inbox(database).keep({"command": "/task"}, now=utcnow())
    assert Path(f"{database.url.database}{SIDE_FILE_SUFFIX}").exists()


def _add_task(database: Database, title: str) -> None:
    with database.session() as session:
        trial, owner = session.exec(select(Trial, Member).join(Member)).one()
        data.task(session, trial, owner, title, None)


def _titles(database: Database) -> list[str]:
    with database.session(write=False) as session:
        return list(session.exec(select(Task.title)).all())


def test_a_change_under_a_receipt_is_made_once(database: Database) -> None:
    with database.session() as session:
        trial = data.trial(session, "Gore District")
        data.member(session, trial, "ULEAD", role="lead")
    with database.receipt("command:one"):
        _add_task(database, "Hire a truancy officer")
        _add_task(database, "A second change of the same command carries no receipt")
    with pytest.raises(AlreadyMade), database.receipt("command:one"):
        _add_task(database, "Hire a truancy officer")
    assert _titles(database) == [
        "Hire a truancy officer",
        "A second change of the same command carries no receipt",
    ]


def test_a_refusal_rolls_its_receipt_back_with_it(database: Database) -> None:
    with database.session() as session:
        trial = data.trial(session, "Gore District")
        data.member(session, trial, "ULEAD", role="lead")
    with database.receipt("command:two"):
        with pytest.raises(UserError), database.session():
            raise UserError("Only the lead can do that.")
        with database.session(write=False) as session:
            assert session.exec(select(func.count()).select_from(SlackEventReceipt)).one() == 0
        _add_task(database, "Made on the second try")  # this one carries the receipt
    with pytest.raises(AlreadyMade), database.receipt("command:two"):
        _add_task(database, "Made on the second try")
    assert _titles(database) == ["Made on the second try"]
