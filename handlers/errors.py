"""Errors, handled in one place.

`answer()` runs a command's work after its ack: a user's mistake is told to them; a bug
gets an apology with a reference that appears in the log beside its traceback. Either
way nothing was changed, because the session that raised has rolled back.

Errors must not escape a listener that has already acked: Bolt's thread runner then
resets the ack (slack_bolt/listener/thread_runner.py) and, if the listener failed within
its 10 ms polling interval, answers Slack with 404 instead of 200. `@app.error` stays
as the last resort for anything raised outside `answer()`.
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


def answer(respond: Respond, work: Callable[[], Message | None], *, what: str) -> None:
    """Run a command's work and send its reply (if any), or the reason it failed."""
    try:
        message = work()
    except Exception as error:
        message = message_for(error, what=what)
    if message is not None:
        send(respond, message)


def after_click(
    client: WebClient,
    user_id: str,
    respond: Respond,
    body: dict[str, Any],
    work: Callable[[], Message | None],
) -> None:
    """The button's `answer()`: run the work after the ack and tell the clicker."""
    try:
        message = work()
    except Exception as error:
        action = (body.get("actions") or [{}])[0].get("action_id")
        message = message_for(error, what=f"button {action}")
    if message is not None:
        tell(client, user_id, respond, body, message)


def register(app: App) -> None:
    @app.error
    def on_error(error: Exception, body: dict[str, Any], respond: Respond | None) -> None:
        message = message_for(error, what=str(body.get("command") or body.get("type")))
        if respond is not None and body.get("response_url"):
            send(respond, message)
