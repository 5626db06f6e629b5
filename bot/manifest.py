"""The Slack app manifest: every slash command, the bot scopes the code uses, interactivity,
the App Home tab and its event; Socket Mode, or a request URL."""

from __future__ import annotations

from typing import Any

import yaml

from handlers import FAMILIES
from ui.command_names import CommandNames

# The Web API methods the bot calls, and the bot scope each needs (None: no scope).
WEB_API_SCOPES: dict[str, str | None] = {
    "chat_postMessage": "chat:write",
    "users_info": "users:read",
    "files_upload_v2": "files:write",
    "views_open": None,
    "views_publish": None,
    "auth_test": None,
    "conversations_canvases_create": "canvases:write",
    "canvases_sections_lookup": "canvases:read",
    "canvases_edit": "canvases:write",
    "conversations_info": "channels:read",
    "conversations_open": "im:write",
}
# The events the bot listens to, and the bot scope each needs (None: no scope).
EVENT_SCOPES: dict[str, str | None] = {
    "app_home_opened": None,
    "user_change": "users:read",
    "channel_archive": "channels:read",
    "channel_deleted": "channels:read",
    "channel_left": "channels:read",
    "group_archive": "groups:read",
    "group_deleted": "groups:read",
    "group_left": "groups:read",
}
# Slash commands need the `commands` scope whatever else the bot calls.
# The minutes form's file input (a document kept as the minutes of record) needs files:read.
BASE_SCOPES = ("commands", "files:read")
EVENTS_PATH = "/slack/events"


def bot_scopes() -> list[str]:
    needed = [*WEB_API_SCOPES.values(), *EVENT_SCOPES.values()]
    return sorted({*BASE_SCOPES, *(s for s in needed if s)})


def manifest(
    *, url: str | None = None, name: str = "Advisory bot", prefix: str = ""
) -> dict[str, Any]:
    """The manifest as a dict: Socket Mode unless a public base URL is given; each command
    named with COMMAND_PREFIX when there is one (`/sst-task`)."""
    request_url = f"{url.rstrip('/')}{EVENTS_PATH}" if url else None
    names = CommandNames(prefix, tuple(f.command for f in FAMILIES))
    commands = []
    for family in FAMILIES:
        entry: dict[str, Any] = {
            "command": names.name(family.command),
            "description": names.text(family.description),
            "usage_hint": names.text(family.usage_hint()),
            "should_escape": True,
        }
        if request_url:
            entry["url"] = request_url
        commands.append(entry)
    settings: dict[str, Any] = {
        "event_subscriptions": {"bot_events": list(EVENT_SCOPES)},
        "interactivity": {"is_enabled": True},
        "org_deploy_enabled": False,
        "socket_mode_enabled": request_url is None,
        "token_rotation_enabled": False,
    }
    if request_url:
        settings["event_subscriptions"]["request_url"] = request_url
        settings["interactivity"]["request_url"] = request_url
    return {
        "display_information": {
            "name": name,
            "description": "Coordinates the local advisory groups of the Social Sector Trials.",
            "background_color": "#1d4d4f",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                # The Messages tab shows what the bot sends people (reminders, check-ins);
                # typing there would reach nothing, so it is read-only (README, "Installing").
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": True,
            },
            "bot_user": {"display_name": "advisory-bot", "always_online": True},
            "slash_commands": commands,
        },
        "oauth_config": {"scopes": {"bot": bot_scopes()}},
        "settings": settings,
    }


def manifest_yaml(*, url: str | None = None, prefix: str = "") -> str:
    return yaml.safe_dump(manifest(url=url, prefix=prefix), sort_keys=False, allow_unicode=True)
