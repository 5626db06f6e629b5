"""Sending a builder's Message back to Slack."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.webhook import WebhookClient

from slack_api.client import retry_handlers
from ui.blocks.common import Message

log = logging.getLogger("advisory_bot.reply")


REPLY_TIMEOUT_SECONDS = 10


def send(respond: Respond, message: Message, *, replace_original: bool = False) -> None:
    """Reply through the response_url: to the channel if the group should know, otherwise
    only to the asker; or in place of the message clicked. Retried through 429, 5xx and
    lost connections as Web API calls are (Bolt's own `respond` retries only the last)."""
    if respond.response_url is None:
        raise ValueError("This request came without a response_url.")
    hook = WebhookClient(
        url=respond.response_url,
        proxy=respond.proxy,
        ssl=respond.ssl,
        timeout=REPLY_TIMEOUT_SECONDS,
        retry_handlers=retry_handlers(),
    )
    response = hook.send(
        text=message.text,
        blocks=message.blocks or None,
        response_type=None
        if replace_original
        else ("in_channel" if message.in_channel else "ephemeral"),
        replace_original=replace_original,
    )
    if response.status_code != 200:
        log.warning("Slack refused a reply (HTTP %s): %s", response.status_code, response.body)


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
