"""Making what the inbox keeps, and answering: a change a command, a click or a form
asked for is made once (its receipt written in the same transaction) by the instance that
acknowledged it, or, once its lease runs out, by any instance sharing the database
(`make_left_behind`); it leaves the inbox once its person is answered, through the
response_url while Slack still takes it, else by direct message."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import partial
from typing import Any

from slack_bolt import Respond
from sqlalchemy.exc import SQLAlchemyError

from handlers.context import Asker, Services, asker_from_action, asker_from_command, for_here
from handlers.errors import MADE_BEFORE, QUEUED, Busy, message_for
from handlers.registry import Family
from models import log_context, metrics
from models.db import AlreadyMade, is_busy
from models.inbox import Kept
from models.types import utcnow
from slack_api.reply import post, send
from ui.blocks.common import Message, context, error_message, notice, to_dicts
from ui.i18n import _

log = logging.getLogger("advisory_bot.listeners")

ClickWork = Callable[[Asker, dict[str, Any], dict[str, Any]], Message | None]
Answer = Callable[[Message | None, Callable[[], None] | None], None]

# How long a change from the inbox waits for a lock before it is left there for later.
MAKE_LOCK_WAIT_SECONDS = 5.0
# Seconds between each instance's looks for changes whose lease ran out (`models.inbox`).
LEFT_BEHIND_ROUNDS = 2.0
# Slack takes a response_url for 30 minutes (and five replies): a change made later than
# this after it came is answered by direct message instead.
RESPONSE_URL_LASTS = timedelta(minutes=25)


@dataclass(frozen=True)
class Making:
    """A change from the inbox, ready to make: who asked, what it is called, how to make
    it, and how to answer it (`answer(message, then)`: `then()` once it has gone)."""

    asker: Asker
    name: str
    what: str
    run: Callable[[], Message | None]
    answer: Answer


def command_making(
    services: Services, family: Family, kept: Kept, respond: Respond, received: float | None
) -> Making:
    """A slash command from the inbox, to make and answer through its response_url."""
    asker = asker_from_command(kept.body, services, respond)
    sub, tokens = family.route(kept.body.get("text", ""))  # it routed before the ack
    assert sub is not None
    name, what = name_of(family, sub), f"{family.command} {sub.name}".strip()

    def answer(message: Message | None, then: Callable[[], None] | None) -> None:
        if respond.response_url is None:  # long after: by DM, saying what it answers
            message = told_late(message, what)
        deliver(asker, respond, message, name, received, then=then)

    return Making(asker, name, what, lambda: sub.run_with(asker, tokens), answer)


def told_late(message: Message | None, what: str) -> Message | None:
    """A change made long after it was asked for (the bot was down), answered by direct
    message: it says what it answers. (What the group sees in its channel is as ever.)"""
    if message is None or message.in_channel or message.outcome != "done":
        return message
    lead = _("While the bot was down you asked for {command}; it is done now.").format(command=what)
    return replace(
        message,
        text=f"{lead}\n{message.text}",
        blocks=[*to_dicts([context(lead)]), *message.blocks],
    )


def click_making(
    services: Services,
    work: ClickWork,
    name: str,
    kept: Kept,
    respond: Respond,
    received: float | None,
) -> Making:
    """A click from the inbox, to make and answer in place of the message clicked (or by
    direct message)."""
    action, body = kept.body["action"], kept.body["body"]
    asker = asker_from_action(body, services, respond)

    def answer(message: Message | None, then: Callable[[], None] | None) -> None:
        deliver(asker, respond, message, name, received, kind="click", then=then)

    return Making(asker, name, name, lambda: work(asker, action, body), answer)


def make_kept(services: Services, making: Making, kept: Kept, received: float | None) -> bool:
    """Make a change kept in the inbox and answer it; it leaves the inbox once answered.
    One the database could not take in time stays there, for `make_left_behind` (False),
    and the person is told, once, that it will be made."""
    if received is not None and not services.inbox.renew(kept, now=utcnow()):
        return True  # it fell so far behind that another instance took it, and answers it
    asker, database = making.asker, services.database
    leave = partial(_leave_inbox, services, kept)
    with log_context.bound(command=making.name, user=asker.user_id, channel=asker.channel_id):
        try:
            with database.bounded(MAKE_LOCK_WAIT_SECONDS), database.receipt(kept.receipt):
                message = asker.spoken(making.run)()
        except AlreadyMade:  # by another instance (which answers), or before a restart
            if received is None:  # its answer may have been lost with the stopped bot
                made = _(MADE_BEFORE).format(command=making.what)
                making.answer(asker.spoken(lambda: notice(made))(), leave)
            else:
                leave()
            return True
        except Exception as error:
            if not (isinstance(error, Busy) or is_busy(error)):
                message = message_for(error, what=making.what)
            elif received is None:  # left behind: the next round tries again, quietly
                return False
            else:
                making.answer(asker.spoken(lambda: error_message(_(QUEUED)))(), None)
                return False
        changed(services, asker, message)
        # Out of the inbox once answered: a stop in between leaves it there, made (by its
        # receipt), and whoever takes it next tells the person it went through.
        making.answer(message, leave)
        return True


def make_left_behind(services: Services, families: Iterable[Family]) -> int:
    """Claim the changes whose lease ran out and make (and answer) them, oldest first,
    until none is left or the records are busy. How many were taken."""
    by_command = {services.names.name(family.command): family for family in families}
    taken = 0
    while claimed := services.inbox.claim(now=utcnow()):
        for kept in claimed:
            making = _left_making(services, by_command, kept)
            if making is None:
                _leave_inbox(services, kept)
                continue
            log.info("Making a change left in the inbox (%s)", making.name)
            if not make_kept(services, making, kept, None):
                return taken  # the records are busy: its lease runs out, and a round retries
            taken += 1
    return taken


def _left_making(services: Services, by_command: dict[str, Family], kept: Kept) -> Making | None:
    """How to make a change another instance left, answered by direct message once its
    response_url is spent; None for one this bot can no longer make."""
    fresh = utcnow() - kept.received_at < RESPONSE_URL_LASTS
    if kept.body.get("kind") == "form":
        callback_id = kept.body["callback_id"]
        found = services.forms.find(callback_id)
        if found is None:
            log.error("A form left in the inbox can't be made: no form %s", callback_id)
            return None
        return form_making(services, *found, kept, None)
    if kept.body.get("kind") == "click":
        action_id = kept.body["action"].get("action_id", "")
        button = services.clicks.find(action_id)
        if button is None:
            log.error("A click left in the inbox can't be made: no button %s", action_id)
            return None
        wired, work = button
        body = kept.body["body"]
        respond = Respond(response_url=body.get("response_url") if fresh else None)
        name = _("button {action_id}").format(action_id=wired_name(wired))
        return click_making(services, work, name, kept, respond, None)
    family = by_command.get(kept.body.get("command", ""))
    if family is None:  # a command this bot no longer has (renamed by COMMAND_PREFIX)
        log.error(
            "A change left in the inbox can't be made: %s is not a command of this bot",
            kept.body.get("command"),
        )
        return None
    respond = Respond(response_url=kept.body.get("response_url") if fresh else None)
    return command_making(services, family, kept, respond, None)


def _leave_inbox(services: Services, kept: Kept) -> None:
    try:
        services.inbox.done(kept)
    except SQLAlchemyError:  # it stays; whoever takes it next finds its receipt
        log.warning("Could not take a made change out of the inbox", exc_info=True)


def form_making(
    services: Services,
    save: Callable[[Asker, dict[str, Any]], Any],
    after: Callable[[Asker, Any], None],
    kept: Kept,
    received: float | None,
) -> Making:
    """A form's submission from the inbox: saved, then the group told; a refusal goes to
    the person by direct message (the form has closed)."""
    body = kept.body["body"]
    asker = asker_from_action(body, services)
    name = _("form {callback_id}").format(callback_id=kept.body["callback_id"])
    saved: list[Any] = []

    def run() -> None:
        saved.append(save(asker, body["view"]))

    def answer(message: Message | None, then: Callable[[], None] | None) -> None:
        try:
            if saved:
                after(asker, saved[0])
        finally:  # the form has closed: a refusal comes by direct message
            deliver(asker, None, message, name, received, kind="form", then=then)

    return Making(asker, name, name, run, answer)


def wired_name(action_id: str | re.Pattern[str]) -> str:
    """A button's id as wired: `task_status` for the pattern `^task_status_`."""
    return action_id if isinstance(action_id, str) else action_id.pattern.strip("^$_")


