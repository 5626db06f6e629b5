"""What every listener is handed: the settings, the database, the clock, and the asker."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property, partial
from typing import Any, TypeVar

from slack_bolt import Respond
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from handlers.background import Background
from handlers.permissions import Action, Actor, require
from models import languages
from models.db import Database
from models.errors import UserError
from models.groups import Group, linked_trial_id, load_group
from models.inbox import Inbox
from models.passes import Passes
from models.programme import Programme
from models.tables import Trial
from models.tasks import active_member
from models.types import Language, utcnow
from slack_api import canvases
from slack_api.reply import post
from ui import i18n
from ui.blocks.common import Message
from ui.command_names import CommandNames
from ui.formatting import said
from ui.i18n import _

T = TypeVar("T")
log = logging.getLogger("advisory_bot.passes")


class Clicks:
    """The buttons whose clicks change records, by action_id (or its pattern), so that a
    click one instance kept in the inbox can be made by any."""

    def __init__(self) -> None:
        self._wired: list[tuple[str | re.Pattern[str], Callable[..., Any]]] = []

    def add(self, action_id: str | re.Pattern[str], work: Callable[..., Any]) -> None:
        self._wired.append((action_id, work))

    def find(self, action_id: str) -> tuple[str | re.Pattern[str], Callable[..., Any]] | None:
        """The button `action_id` is, as wired, and its work."""
        for wired, work in self._wired:
            if wired == action_id if isinstance(wired, str) else wired.match(action_id):
                return wired, work
        return None


class Forms:
    """The forms whose submissions change records, by callback_id: how each is saved and
    how the group is then told, so that a submission one instance kept can be made by any."""

    def __init__(self) -> None:
        self._wired: dict[str, tuple[Callable[..., Any], Callable[..., None]]] = {}

    def add(self, callback_id: str, save: Callable[..., Any], after: Callable[..., None]) -> None:
        self._wired[callback_id] = (save, after)

    def find(self, callback_id: str) -> tuple[Callable[..., Any], Callable[..., None]] | None:
        return self._wired.get(callback_id)


CANVAS_PASS = "canvas:"  # the pass that rewrites a channel's canvas: canvas:<channel>
PASS_ROUNDS = 1.0  # seconds between each instance's looks for passes due


@dataclass(frozen=True)
class Services:
    """Shared by all listeners of one app."""

    settings: Programme
    database: Database
    clock: Callable[[], datetime]
    # The app's own client (one pace for every caller), not Bolt's copy for each request.
    client: WebClient
    background: Background
    inbox: Inbox  # changes between their ack and their making
    names: CommandNames = field(default_factory=CommandNames)  # /task, or /sst-task
    canvas_window: float = 10.0  # seconds: changes within it make one canvas edit
    home_spacing: float = 2.0  # seconds: a person's App Home is published at most this often
    # What each person's App Home was last published showing (a digest of its view), so a
    # change that leaves it as it was sends nothing (a progress note, another's task).
    homes_shown: dict[str, str] = field(default_factory=dict)
    clicks: Clicks = field(default_factory=Clicks)
    forms: Forms = field(default_factory=Forms)

    @cached_property
    def passes(self) -> Passes:
        """Passes due, shared with every instance on the database."""
        return Passes(self.inbox)

    def canvas_changed(self, channel_id: str | None) -> None:
        """Something the channel's canvas shows has changed: it is rewritten within the
        window, in one pass for every change meanwhile, by whichever instance claims it."""
        if channel_id is None:
            return
        try:
            self.passes.ask(
                CANVAS_PASS + channel_id, now=utcnow(), window=timedelta(seconds=self.canvas_window)
            )
        except SQLAlchemyError:  # the nightly refresh brings it up to date
            log.warning("Could not ask for a canvas pass for %s", channel_id, exc_info=True)

    def run_due_passes(self) -> None:
        """Claim the passes due now and run each on the pool for slow work. While the
        database is down, nothing is claimed (and /healthz says so, not this log)."""
        try:
            due = self.passes.claim(now=utcnow())
        except SQLAlchemyError:
            log.debug("Could not look for passes due", exc_info=True)
            return
        for key in due:
            if key.startswith(CANVAS_PASS):
                self.background.slowly(partial(self._canvas_pass, key))
            else:  # a pass this bot no longer makes
                self.passes.ran(key, now=utcnow(), window=timedelta(0))

    def _canvas_pass(self, key: str) -> None:
        try:
            self.publish_canvas(key.removeprefix(CANVAS_PASS))
        finally:
            window = timedelta(seconds=self.canvas_window)
            self.passes.ran(key, now=utcnow(), window=window)

    def publish_canvas(self, channel_id: str, *, retry: bool = False) -> canvases.Published:
        with self.database.session(write=False) as session:
            trial = session.exec(select(Trial).where(Trial.channel_id == channel_id)).first()
        if trial is None or trial.id is None:
            return canvases.Published()
        return canvases.publish(
            client=self.client,
            database=self.database,
            trial_id=trial.id,
            now=self.clock(),
            tz=self.settings.tz,
            retry=retry,
        )

    def now(self) -> datetime:
        """The current time in the programme's time zone."""
        return self.clock().astimezone(self.settings.tz)

    def today(self) -> date:
        return self.now().date()


