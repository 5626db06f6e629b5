"""Settings from the environment and .env (SPEC §6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Mode, load_settings

TOKENS = {"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_SIGNING_SECRET": "s3cret"}


def test_defaults() -> None:
    settings = load_settings(Mode.HTTP, environ=TOKENS, env_file=None)
    assert settings.database_url == "sqlite:///advisory.db"
    assert settings.port == 3000
    assert settings.timezone == "Pacific/Auckland"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert not settings.socket_mode
    assert settings.director_user_ids == frozenset()


def test_environment_wins_over_env_file_and_empty_counts_as_unset(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "SLACK_BOT_TOKEN=xoxb-from-file\nSLACK_SIGNING_SECRET=file-secret\nPORT=4000\n"
        "TIMEZONE=\nDIRECTOR_USER_IDS=U1, U2 ,\n"
    )
    environ = {
        "SLACK_BOT_TOKEN": "xoxb-from-env",
        "PORT": "",
        "SLACK_API_URL": "http://127.0.0.1:9/api",
    }
    settings = load_settings(Mode.HTTP, environ=environ, env_file=env_file)
    assert settings.slack_bot_token == "xoxb-from-env"
    assert settings.slack_signing_secret == "file-secret"
    assert settings.port == 4000  # the empty PORT in the environment is unset
    assert settings.timezone == "Pacific/Auckland"  # the empty TIMEZONE in .env too
    assert settings.director_user_ids == {"U1", "U2"}
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"


def test_missing_keys_are_named_together() -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(Mode.HTTP, environ={}, env_file=None)
    assert "Missing configuration: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET." in str(raised.value)


def test_socket_mode_needs_no_signing_secret() -> None:
    settings = load_settings(
        Mode.HTTP, environ={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, env_file=None
    )
    assert settings.socket_mode


def test_placeholders_and_wrong_values_are_refused(tmp_path: Path) -> None:
    example = Path(__file__).parents[2] / ".env.example"
    with pytest.raises(ConfigError) as raised:
        load_settings(
            Mode.HTTP,
            environ={"PORT": "http", "TIMEZONE": "Mars/Olympus", "SLACK_APP_TOKEN": "xoxb-wrong"},
            env_file=example,
        )
    message = str(raised.value)
    assert "SLACK_BOT_TOKEN still has the example value" in message
    assert "PORT must be a number" in message
    assert "TIMEZONE 'Mars/Olympus' is not a known time zone" in message
    assert "SLACK_APP_TOKEN must be an app-level token" in message
    assert "Missing configuration" not in message


def test_offline_work_needs_no_tokens() -> None:
    settings = load_settings(
        Mode.OFFLINE, environ={"DATABASE_URL": "sqlite:///x.db"}, env_file=None
    )
    assert settings.database_url == "sqlite:///x.db"


def test_env_example_lists_every_key() -> None:
    example = (Path(__file__).parents[2] / ".env.example").read_text()
    keys = [
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "SLACK_API_URL",
        "DATABASE_URL",
        "PORT",
        "TIMEZONE",
        "DIRECTOR_USER_IDS",
        "DIRECTOR_CHANNEL_ID",
        "METRICS_PORT",
        "METRICS_TOKEN",
    ]
    for key in keys:
        assert f"\n{key}=" in example, key
