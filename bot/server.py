"""Serving the app: HTTP under waitress (a production WSGI server), or Socket Mode."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from waitress.server import create_server

from bot.gate import MAX_BODY_BYTES, gated
from bot.requests import RequestHandler
from models import metrics
from models.db import Database

log = logging.getLogger("advisory_bot.server")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
HTTP_THREADS = 16

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def service_app(app: App, database: Database, slack: WSGIApp | None = None) -> WSGIApp:
    """GET /healthz reports the database and Slack; GET /metrics is Prometheus' text
    format; Slack's requests at POST /slack/events when `slack` is given; else 404."""

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == METRICS_PATH:
            body, content_type = metrics.exposition()
            start_response(
                "200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body)))]
            )
            return [body]
        if environ.get("PATH_INFO") == HEALTH_PATH:
            database_ok = database.ping()
            token_refused = getattr(getattr(app.client, "standing", None), "token_refused", None)
            healthy = database_ok and token_refused is None
            report = {
                "status": "ok" if healthy else "degraded",
                "database": "ok" if database_ok else "unreachable",
            }
            if token_refused is not None:
                report["slack"] = f"the bot's token is refused ({token_refused})"
            body = json.dumps(report).encode()
            start_response(
                "200 OK" if healthy else "503 Service Unavailable",
                [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
            )
            return [body]
        if slack is not None and environ.get("PATH_INFO") == EVENTS_PATH:
            return slack(environ, start_response)
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]

    return application


def wsgi_app(app: App, database: Database, *, signing_secret: str) -> WSGIApp:
    """Slack requests at POST /slack/events, behind the gate, beside /healthz and /metrics."""
    return service_app(app, database, gated(RequestHandler(app, path=EVENTS_PATH), signing_secret))


def metrics_server(app: App, database: Database, *, host: str, port: int) -> Any:
    """Socket Mode's /metrics and /healthz on METRICS_PORT (no Slack requests come here)."""
    return create_server(
        service_app(app, database), host=host, port=port, threads=2, ident="advisory-bot"
    )


def http_server(app: App, database: Database, *, signing_secret: str, host: str, port: int) -> Any:
    """A waitress server, not yet running; `.run()` serves, `.close()` stops. Waitress
    itself refuses a body over the gate's limit before buffering it."""
    return create_server(
        wsgi_app(app, database, signing_secret=signing_secret),
        host=host,
        port=port,
        threads=HTTP_THREADS,
        ident="advisory-bot",
        max_request_body_size=MAX_BODY_BYTES,
    )


def socket_mode_handler(
    app: App, app_token: str, *, ping_interval: float = 10.0
) -> SocketModeHandler:
    """Socket Mode through the app's own WebClient, so it too uses SLACK_API_URL; a
    dropped connection is noticed within `ping_interval` seconds and made again."""
    return SocketModeHandler(
        app, app_token=app_token, web_client=app.client, ping_interval=ping_interval
    )
