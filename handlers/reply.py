"""Sending a builder's Message back to Slack."""

from __future__ import annotations

from slack_bolt import Respond

from bot.blocks.common import Message


def send(respond: Respond, message: Message) -> None:
    """Post to the channel if the group should know, otherwise only to the asker."""
    respond(
        text=message.text,
        blocks=message.blocks or None,
        response_type="in_channel" if message.in_channel else "ephemeral",
        replace_original=False,
    )
