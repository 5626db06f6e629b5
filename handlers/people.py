"""What Slack knows of a person, for matching a plain `@name` later."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from models.groups import Names

log = logging.getLogger("advisory_bot.people")


def names_of(client: WebClient, user_id: str, *, handle: str | None) -> Names:
    """The person's handle, display name and real name; what we have if Slack won't say."""
    try:
        user = client.users_info(user=user_id)["user"]
    except (SlackApiError, SlackRequestError, OSError) as error:
        log.info("users.info for %s failed (%s); keeping the name from the mention", user_id, error)
        return Names(handle=handle)
    profile = user.get("profile") or {}
    return Names(
        handle=user.get("name") or handle,
        display_name=profile.get("display_name") or None,
        real_name=profile.get("real_name") or user.get("real_name") or None,
    )
