"""`advisory-bot console`: slash commands in a terminal, against the real app and database.

Commands go to the Bolt app exactly as Slack would send them (a mention typed as `@name`
becomes Slack's escaped `<@U…|name>`); what the bot sends back reaches a small loopback
stand-in for Slack's Web API and is printed from the same Block Kit. Buttons are numbered:
type the number to press one. Forms (modals) are asked field by field. No Slack tokens.
"""

from __future__ import annotations

import json
import queue
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode

from slack_bolt.request import BoltRequest
from sqlmodel import select

from bot.app import create_app
from bot.config import Settings
from models import demo
from models.db import Database
from models.tables import Member, Trial
from scheduler.sweep import process_name, sweep
from simulator.web_api import Call, FakeSlack
from ui.parsing import fold
from ui.render import Action, render_message

FIRST_REPLY_SECONDS = 5.0
QUIET_SECONDS = 0.3
HELP = """Type a slash command as in Slack, e.g. /group help, /task list, /summary.
  a number        press that button (or menu option) of the last message
  :as @name       act as someone else (a member's handle, `director`, or a user ID)
  :channel #name  move to another channel (a trial's #name, or a new one to set up)
  :remind [time]  what the reminder scheduler would send now (or at an ISO time)
  :help           this help          :quit  leave"""


class ConsoleSlack:
    """The simulator, watched: what the bot sends is queued for the console to print."""

    def __init__(self, files_dir: Path) -> None:
        self.outputs: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        self.fake = FakeSlack(files_dir=files_dir)
        self.fake.watch(self._seen)
        self.fake.start()

    @property
    def url(self) -> str:
        return self.fake.url

    def response_url(self) -> str:
        return self.fake.new_response_url()

    def stop(self) -> None:
        self.fake.stop()

    def _seen(self, call: Call) -> None:
        if call.method in ("response_url", "chat.postMessage"):
            self.outputs.put(("message", call.params))
        elif call.method == "views.open":
            self.outputs.put(("modal", call.view))
        elif call.method == "files.completeUploadExternal":
            files = call.params.get("files")
            for entry in json.loads(files) if isinstance(files, str) else files or []:
                path = self.fake.saved_path(entry["id"])
                if path is not None:
                    self.outputs.put(("file", {"path": str(path)}))


