"""Serving a real app on a free loopback port, in this process, for the length of a test:
the same server and stack `advisory-bot run` serves (the gate, /healthz, /metrics,
Slack's requests)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from slack_bolt import App

from bot.server import http_server, wsgi_app
from models.db import Database


@contextmanager
def serving(
    app: App, database: Database, signing_secret: str, *, metrics_token: str | None = None
) -> Iterator[str]:
    """Yield the server's base URL (`http://127.0.0.1:PORT`) while it runs."""
    server = http_server(
        wsgi_app(app, database, signing_secret=signing_secret, metrics_token=metrics_token),
        host="127.0.0.1",
        port=0,
    )
    stopped = threading.Event()

    def serve() -> None:
        try:
            server.run()
        except (OSError, ValueError):
            if not stopped.is_set():
                raise

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stopped.set()
        server.close()
        thread.join(timeout=5)
