"""Serving the app: HTTP under gunicorn (a prefork WSGI server: `--workers N` identical
instances on one port), or Socket Mode. Waitress serves only Socket Mode's /metrics and
/healthz on loopback."""

from __future__ import annotations

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
    seen = Inbox(database)  # the signatures seen are kept beside the inbox
    slack = gated(
        RequestHandler(app, path=EVENTS_PATH),
        signing_secret,
        lambda signature, now: seen.first_time(signature, now=now),
    )
    return service_app(app, database, slack)


def metrics_server(app: App, database: Database, *, host: str, port: int) -> Any:
    """Socket Mode's /metrics and /healthz on METRICS_PORT (no Slack requests come here)."""
    return create_server(
        service_app(app, database), host=host, port=port, threads=2, ident="advisory-bot"
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
    ) -> None:
        self._build = build
        self._options = {
            "bind": f"{host}:{port}",
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
