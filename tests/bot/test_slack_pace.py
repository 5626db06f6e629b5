"""After Slack answers 429, every caller of that method waits out Retry-After together;
other methods are not held up, and calls go at once when Slack has not refused."""

from __future__ import annotations

import pytest

from slack_api.client import SlackPace, method_of


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def pace(clock: Clock) -> SlackPace:
    return SlackPace(clock=lambda: clock.now, sleep=clock.sleep)


def test_calls_go_at_once_until_slack_refuses(pace: SlackPace, clock: Clock) -> None:
    for _ in range(100):
        pace.wait_turn("chat.postMessage")
    assert clock.slept == []


def test_after_a_429_everyone_waits_it_out_together(pace: SlackPace, clock: Clock) -> None:
    pace.refused("chat.postMessage", retry_after=30)
    for _ in range(3):  # three callers: the first waits 30 s, the others go after it
        pace.wait_turn("chat.postMessage")
    assert clock.slept == pytest.approx([30])
    pace.wait_turn("views.publish")  # another method keeps its own pace
    assert clock.slept == pytest.approx([30])


def test_a_shorter_retry_after_never_shortens_the_wait(pace: SlackPace, clock: Clock) -> None:
    pace.refused("chat.postMessage", retry_after=10)
    pace.refused("chat.postMessage", retry_after=2)
    pace.wait_turn("chat.postMessage")
    assert clock.slept == pytest.approx([10])


def test_the_method_is_read_from_the_url() -> None:
    assert method_of("http://127.0.0.1:8080/api/chat.postMessage") == "chat.postMessage"
    assert method_of("https://slack.com/api/views.publish?x=1") == "views.publish"
