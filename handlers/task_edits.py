"""Second thoughts about a task: another owner, another due date, a new title, or off the
plan altogether. Each by the owner or the lead, audited."""

from __future__ import annotations

from handlers.context import Asker
from handlers.permissions import Action
from handlers.task_ops import (
    locate,
    member_named,
    one_task,
    owner_of,
    refresh_home,
    update_task,
)
from models import groups, tasks
from models.errors import ParseError
from models.tables import TITLE_LENGTH
from models.types import TaskStatus, UpdateSource
from ui.blocks.common import Message, notice
from ui.formatting import format_date, mention, said
from ui.i18n import _
from ui.parsing import Token, join, parse_date_to_come, parse_title


def assign(asker: Asker, tokens: list[Token]) -> Message:
    """Owner or lead: give a task to someone else in the group."""
    example = "/task assign T-12 @aroha"
    task_id = one_task(tokens, example)
    if len(tokens) != 2:
        raise ParseError(_("Say who should own it."), example=example)
    with asker.services.database.session() as session:
        task = tasks.get_task(session=session, number=task_id, lock=True)
        trial = locate(asker, session, task)
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        asker.require(Action.EDIT_TASK, group, owner_user_id=owner_of(session, task))
        owner = member_named(asker, session, trial, tokens[1])
        previous = tasks.assign_task(
            session=session, task=task, owner=owner, actor_user_id=asker.user_id
        )
    if previous is None:
        return notice(
            _("T-{task_id} is already {person}'s. Nothing changed.").format(
                task_id=task_id, person=mention(owner.slack_user_id)
            )
        )
    refresh_home(asker, {previous, owner.slack_user_id})
    return notice(
        _("{person} gave *T-{task_id}* {title} to {person2}").format(
            person=mention(asker.user_id),
            task_id=task_id,
            title=said(task.title),
            person2=mention(owner.slack_user_id),
        )
        + (_(" (was {person}).").format(person=mention(previous)) if previous else "."),
        in_channel=True,
    )


def due(asker: Asker, tokens: list[Token]) -> Message:
    """Owner or lead: move a task's due date (`none` clears it)."""
    example = "/task due T-12 next friday"
    task_id = one_task(tokens, example)
    if len(tokens) < 2:
        raise ParseError(_("Say the new due date."), example=example)
    today = asker.services.today()
    words = join(tokens[1:])
    new_due = (
        None
        if words.lower() in ("none", "never", "-")
        else parse_date_to_come(words, today=today, example=example, past_with_year=True)
    )
    with asker.services.database.session() as session:
        task = tasks.get_task(session=session, number=task_id, lock=True)
        trial = locate(asker, session, task)
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        owner = owner_of(session, task)
        asker.require(Action.EDIT_TASK, group, owner_user_id=owner)
        tasks.set_due(session=session, task=task, due_date=new_due, actor_user_id=asker.user_id)
    refresh_home(asker, {owner})
    when = format_date(new_due) if new_due else _("no date")
    late = (
        _(" That date has passed, so it shows as overdue.") if new_due and new_due < today else ""
    )
    return notice(
        _("*T-{task_id}* {title} is now due {when}.{late}").format(
            task_id=task_id, title=said(task.title), when=when, late=late
        ),
        in_channel=True,
    )


def rename(asker: Asker, tokens: list[Token]) -> Message:
    """Owner or lead: give a task a new title (the old one stays in the audit log)."""
    example = "/task rename T-12 Hire a school attendance officer"
    task_id = one_task(tokens, example)
    if len(tokens) < 2:
        raise ParseError(_("Give the new title after the task."), example=example)
    title = parse_title(join(tokens[1:]), what=_("task title"), limit=TITLE_LENGTH)
    with asker.services.database.session() as session:
        task = tasks.get_task(session=session, number=task_id, lock=True)
        trial = locate(asker, session, task)
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        owner = owner_of(session, task)
        asker.require(Action.EDIT_TASK, group, owner_user_id=owner)
        previous = tasks.rename_task(
            session=session, task=task, title=title, actor_user_id=asker.user_id
        )
    refresh_home(asker, {owner})
    return notice(
        _(":pencil2: {person} renamed *T-{task_id}* “{previous}” to “{title}”.").format(
            person=mention(asker.user_id),
            task_id=task_id,
            previous=said(previous),
            title=said(title),
        ),
        in_channel=True,
    )


def drop(asker: Asker, tokens: list[Token]) -> Message:
    """Owner or lead: drop a task from the plan (kept in its history, out of open lists)."""
    example = "/task drop T-12 The school runs its own programme now"
    task_id = one_task(tokens, example)
    reason = parse_title(join(tokens[1:]), what="reason", limit=2900) if len(tokens) > 1 else ""
    change = update_task(
        asker,
        task_id=task_id,
        text=reason,
        status=TaskStatus.DROPPED,
        percent=None,
        source=UpdateSource.COMMAND,
    )
    if not change.changed:
        return notice(
            _("*T-{task_id}* was dropped already. Nothing changed.").format(task_id=task_id)
        )
    refresh_home(asker, {change.row.owner_user_id})
    why = f"\n> {said(reason)}" if reason else ""
    return notice(
        _(
            ":wastebasket: {person} dropped *T-{task_id}* {title} from the Action "
            "Plan; it stays in its history (`/task show T-{task_id}`).{why}"
        ).format(
            person=mention(asker.user_id), task_id=task_id, title=said(change.row.title), why=why
        ),
        in_channel=True,
    )
