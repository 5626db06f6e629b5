"""Passes due, shared by instances: changes within a window ask for one pass; one
instance claims it; a change while it runs asks for one more; a pass whose instance
stopped is free again."""

from __future__ import annotations

import threading
from datetime import timedelta

from models.db import Database
from models.inbox import Inbox
from models.passes import PASS_LEASE, Passes
from models.types import utcnow

WINDOW = timedelta(seconds=10)


def test_changes_within_a_window_make_one_pass_claimed_by_one_instance(
    database: Database,
) -> None:
    first, second = Inbox(database), Inbox(database)
    mine, theirs = Passes(first), Passes(second)
    now = utcnow()
    for n in range(5):  # a burst of changes, through both instances
        (mine if n % 2 else theirs).ask(
            "canvas:CGORE", now=now + timedelta(seconds=n), window=WINDOW
        )
    assert mine.claim(now=now + WINDOW / 2) == []  # not yet due
    due = now + WINDOW
    claimed = [mine.claim(now=due), theirs.claim(now=due)]
    assert sorted(claimed, key=len) == [[], ["canvas:CGORE"]]  # one pass, one instance
    runner = mine if claimed[0] else theirs
    runner.ran("canvas:CGORE", now=due, window=WINDOW)
    assert runner.waiting() == []
    first.dispose()
    second.dispose()


def test_a_change_while_its_pass_runs_asks_for_one_more(database: Database) -> None:
    inbox = Inbox(database)
    passes = Passes(inbox)
    now = utcnow()
    passes.ask("canvas:CGORE", now=now, window=WINDOW)
    assert passes.claim(now=now + WINDOW) == ["canvas:CGORE"]
    passes.ask("canvas:CGORE", now=now + WINDOW, window=WINDOW)  # it may have read before
    passes.ran("canvas:CGORE", now=now + WINDOW, window=WINDOW)
    assert passes.claim(now=now + WINDOW * 1.5) == []
    assert passes.claim(now=now + WINDOW * 2) == ["canvas:CGORE"]  # the one more
    passes.ran("canvas:CGORE", now=now + WINDOW * 2, window=WINDOW)
    assert passes.waiting() == []
    inbox.dispose()


def test_a_pass_whose_instance_stopped_is_free_once_its_lease_runs_out(database: Database) -> None:
    stopped, live = Inbox(database), Inbox(database)
    now = utcnow()
    Passes(stopped).ask("canvas:CGORE", now=now, window=WINDOW)
    assert Passes(stopped).claim(now=now + WINDOW) == ["canvas:CGORE"]  # then it died
    assert Passes(live).claim(now=now + WINDOW) == []
    assert Passes(live).claim(now=now + WINDOW + PASS_LEASE * 1.1) == ["canvas:CGORE"]
    stopped.dispose()
    live.dispose()


def test_instances_claiming_at_once_run_each_pass_once(database: Database) -> None:
    keeper = Inbox(database)
    now = utcnow()
    for n in range(40):
        Passes(keeper).ask(f"canvas:C{n}", now=now - WINDOW, window=WINDOW)
    inboxes = [Inbox(database) for _ in range(4)]
    claimed: list[list[str]] = [[] for _ in inboxes]

    def claim_all(number: int) -> None:
        passes = Passes(inboxes[number])
        while found := passes.claim(now=utcnow(), limit=3):
            claimed[number].extend(found)

    threads = [threading.Thread(target=claim_all, args=(n,)) for n in range(len(inboxes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    every = [key for keys in claimed for key in keys]
    assert len(every) == len(set(every)) == 40
    for inbox in (keeper, *inboxes):
        inbox.dispose()
