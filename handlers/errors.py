"""Errors, handled in one place.

`outcome()` runs a piece of work and turns its failure into the reply: a user's mistake
is told to them; a bug gets an apology with a reference that appears in the log beside
its traceback. Either way nothing was changed, because the session that raised has
rolled back. A lock that was not free in time is `Busy`: nothing changed, try again.

`@app.error` stays as the last resort for anything raised outside, such as a failing
middleware.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

from slack_bolt import App, Respond
from slack_sdk.errors import SlackApiError

from models.db import is_busy
from models.errors import ClosedRecord, NotFound, UserError
from slack_api.refusals import Refusal, classify, error_code
from slack_api.reply import send
from ui.blocks.common import Message, apology, error_message
from ui.i18n import N_, Words, _

log = logging.getLogger("advisory_bot.errors")

BUSY = N_(
    "The group's records are busy with another change right now, so nothing was changed. "
    "Please try again in a moment."
)

# A change written to the inbox whose making found the records busy: it stays there.
QUEUED = N_(
    "The group's records are busy right now, so your change is waiting its turn. It will "
    "be made within a few seconds, and I'll tell you here when it is."
)
# A change taken from the inbox after a restart that had been made before it, its answer
# perhaps lost with the stopped bot.
MADE_BEFORE = N_(
    "Your {command} went through: it was made just before the bot restarted. It's in the "
    "group's records."
)
# The inbox could not take a change before the ack.
UNKEPT = N_(
    "I couldn't take that change just now, so nothing was changed. Please try again in a moment."
)


class Busy(Exception):
    """The database did not give the lock in time; nothing was changed."""


def new_reference() -> str:
    return "ERR-" + secrets.token_hex(4).upper()


# Slack's answers when a form's trigger was used up or too old to open it.
FORM_ERRORS = frozenset({"expired_trigger_id", "invalid_trigger_id", "exchanged_trigger_id"})

# Where to look, after the data layer says something was not found.
WHERE_TO_LOOK = Words(
    {
        "task": N_("`/task list` shows the open ones."),
        "meeting": N_("`/meeting list` shows what's coming up."),
        "agenda item": N_("`/agenda` shows the agenda."),
        "deadline": N_("`/deadline list` shows them."),
        "indicator": N_("`/indicator list` shows them."),
        "programme": N_("`/programme list` shows them."),
    }
)


def explained(error: UserError) -> str:
    """A user's error as the person should read it: with the command that helps."""
    if isinstance(error, NotFound) and error.kind is not None and error.kind in WHERE_TO_LOOK:
        return f"{error} {WHERE_TO_LOOK[error.kind]}"
    if isinstance(error, ClosedRecord) and error.reference.startswith("T-"):
        return _("{error} For example: `/update {reference} on-track <what changed>`.").format(
            error=error, reference=error.reference
        )
    return str(error)


def message_for(error: Exception, *, what: str) -> Message:
    """The reply for a failure: the user's error as it is, or an apology with a reference."""
    if isinstance(error, UserError):
        return error_message(explained(error))
    if isinstance(error, Busy) or is_busy(error):
        return error_message(_(BUSY))
    if isinstance(error, SlackApiError) and error_code(error) in FORM_ERRORS:
        return error_message(
            _("Slack didn't let the form open in time, so nothing was changed. Please try again.")
        )
    refusal = classify(error, to_person=False) if isinstance(error, SlackApiError) else None
    if refusal is Refusal.CHANNEL:
        return error_message(
            _(
                "Slack won't let me post in this channel ({error_code}), so nothing "
                "was shared. Invite me with `/invite @advisory-bot` and try again."
            ).format(error_code=error_code(error))
        )
    if refusal is Refusal.TOKEN:
        return error_message(
            _(
                "Slack has stopped accepting this bot's token, so I can't send anything. Whoever "
                "runs the bot needs to replace SLACK_BOT_TOKEN."
            )
        )
    reference = new_reference()
    log.error(
        "%s: unhandled error in %s", reference, what, exc_info=error, extra={"reference": reference}
    )
    return apology(reference)


def outcome(work: Callable[[], Message | None], *, what: str) -> Message | None:
    """The work's reply, or the reason it failed."""
    try:
        return work()
    except Exception as error:
        return message_for(error, what=what)


def register(app: App) -> None:
    @app.error
    def on_error(error: Exception, body: dict[str, Any], respond: Respond | None) -> None:
        message = message_for(error, what=str(body.get("command") or body.get("type")))
        if respond is not None and body.get("response_url"):
            try:
                send(respond, message)
            except Exception:  # Slack is unreachable too: the log has the reference
                log.exception("Could not tell the user about %s", message.text)
