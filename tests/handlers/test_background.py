"""Work after the ack: App Home publishes coalesce and are paced per person, a failure is logged and
does not stop the pool, and shutting down finishes what was handed over."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import pytest

from handlers.background import Background


def test_work_already_waiting_under_a_key_is_not_queued_twice() -> None:
    background = Background(threads=1, slow_threads=1)
    release = threading.Event()
    ran: list[str] = []
    background.soon(lambda: release.wait(timeout=5))  # holds the only thread
    for _ in range(5):
        background.paced(("home", "UHEMI"), 0.0, lambda: ran.append("hemi"))
    background.paced(("home", "UARO"), 0.0, lambda: ran.append("aro"))
    release.set()
    background.shutdown()
    assert sorted(ran) == ["aro", "hemi"]


def test_a_burst_under_one_key_runs_at_once_then_once_more_when_its_spacing_is_up() -> None:
    background = Background(threads=2, slow_threads=1)
    ran: list[float] = []
    work = lambda: ran.append(time.monotonic())  # noqa: E731
    first = time.monotonic()
    background.paced(("home", "UHEMI"), 0.5, work)
    _wait_until(lambda: len(ran) == 1)
    assert ran[0] - first < 0.5  # a lone change: at once
    for _ in range(20):  # a burst: one more run, when the spacing is up
        background.paced(("home", "UHEMI"), 0.5, work)
    _wait_until(lambda: len(ran) == 2)
    background.shutdown()
    assert len(ran) == 2 and ran[1] - ran[0] >= 0.5


def _wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


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


@pytest.mark.parametrize(
    "pool",
    ["slowly", "sending"],  # a slow upload still going; a reply Slack has not answered yet
)
def test_work_waiting_elsewhere_never_takes_the_everyday_threads(pool: str) -> None:
    background = Background(threads=1, slow_threads=1, sending_threads=1)
    release = threading.Event()
    everyday = threading.Event()
    getattr(background, pool)(lambda: release.wait(timeout=5))
    background.soon(everyday.set)
    assert everyday.wait(timeout=2), f"the everyday work waited for the {pool} pool"
    release.set()
    background.shutdown()


def test_replies_handed_to_the_sending_pool_are_sent_before_shutdown_returns() -> None:
    background = Background(threads=1, slow_threads=1, sending_threads=1)
    sent: list[str] = []
    background.soon(lambda: background.sending(lambda: sent.append("reply")))
    background.shutdown()
    assert sent == ["reply"]


def test_work_handed_over_while_shutting_down_still_runs() -> None:
    background = Background(threads=1, slow_threads=1)
    background.shutdown()
    ran: list[str] = []
    background.soon(lambda: ran.append("reply owed"))
    assert ran == ["reply owed"]
