"""Settings from the environment and a `.env` file (SPEC §6).

A variable set in the environment wins over `.env`; an empty value counts as unset.
Nothing here runs at import time: call `load_settings()`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///advisory.db"

# Values copied from .env.example without being filled in.
PLACEHOLDER_MARKERS = ("your-", "changeme", "replace-me")


class Mode(Enum):
    """What the settings are needed for; each mode requires different keys."""

    HTTP = "http"
    SOCKET = "socket"
    SEND = "send"  # Web API calls only: a reminder sweep from the command line
    OFFLINE = "offline"  # database work only: migrations, demo data, dry runs


class ConfigError(Exception):
    """Configuration is missing or wrong; the message names every key at fault."""


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment."""

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = DEFAULT_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    port: int = 3000
    timezone: str = "Pacific/Auckland"
    director_user_ids: frozenset[str] = field(default_factory=frozenset)
    director_channel_id: str | None = None
    metrics_port: int | None = None  # where GET /metrics is served, on 127.0.0.1
    metrics_token: str | None = None  # with it, GET /metrics on PORT too, to its bearer
    log_format: str = "text"  # or "json": one object a line
    log_level: str = "INFO"
    command_prefix: str = ""  # "sst": /sst-task, /sst-meeting, …
    retention_ledger_days: int = 395  # reminder ledger rows kept this long (about 13 months)

    @property
    def socket_mode(self) -> bool:
        """Socket Mode is used whenever an app-level token is configured."""
        return self.slack_app_token is not None

    @property
    def tz(self) -> ZoneInfo:
        """The programme's time zone."""
        return ZoneInfo(self.timezone)

    def is_director(self, user_id: str) -> bool:
        """Whether this Slack user is the national Director."""
        return user_id in self.director_user_ids


def _is_placeholder(value: str) -> bool:
    lowered = value.lower()
    return any(marker in lowered for marker in PLACEHOLDER_MARKERS)


def _merged(environ: Mapping[str, str], env_file: Path | None) -> dict[str, str]:
    """Environment over `.env`, with empty values treated as unset."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        for key, value in dotenv_values(env_file).items():
            if value is not None and value.strip():
                values[key] = value.strip()
    for key, value in environ.items():
        if value.strip():
            values[key] = value.strip()
    return values


def load_settings(
    mode: Mode = Mode.OFFLINE,
    *,
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = Path(".env"),
) -> Settings:
    """Read and check the settings; raise ConfigError naming every bad or missing key."""
    values = _merged(os.environ if environ is None else environ, env_file)
    problems: list[str] = []
    placeholders: set[str] = set()

    def get(key: str) -> str | None:
        value = values.get(key)
        if value is not None and _is_placeholder(value):
            problems.append(f"{key} still has the example value from .env.example")
            placeholders.add(key)
            return None
        return value

    bot_token = get("SLACK_BOT_TOKEN")
    signing_secret = get("SLACK_SIGNING_SECRET")
    app_token = get("SLACK_APP_TOKEN")
    if mode is Mode.HTTP and app_token is not None:
        mode = Mode.SOCKET

    missing: list[str] = []
    if mode in (Mode.HTTP, Mode.SOCKET, Mode.SEND) and bot_token is None:
        missing.append("SLACK_BOT_TOKEN")
    if mode is Mode.HTTP and signing_secret is None:
        missing.append("SLACK_SIGNING_SECRET")
    missing = [key for key in missing if key not in placeholders]
    if bot_token is not None and not bot_token.startswith("xoxb-"):
        problems.append("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
    if app_token is not None and not app_token.startswith("xapp-"):
        problems.append("SLACK_APP_TOKEN must be an app-level token starting with xapp-")

    port_text = values.get("PORT", "3000")
    port = 3000
    if port_text.isdigit() and 0 < int(port_text) < 65536:
        port = int(port_text)
    else:
        problems.append(f"PORT must be a number from 1 to 65535, not {port_text!r}")

    metrics_text = values.get("METRICS_PORT")
    metrics_port = None
    if metrics_text is not None:
        if metrics_text.isdigit() and 0 < int(metrics_text) < 65536:
            metrics_port = int(metrics_text)
        else:
            problems.append(f"METRICS_PORT must be a number from 1 to 65535, not {metrics_text!r}")
    log_format = values.get("LOG_FORMAT", "text").lower()
    if log_format not in ("text", "json"):
        problems.append(f"LOG_FORMAT must be text or json, not {log_format!r}")
    log_level = values.get("LOG_LEVEL", "INFO").upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        problems.append(
            f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {log_level!r}"
        )
    prefix = values.get("COMMAND_PREFIX", "").strip().lower().strip("/-")
    if prefix and not re.fullmatch(r"[a-z0-9][a-z0-9_]{0,11}", prefix):
        problems.append(
            f"COMMAND_PREFIX must be a short word of letters and digits (e.g. sst), not {prefix!r}"
        )

    ledger_text = values.get("RETENTION_LEDGER_DAYS", "395")
    ledger_days = 395
    if ledger_text.isdigit() and 31 <= int(ledger_text) <= 3650:
        ledger_days = int(ledger_text)
    else:
        problems.append(
            f"RETENTION_LEDGER_DAYS must be a number of days from 31 to 3650, not {ledger_text!r}"
        )

    timezone = values.get("TIMEZONE", "Pacific/Auckland")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"TIMEZONE {timezone!r} is not a known time zone (e.g. Pacific/Auckland)")

    api_url = values.get("SLACK_API_URL", DEFAULT_API_URL)
    if not api_url.startswith(("http://", "https://")):
        problems.append(f"SLACK_API_URL must start with http:// or https://, not {api_url!r}")
    if not api_url.endswith("/"):
        api_url += "/"

    directors = frozenset(
        part.strip() for part in values.get("DIRECTOR_USER_IDS", "").split(",") if part.strip()
    )

    if missing or problems:
        lines = []
        if missing:
            lines.append("Missing configuration: " + ", ".join(missing) + ".")
        lines.extend(problems)
        lines.append("Set them in the environment or in .env (see .env.example).")
        raise ConfigError("\n".join(lines))

    return Settings(
        slack_bot_token=bot_token,
        slack_signing_secret=signing_secret,
        slack_app_token=app_token,
        slack_api_url=api_url,
        database_url=values.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        port=port,
        timezone=timezone,
        director_user_ids=directors,
        director_channel_id=values.get("DIRECTOR_CHANNEL_ID"),
        metrics_port=metrics_port,
        metrics_token=values.get("METRICS_TOKEN"),
        log_format=log_format,
        log_level=log_level,
        command_prefix=prefix,
        retention_ledger_days=ledger_days,
    )
