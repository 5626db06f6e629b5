"""The app factory: everything the bot is, built from settings, with nothing global."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from slack_bolt import App
from slack_sdk import WebClient

from bot.config import Settings
from handlers import FAMILIES, register_all
from handlers.background import Background
from handlers.context import PASS_ROUNDS, Services
from handlers.making import make_left_behind
from models import metrics
from models.db import Database
from models.inbox import Inbox
from models.types import utcnow
from slack_api.canvases import CanvasPace
from slack_api.client import SlackClient, SlackPace, retry_handlers
from ui.command_names import CommandNames

WEB_API_TIMEOUT_SECONDS = 10


def command_names(settings: Settings) -> CommandNames:
    """The commands as this workspace names them (COMMAND_PREFIX)."""
    return CommandNames(settings.command_prefix, tuple(f.command for f in FAMILIES))


def make_client(settings: Settings, *, canvas_spacing: float = 1.0) -> WebClient:
    """A Web API client for SLACK_API_URL that retries rate limits (everyone waiting out
    Slack's Retry-After together), 5xx and lost connections."""
    pace = SlackPace()
    return SlackClient(
        pace=pace,
        names=command_names(settings),
        canvas_pace=CanvasPace(canvas_spacing),
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
    background: Background | None = None,
    canvas_window: float = 10.0,
    canvas_spacing: float = 1.0,
    left_behind_every: float | None = None,
) -> App:
    """The Bolt app with every listener registered. Requests are verified against the
    signing secret in HTTP mode (Socket Mode and the console have no signatures). With
    `left_behind_every` (seconds), the changes whose instance stopped before making them
    are made: at once, then in a round every so often."""
    if verify_requests is None:
        verify_requests = not settings.socket_mode
    background = background or Background()
    app = App(
        client=client or make_client(settings, canvas_spacing=canvas_spacing),
        signing_secret=settings.slack_signing_secret,
        request_verification_enabled=verify_requests,
        token_verification_enabled=False,
        logger=logging.getLogger("advisory_bot.bolt"),
        # Each listener's ack function runs in the request thread: it keeps what the
        # person asked to change in the inbox, then acks; the change and the reply are a
        # lazy listener on the everyday pool (`handlers.listeners`).
        process_before_response=True,
        listener_executor=background.executor,
    )
    services = Services(
        settings=settings,
        database=database,
        clock=clock,
        client=app.client,
        background=background,
        inbox=Inbox(database),
        names=command_names(settings),
        canvas_window=canvas_window,
    )
    register_all(app, services)
    background.every(PASS_ROUNDS, services.run_due_passes)
    database.dispose_with_it(background.stop_rounds)
    if left_behind_every is not None:
        background.soon(lambda: make_left_behind(services, FAMILIES))
        background.every(left_behind_every, lambda: make_left_behind(services, FAMILIES))
    standing = getattr(app.client, "standing", None)
    metrics.watch(database.ping, lambda: standing is None or standing.token_refused is None)
    return app
