"""COMMAND_PREFIX=sst, for a shared workspace whose /task belongs to another app: every
command is /sst-task, /sst-meeting, ... in the manifest, in help, in what the bot says and
in what it answers to."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import datetime

import pytest

from bot.app import create_app, make_client
from bot.config import Settings
from bot.manifest import manifest
from bot.server import EVENTS_PATH
from handlers.background import Background
from models.db import Database
from scheduler.sweep import sweep
from simulator.web_api import FakeSlack
from tests.conftest import DIRECTOR, GORE, LISA, NOW, NZ, SIGNING_SECRET
from tests.harness.slack_requests import Slack

BARE = ("/group", "/task", "/update", "/meeting", "/agenda", "/deadline", "/summary")


@pytest.fixture
def prefixed(settings: Settings) -> Settings:
    return dataclasses.replace(settings, command_prefix="sst")


@pytest.fixture
def sst(prefixed: Settings, database: Database, fake_slack: FakeSlack) -> Iterator[Slack]:
    background = Background()
    app = create_app(prefixed, database=database, clock=lambda: NOW, background=background)
    yield Slack(EVENTS_PATH, SIGNING_SECRET, fake_slack, app=app)
    background.shutdown()


def _names_bare_commands(text: str) -> list[str]:
    return [c for c in BARE if f"{c} " in text or f"`{c}`" in text or f"{c}`" in text]


def test_the_manifest_names_every_command_with_the_prefix() -> None:
    commands = manifest(prefix="sst")["features"]["slash_commands"]
    assert commands and all(c["command"].startswith("/sst-") for c in commands)
    assert not _names_bare_commands(json.dumps(commands))
    assert {c["command"] for c in manifest()["features"]["slash_commands"]} >= set(BARE)


def test_prefixed_commands_answer_help_and_messages_name_them_so(
    sst: Slack, fake_slack: FakeSlack, prefixed: Settings, database: Database
) -> None:
    setup = sst.say(
        f"/sst-group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE
    )
    assert "Gore District" in setup.text
    helped = sst.say("/sst-task help", user=LISA, channel=GORE)
    assert "/sst-task add" in helped.text and not _names_bare_commands(helped.text)
    wrong = sst.say("/sst-task lsit", user=LISA, channel=GORE)
    assert "/sst-task" in wrong.text and not _names_bare_commands(wrong.text)
    added = sst.say("/sst-task add Hire a truancy officer due 26/11", user=LISA, channel=GORE)
    assert "T-1" in added.text and not _names_bare_commands(added.text)
    assert sst.command("/task", "list", user=LISA, channel=GORE).status == 404  # not ours now

    sweep(
        now=datetime(2026, 11, 26, 9, 5, tzinfo=NZ),
        database=database,
        client=make_client(prefixed),
        settings=prefixed,
        me="test",
    )
    said = " ".join(
        json.dumps(call.params, ensure_ascii=False)
        for call in fake_slack.calls_to("chat.postMessage")
    )
    assert "T-1" in said and not _names_bare_commands(said)
