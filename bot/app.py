"""The app factory: everything the bot is, built from settings, with nothing global."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime

from slack_bolt import App
from slack_sdk import WebClient

from bot.config import Settings
from bot.slack_client import SlackClient, SlackPace, retry_handlers
from handlers import register_all
from handlers.context import Services
from handlers.workers import Workers
from models.db import Database
from models.types import utcnow

WEB_API_TIMEOUT_SECONDS = 10


def make_client(settings: Settings, workers: Workers | None = None) -> WebClient:
    """A Web API client for SLACK_API_URL that retries rate limits (at the pace Slack
    asks for), 5xx and lost connections, and lets other work run while it waits."""
    pace = SlackPace()
    return SlackClient(
        pace=pace,
        waiting=workers.waiting if workers is not None else nullcontext,
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=WEB_API_TIMEOUT_SECONDS,
        retry_handlers=retry_handlers(pace),
    )


def create_app(
    settings: Settings,
    *,
    database: Database,
    client: WebClient | None = None,
    clock: Callable[[], datetime] = utcnow,
    verify_requests: bool | None = None,
    workers: Workers | None = None,
) -> App:
    """The Bolt app with every listener registered. Requests are verified against the
    signing secret in HTTP mode (Socket Mode and the console have no signatures)."""
    if verify_requests is None:
        verify_requests = not settings.socket_mode
    workers = workers or Workers()
    app = App(
        client=client or make_client(settings, workers),
        signing_secret=settings.slack_signing_secret,
        request_verification_enabled=verify_requests,
        token_verification_enabled=False,
        logger=logging.getLogger("advisory_bot.bolt"),
        # Listeners run in the request thread: they only ack and hand their work to
        # `handlers.workers`, so Slack has its answer at once (Bolt's default runs them
        # in a pool and looks for the ack every 10 ms).
        process_before_response=True,
    )
    register_all(
        app,
        Services(
            settings=settings,
            database=database,
            clock=clock,
            client=app.client,
            workers=workers,
        ),
    )
    return app
