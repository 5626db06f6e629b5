"""The work after an ack takes turns, gives its turn up while it waits, and is finished
before the bot stops."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from handlers.workers import Workers


def test_work_takes_turns_and_every_reply_is_sent_before_shutdown_returns() -> None:
    workers = Workers(threads=8, turns=1)
    running, most = 0, 0
    lock = threading.Lock()
    replies: list[int] = []

    def work(n: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.01)
        with lock:
            running -= 1
        return n

    for n in range(20):
        workers.submit(lambda n=n: work(n), replies.append)  # type: ignore[misc]
    workers.shutdown()
    assert most == 1
    assert sorted(replies) == list(range(20))


def test_work_waiting_on_the_network_gives_its_turn_up() -> None:
    workers = Workers(threads=2, turns=1)
    second_ran = threading.Event()
    waited: list[bool] = []

    def first() -> None:
        with workers.waiting():  # as SlackClient does around a Web API call
            waited.append(second_ran.wait(timeout=5))

    workers.do(first)
    time.sleep(0.05)
    workers.do(second_ran.set)
    workers.shutdown()
    assert waited == [True], "the second piece of work never had a turn"


def test_a_failing_reply_is_logged_and_the_rest_go_on(caplog: pytest.LogCaptureFixture) -> None:
    workers = Workers(threads=2, turns=1)
    sent: list[str] = []

    def reply(text: str) -> None:
        if text == "bad":
            raise ConnectionError("response_url unreachable")
        sent.append(text)

    with caplog.at_level(logging.ERROR, logger="advisory_bot.workers"):
        for text in ("one", "bad", "two"):
            workers.submit(lambda text=text: text, reply)  # type: ignore[misc]
        workers.shutdown()
    assert sorted(sent) == ["one", "two"]
    assert "response_url unreachable" in caplog.text


def test_work_already_waiting_under_a_key_is_not_queued_twice() -> None:
    workers = Workers(threads=4, turns=1)
    release = threading.Event()
    ran: list[str] = []
    workers.do(lambda: release.wait(timeout=5))  # holds the only turn
    for _ in range(5):
        workers.do_once(("home", "UHEMI"), lambda: ran.append("hemi"))
    workers.do_once(("home", "UARO"), lambda: ran.append("aro"))
    release.set()
    workers.shutdown()
    assert sorted(ran) == ["aro", "hemi"]
