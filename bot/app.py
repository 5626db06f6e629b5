"""The app factory: everything the bot is, built from settings, with nothing global."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings
from handlers import register_all
from handlers.context import Services
from models.db import Database
from models.types import utcnow

# Listeners run after their ack in this pool. Bolt's default of 5 threads lets five
# slow handlers (a slow Slack API, a big export) hold back every new command's ack.
LISTENER_THREADS = 32
WEB_API_TIMEOUT_SECONDS = 10


def make_client(settings: Settings) -> WebClient:
    """A Web API client for SLACK_API_URL that retries rate limits, 5xx and lost connections."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=WEB_API_TIMEOUT_SECONDS,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def create_app(
    settings: Settings,
    *,
    database: Database,
    client: WebClient | None = None,
    clock: Callable[[], datetime] = utcnow,
    verify_requests: bool | None = None,
) -> App:
    """The Bolt app with every listener registered. Requests are verified against the
    signing secret in HTTP mode (Socket Mode and the console have no signatures)."""
    if verify_requests is None:
        verify_requests = not settings.socket_mode
    app = App(
        client=client or make_client(settings),
        signing_secret=settings.slack_signing_secret,
        request_verification_enabled=verify_requests,
        token_verification_enabled=False,
        listener_executor=ThreadPoolExecutor(
            max_workers=LISTENER_THREADS, thread_name_prefix="listener"
        ),
        logger=logging.getLogger("advisory_bot.bolt"),
    )
    register_all(app, Services(settings=settings, database=database, clock=clock))
    return app
