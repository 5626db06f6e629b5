"""The Web API client every part of the bot uses: it retries what can be retried, keeps to
the pace Slack asks for, and lets other work run while it waits."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web import SlackResponse

# After a 429 a method is paced at this share of the rate Slack had accepted in the
# second before it refused...
BACK_OFF = 0.9
# ...and the pace relaxes, halving the spacing every five minutes without a refusal, so
# that a limit that has eased is found again.
RELAX_HALF_LIFE_SECONDS = 300.0
WINDOW_SECONDS = 1.0
# Fewer accepted calls than this in that second say nothing of our rate (a 429 at start-up,
# another process's burst): then the callers only wait out Retry-After together.
EVIDENCE = 10


@dataclass
class _MethodPace:
    accepted: deque[float] = field(default_factory=deque)
    resume_at: float = 0.0
    next_at: float = 0.0
    interval: float = 0.0
    refused_at: float | None = None

    def spacing(self, now: float) -> float:
        if self.refused_at is None:
            return 0.0
        return self.interval * 0.5 ** ((now - self.refused_at) / RELAX_HALF_LIFE_SECONDS)


class SlackPace:
    """How fast Slack will take each Web API method, learnt from its 429s and shared by
    every thread that uses one client (Slack's limits are per app, not per thread).

    Until Slack refuses, calls go as they come. After a 429 every caller of that method
    waits out its Retry-After together, instead of each meeting the closed window on its
    own; then, if we had been sending fast, the calls are spaced at `BACK_OFF` of the rate
    Slack had been accepting."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._methods: dict[str, _MethodPace] = {}

    def wait_turn(self, method: str) -> None:
        """Block until this call of `method` may go."""
        with self._lock:
            pace = self._methods.get(method)
            if pace is None or pace.refused_at is None:
                return
            now = self._clock()
            start = max(now, pace.resume_at, pace.next_at)
            pace.next_at = start + pace.spacing(now)
        if start > now:
            self._sleep(start - now)

    def accepted(self, method: str) -> None:
        with self._lock:
            now = self._clock()
            recent = self._methods.setdefault(method, _MethodPace()).accepted
            recent.append(now)
            while recent and recent[0] <= now - WINDOW_SECONDS:
                recent.popleft()

    def refused(self, method: str, retry_after: float) -> None:
        """Slack answered 429: wait out `retry_after`, then go at a pace it will take."""
        with self._lock:
            now = self._clock()
            pace = self._methods.setdefault(method, _MethodPace())
            taken = sum(1 for at in pace.accepted if at > now - WINDOW_SECONDS)
            if taken >= EVIDENCE:
                pace.interval = max(pace.spacing(now), WINDOW_SECONDS / (taken * BACK_OFF))
            else:
                pace.interval = pace.spacing(now)
            pace.refused_at = now
            pace.resume_at = max(pace.resume_at, now + retry_after)

    def waits_for(self, method: str) -> float:
        """Seconds until `method` may next go (for tests and logs)."""
        with self._lock:
            pace = self._methods.get(method)
            if pace is None:
                return 0.0
            return max(0.0, pace.resume_at - self._clock(), pace.next_at - self._clock())


def method_of(url: str) -> str:
    return url.split("?", 1)[0].rsplit("/", 1)[-1]


def retry_after(response: HttpResponse) -> float:
    for name, values in response.headers.items():
        if name.lower() == "retry-after":
            value = values[0] if isinstance(values, list) else values
            try:
                return max(0.0, float(value))
            except ValueError:
                break
    return 1.0


class PacedRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """Retries a 429 once the shared pace lets the method go again (not after a sleep of
    its own, as the built-in handler does)."""

    def __init__(self, pace: SlackPace, max_retry_count: int) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.pace = pace

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is not None and response.status_code == 429:
            self.pace.refused(method_of(request.url), retry_after(response))
        return super().can_retry(state=state, request=request, response=response, error=error)

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        self.pace.wait_turn(method_of(request.url))
        state.increment_current_attempt()


def retry_handlers(pace: SlackPace | None = None) -> list[RetryHandler]:
    """Retries for lost connections, 429 (at `pace`, if given) and 5xx."""
    rate_limits = (
        PacedRateLimitRetryHandler(pace, max_retry_count=3)
        if pace is not None
        else RateLimitErrorRetryHandler(max_retry_count=3)
    )
    return [
        ConnectionErrorRetryHandler(max_retry_count=2),
        rate_limits,
        ServerErrorRetryHandler(max_retry_count=2),
    ]


class SlackClient(WebClient):
    """A WebClient that keeps to `pace` and, while it waits on Slack, gives up the
    caller's turn at the work (`handlers.workers`)."""

    def __init__(
        self,
        *args: Any,
        pace: SlackPace,
        waiting: Callable[[], AbstractContextManager[None]] = nullcontext,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.pace = pace
        self._waiting = waiting

    def api_call(  # type: ignore[override]
        self, api_method: str, *args: Any, **kwargs: Any
    ) -> SlackResponse:
        with self._waiting():
            self.pace.wait_turn(api_method)
            try:
                response = super().api_call(api_method, *args, **kwargs)
            except SlackApiError as error:
                if error.response.status_code != 429:
                    self.pace.accepted(api_method)
                raise
            self.pace.accepted(api_method)
            return response  # type: ignore[return-value]