@dataclass(frozen=True)
class Asker:
    """Who typed a command, and where."""

    user_id: str
    channel_id: str | None  # None for App Home and direct messages
    handle: str | None
    services: Services
    client: WebClient
    trigger_id: str | None = None  # for opening a form, within 3 s of the command or click
    respond: Respond | None = None  # for a word before a slow reply

    def announce(self, channel: str, message: Message) -> None:
        """Post to a channel after the reply (the change it reports is saved already)."""
        client = self.client
        self.services.background.sending(lambda: post(client, channel, message))

    @cached_property
    def _languages(self) -> tuple[Language, Language | None]:
        """The person's language and the channel's (None: no trial is linked to it), as
        the command found them."""
        with self.services.database.lookup() as session:
            return languages.of_asker(
                session=session, user_id=self.user_id, channel_id=self.channel_id
            )

    @property
    def in_linked_channel(self) -> bool:
        """Whether the channel was linked to a trial when the command came, if that is
        known already (a command can link its own channel, never unlink it)."""
        return "_languages" in self.__dict__ and self._languages[1] is not None

    @contextmanager
    def voice(self) -> Iterator[None]:
        """Build replies in this person's language, and what is posted for the channel in
        the channel's."""
        person, channel = self._languages
        with i18n.speaking(person, channel=channel):
            yield

    def spoken(self, work: Callable[[], T]) -> Callable[[], T]:
        """`work`, run in this person's voice."""

        def run() -> T:
            with self.voice():
                return work()

        return run

    @property
    def actor(self) -> Actor:
        return Actor(self.user_id, self.services.settings.is_director(self.user_id))

    def require(self, action: Action, group: Group, *, owner_user_id: str | None = None) -> None:
        """Refuse, naming who may, unless this person may take the action here."""
        require(
            action,
            actor=self.actor,
            group=group,
            directors=self.services.settings.director_user_ids,
            owner_user_id=owner_user_id,
            tz=self.services.settings.tz,
        )


def asker_from_command(
    command: dict[str, str], services: Services, respond: Respond | None = None
) -> Asker:
    return Asker(
        user_id=command["user_id"],
        channel_id=command["channel_id"],
        handle=command.get("user_name"),
        services=services,
        client=services.client,
        trigger_id=command.get("trigger_id"),
        respond=respond,
    )


def asker_from_action(
    body: dict[str, Any], services: Services, respond: Respond | None = None
) -> Asker:
    """The person who clicked a button or submitted a modal."""
    user = body.get("user") or {}
    channel = (body.get("channel") or {}).get("id")
    return Asker(
        user_id=user["id"],
        channel_id=channel,
        handle=user.get("username") or user.get("name"),
        services=services,
        client=services.client,
        trigger_id=body.get("trigger_id"),
        respond=respond,
    )


def for_here(asker: Asker, message: Message) -> Message:
    """What is posted in a DM or in a channel linked to no trial is only for the person who
    asked (the Director's own channel excepted): nobody else there belongs to the group.
    The commands it names are named as this workspace types them."""
    message = asker.services.names.message(message)
    if not message.in_channel or asker.channel_id is None:
        return message
    settings = asker.services.settings
    if asker.actor.is_director and asker.channel_id == settings.director_channel_id:
        return message
    if asker.in_linked_channel:
        return message
    with asker.services.database.session(write=False) as session:
        trial_id = linked_trial_id(session=session, channel_id=asker.channel_id)
    return message if trial_id is not None else replace(message, in_channel=False)


def only_for_asker(message: Message) -> Message:
    """The same reply, seen only by the person who asked."""
    return replace(message, in_channel=False)


def linked(asker: Asker, session: Session) -> tuple[Group, Trial]:
    """The channel's group and trial; refused with how to link it if there is none."""
    group = load_group(session=session, user_id=asker.user_id, channel_id=asker.channel_id)
    if group.trial is None:
        raise UserError(
            _(
                "This channel isn't linked to a trial yet. The Director can link it with "
                "`/group setup <Trial name>`."
            )
        )
    return group, group.trial


def in_this_trial(asker: Asker, session: Session, trial_id: int, reference: str) -> Trial:
    """The trial a referenced thing belongs to, if the person may see it from here: in a
    trial's channel, that trial's records; in a DM or an unlinked channel, the records of
    the trials they belong to (the Director: all). Refused otherwise."""
    trial = session.get(Trial, trial_id)
    assert trial is not None  # a foreign key guarantees it
    if asker.channel_id is not None and trial.channel_id == asker.channel_id:
        return trial
    here = (
        load_group(session=session, user_id=asker.user_id, channel_id=asker.channel_id)
        if asker.channel_id is not None
        else None
    )
    if here is not None and here.trial is not None:
        where = (
            _(" Use it in {trial}'s channel (<#{channel_id}>).").format(
                trial=said(trial.name), channel_id=trial.channel_id
            )
            if trial.channel_id
            else ""
        )
        raise UserError(
            _("{reference} belongs to {trial}, not {trial2}.{where}").format(
                reference=reference,
                trial=said(trial.name),
                trial2=said(here.trial.name),
                where=where,
            )
        )
    if asker.actor.is_director or active_member(
        session=session, trial=trial, user_id=asker.user_id
    ):
        return trial
    raise UserError(
        _("There is no {reference} in the trials you belong to.").format(reference=reference)
    )
