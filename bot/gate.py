"""The gate in front of the Bolt app: a request Slack did not sign gets 401 and nothing
else. Its body is not read beyond a small limit, not used, not logged and nothing is
contacted for it; one short log line says what was refused and why. A signed request
seen before (the same signature within its five minutes, by any instance, before a
restart too) is answered once."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger("advisory_bot.gate")

# Slack's payloads are a few kilobytes; the biggest, a submitted form, stays well under this.
MAX_BODY_BYTES = 256 * 1024
FRESH_SECONDS = 60 * 5
SIGNATURE = re.compile(r"^v0=[0-9a-f]{64}$")
TIMESTAMP = re.compile(r"^[0-9]{1,12}$")
CONTENT_TYPES = ("application/x-www-form-urlencoded", "application/json")

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class Refused(Exception):
    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def gated(
    slack: WSGIApp,
    signing_secret: str,
    first_time: Callable[[str, datetime], bool],
    clock: Callable[[], float] = time.time,
) -> WSGIApp:
    """`slack`, behind the checks above; `first_time(signature, now)` says whether a
    signature is new (`models.inbox`: seen by any instance in the last five minutes)."""
    secret = signing_secret.encode()

    def new(signature: str) -> bool:
        try:
            return first_time(signature, datetime.fromtimestamp(clock(), UTC))
        except SQLAlchemyError:  # nothing can be kept either: a change is refused there
            log.warning("Could not check for a replay; the database did not answer")
            return True

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            body = _verified_body(environ, secret, clock)
            _check_payload(environ, body)
            if not new(environ["HTTP_X_SLACK_SIGNATURE"]):
                raise Refused("200 OK", "a replay of a request already answered")
        except Refused as refused:
            log.info(
                "Refused %s %s: %s",
                environ.get("REQUEST_METHOD"),
                environ.get("PATH_INFO"),
                refused.reason,
            )
            start_response(refused.status, [("Content-Length", "0")])
            return [b""]
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return slack(environ, start_response)

    return application


def _verified_body(environ: dict[str, Any], secret: bytes, clock: Callable[[], float]) -> bytes:
    if environ.get("REQUEST_METHOD") != "POST":
        raise Refused("405 Method Not Allowed", "not a POST")
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
    signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
    if not TIMESTAMP.match(timestamp):
        raise Refused("401 Unauthorized", "no valid timestamp")
    if abs(clock() - int(timestamp)) > FRESH_SECONDS:
        raise Refused("401 Unauthorized", "a stale timestamp")
    if not SIGNATURE.match(signature):
        raise Refused("401 Unauthorized", "no valid signature")
    length_text = environ.get("CONTENT_LENGTH") or ""
    if not length_text.isdigit():
        raise Refused("411 Length Required", "no Content-Length")
    length = int(length_text)
    if length > MAX_BODY_BYTES:
        raise Refused("413 Content Too Large", f"a body of {length} bytes")
    body: bytes = environ["wsgi.input"].read(length)
    # Slack's scheme: HMAC-SHA256 of "v0:<timestamp>:<body>", over the bytes as they came.
    expected = (
        "v0=" + hmac.new(secret, f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    )
    if not hmac.compare_digest(expected, signature):
        raise Refused("401 Unauthorized", "a signature that does not match")
    return body


# Payloads of people's actions, each of which names the person who acted.
ACTIONS = frozenset(
    {"block_actions", "view_submission", "view_closed", "shortcut", "message_action"}
)


def _lacking(payload: dict[str, Any]) -> str | None:
    """What a payload lacks that every one of its kind from Slack carries, if anything."""
    kind = payload.get("type")
    if kind in ACTIONS and not isinstance((payload.get("user") or {}).get("id"), str):
        return f"a {kind} payload with no user"
    view = payload.get("view")
    if kind in ("view_submission", "view_closed") and not (
        isinstance(view, dict) and isinstance(view.get("type"), str)
    ):
        return f"a {kind} payload with no view"
    if kind == "event_callback" and not (
        isinstance(payload.get("event"), dict) and payload.get("event_id")
    ):
        return "an event_callback with no event or event_id"
    return None


def _check_payload(environ: dict[str, Any], body: bytes) -> None:
    """Signed, but is it something Slack sends? (400 rather than a traceback.)"""
    content_type = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
    if content_type not in CONTENT_TYPES:
        raise Refused("400 Bad Request", f"content type {content_type[:40]!r}")
    try:
        text = body.decode("utf-8")
        if content_type == "application/json":
            payload = json.loads(text)
        else:
            fields = parse_qs(text).get("payload")
            payload = json.loads(fields[0]) if fields else {}
        if not isinstance(payload, dict):
            raise ValueError("not an object")
    except ValueError:
        raise Refused("400 Bad Request", "a malformed payload") from None
    lacking = _lacking(payload)
    if lacking is not None:
        raise Refused("400 Bad Request", lacking)