def changed(services: Services, asker: Asker, message: Message | None) -> None:
    """A change went through: the channel's canvas follows it (refusals change nothing)."""
    if message is None or message.outcome == "done":
        services.canvas_changed(asker.channel_id)


def answered(
    asker: Asker, name: str, message: Message | None, received: float | None, *, kind: str
) -> None:
    """Count it, and log one line naming the command (never what was typed after it)."""
    result = message.outcome if message is not None else "done"
    seconds = time.monotonic() - received if received is not None else None
    metrics.answered(name, result, seconds, kind=kind)
    log.info(
        "Answered %s (%s)",
        name,
        result,
        extra={
            "command": name,
            "outcome": result,
            "user": asker.user_id,
            "channel": asker.channel_id,
            "duration_ms": round(seconds * 1000) if seconds is not None else None,
        },
    )


def deliver(
    asker: Asker,
    respond: Respond | None,
    message: Message | None,
    name: str,
    received: float | None,
    *,
    kind: str = "command",
    then: Callable[[], None] | None = None,
) -> None:
    """Send the answer from the pool for sending: through the response_url while Slack
    takes it (a click's in place of the message clicked), else by direct message, or in
    the group's channel if the group should know; count it once it has gone, then
    `then()`, whether or not Slack took it."""
    shown = for_here(asker, message) if message is not None else None

    def send_it() -> None:
        try:
            if shown is not None and respond is not None and respond.response_url is not None:
                send(respond, shown)
            elif shown is not None:
                channel = asker.channel_id
                post(
                    asker.client, channel if shown.in_channel and channel else asker.user_id, shown
                )
        finally:
            if then is not None:
                then()
        answered(asker, name, message, received, kind=kind)

    asker.services.background.sending(send_it)


def name_of(family: Family, sub: Any) -> str:
    """`/task add`: a command's name for counting (never what was typed after it)."""
    return f"{family.command} {sub.name}".strip() if sub is not None else family.command
