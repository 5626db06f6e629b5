"""The Web API client every part of the bot uses: it retries what can be retried, and after
Slack answers 429 every caller of that method waits out the Retry-After together."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
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

from models.metrics import SLACK_CALLS
from slack_api.refusals import TOKEN_ERRORS, SlackStanding, error_code
from ui.command_names import CommandNames

log = logging.getLogger("advisory_bot.slack")


class SlackPace:
    """When each Web API method may next be called. Slack's limits are per app, not per
    thread: once it has said 429 to one caller, the others would only meet the same
    closed window, so they wait with it."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._resume_at: dict[str, float] = {}

    def __deepcopy__(self, _memo: dict[int, Any]) -> SlackPace:
        # Bolt copies each request's client for its lazy listeners: the pace stays shared.
        return self

    def wait_turn(self, method: str) -> None:
        """Block until `method` may go."""
        with self._lock:
            wait = self._resume_at.get(method, 0.0) - self._clock()
        if wait > 0:
            self._sleep(wait)

    def refused(self, method: str, retry_after: float) -> None:
        """Slack answered 429: nobody calls `method` again for `retry_after` seconds."""
        with self._lock:
            resume = self._clock() + retry_after
            self._resume_at[method] = max(self._resume_at.get(method, 0.0), resume)


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
            SLACK_CALLS.labels(method=method_of(request.url), result="ratelimited").inc()
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


# Slack's 429 says when to come back; a busy minute can say it several times to one call.
RATE_LIMIT_RETRIES = 8


def retry_handlers(pace: SlackPace | None = None) -> list[RetryHandler]:
    """Retries for lost connections, 429 (at `pace`, if given) and 5xx."""
    rate_limits = (
        PacedRateLimitRetryHandler(pace, max_retry_count=RATE_LIMIT_RETRIES)
        if pace is not None
        else RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)
    )
    return [
        ConnectionErrorRetryHandler(max_retry_count=2),
        rate_limits,
        ServerErrorRetryHandler(max_retry_count=2),
    ]


class SlackClient(WebClient):
    """A WebClient that waits while Slack has told the app to (`SlackPace`), and notes
    when Slack refuses the bot's token (`SlackStanding`)."""

    def __init__(
        self,
        *args: Any,
        pace: SlackPace,
        standing: SlackStanding | None = None,
        names: CommandNames | None = None,
        canvas_pace: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.pace = pace
        self.standing = standing or SlackStanding()
        self.names = names or CommandNames()
        if canvas_pace is not None:
            self.canvas_pace = canvas_pace  # else Slack's own tiers (slack_api.canvases)

    def api_call(  # type: ignore[override]
        self, api_method: str, *args: Any, **kwargs: Any
    ) -> SlackResponse:
        self.pace.wait_turn(api_method)
        for part in ("json", "params", "data"):  # what is said names this workspace's commands
            if isinstance(kwargs.get(part), dict):
                kwargs[part] = self.names.payload(kwargs[part])
        try:
            response = super().api_call(api_method, *args, **kwargs)
        except SlackApiError as error:
            code = error_code(error)
            SLACK_CALLS.labels(method=api_method, result=code or "error").inc()
            if code in TOKEN_ERRORS and self.standing.token_refused is None:
                log.critical(
                    "Slack refuses the bot's token (%s): nothing can be sent until "
                    "SLACK_BOT_TOKEN is replaced.",
                    code,
                )
                self.standing.refused(code)
            raise
        except Exception:
            SLACK_CALLS.labels(method=api_method, result="unreachable").inc()
            raise
        SLACK_CALLS.labels(method=api_method, result="ok").inc()
        return response  # type: ignore[return-value]
