"""A loopback websocket server playing Slack's side of Socket Mode."""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from simulator.web_api import FakeSlack
from tests.harness.slack_requests import Reply, Slack


class LoopbackSocketMode:
    """Accepts the bot's Socket Mode connection, sends envelopes, records acks."""

    def __init__(self) -> None:
        self.connections: list[ServerConnection] = []
        self.acks: dict[str, dict[str, Any]] = {}
        self._condition = threading.Condition()
        self._server: Server = serve(self._serve, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.socket.getsockname()[:2]
        return f"ws://{host}:{port}/link/?ticket=loopback"

    def start(self) -> LoopbackSocketMode:
        self._thread.start()
        return self

    def stop(self) -> None:
        for connection in list(self.connections):
            connection.close()
        self._server.shutdown()

    def _serve(self, connection: ServerConnection) -> None:
        with self._condition:
            self.connections.append(connection)
            self._condition.notify_all()
        connection.send(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "connection_info": {"app_id": "A0ADVISORY"},
                    "debug_info": {"host": "loopback", "approximate_connection_time": 3600},
                }
            )
        )
        try:
            for raw in connection:
                message = json.loads(raw)
                envelope_id = message.get("envelope_id")
                if envelope_id:
                    with self._condition:
                        self.acks[envelope_id] = message
                        self._condition.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._condition:
                if connection in self.connections:
                    self.connections.remove(connection)

    def drop(self) -> None:
        """Close every open connection, as Slack does when it recycles a socket."""
        for connection in list(self.connections):
            connection.close()
        with self._condition:
            self._condition.wait_for(lambda: not self.connections, 5)

    def wait_connected(self, timeout: float = 10.0) -> None:
        with self._condition:
            if not self._condition.wait_for(lambda: bool(self.connections), timeout):
                raise AssertionError("the bot never opened its Socket Mode connection")

    def send_command(
        self, command: str, text: str, *, user: str, channel: str, response_url: str
    ) -> str:
        """Send a slash command envelope; returns its envelope id."""
        envelope_id = str(uuid.uuid4())
        payload = Slack.command_payload(
            command, text, user=user, channel=channel, response_url=response_url
        )
        self.wait_connected()
        self.connections[-1].send(
            json.dumps(
                {
                    "envelope_id": envelope_id,
                    "type": "slash_commands",
                    "accepts_response_payload": True,
                    "payload": payload,
                }
            )
        )
        return envelope_id

    def say(self, fake: FakeSlack, line: str, *, user: str, channel: str) -> Reply:
        """Type a slash command over Socket Mode; wait for its ack and then its reply."""
        command, _, text = line.partition(" ")
        response_url = fake.new_response_url()
        envelope_id = self.send_command(
            command, text, user=user, channel=channel, response_url=response_url
        )
        self.wait_for_ack(envelope_id)
        hook = response_url.rsplit("/", 1)[-1]
        return Reply(fake.wait_for("response_url", hook=hook)[0].params)

    def wait_for_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        with self._condition:
            if not self._condition.wait_for(lambda: envelope_id in self.acks, timeout):
                raise AssertionError(f"envelope {envelope_id} was never acknowledged")
            return self.acks[envelope_id]
