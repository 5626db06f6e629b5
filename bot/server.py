"""Serving the app: HTTP under waitress (a production WSGI server), or Socket Mode.

Waitress reads each request whole in its event loop before a thread takes it, so a
stranger's idle or slow connections cost no thread, and are closed after IDLE_SECONDS.
Its listening socket is bound with SO_REUSEPORT: several `advisory-bot run` processes on
one machine share PORT, and the kernel spreads connections among them (identical
instances, as `docs/advisory-bot@.service` runs them)."""

from __future__ import annotations

import hmac
import json
import logging
import socket
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from waitress.server import create_server

from bot.gate import MAX_BODY_BYTES, gated
from bot.requests import RequestHandler
from models import metrics
from models.db import Database
from models.inbox import Inbox

log = logging.getLogger("advisory_bot.server")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
HTTP_THREADS = 16
# An idle connection (one that sends nothing, or nothing more) is closed after this long:
# Slack sends each request on a connection that is busy at once, so only a stranger's
# idle sockets wait this long, and they cannot hold the server's connections for minutes.
IDLE_SECONDS = 5
# Connections held at once, idle ones included (each is a file descriptor: the bot's
# limit, `ulimit -n`, must be above it; systemd's default is 1,024 soft, 524,288 hard).
CONNECTIONS = 1000

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def service_app(
    app: App,
    database: Database,
    slack: WSGIApp | None = None,
    *,
    metrics_token: str | None = None,
    loopback_port: int | None = None,
) -> WSGIApp:
    """GET /healthz reports the database and Slack; GET /metrics is Prometheus' text
    format, for the operator only: on `loopback_port` (METRICS_PORT, bound to 127.0.0.1),
    or anywhere to a request bearing `metrics_token`; Slack's requests at POST
    /slack/events when `slack` is given (never on the loopback port); else 404."""
    token = f"Bearer {metrics_token}".encode() if metrics_token else None

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        on_loopback = slack is None or str(environ.get("SERVER_PORT")) == str(loopback_port)
        if path == METRICS_PATH:
            bearer = environ.get("HTTP_AUTHORIZATION", "").encode()
            if on_loopback or (token is not None and hmac.compare_digest(bearer, token)):
                body, content_type = metrics.exposition()
                return _answer(start_response, "200 OK", body, content_type)
            if token is not None:
                return _answer(
                    start_response, "401 Unauthorized", b"", extra=[("WWW-Authenticate", "Bearer")]
                )
            return _answer(start_response, "404 Not Found", b"")
        if path == HEALTH_PATH:
            database_ok = database.ping()
            token_refused = getattr(getattr(app.client, "standing", None), "token_refused", None)
            healthy = database_ok and token_refused is None
            report = {
                "status": "ok" if healthy else "degraded",
                "database": "ok" if database_ok else "unreachable",
            }
            if token_refused is not None:
                report["slack"] = f"the bot's token is refused ({token_refused})"
            status = "200 OK" if healthy else "503 Service Unavailable"
            return _answer(start_response, status, json.dumps(report).encode(), "application/json")
        if slack is not None and not on_loopback and path == EVENTS_PATH:
            return slack(environ, start_response)
        return _answer(start_response, "404 Not Found", b"")

    return application


def _answer(
    start_response: StartResponse,
    status: str,
    body: bytes,
    content_type: str | None = None,
    *,
    extra: list[tuple[str, str]] | None = None,
) -> Iterable[bytes]:
    headers = [("Content-Length", str(len(body))), *(extra or [])]
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    start_response(status, headers)
    return [body]


def wsgi_app(
    app: App,
    database: Database,
    *,
    signing_secret: str,
    metrics_token: str | None = None,
    metrics_port: int | None = None,
) -> WSGIApp:
    """Slack requests at POST /slack/events, behind the gate, beside /healthz and /metrics
    (`service_app`)."""
    seen = Inbox(database)  # the signatures seen are kept beside the inbox
    slack = gated(
        RequestHandler(app, path=EVENTS_PATH),
        signing_secret,
        lambda signature, now: seen.first_time(signature, now=now),
    )
    return service_app(
        app, database, slack, metrics_token=metrics_token, loopback_port=metrics_port
    )


def metrics_server(app: App, database: Database, *, port: int) -> Any:
    """Socket Mode's /metrics and /healthz on METRICS_PORT, on loopback (no Slack requests
    come here)."""
    return create_server(
        service_app(app, database), host="127.0.0.1", port=port, threads=2, ident="advisory-bot"
    )


def http_server(
    application: WSGIApp, *, host: str, port: int, metrics_port: int | None = None
) -> Any:
    """A waitress server for `application`, not yet running; `.run()` serves, `.close()`
    stops. Waitress itself refuses a body over the gate's limit before buffering it."""
    sockets = [_shared_socket(host, port)]
    if metrics_port is not None:  # the operator's /metrics and /healthz, on loopback
        sockets.append(_shared_socket("127.0.0.1", metrics_port))
    return create_server(
        application,
        sockets=sockets,
        threads=HTTP_THREADS,
        ident="advisory-bot",
        max_request_body_size=MAX_BODY_BYTES,
        connection_limit=CONNECTIONS,
        channel_timeout=IDLE_SECONDS,
        cleanup_interval=1,
    )


def _shared_socket(host: str, port: int) -> socket.socket:
    """A listening socket other instances on this machine may bind too (SO_REUSEPORT)."""
    shared = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    shared.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    shared.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    shared.bind((host, port))
    return shared


def socket_mode_handler(
    app: App, app_token: str, *, ping_interval: float = 10.0
) -> SocketModeHandler:
    """Socket Mode through the app's own WebClient, so it too uses SLACK_API_URL; a
    dropped connection is noticed within `ping_interval` seconds and made again."""
    return SocketModeHandler(
        app, app_token=app_token, web_client=app.client, ping_interval=ping_interval
    )
