"""Signed Slack requests to the running app, and the replies it sends back.

`Slack.say("/group list", user=LEAD, channel=GORE)` sends a signed slash command over
HTTP exactly as Slack would and returns the reply the app posted to the response_url.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App

from bot.requests import SlackRequest
from simulator.web_api import FakeSlack


@dataclass
class HttpResult:
    status: int
    body: str
    seconds: float
    hook: str | None = None  # the response_url id of a slash command


@dataclass
class Reply:
    """What the app posted to a command's response_url."""

    payload: dict[str, Any]

    @property
    def ephemeral(self) -> bool:
        return self.payload.get("response_type", "ephemeral") == "ephemeral"

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return list(self.payload.get("blocks") or [])

    @property
    def text(self) -> str:
        """The fallback text and every text in the blocks, for plain assertions."""
        parts = [self.payload.get("text") or ""]

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if isinstance(node.get("text"), str):
                    parts.append(node["text"])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(self.blocks)
        return "\n".join(parts)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class Slack:
    """Plays Slack's part: sends signed requests to the app, over HTTP to `events_url`, or
    in-process to `app.dispatch` as Bolt's own scenario tests do (the same signature check,
    the same listeners; no server between)."""

    def __init__(
        self,
        events_url: str,
        signing_secret: str,
        fake: FakeSlack,
        *,
        app: App | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.events_url = events_url
        self.signing_secret = signing_secret
        self.fake = fake
        self.app = app
        self.ssl_context = ssl_context  # for an https:// events_url (a proxy's own certificate)

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 10.0,
    ) -> HttpResult:
        timestamp = int(time.time()) if timestamp is None else timestamp
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": signature
            if signature is not None
            else sign(self.signing_secret, timestamp, body),
            **(headers or {}),
        }
        started = time.monotonic()
        if self.app is not None:
            response = self.app.dispatch(
                SlackRequest(
                    body=body.decode(),
                    headers={name.lower(): [value] for name, value in all_headers.items()},
                )
            )
            return HttpResult(response.status, response.body, time.monotonic() - started)
        request = urllib.request.Request(
            self.events_url, data=body, headers=all_headers, method="POST"
        )
        try:
            with urllib.request.urlopen(
                request, timeout=timeout, context=self.ssl_context
            ) as response:
                return HttpResult(
                    response.status, response.read().decode(), time.monotonic() - started
                )
        except urllib.error.HTTPError as error:
            return HttpResult(error.code, error.read().decode(), time.monotonic() - started)

    @staticmethod
    def command_payload(
        command: str, text: str, *, user: str, channel: str, response_url: str
    ) -> dict[str, str]:
        """A slash command's fields, as Slack sends them over HTTP and Socket Mode."""
        return {
            "token": "legacy-verification-token",
            "team_id": "T0TRIALS",
            "team_domain": "trials",
            "channel_id": channel,
            "channel_name": "advisory",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0ADVISORY",
            "response_url": response_url,
            "trigger_id": f"{int(time.time())}.{response_url.rsplit('/', 1)[-1]}",
        }

    @classmethod
    def command_body(
        cls, command: str, text: str, *, user: str, channel: str, response_url: str
    ) -> bytes:
        payload = cls.command_payload(
            command, text, user=user, channel=channel, response_url=response_url
        )
        return urlencode(payload).encode()

    def command(
        self, command: str, text: str, *, user: str, channel: str, **post_options: Any
    ) -> HttpResult:
        """Send a signed slash command; the result carries its response_url id."""
        response_url = self.fake.new_response_url()
        body = self.command_body(
            command, text, user=user, channel=channel, response_url=response_url
        )
        result = self.post(body, "application/x-www-form-urlencoded", **post_options)
        result.hook = response_url.rsplit("/", 1)[-1]
        return result

    def say(self, line: str, *, user: str, channel: str, timeout: float = 10.0) -> Reply:
        """Type a slash command and wait for the app's reply."""
        command, _, text = line.partition(" ")
        result = self.command(command, text, user=user, channel=channel)
        assert result.status == 200, f"{line!r} got HTTP {result.status}: {result.body}"
        call = self.fake.wait_for("response_url", hook=result.hook, timeout=timeout)[0]
        return Reply(call.params)

    def event(
        self, event: dict[str, Any], *, event_id: str, retry_num: int | None = None
    ) -> HttpResult:
        """Deliver an Events API event (optionally as Slack's retry)."""
        body = json.dumps(
            {
                "token": "legacy-verification-token",
                "team_id": "T0TRIALS",
                "api_app_id": "A0ADVISORY",
                "type": "event_callback",
                "event_id": event_id,
                "event_time": int(time.time()),
                "event": event,
                "authorizations": [{"team_id": "T0TRIALS", "user_id": "UBOT", "is_bot": True}],
            }
        ).encode()
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(body, "application/json", headers=headers)


