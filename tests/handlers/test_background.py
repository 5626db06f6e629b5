"""Work after the ack: App Home publishes coalesce per person, a failure is logged and
does not stop the pool, and shutting down finishes what was handed over."""

from __future__ import annotations

import logging
import threading

import pytest

from handlers.background import Background


def test_work_already_waiting_under_a_key_is_not_queued_twice() -> None:
    background = Background(threads=1, slow_threads=1)
    release = threading.Event()
    ran: list[str] = []
    background.soon(lambda: release.wait(timeout=5))  # holds the only thread
    for _ in range(5):
        background.once(("home", "UHEMI"), lambda: ran.append("hemi"))
    background.once(("home", "UARO"), lambda: ran.append("aro"))
    release.set()
    background.shutdown()
    assert sorted(ran) == ["aro", "hemi"]


def test_a_failure_is_logged_and_the_pool_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    background = Background(threads=1, slow_threads=1)
    done: list[int] = []
    with caplog.at_level(logging.ERROR, logger="advisory_bot.background"):
        background.soon(lambda: 1 / 0)
        background.soon(lambda: done.append(1))
        background.slowly(lambda: done.append(2))
        background.shutdown()
    assert sorted(done) == [1, 2]
    assert "Work after an ack failed" in caplog.text


def test_slow_work_never_takes_the_everyday_threads() -> None:
    background = Background(threads=1, slow_threads=1)
    release = threading.Event()
    everyday = threading.Event()
    background.slowly(lambda: release.wait(timeout=5))  # a slow upload, still going
    background.soon(everyday.set)
    assert everyday.wait(timeout=2), "the everyday work waited for the slow work"
    release.set()
    background.shutdown()


def test_work_handed_over_while_shutting_down_still_runs() -> None:
    background = Background(threads=1, slow_threads=1)
    background.shutdown()
    ran: list[str] = []
    background.soon(lambda: ran.append("reply owed"))
    assert ran == ["reply owed"]
