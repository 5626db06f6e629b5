"""Serving the app: HTTP under gunicorn (a prefork WSGI server: `--workers N` identical
instances on one port), or Socket Mode. Waitress serves only Socket Mode's /metrics and
/healthz on loopback."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger as GunicornLogger
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from waitress.server import create_server

from bot.gate import gated
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
# Connections each worker holds at once, idle ones included.
WORKER_CONNECTIONS = 1000
# How long a worker stopping is given to finish its requests and send the replies owed.
GRACEFUL_SECONDS = 60

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


class _ThroughOurLogs(GunicornLogger):  # type: ignore[misc]
    """gunicorn's own lines (workers started, stopped, replaced) in the bot's log, in its
    format (LOG_FORMAT), instead of a format and a stream of gunicorn's."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in list(self.error_log.handlers):
            self.error_log.removeHandler(handler)
        self.error_log.propagate = True


class HTTPServer(BaseApplication):  # type: ignore[misc]
    """gunicorn, serving `build()`'s WSGI app in each of `workers` processes. Each worker
    builds its own (after the fork: its own database connections and threads) and calls
    `stop()` on the way out, once its requests are answered. gunicorn's master restarts a
    worker that dies and, on SIGTERM, stops them gracefully."""

    def __init__(
        self,
        build: Callable[[], tuple[WSGIApp, Callable[[], None]]],
        *,
        host: str,
        port: int,
        workers: int = 1,
        metrics_port: int | None = None,
    ) -> None:
        self._build = build
        binds = [f"{host}:{port}"]
        if metrics_port is not None:  # the operator's /metrics and /healthz, on loopback
            binds.append(f"127.0.0.1:{metrics_port}")
        self._options = {
            "bind": binds,
            "workers": workers,
            "worker_class": "gthread",
            "threads": HTTP_THREADS,
            "worker_connections": WORKER_CONNECTIONS,
            "keepalive": IDLE_SECONDS,
            "timeout": 30,  # a worker stuck this long is replaced by the master
            "graceful_timeout": GRACEFUL_SECONDS,
            "limit_request_field_size": 8190,
            "proc_name": "advisory-bot",
            "worker_exit": self._worker_exit,
            "accesslog": None,
            "logger_class": _ThroughOurLogs,
        }
        self._stops: list[Callable[[], None]] = []
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIApp:
        application, stop = self._build()
        self._stops.append(stop)
        return application

    def _worker_exit(self, _server: Any, _worker: Any) -> None:
        for stop in self._stops:
            stop()


def socket_mode_handler(
    app: App, app_token: str, *, ping_interval: float = 10.0
) -> SocketModeHandler:
    """Socket Mode through the app's own WebClient, so it too uses SLACK_API_URL; a
    dropped connection is noticed within `ping_interval` seconds and made again."""
    return SocketModeHandler(
        app, app_token=app_token, web_client=app.client, ping_interval=ping_interval
    )
