"""Errors, handled in one place.

`answer()` hands a command's work to `handlers.workers` after its ack: a user's mistake
is told to them; a bug gets an apology with a reference that appears in the log beside
its traceback. Either way nothing was changed, because the session that raised has
rolled back.

Errors must not escape a listener: Bolt would answer Slack's request with a 500 (and,
with listeners in its pool, reset an ack already given). `@app.error` stays as the last
resort for anything raised outside `answer()`, such as a failing middleware.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

from slack_bolt import App, Respond
from slack_sdk import WebClient

from bot.blocks.common import Message, apology, error_message
from bot.errors import UserError
from handlers.reply import send, tell
from handlers.workers import Workers

log = logging.getLogger("advisory_bot.errors")


def new_reference() -> str:
    return "ERR-" + secrets.token_hex(4).upper()


def message_for(error: Exception, *, what: str) -> Message:
    """The reply for a failure: the user's error as it is, or an apology with a reference."""
    if isinstance(error, UserError):
        return error_message(str(error))
    reference = new_reference()
    log.error("%s: unhandled error in %s", reference, what, exc_info=error)
    return apology(reference)


def outcome(work: Callable[[], Message | None], *, what: str) -> Message | None:
    """The work's reply, or the reason it failed."""
    try:
        return work()
    except Exception as error:
        return message_for(error, what=what)


def answer(
    workers: Workers, respond: Respond, work: Callable[[], Message | None], *, what: str
) -> None:
    """After a command's ack: run its work in turn and send its reply (if any), or the
    reason it failed."""

    def reply(message: Message | None) -> None:
        if message is not None:
            send(respond, message)

    workers.submit(lambda: outcome(work, what=what), reply)


def after_click(
    workers: Workers,
    client: WebClient,
    user_id: str,
    respond: Respond,
    body: dict[str, Any],
    work: Callable[[], Message | None],
) -> None:
    """The button's `answer()`: run the work after the ack and tell the clicker."""
    action = (body.get("actions") or [{}])[0].get("action_id")

    def reply(message: Message | None) -> None:
        if message is not None:
            tell(client, user_id, respond, body, message)

    workers.submit(lambda: outcome(work, what=f"button {action}"), reply)


def register(app: App) -> None:
    @app.error
    def on_error(error: Exception, body: dict[str, Any], respond: Respond | None) -> None:
        message = message_for(error, what=str(body.get("command") or body.get("type")))
        if respond is not None and body.get("response_url"):
            try:
                send(respond, message)
            except Exception:  # Slack is unreachable too: the log has the reference
                log.exception("Could not tell the user about %s", message.text)
