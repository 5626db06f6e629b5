"""Changing tasks, the same way from a slash command, a button or a modal: find the
task, check it belongs where it was asked about, check permission, change, and tell
the group and the people whose App Home shows it."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from functools import partial

from slack_sdk.errors import SlackApiError, SlackRequestError
from sqlmodel import Session

from handlers.context import Asker, in_this_trial
from handlers.permissions import Action
from models import groups, languages, tasks
from models.errors import ParseError, UserError
from models.home import deadlines_of, meetings_of, memberships_of
from models.tables import Member, Task, Trial
from models.types import TaskStatus, UpdateSource
from ui import i18n
from ui.blocks.home import home_view
from ui.blocks.tasks import update_note
from ui.formatting import mention, said
from ui.i18n import _
from ui.parsing import Token, is_mention, parse_mention, parse_reference

log = logging.getLogger("advisory_bot.tasks")

HOME_TASK_LIMIT = 35  # two blocks each, within a view's 100 with the rest


@dataclass(frozen=True)
class TaskChange:
    row: tasks.TaskRow
    changed: bool
    first_done: bool
    text: str


def member_named(asker: Asker, session: Session, trial: Trial, token: Token) -> Member:
    """The active member a mention names; refused if they're not in the group."""
    if not is_mention(token):
        raise ParseError(
            _("“{text}” is not a person. Mention them with @.").format(text=token.text[:40])
        )
    user_id, _ignored = groups.resolve_person(
        session=session, trial=trial, mention=parse_mention(token.text)
    )
    member = tasks.active_member(session=session, trial=trial, user_id=user_id)
    if member is None:
        raise UserError(
            _(
                "{person} isn't in the {trial} group. The lead can add them with `/group add`."
            ).format(person=mention(user_id), trial=said(trial.name))
        )
    return member


def one_task(tokens: list[Token], example: str) -> int:
    if not tokens:
        raise ParseError(_("Say which task."), example=example)
    return parse_reference(tokens[0].text, "T").number


def locate(asker: Asker, session: Session, task: Task) -> Trial:
    """The task's trial; refused if the command came from another trial's channel."""
    return in_this_trial(asker, session, task.trial_id, f"T-{task.id}")


def owner_of(session: Session, task: Task) -> str:
    owner = session.get(Member, task.owner_member_id)
    return owner.slack_user_id if owner else ""


def update_task(
    asker: Asker,
    *,
    task_id: int,
    text: str,
    status: TaskStatus | None,
    percent: int | None,
    source: UpdateSource,
) -> TaskChange:
    """Record a progress update (or completion) if the asker may."""
    with asker.services.database.session() as session:
        task = tasks.get_task(session=session, number=task_id, lock=True)
        trial = locate(asker, session, task)
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        asker.require(Action.EDIT_TASK, group, owner_user_id=owner_of(session, task))
        result = tasks.record_update(
            session=session,
            task=task,
            author_user_id=asker.user_id,
            text=text,
            status=status,
            percent=percent,
            source=source,
        )
        row = tasks.task_row(session=session, task_id=task_id)
    if result.changed:  # from a command, a button, App Home or a form: the canvas follows
        asker.services.canvas_changed(row.channel_id)
    first_done = result.changed and row.status == TaskStatus.DONE.value
    return TaskChange(row=row, changed=result.changed, first_done=first_done, text=text)


def already_done(change: TaskChange) -> str:
    return _("{reference} is already done. Nothing changed.").format(reference=change.row.reference)


def announce(asker: Asker, change: TaskChange) -> None:
    """Post the short note in the trial's channel (for buttons and modals)."""
    if change.row.channel_id:
        asker.announce(
            change.row.channel_id,
            update_note(change.row, asker.user_id, change.text, first_done=change.first_done),
        )


def refresh_home(asker: Asker, user_ids: set[str], *, opened: bool = False) -> None:
    """Republish, after the reply, the App Home of everyone whose open tasks just changed:
    at once after a lone change, and at most every `home_spacing` seconds through a burst
    (each publish reads the database as it is then, so none is missed). A Home the
    person has just `opened` is published at once."""
    services = asker.services
    spacing = 0.0 if opened else services.home_spacing
    for user_id in sorted(u for u in user_ids if u):
        services.background.paced(
            ("home", user_id), spacing, partial(publish_home, asker, user_id, again=opened)
        )


def publish_home(asker: Asker, user_id: str, *, again: bool = False) -> None:
    """Build and publish one person's App Home from the database as it is now; a Home
    that would show what it shows already is not sent again, unless `again` (the person
    has just opened it: Slack may have lost it)."""
    services = asker.services
    with services.database.session(write=False) as session:
        memberships = memberships_of(session=session, user_id=user_id)
        open_tasks = tasks.open_tasks_of(
            session=session, user_id=user_id, limit=HOME_TASK_LIMIT + 1
        )
        deadlines = deadlines_of(session=session, user_id=user_id)
        meetings = meetings_of(session=session, user_id=user_id, now=services.now())
        language = languages.of_person(session=session, user_id=user_id)
    with i18n.speaking(language):  # the person's own, whoever's change brought it here
        view = home_view(
            memberships,
            open_tasks,
            services.today(),
            deadlines=deadlines,
            meetings=meetings,
            tz=services.settings.tz,
            limit=HOME_TASK_LIMIT,
        )
    shown = hashlib.sha256(json.dumps(view).encode()).hexdigest()
    if not again and services.homes_shown.get(user_id) == shown:
        return
    try:
        asker.client.views_publish(user_id=user_id, view=view)
    except (SlackApiError, SlackRequestError) as error:
        services.homes_shown.pop(user_id, None)
        log.warning("Could not publish the App Home of %s: %s", user_id, error)
        return
    services.homes_shown[user_id] = shown
