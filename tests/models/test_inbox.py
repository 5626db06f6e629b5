"""The inbox keeps a change from its ack until it is made; its receipt makes it once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlmodel import func, select

from models.db import AlreadyMade, Database
from models.errors import UserError
from models.inbox import LEASE, SIDE_FILE_SUFFIX, Inbox
from models.tables import Member, SlackEventReceipt, Task, Trial
from models.types import utcnow
from tests.harness import data


def test_a_kept_command_stays_until_done_and_is_free_to_take_once_its_lease_runs_out(
    database: Database,
) -> None:
    inbox, other = Inbox(database), Inbox(database)  # two instances
    now = utcnow()
    first = inbox.keep({"command": "/task", "text": "add Kai for the kura"}, now=now)
    second = inbox.keep({"command": "/update", "text": "T-1 done Rānui"}, now=now + LEASE / 10)
    assert other.claim(now=now + LEASE / 2) == []  # both held by the instance that kept them
    assert inbox.renew(first, now=now + LEASE / 2)  # the holder may hold it longer
    assert other.claim(now=now + LEASE * 1.2) == [second]  # its holder fell behind
    assert second.body == {"command": "/update", "text": "T-1 done Rānui"}
    assert not inbox.renew(second, now=now + LEASE * 1.2)  # taken: its first holder lets go
    assert inbox.claim(now=now + LEASE * 1.2) == []  # each claimed by one instance only
    assert other.claim(now=now + LEASE * 3) == [first, second]  # oldest first
    inbox.done(first)
    assert (inbox.waiting(), other.waiting()) == (1, 1)  # as others see it
    inbox.dispose()
    other.dispose()


def test_instances_claiming_at_once_never_claim_the_same_change(database: Database) -> None:
    now = utcnow()
    keeper = Inbox(database)
    for n in range(60):
        keeper.keep({"command": "/task", "text": f"add Action {n}"}, now=now - LEASE * 2)
    instances = [Inbox(database) for _ in range(4)]
    claimed: list[list[str]] = [[] for _ in instances]

    def claim_all(number: int) -> None:
        while found := instances[number].claim(now=utcnow(), limit=5):
            claimed[number].extend(kept.id for kept in found)

    threads = [threading.Thread(target=claim_all, args=(n,)) for n in range(len(instances))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    every = [kept_id for ids in claimed for kept_id in ids]
    assert len(every) == len(set(every)) == 60
    for inbox in (keeper, *instances):
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
