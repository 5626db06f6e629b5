"""The pace Slack asks for, learnt from its 429s: callers wait out Retry-After together,
then go spaced at a rate Slack has been taking; other methods are not held up."""

from __future__ import annotations

import pytest

from bot.slack_client import BACK_OFF, RELAX_HALF_LIFE_SECONDS, SlackPace, method_of


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
        pace.accepted("chat.postMessage")
    assert clock.slept == []


def test_after_a_429_everyone_waits_then_goes_spaced(pace: SlackPace, clock: Clock) -> None:
    for _ in range(50):  # Slack took 50 in the last second...
        pace.accepted("chat.postMessage")
        clock.now += 0.02
    pace.refused("chat.postMessage", retry_after=1)  # ...then refused
    for _ in range(3):
        pace.wait_turn("chat.postMessage")
    spacing = 1 / (50 * BACK_OFF)
    assert clock.slept == pytest.approx([1.0, spacing, spacing], rel=0.01)
    pace.wait_turn("views.publish")  # another method keeps its own pace
    assert len(clock.slept) == 3


def test_the_pace_relaxes_when_slack_stops_refusing(pace: SlackPace, clock: Clock) -> None:
    for _ in range(10):
        pace.accepted("chat.postMessage")
    pace.refused("chat.postMessage", retry_after=0)
    clock.now += RELAX_HALF_LIFE_SECONDS
    pace.wait_turn("chat.postMessage")
    pace.wait_turn("chat.postMessage")
    assert clock.slept == pytest.approx([1 / (10 * BACK_OFF) / 2])


def test_a_refusal_out_of_the_blue_only_makes_everyone_wait(pace: SlackPace, clock: Clock) -> None:
    pace.accepted("files.completeUploadExternal")
    pace.refused("files.completeUploadExternal", retry_after=30)
    assert pace.waits_for("files.completeUploadExternal") == pytest.approx(30)
    for _ in range(3):
        pace.wait_turn("files.completeUploadExternal")
    assert clock.slept == pytest.approx([30])


def test_the_method_is_read_from_the_url() -> None:
    assert method_of("http://127.0.0.1:8080/api/chat.postMessage") == "chat.postMessage"
    assert method_of("https://slack.com/api/views.publish?x=1") == "views.publish"