class Console:
    """One person typing slash commands in one channel, as in Slack."""

    def __init__(
        self,
        settings: Settings,
        database: Database,
        *,
        user: str,
        channel: str,
        stdin: IO[str] = sys.stdin,
        stdout: IO[str] = sys.stdout,
    ) -> None:
        self.slack = ConsoleSlack(Path("advisory-files"))
        self.settings = replace(
            settings,
            slack_bot_token="xoxb-console",
            slack_api_url=self.slack.url,
            director_user_ids=settings.director_user_ids | {demo.DIRECTOR[0]},
        )
        self.database = database
        self.app = create_app(self.settings, database=database, verify_requests=False)
        self.user, self.channel = user, channel
        self.stdin, self.stdout = stdin, stdout
        self.actions: list[Action] = []
        self.action_channel: str | None = None

    # ----- people and channels ------------------------------------------------------

    def _members(self) -> list[Member]:
        with self.database.session(write=False) as session:
            return list(session.exec(select(Member)).all())

    def name_of(self, user_id: str) -> str:
        if user_id == demo.DIRECTOR[0]:
            return demo.DIRECTOR[1]
        for member in self._members():
            if member.slack_user_id == user_id:
                return member.handle or member.display_name or user_id
        return user_id

    def user_named(self, name: str) -> str | None:
        wanted = fold(name.lstrip("@"))
        if wanted == demo.DIRECTOR[1]:
            return demo.DIRECTOR[0]
        if name.startswith(("U", "W")) and name.isupper():
            return name
        found = {
            m.slack_user_id
            for m in self._members()
            if wanted in {fold(m.handle or ""), fold(m.display_name or ""), fold(m.real_name or "")}
        }
        return found.pop() if len(found) == 1 else None

    def channel_named(self, name: str) -> str:
        with self.database.session(write=False) as session:
            known = demo.demo_channels(session=session)
            trials = session.exec(select(Trial)).all()
        wanted = name if name.startswith("#") else "#" + fold(name).replace(" ", "-")
        if wanted in known:
            return known[wanted]
        for trial in trials:
            if trial.channel_id and fold(name) == trial.name_key:
                return trial.channel_id
        if name.startswith("C") and name.isupper():
            return name
        return "C" + "".join(ch for ch in wanted.upper() if ch.isalnum())[:20]

    def channel_label(self) -> str:
        with self.database.session(write=False) as session:
            trial = session.exec(select(Trial).where(Trial.channel_id == self.channel)).first()
        return f"#{trial.name_key.replace(' ', '-')}" if trial else self.channel

    def escape_mentions(self, text: str) -> str:
        """Slack sends a picked `@name` as `<@U…|name>`; do the same for known people."""
        words = []
        for word in text.split(" "):
            user_id = self.user_named(word) if word.startswith("@") and len(word) > 1 else None
            words.append(f"<@{user_id}|{word[1:]}>" if user_id else word)
        return " ".join(words)

    # ----- talking to the app -------------------------------------------------------

    def _dispatch(self, body: str) -> Any:
        return self.app.dispatch(
            BoltRequest(body=body, headers={"content-type": ["application/x-www-form-urlencoded"]})
        )

    def _collect(
        self, first_wait: float = FIRST_REPLY_SECONDS
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        try:
            yield self.slack.outputs.get(timeout=first_wait)
        except queue.Empty:
            return
        while True:
            try:
                yield self.slack.outputs.get(timeout=QUIET_SECONDS)
            except queue.Empty:
                return

    def _show(self, first_wait: float = FIRST_REPLY_SECONDS) -> None:
        for kind, payload in self._collect(first_wait):
            if kind == "file":
                self.say(f"📎 file saved: {payload['path']}")
            elif kind == "modal":
                self.fill_modal(payload)
            else:
                where = payload.get("channel")
                if where and where != self.channel:
                    label = (
                        "direct message to @" + self.name_of(where)
                        if where.startswith(("U", "W"))
                        else f"posted in {where}"
                    )
                    self.say(f"({label})")
                elif payload.get("response_type", "ephemeral") == "ephemeral" and not where:
                    self.say("(only you can see this)")
                self.actions = []
                rendered = render_message(payload, self.name_of, self.actions)
                self.action_channel = where if where else self.channel
                self.say(rendered.text + "\n")

    def command(self, line: str) -> None:
        name, _, text = line.partition(" ")
        body = urlencode(
            {
                "token": "console",
                "team_id": "TCONSOLE",
                "team_domain": "console",
                "channel_id": self.channel,
                "channel_name": self.channel_label().lstrip("#"),
                "user_id": self.user,
                "user_name": self.name_of(self.user),
                "command": name,
                "text": self.escape_mentions(text),
                "api_app_id": "ACONSOLE",
                "response_url": self.slack.response_url(),
                "trigger_id": f"{time.time()}.console",
            }
        )
        response = self._dispatch(body)
        if response.status == 404:
            self.say(f"There is no {name} command. Try /group help.")
            return
        self._show()

    def press(self, number: int) -> None:
        if not 1 <= number <= len(self.actions):
            self.say("There is no button with that number on the last message.")
            return
        chosen = self.actions[number - 1]
        action: dict[str, Any] = {
            "action_id": chosen.element["action_id"],
            "block_id": chosen.block_id,
            "type": chosen.element["type"],
            "action_ts": f"{time.time()}",
        }
        if chosen.option is not None:
            action["selected_option"] = next(
                o for o in chosen.element["options"] if o["value"] == chosen.option
            )
        else:
            action["value"] = chosen.element.get("value", "")
        channel = self.action_channel or self.channel
        payload = {
            "type": "block_actions",
            "user": {"id": self.user, "username": self.name_of(self.user)},
            "team": {"id": "TCONSOLE"},
            "api_app_id": "ACONSOLE",
            "token": "console",
            "trigger_id": f"{time.time()}.console",
            "actions": [action],
            "channel": {"id": channel},
            "container": {"type": "message", "channel_id": channel},
            "response_url": self.slack.response_url(),
        }
        self.say(f"(pressed “{chosen.label}”)")
        self._dispatch(urlencode({"payload": json.dumps(payload)}))
        self._show()

    def fill_modal(self, view: dict[str, Any]) -> None:
        """Ask for each input of a form in turn, then submit it; a blank answer keeps the
        default; `:cancel` closes the form."""
        self.say(
            f"\n[{view.get('title', {}).get('text', 'Form')}] (blank keeps the default, "
            ":cancel closes)"
        )
        inputs = [b for b in view.get("blocks", []) if b.get("type") == "input"]
        answers: dict[str, dict[str, Any]] = {}
        pending = inputs
        while pending:
            for block in pending:
                state = self._ask(block)
                if state is None:
                    self.say("Form closed; nothing was saved.")
                    return
                answers[block["block_id"]] = {block["element"]["action_id"]: state}
            payload = {
                "type": "view_submission",
                "user": {"id": self.user},
                "team": {"id": "TCONSOLE"},
                "api_app_id": "ACONSOLE",
                "token": "console",
                "trigger_id": f"{time.time()}.console",
                "view": {**view, "id": "VCONSOLE", "state": {"values": answers}},
            }
            response = self._dispatch(urlencode({"payload": json.dumps(payload)}))
            errors = json.loads(response.body).get("errors", {}) if response.body else {}
            if not errors:
                self.say("Saved.")
                self._show(first_wait=2.0)
                return
            for message in errors.values():
                self.say(f"  ⚠ {message}")
            pending = [b for b in inputs if b["block_id"] in errors]

    def _ask(self, block: dict[str, Any]) -> dict[str, Any] | None:
        element = block["element"]
        label = block.get("label", {}).get("text", block["block_id"])
        kind = element["type"]
        if kind == "static_select":
            options = element.get("options", [])
            for number, option in enumerate(options, start=1):
                self.say(f"    [{number}] {option['text']['text']}")
            initial = element.get("initial_option")
            answer = self.read(
                f"  {label}{' (' + initial['text']['text'] + ')' if initial else ''}: "
            )
            if answer is None or answer == ":cancel":
                return None
            chosen = (
                options[int(answer) - 1]
                if answer.isdigit() and 0 < int(answer) <= len(options)
                else initial
            )
            return {"type": kind, "selected_option": chosen}
        if kind == "users_select":
            initial = element.get("initial_user")
            answer = self.read(
                f"  {label} (@name{', blank: @' + self.name_of(initial) if initial else ''}): "
            )
            if answer is None or answer == ":cancel":
                return None
            return {"type": kind, "selected_user": self.user_named(answer) if answer else initial}
        initial_value = element.get("initial_value")
        answer = self.read(f"  {label}{' [' + initial_value + ']' if initial_value else ''}: ")
        if answer is None or answer == ":cancel":
            return None
        return {"type": kind, "value": answer or initial_value}

    # ----- the terminal -------------------------------------------------------------

    def say(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def read(self, prompt: str) -> str | None:
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        return None if line == "" else line.rstrip("\n").strip()

    def remind(self, at: str) -> None:
        now = datetime.fromisoformat(at) if at else datetime.now(self.settings.tz)
        if now.tzinfo is None:
            now = now.replace(tzinfo=self.settings.tz)
        result = sweep(
            now=now,
            database=self.database,
            client=None,
            settings=self.settings,
            me=process_name(),
            dry_run=True,
        )
        self.say(f"At {now:%a %d %b %Y %H:%M} the scheduler would send {len(result.lines)}:")
        for line in result.lines:
            self.say("  " + line)

    def run(self) -> int:
        self.say("advisory-bot console. :help for help, :quit to leave.")
        while True:
            line = self.read(f"@{self.name_of(self.user)} in {self.channel_label()}> ")
            if line is None or line in (":quit", ":q", ":exit"):
                self.say("Bye.")
                self.slack.stop()
                return 0
            if not line:
                continue
            if line.startswith("/"):
                self.command(line)
            elif line.isdigit():
                self.press(int(line))
            elif line.startswith(":as "):
                user = self.user_named(line[4:].strip())
                if user:
                    self.user = user
                    self.say(f"You are now @{self.name_of(user)}.")
                else:
                    self.say(f"I don't know {line[4:].strip()}. Try a handle like @aroha.gor.")
            elif line.startswith(":channel "):
                self.channel = self.channel_named(line[9:].strip())
                self.say(f"You are now in {self.channel_label()}.")
            elif line.startswith(":remind"):
                self.remind(line[7:].strip())
            elif line == ":help":
                self.say(HELP)
            else:
                self.say("Type a slash command (e.g. /task list), a button's number, or :help.")
