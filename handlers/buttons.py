"""One way to wire a button: ack at once, then do the work and tell the clicker."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.common import Message
from handlers.context import Asker, Services, asker_from_action
from handlers.errors import after_click

Work = Callable[[Asker, dict[str, Any], dict[str, Any]], Message | None]


def on_click(app: App, action_id: str | re.Pattern[str], services: Services, work: Work) -> None:
    """Call `work(asker, action, body)` for each click of `action_id`, after the ack."""

    @app.action(action_id)
    def clicked(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        asker = asker_from_action(body, services, client)
        after_click(client, asker.user_id, respond, body, lambda: work(asker, action, body))
