"""How every listener runs, on Bolt's own mechanism (lazy listeners):

- the ack function, in the request thread: a slash command or a click that changes the
  group's records is written to the inbox (`models.inbox`, one statement) before the ack,
  so a change that was acknowledged is never lost; nothing else is written, and reading
  is left for later;
- the lazy function, on Bolt's listener executor (`handlers.background`): the change kept
  in the inbox is made (once: its receipt is written in the same transaction) and
  answered, the reply made before the ack is sent, or the reading is done and its reply
  sent; work that is slow by nature goes to the pool for slow work. A form is opened
  first, before any other work. The reply, once built, is sent from the pool for sending,
  so waiting on Slack's answer never holds a thread that could build the next reply.

A change whose instance stopped before making it is taken from the inbox by any instance
sharing the database once its lease runs out (`make_left_behind`), and answered through
its response_url while Slack still takes it, else by direct message.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar

from slack_bolt import Ack, App, BoltContext, Respond
from sqlalchemy.exc import SQLAlchemyError

from handlers.context import (
    Asker,
    Services,
    asker_from_action,
    asker_from_command,
    for_here,
)
from handlers.errors import MADE_BEFORE, QUEUED, UNKEPT, Busy, message_for, outcome
from handlers.registry import Family
from models import log_context, metrics
from models.db import AlreadyMade, Rehearsed, is_busy
from models.errors import FieldError
from models.inbox import Kept
from models.types import utcnow
from slack_api.reply import post, send
from ui.blocks.common import Message, error_message, notice
from ui.i18n import _

log = logging.getLogger("advisory_bot.listeners")

ClickWork = Callable[[Asker, dict[str, Any], dict[str, Any]], Message | None]
T = TypeVar("T")
Answer = Callable[[Message | None, Callable[[], None] | None], None]

# How long a change from the inbox waits for a lock before it is left there for later.
MAKE_LOCK_WAIT_SECONDS = 5.0
# How long a form's rehearsal before its ack may wait for a row lock (Slack gives 3 s).
REHEARSAL_LOCK_WAIT_SECONDS = 1.5
# Seconds between each instance's looks for changes whose lease ran out (`models.inbox`).
LEFT_BEHIND_ROUNDS = 2.0
# Slack takes a response_url for 30 minutes (and five replies): a change made later than
# this after it came is answered by direct message instead.
RESPONSE_URL_LASTS = timedelta(minutes=25)
PREPARED = "advisory_prepared"  # the context key of a reply made before the ack
RECEIVED = "advisory_received"  # ...of when the request reached the bot (monotonic)
KEPT = "advisory_kept"  # ...and of the change kept in the inbox, to make after the ack
# What of a slash command the inbox keeps: enough to make and answer it (not Slack's
# verification token, nor the rest of what it sends).
KEPT_FIELDS = (
    "command",
    "text",
    "user_id",
    "user_name",
    "channel_id",
    "response_url",
    "trigger_id",
)


@dataclass(frozen=True)
class Making:
    """A change from the inbox, ready to make: who asked, what it is called, how to make
    it, and how to answer it (`answer(message, then)`: `then()` once it has gone)."""

    asker: Asker
    name: str
    what: str
    run: Callable[[], Message | None]
    answer: Answer


def _keep(services: Services, body: dict[str, Any], name: str) -> Kept | None:
    """Write a change down before its ack; None if the inbox could not take it."""
    try:
        return services.inbox.keep(body, now=utcnow())
    except SQLAlchemyError:
        log.exception("Could not keep %s in the inbox", name)
        return None


def on_command(app: App, family: Family, services: Services) -> None:
    """Wire one slash command: each subcommand runs as the registry declares it."""

    def acknowledge(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        context[RECEIVED] = time.monotonic()
        try:
            sub, tokens = family.route(body.get("text", ""))
        except Exception as error:
            context[PREPARED] = [message_for(error, what=family.command)]
            ack()
            return
        if sub is not None and sub.changes_now(tokens):
            kept = _keep(
                services, {key: body[key] for key in KEPT_FIELDS if key in body}, _name(family, sub)
            )
            if kept is not None:
                context[KEPT] = kept
            else:
                asker = asker_from_command(body, services, respond)
                # In English: the person's language is in the database that just failed.
                ack(text=_(UNKEPT))
                context[PREPARED] = [None]
                _answered(asker, _name(family, sub), error_message(_(UNKEPT)), None, kind="command")
                return
        ack()

    def reply(body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        asker = asker_from_command(body, services, respond)
        received = context.get(RECEIVED)
        try:
            sub, tokens = family.route(body.get("text", ""))
        except Exception:  # answered before the ack, as a refusal
            sub, tokens = None, []
        name = _name(family, sub)
        if PREPARED in context:
            if context[PREPARED][0] is not None:
                _deliver(asker, respond, context[PREPARED][0], name, received)
            return
        if KEPT in context:
            making = command_making(services, family, context[KEPT], respond, received)
            make = partial(make_kept, services, making, context[KEPT], received)
            if sub is not None and sub.slow:
                services.background.slowly(make)
            else:
                make()
            return
        if sub is None:
            _deliver(asker, respond, asker.spoken(family.help_message)(), name, received)
            return
        what = f"{family.command} {sub.name}".strip()

        def work() -> None:
            with (
                log_context.bound(command=name, user=asker.user_id, channel=asker.channel_id),
                services.database.reading(name),
            ):
                message = outcome(asker.spoken(lambda: sub.run_with(asker, tokens)), what=what)
            _deliver(asker, respond, message, name, received)

        if sub.slow:
            services.background.slowly(work)
        else:
            work()

    app.command(services.names.name(family.command))(ack=acknowledge, lazy=[reply])


def command_making(
    services: Services, family: Family, kept: Kept, respond: Respond, received: float | None
) -> Making:
    """A slash command from the inbox, to make and answer through its response_url."""
    asker = asker_from_command(kept.body, services, respond)
    sub, tokens = family.route(kept.body.get("text", ""))  # it routed before the ack
    assert sub is not None
    name = _name(family, sub)
    return Making(
        asker,
        name,
        f"{family.command} {sub.name}".strip(),
        lambda: sub.run_with(asker, tokens),
        lambda message, then: _deliver(asker, respond, message, name, received, then=then),
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
        _deliver(asker, respond, message, name, received, kind="click", then=then)

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
        _changed(services, asker, message)
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
        name = _("button {action_id}").format(action_id=_wired_name(wired))
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


def on_click(
    app: App,
    action_id: str | re.Pattern[str],
    services: Services,
    work: ClickWork,
    *,
    changes: bool | Callable[[dict[str, Any]], bool] = True,
    slow: bool = False,
) -> None:
    """Wire one button (or menu): `work(asker, action, body)`. A click that changes records
    is kept in the inbox before the ack and made after it, as a command's change is; one
    that opens a form says `changes=False` (or, for a menu, which of its options change
    anything): the form opens first thing after the ack."""
    services.clicks.add(action_id, work)
    # Counted under the button as wired (its id, or its pattern's), never under the id a
    # request names: made-up ids add no series to /metrics.
    name = _("button {action_id}").format(action_id=_wired_name(action_id))

    def acknowledge(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
    ) -> None:
        context[RECEIVED] = time.monotonic()
        if changes(action) if callable(changes) else changes:
            kept = _keep(services, {"kind": "click", "action": action, "body": body}, name)
            if kept is not None:
                context[KEPT] = kept
            else:  # in English: the person's language is in the database that just failed
                context[PREPARED] = [error_message(_(UNKEPT))]
        ack()

    def reply(
        body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
    ) -> None:
        received = context.get(RECEIVED)
        if KEPT in context:
            making = click_making(services, work, name, context[KEPT], respond, received)
            make = partial(make_kept, services, making, context[KEPT], received)
            if slow:
                services.background.slowly(make)
            else:
                make()
            return
        asker = asker_from_action(body, services, respond)

        def answer(message: Message | None) -> None:
            # In place of the message clicked, or (from App Home, a DM) by direct message.
            where = respond if body.get("response_url") else None
            _deliver(asker, where, message, name, received, kind="click")

        if PREPARED in context:
            answer(context[PREPARED][0])
            return

        def later() -> None:
            with (
                log_context.bound(command=name, user=asker.user_id, channel=asker.channel_id),
                services.database.reading(name),
            ):
                message = outcome(asker.spoken(lambda: work(asker, action, body)), what=name)
            answer(message)

        if slow:
            services.background.slowly(later)
        else:
            later()

    app.action(action_id)(ack=acknowledge, lazy=[reply])


def on_form(
    app: App,
    callback_id: str,
    services: Services,
    save: Callable[[Asker, dict[str, Any]], T],
    after: Callable[[Asker, T], None],
    *,
    field: str,
) -> None:
    """Wire one form's submission: `save(asker, view)` makes the change, `after(asker,
    what_save_returned)` tells the group. Before the ack the save is rehearsed (it runs up
    to its first write, writing nothing), so a mistake goes back beside its field (`field`
    when it names none) while the form is still open; then the submission is kept in the
    inbox and made after the ack, as a command's change is. A refusal that only the making
    finds (the records changed meanwhile) comes to the person by direct message."""
    services.forms.add(callback_id, save, after)

    def acknowledge(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        context[RECEIVED] = time.monotonic()
        asker = asker_from_action(body, services)
        database = services.database
        try:
            with database.rehearsal(), database.bounded(REHEARSAL_LOCK_WAIT_SECONDS):
                asker.spoken(lambda: save(asker, view))()
        except Rehearsed:
            pass
        except FieldError as error:
            ack(response_action="errors", errors={error.block_id: error.message[:300]})
            return
        except Exception as error:
            refusal = asker.spoken(partial(message_for, error, what=callback_id))()
            ack(response_action="errors", errors={field: refusal.text[:300]})
            return
        kept = _keep(
            services, {"kind": "form", "callback_id": callback_id, "body": body}, callback_id
        )
        if kept is None:  # in English: the person's language is in the database that failed
            ack(response_action="errors", errors={field: _(UNKEPT)})
            return
        context[KEPT] = kept
        ack()

    def make(context: BoltContext) -> None:
        if KEPT not in context:  # refused before the ack, beside its field
            return
        making = form_making(services, save, after, context[KEPT], context.get(RECEIVED))
        make_kept(services, making, context[KEPT], context.get(RECEIVED))

    app.view(callback_id)(ack=acknowledge, lazy=[make])


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
            _deliver(asker, None, message, name, received, kind="form", then=then)

    return Making(asker, name, name, run, answer)


def _wired_name(action_id: str | re.Pattern[str]) -> str:
    """A button's id as wired: `task_status` for the pattern `^task_status_`."""
    return action_id if isinstance(action_id, str) else action_id.pattern.strip("^$_")


def _changed(services: Services, asker: Asker, message: Message | None) -> None:
    """A change went through: the channel's canvas follows it (refusals change nothing)."""
    if message is None or message.outcome == "done":
        services.canvas_changed(asker.channel_id)


def _name(family: Family, sub: Any) -> str:
    """`/task add`: a command's name for counting (never what was typed after it)."""
    return f"{family.command} {sub.name}".strip() if sub is not None else family.command


def _answered(
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


def _deliver(
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

    def deliver() -> None:
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
        _answered(asker, name, message, received, kind=kind)

    asker.services.background.sending(deliver)