def buttons(where: Reply | dict[str, Any] | list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The buttons (and accessories) of a reply, a view or a list of blocks, by action id;
    the first of each."""
    if isinstance(where, Reply):
        blocks = where.blocks
    elif isinstance(where, dict):
        blocks = where["blocks"]
    else:
        blocks = where
    found: dict[str, dict[str, Any]] = {}
    for block in blocks:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            found.setdefault(element["action_id"], element)
        if block.get("accessory"):
            found.setdefault(block["accessory"]["action_id"], block["accessory"])
    return found


class Interactions:
    """Button clicks and modal submissions, as Slack sends them."""

    def __init__(self, slack: Slack) -> None:
        self.slack = slack

    def _post(self, payload: dict[str, Any]) -> HttpResult:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.slack.post(body, "application/x-www-form-urlencoded")

    def click(
        self,
        element: dict[str, Any],
        *,
        user: str,
        channel: str | None,
        option: str | None = None,
        block_id: str = "b",
    ) -> HttpResult:
        """Click a button (or choose an overflow option) from a message, or from App Home
        when `channel` is None. The result carries the response_url id, if any."""
        action: dict[str, Any] = {
            "action_id": element["action_id"],
            "block_id": block_id,
            "type": element["type"],
            "action_ts": f"{time.time():.6f}",
        }
        if element["type"] == "button":
            action["value"] = element.get("value", "")
        else:
            chosen = next(o for o in element["options"] if o["value"] == option)
            action["selected_option"] = chosen
        payload: dict[str, Any] = {
            "type": "block_actions",
            "token": "legacy-verification-token",
            "api_app_id": "A0ADVISORY",
            "team": {"id": "T0TRIALS", "domain": "trials"},
            "user": {"id": user, "username": user.lower(), "team_id": "T0TRIALS"},
            "trigger_id": f"{int(time.time())}.trigger",
            "actions": [action],
        }
        hook = None
        if channel is not None:
            response_url = self.slack.fake.new_response_url()
            hook = response_url.rsplit("/", 1)[-1]
            payload |= {
                "container": {"type": "message", "message_ts": "1.0", "channel_id": channel},
                "channel": {"id": channel, "name": "advisory"},
                "message": {"ts": "1.0", "text": ""},
                "response_url": response_url,
            }
        else:
            payload |= {
                "container": {"type": "view", "view_id": "VHOME"},
                "view": {"id": "VHOME", "type": "home"},
            }
        result = self._post(payload)
        result.hook = hook
        return result

    def submit(self, view: dict[str, Any], answers: dict[str, Any], *, user: str) -> dict[str, Any]:
        """Submit a modal the app opened, answering its inputs by block id (checkboxes: a
        list of option values; a file input: a list of files); returns the app's response
        body (empty for a plain ack)."""
        values: dict[str, dict[str, Any]] = {}
        for block in view["blocks"]:
            if block["type"] != "input":
                continue
            element = block["element"]
            answer = answers.get(block["block_id"])
            state: dict[str, Any] = {"type": element["type"]}
            if element["type"] == "plain_text_input":
                state["value"] = answer
            elif element["type"] == "static_select":
                options = {o["value"]: o for o in element["options"]}
                state["selected_option"] = (
                    options.get(answer) if answer else element.get("initial_option")
                )
            elif element["type"] == "users_select":
                state["selected_user"] = answer or element.get("initial_user")
            elif element["type"] == "checkboxes":
                options = {o["value"]: o for o in element["options"]}
                state["selected_options"] = [options[v] for v in answer or []]
            elif element["type"] == "radio_buttons":
                options = {o["value"]: o for o in element["options"]}
                state["selected_option"] = (
                    options.get(answer) if answer else element.get("initial_option")
                )
            elif element["type"] == "file_input":
                state["files"] = answer or []
            values[block["block_id"]] = {element["action_id"]: state}
        payload = {
            "type": "view_submission",
            "token": "legacy-verification-token",
            "api_app_id": "A0ADVISORY",
            "team": {"id": "T0TRIALS", "domain": "trials"},
            "user": {"id": user, "username": user.lower(), "team_id": "T0TRIALS"},
            "trigger_id": f"{int(time.time())}.trigger",
            "view": {**view, "id": "VMODAL", "state": {"values": values}},
        }
        result = self._post(payload)
        assert result.status == 200, result
        return json.loads(result.body) if result.body.strip() else {}
