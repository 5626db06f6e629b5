"""`advisory-bot console`: slash commands in a terminal, against the real app and database.

Commands go to the Bolt app exactly as Slack would send them (a mention typed as `@name`
becomes Slack's escaped `<@U…|name>`); what the bot sends back reaches a small loopback
stand-in for Slack's Web API and is printed from the same Block Kit. Buttons are numbered:
type the number to press one. Forms (modals) are asked field by field. No Slack tokens.
"""

from __future__ import annotations

import json
import queue
import re
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode

from sqlmodel import col, select

from bot.app import command_names, create_app
from bot.config import Settings
from bot.console_forms import fill_modal
from bot.console_slack import ConsoleSlack
from bot.requests import SlackRequest
from handlers import FAMILIES
from handlers.registry import nearest_word
from models import demo
from models.db import Database
from models.errors import ParseError
from models.tables import Member, Trial
from scheduler.sweep import process_name, sweep
from slack_api.canvases import canvas_markdown
from ui.formatting import format_datetime
from ui.i18n import N_, _
from ui.parsing import fold, local_datetime, split_date_time, tokenize
from ui.render import Action, render_message

PERSON = re.compile(r"\b[UW][A-Z0-9]{5,}\b")
FIRST_REPLY_SECONDS = 5.0
QUIET_SECONDS = 0.3
HELP = N_("""Type a slash command as in Slack, e.g. /group help, /task list, /summary.
  a number        press that button (or menu option) of the last message
  :as @name       act as someone else (a member's handle, `director`, or a user ID)
  :channel #name  move to another channel (a trial's #name, or a new one to set up)
  :remind [when]  what the reminder scheduler would send now, or then (14/12 9am)
  :home           your App Home tab, as Slack shows it
  :canvas         this channel's Action Plan canvas, as the markdown the bot would publish
  :help           this help          :quit  leave""")


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
        self._printing = threading.Lock()  # one writer on the terminal at a time
        self._waiting = threading.Event()  # set while the prompt waits for a line
        self._closed = threading.Event()
        self._prompt = ""

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
        """A trial's channel by the trial's name or the channel's (`#rānui`, `ranui`,
        `Gore District`, `#gore-district`), else a new channel of that name."""
        wanted = fold(name.lstrip("#")).replace("-", " ")
        with self.database.session(write=False) as session:
            trials = session.exec(select(Trial).where(col(Trial.channel_id).is_not(None))).all()
        for trial in trials:
            if trial.channel_id and wanted == trial.name_key:
                return trial.channel_id
        if name.startswith("C") and name.isupper():
            return name
        return "C" + "".join(ch for ch in wanted.upper() if ch.isascii() and ch.isalnum())[:20]

    def channel_label(self) -> str:
        with self.database.session(write=False) as session:
            trial = session.exec(select(Trial).where(Trial.channel_id == self.channel)).first()
        return f"#{trial.name.lower().replace(' ', '-')}" if trial else self.channel

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
            SlackRequest(body=body, headers={"content-type": ["application/x-www-form-urlencoded"]})
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
            self._print(kind, payload)

    def _print(self, kind: str, payload: dict[str, Any], *, late: bool = False) -> None:
        if kind == "home":
            self.say(_("(App Home of @{name_of})").format(name_of=self.name_of(self.user)))
            self.actions = []
            rendered = render_message(
                {"blocks": payload.get("blocks", [])}, self.name_of, self.actions
            )
            self.action_channel = None
            self.say(rendered.text + "\n")
        elif kind == "modal" and late:
            self.say(_("(a form came too late to fill in here; run the command again)"))
        elif kind == "file":
            self.say(_("📎 file saved: {path}").format(path=payload["path"]))
        elif kind == "modal":
            fill_modal(self, payload)
        else:
            where = payload.get("channel")
            if where and where != self.channel:
                label = (
                    _("direct message to @") + self.name_of(where)
                    if where.startswith(("U", "W"))
                    else _("posted in {where}").format(where=where)
                )
                self.say(f"({label})")
            elif payload.get("response_type", "ephemeral") == "ephemeral" and not where:
                self.say(_("(only you can see this)"))
            self.actions = []
            rendered = render_message(payload, self.name_of, self.actions)
            self.action_channel = where if where else self.channel
            self.say(rendered.text + "\n")

    def command(self, line: str) -> None:
        name, _ignored, text = line.partition(" ")
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
            names = command_names(self.settings)
            known = [names.name(f.command) for f in FAMILIES]
            nearest = nearest_word(name.lower(), known)
            guess = _(" Did you mean {nearest}?").format(nearest=nearest) if nearest else ""
            self.say(
                _("There is no {name} command.{guess} Try {name2} help.").format(
                    name=name, guess=guess, name2=names.name("/group")
                )
            )
            return
        self._show()

    def press(self, number: int) -> None:
        if not 1 <= number <= len(self.actions):
            self.say(_("There is no button with that number on the last message."))
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
        self.say(_("(pressed “{label}”)").format(label=chosen.label))
        self._dispatch(urlencode({"payload": json.dumps(payload)}))
        self._show()

    # ----- the terminal -------------------------------------------------------------

    def say(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def read(self, prompt: str) -> str | None:
        with self._printing:
            self.stdout.write(prompt)
            self.stdout.flush()
            self._prompt = prompt
            self._waiting.set()
        line = self.stdin.readline()
        with self._printing:  # a late reply being printed finishes first
            self._waiting.clear()
        return None if line == "" else line.rstrip("\n").strip()

    def _print_late(self) -> None:
        """What the bot sends while nobody is typing (a report drafted after the reply,
        a post from another person's action) is printed as it arrives, then the prompt."""
        while not self._closed.is_set():
            if not self._waiting.wait(timeout=0.2):
                continue
            with self._printing:
                if not self._waiting.is_set():
                    continue
                try:
                    kind, payload = self.slack.outputs.get_nowait()
                except queue.Empty:
                    pass
                else:
                    self.stdout.write("\n")
                    self._print(kind, payload, late=True)
                    self.stdout.write(self._prompt)
                    self.stdout.flush()
                    continue
            time.sleep(0.1)

    def canvas(self) -> None:
        """The channel's canvas, as the markdown the bot would publish."""
        with self.database.session(write=False) as session:
            trial = session.exec(select(Trial).where(Trial.channel_id == self.channel)).first()
        if trial is None:
            self.say(_("This channel isn't linked to a trial, so it has no canvas."))
            return
        now = datetime.now(self.settings.tz)
        self.say(canvas_markdown(database=self.database, trial=trial, now=now, tz=self.settings.tz))

    def home(self) -> None:
        """The person's App Home tab, as Slack would show it when they open it."""
        self.slack.home_for = self.user
        event = {
            "type": "event_callback",
            "token": "console",
            "team_id": "TCONSOLE",
            "api_app_id": "ACONSOLE",
            "event": {"type": "app_home_opened", "user": self.user, "tab": "home"},
            "event_id": f"EvConsole{time.time_ns()}",
            "event_time": int(time.time()),
        }
        self.app.dispatch(
            SlackRequest(body=json.dumps(event), headers={"content-type": ["application/json"]})
        )
        self._show()

    def when(self, typed: str) -> datetime:
        """`14/12 9am`, `monday 9:00`, `2026-12-14T09:00` or nothing (now): the commands'
        own dates and times, in TIMEZONE."""
        tz = self.settings.tz
        if not typed:
            return datetime.now(tz)
        try:
            at = datetime.fromisoformat(typed)
        except ValueError:
            day, clock = split_date_time(tokenize(typed), today=datetime.now(tz).date())
            return local_datetime(day, clock, tz)
        return at if at.tzinfo is not None else local_datetime(at.date(), at.time(), tz)

    def remind(self, typed: str) -> None:
        try:
            now = self.when(typed)
        except ParseError as error:
            self.say(_("⚠ {message} For example: :remind 14/12 9am").format(message=error.message))
            return
        result = sweep(
            now=now,
            database=self.database,
            client=None,
            settings=self.settings,
            me=process_name(),
            dry_run=True,
        )
        self.say(
            _("At {when} the scheduler would send {count}:").format(
                when=format_datetime(now, self.settings.tz), count=len(result.lines)
            )
        )
        for line in result.lines:  # people by their handles, as in the rest of the console
            self.say("  " + PERSON.sub(lambda found: "@" + self.name_of(found[0]), line))

    def run(self) -> int:
        self.say(_("advisory-bot console. :help for help, :quit to leave."))
        threading.Thread(target=self._print_late, name="console-late", daemon=True).start()
        while True:
            line = self.read(
                _("@{name_of} in {channel_label}> ").format(
                    name_of=self.name_of(self.user), channel_label=self.channel_label()
                )
            )
            if line is None or line in (":quit", ":q", ":exit"):
                self._closed.set()
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
                    self.say(_("You are now @{name_of}.").format(name_of=self.name_of(user)))
                else:
                    self.say(
                        _("I don't know {line}. Try a handle like @aroha.gor.").format(
                            line=line[4:].strip()
                        )
                    )
            elif line.startswith(":channel "):
                self.channel = self.channel_named(line[9:].strip())
                self.say(
                    _("You are now in {channel_label}.").format(channel_label=self.channel_label())
                )
            elif line.startswith(":remind"):
                self.remind(line[7:].strip())
            elif line == ":home":
                self.home()
            elif line == ":canvas":
                self.canvas()
            elif line == ":help":
                self.say(_(HELP))
            else:
                self.say(_("Type a slash command (e.g. /task list), a button's number, or :help."))
