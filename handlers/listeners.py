"""How every listener runs, on Bolt's own mechanism (lazy listeners):

- the ack function, in the request thread: what changes the group's records runs and
  commits here, waiting at most `ACK_LOCK_WAIT_SECONDS` for a lock, so a change that was
  acknowledged is never lost; reading is left for later;
- the lazy function, on Bolt's listener executor (`handlers.background`): the reply made
  before the ack is sent, or the reading is done and its reply sent; work that is slow by
  nature goes to the pool for slow work. A form is opened first, before any other work.
"""

from __future__ import annotations

import re
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
from models.db import is_busy
from slack_api.reply import send, tell
from ui.blocks.common import Message, error_message

ClickWork = Callable[[Asker, dict[str, Any], dict[str, Any]], Message | None]

ACK_LOCK_WAIT_SECONDS = 2.0
PREPARED = "advisory_prepared"  # the context key of a reply made before the ack


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
                        lambda: sub.run_with(asker, tokens),
                        what=f"{family.command} {sub.name}",
                    )
                ]
            except Busy:
                ack(text=BUSY)
                context[PREPARED] = [None]
                return
        ack()

    def reply(body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        asker = asker_from_command(body, services, respond)
        if PREPARED in context:
            _deliver(asker, respond, context[PREPARED][0])
            return
        sub, tokens = family.route(body.get("text", ""))
        if sub is None:
            _deliver(asker, respond, family.help_message())
            return
        what = f"{family.command} {sub.name}".strip()

        def work() -> None:
            _deliver(asker, respond, outcome(lambda: sub.run_with(asker, tokens), what=what))

        if sub.slow:
            services.background.slowly(work)
        else:
            work()

    app.command(family.command)(ack=acknowledge, lazy=[reply])


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
        if changes(action) if callable(changes) else changes:
            asker = asker_from_action(body, services)
            try:
                context[PREPARED] = [
                    before_ack(
                        services,
                        lambda: work(asker, action, body),
                        what=f"button {action.get('action_id')}",
                    )
                ]
            except Busy:
                context[PREPARED] = [error_message(BUSY)]
        ack()

    def reply(
        body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
    ) -> None:
        asker = asker_from_action(body, services, respond)

        def answer(message: Message | None) -> None:
            if message is not None:
                tell(asker.client, asker.user_id, respond, body, for_here(asker, message))

        if PREPARED in context:
            answer(context[PREPARED][0])
            return

        def later() -> None:
            answer(
                outcome(lambda: work(asker, action, body), what=f"button {action.get('action_id')}")
            )

        if slow:
            services.background.slowly(later)
        else:
            later()

    app.action(action_id)(ack=acknowledge, lazy=[reply])


def _deliver(asker: Asker, respond: Respond, message: Message | None) -> None:
    if message is not None:
        send(respond, for_here(asker, message))
