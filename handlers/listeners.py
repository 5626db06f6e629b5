"""How every listener runs, on Bolt's own mechanism (lazy listeners):

- the ack function, in the request thread: what changes the group's records runs and
  commits here, waiting at most `ACK_LOCK_WAIT_SECONDS` for a lock, so a change that was
  acknowledged is never lost; reading is left for later;
- the lazy function, on Bolt's listener executor (`handlers.background`): the reply made
  before the ack is sent, or the reading is done and its reply sent; work that is slow by
  nature goes to the pool for slow work. A form is opened first, before any other work.
  The reply, once built, is sent from the pool for sending, so waiting on Slack's answer
  never holds a thread that could build the next reply.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from handlers.context import (
    Asker,
    Services,
    asker_from_action,
    asker_from_command,
    for_here,
)
from handlers.errors import BUSY, Busy, message_for, outcome
from handlers.registry import Family
from models import log_context, metrics
from models.db import is_busy
from slack_api.reply import send, tell
from ui.blocks.common import Message, error_message
from ui.i18n import _

log = logging.getLogger("advisory_bot.listeners")

ClickWork = Callable[[Asker, dict[str, Any], dict[str, Any]], Message | None]

ACK_LOCK_WAIT_SECONDS = 2.0
PREPARED = "advisory_prepared"  # the context key of a reply made before the ack
RECEIVED = "advisory_received"  # ...and of when the request reached the bot (monotonic)


def before_ack(
    services: Services, work: Callable[[], Message | None], *, what: str
) -> Message | None:
    """Run a change now, its lock wait bounded well inside Slack's 3 s; Busy if it ran out."""
    with services.database.bounded(ACK_LOCK_WAIT_SECONDS):
        try:
            return work()
        except Exception as error:
            if isinstance(error, Busy) or is_busy(error):
                raise Busy from error
            return message_for(error, what=what)


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
            asker = asker_from_command(body, services, respond)
            try:
                context[PREPARED] = [
                    before_ack(
                        services,
                        asker.spoken(lambda: sub.run_with(asker, tokens)),
                        what=f"{family.command} {sub.name}",
                    )
                ]
                _changed(services, asker, context[PREPARED][0])
            except Busy:
                ack(text=_(BUSY))
                context[PREPARED] = [None]
                _answered(asker, _name(family, sub), error_message(_(BUSY)), None, kind="command")
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
        if sub is None:
            _deliver(asker, respond, asker.spoken(family.help_message)(), name, received)
            return
        what = f"{family.command} {sub.name}".strip()

        def work() -> None:
            with log_context.bound(command=name, user=asker.user_id, channel=asker.channel_id):
                message = outcome(asker.spoken(lambda: sub.run_with(asker, tokens)), what=what)
                _deliver(asker, respond, message, name, received)

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
    """Wire one button (or menu): `work(asker, action, body)`; a change runs before the ack.
    A click that opens a form says `changes=False` (or, for a menu, which of its options
    change anything): the form opens first thing after the ack."""

    def acknowledge(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
    ) -> None:
        context[RECEIVED] = time.monotonic()
        if changes(action) if callable(changes) else changes:
            asker = asker_from_action(body, services)
            try:
                context[PREPARED] = [
                    before_ack(
                        services,
                        asker.spoken(lambda: work(asker, action, body)),
                        what=_("button {action_id}").format(action_id=action.get("action_id")),
                    )
                ]
                _changed(services, asker, context[PREPARED][0])
            except Busy:
                context[PREPARED] = [error_message(_(BUSY))]
        ack()

    def reply(
        body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
    ) -> None:
        asker = asker_from_action(body, services, respond)
        name = _("button {action_id}").format(action_id=action.get("action_id"))

        def answer(message: Message | None) -> None:
            shown = for_here(asker, message) if message is not None else None

            def deliver() -> None:
                if shown is not None:
                    tell(asker.client, asker.user_id, respond, body, shown)
                _answered(asker, name, message, context.get(RECEIVED), kind="click")

            services.background.sending(deliver)

        if PREPARED in context:
            answer(context[PREPARED][0])
            return

        def later() -> None:
            with log_context.bound(command=name, user=asker.user_id, channel=asker.channel_id):
                answer(outcome(asker.spoken(lambda: work(asker, action, body)), what=name))

        if slow:
            services.background.slowly(later)
        else:
            later()

    app.action(action_id)(ack=acknowledge, lazy=[reply])


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
    asker: Asker, respond: Respond, message: Message | None, name: str, received: float | None
) -> None:
    """Send the reply from the pool for sending, and count it once it has gone."""
    shown = for_here(asker, message) if message is not None else None

    def deliver() -> None:
        if shown is not None:
            send(respond, shown)
        _answered(asker, name, message, received, kind="command")

    asker.services.background.sending(deliver)
