"""One way to wire each kind of listener: ack at once, then do the work and reply."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.blocks.common import Message
from handlers.context import Asker, Services, asker_from_action, asker_from_command
from handlers.errors import after_click, answer

CommandWork = Callable[[Asker, dict[str, str], Respond], Message | None]
ClickWork = Callable[[Asker, dict[str, Any], dict[str, Any]], Message | None]


def on_command(app: App, name: str, services: Services, work: CommandWork) -> None:
    """Call `work(asker, command, respond)` for each `name` command, after the ack, and send
    its reply (or the reason it failed)."""

    @app.command(name)
    def listener(ack: Ack, command: dict[str, str], respond: Respond) -> None:
        ack()
        asker = asker_from_command(command, services)
        answer(services.workers, respond, lambda: work(asker, command, respond), what=name)


def on_click(
    app: App, action_id: str | re.Pattern[str], services: Services, work: ClickWork
) -> None:
    """Call `work(asker, action, body)` for each click of `action_id`, after the ack."""

    @app.action(action_id)
    def clicked(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        asker = asker_from_action(body, services)
        after_click(
            services.workers,
            asker.client,
            asker.user_id,
            respond,
            body,
            lambda: work(asker, action, body),
        )
