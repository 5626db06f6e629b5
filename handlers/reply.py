"""Sending a builder's Message back to Slack."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.blocks.common import Message

log = logging.getLogger("advisory_bot.reply")


def send(respond: Respond, message: Message) -> None:
    """Post to the channel if the group should know, otherwise only to the asker."""
    respond(
        text=message.text,
        blocks=message.blocks or None,
        response_type="in_channel" if message.in_channel else "ephemeral",
        replace_original=False,
    )


def post(client: WebClient, channel: str, message: Message) -> None:
    """chat.postMessage, logging rather than failing if Slack refuses (the change it
    reports has been saved either way)."""
    try:
        client.chat_postMessage(channel=channel, text=message.text, blocks=message.blocks or None)
    except (SlackApiError, SlackRequestError) as error:
        log.warning("Could not post to %s: %s", channel, error)


def tell(
    client: WebClient, user_id: str, respond: Respond, body: dict[str, Any], message: Message
) -> None:
    """Answer a click: in place if it came from a message, else by direct message."""
    if body.get("response_url"):
        send(respond, message)
    else:
        post(client, user_id, message)
