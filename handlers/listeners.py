"""How every listener runs, on Bolt's own mechanism (lazy listeners):

- the ack function, in the request thread: a slash command, a click or a form submission
  that changes the group's records is written to the inbox (`models.inbox`, one
  statement) before the ack, so a change that was acknowledged is never lost (a form's
  save is rehearsed first, writing nothing, so a mistake shows beside its field); nothing
  else is written, and reading is left for later;
- the lazy function, on Bolt's listener executor (`handlers.background`): the change kept
  in the inbox is made and answered (`handlers.making`), a refusal made before the ack is
  sent, or the reading is done (inside `Database.reading`: it may not write) and its
  reply sent; work that is slow by nature goes to the pool for slow work. A form is opened
  first, before any other work. The reply, once built, is sent from the pool for sending,
  so waiting on Slack's answer never holds a thread that could build the next reply.

How a kept change is made and answered, here or by another instance: `handlers.making`.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from slack_bolt import Ack, App, BoltContext, Respond
from sqlalchemy.exc import SQLAlchemyError

from handlers.context import (
    Asker,
    Services,
    asker_from_action,
    asker_from_command,
)
from handlers.errors import UNKEPT, message_for, outcome
from handlers.making import (
    ClickWork,
    answered,
    click_making,
    command_making,
    deliver,
    form_making,
    make_kept,
    name_of,
    wired_name,
)
from handlers.registry import Family
from models import log_context
from models.db import Rehearsed
from models.errors import FieldError
from models.inbox import Kept
from models.types import utcnow
from ui.blocks.common import Message, error_message
from ui.i18n import _

log = logging.getLogger("advisory_bot.listeners")

T = TypeVar("T")

# How long a form's rehearsal before its ack may wait for a row lock (Slack gives 3 s).
REHEARSAL_LOCK_WAIT_SECONDS = 1.5
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
                services,
                {key: body[key] for key in KEPT_FIELDS if key in body},
                name_of(family, sub),
            )
            if kept is not None:
                context[KEPT] = kept
            else:
                asker = asker_from_command(body, services, respond)
                # In English: the person's language is in the database that just failed.
                ack(text=_(UNKEPT))
                context[PREPARED] = [None]
                answered(
                    asker, name_of(family, sub), error_message(_(UNKEPT)), None, kind="command"
                )
                return
        ack()

    def reply(body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        asker = asker_from_command(body, services, respond)
        received = context.get(RECEIVED)
        try:
            sub, tokens = family.route(body.get("text", ""))
        except Exception:  # answered before the ack, as a refusal
            sub, tokens = None, []
        name = name_of(family, sub)
        if PREPARED in context:
            if context[PREPARED][0] is not None:
                deliver(asker, respond, context[PREPARED][0], name, received)
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
            deliver(asker, respond, asker.spoken(family.help_message)(), name, received)
            return
        what = f"{family.command} {sub.name}".strip()

        def work() -> None:
            with (
                log_context.bound(command=name, user=asker.user_id, channel=asker.channel_id),
                services.database.reading(name),
            ):
                message = outcome(asker.spoken(lambda: sub.run_with(asker, tokens)), what=what)
            deliver(asker, respond, message, name, received)

        if sub.slow:
            services.background.slowly(work)
        else:
            work()

    app.command(services.names.name(family.command))(ack=acknowledge, lazy=[reply])


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
    name = _("button {action_id}").format(action_id=wired_name(action_id))

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
            deliver(asker, where, message, name, received, kind="click")

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
