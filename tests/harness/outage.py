"""A database that goes away and comes back: a TCP forwarder on loopback in front of
PostgreSQL that the test can take down (every connection through it dropped, new ones
refused) and bring up again on the same port."""

from __future__ import annotations

import contextlib
import socket
import threading
from urllib.parse import urlsplit


class Outage:
    """Forwards 127.0.0.1:`port` to the server of `url`, until `down()`; `up()` again."""

    def __init__(self, url: str) -> None:
        target = urlsplit(url.replace("+psycopg", ""))
        self._target = (target.hostname or "127.0.0.1", target.port or 5432)
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._listener: socket.socket | None = None
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.up()

    def through(self, url: str) -> str:
        """`url`, reaching its server through this forwarder."""
        parts = urlsplit(url)
        return url.replace(parts.netloc, f"{parts.username or 'postgres'}@127.0.0.1:{self.port}")

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        """Refuse new connections and drop every one open, as a server that died."""
        with self._lock:
            listener, self._listener = self._listener, None
            for connection in self._open:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            self._open.clear()
        if listener is not None:
            # A listening socket closed under a blocked accept() goes on listening until
            # the accept returns: shut it down first, which wakes it.
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self._target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)
