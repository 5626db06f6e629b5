"""The App Home tab."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.blocks.common import context, header, section
from models.home import Membership

VIEW_BLOCK_LIMIT = 100


def home_view(memberships: list[Membership]) -> dict[str, Any]:
    """The groups a person belongs to, with their role and a link to each channel."""
    blocks: list[Block] = [header("Your advisory groups")]
    if not memberships:
        blocks.append(
            section(
                "You're not in any trial's advisory group yet. A trial's lead can add you "
                "with `/group add`."
            )
        )
    for m in memberships[: VIEW_BLOCK_LIMIT - 2]:
        where = f" in <#{m.channel_id}>" if m.channel_id else ""
        blocks.append(section(f"*{m.trial_name}*{where}\n{m.role.capitalize()} · {m.sector}"))
    blocks.append(context("Type `/group help` in a group's channel to see what you can do."))
    return View(type="home", blocks=blocks).to_dict()
