"""`/task`: the trial's Action Plan."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.agenda import item_here
from handlers.context import Asker, linked
from handlers.permissions import Action
from handlers.programmes import programme_of_trial, programme_text
from handlers.registry import Family, Sub
from handlers.task_edits import assign, drop, due, rename
from handlers.task_ops import (
    already_done,
    locate,
    member_named,
    one_task,
    refresh_home,
    update_task,
)
from models import groups, meetings, tasks
from models.errors import ParseError, UserError
from models.tables import TITLE_LENGTH, ProgrammeItem
from models.types import TaskStatus, UpdateSource
from ui.blocks import tasks as blocks
from ui.blocks.common import Message, notice
from ui.blocks.modals import create_task_modal
from ui.formatting import format_datetime, mention, said
from ui.i18n import N_, _
from ui.parsing import (
    Token,
    is_mention,
    join,
    parse_date_to_come,
    parse_mention,
    parse_title,
    split_keywords,
    take_reference,
)

ADD_EXAMPLE = "/task add Hire a truancy officer owner @hemi due 15/12 outcome Reduce truancy"
PAGE_SIZE = 15


def add(asker: Asker, tokens: list[Token]) -> Message:
    """Member: add a task (owner defaults to the author), perhaps `from A-7` of a meeting."""
    tokens, from_item = take_reference(tokens, "from", "A")
    tokens, of_programme = take_reference(tokens, "programme", "P")
    head, keywords = split_keywords(tokens, {"owner", "due", "outcome"})
    title = (
        parse_title(join(head), what=_("task title"), limit=TITLE_LENGTH)
        if head or not from_item
        else ""
    )
    today = asker.services.today()
    due = (
        parse_date_to_come(
            join(keywords["due"]), today=today, example=ADD_EXAMPLE, past_with_year=True
        )
        if "due" in keywords
        else None
    )
    outcome_name = (
        parse_title(join(keywords["outcome"]), what="outcome", limit=TITLE_LENGTH)
        if "outcome" in keywords
        else None
    )
    if "owner" in keywords and len(keywords["owner"]) > 1:
        raise ParseError(_("A task has one owner."), example=ADD_EXAMPLE)
    with asker.services.database.session() as session:
        group, trial = linked(asker, session)
        asker.require(Action.ADD_TASK, group)
        programme = (
            programme_of_trial(session, trial, of_programme.number) if of_programme else None
        )
        source = None
        if from_item is not None:
            item, _meeting, _trial = item_here(asker, session, from_item.number)
            source, title = item.id, title or item.title
        if "owner" in keywords:
            owner = member_named(asker, session, trial, keywords["owner"][0])
        elif group.me is not None:
            owner = group.me
        else:
            raise UserError(
                _("You're not in the {trial} group, so give the task an owner.").format(
                    trial=said(trial.name)
                ),
                example=ADD_EXAMPLE,
            )
        outcome = (
            tasks.outcome_for(
                session=session, trial=trial, name=outcome_name, actor_user_id=asker.user_id
            )
            if outcome_name
            else None
        )
        task = tasks.add_task(
            session=session,
            trial=trial,
            title=title,
            owner=owner,
            due_date=due,
            outcome=outcome,
            actor_user_id=asker.user_id,
            source_agenda_item_id=source,
            programme_item_id=programme.id if programme else None,
        )
        row = tasks.task_row(session=session, task_id=task.id)  # type: ignore[arg-type]
        origin = origin_text(session, row, asker.services.settings.tz)
        of = programme_text(programme)
    refresh_home(asker, {row.owner_user_id})
    lead_in = _("{person} added a task to the Action Plan.").format(person=mention(asker.user_id))
    if row.overdue(today):
        lead_in += _(" Its due date has already passed, so it shows as overdue.")
    return blocks.task_card(
        row,
        today,
        asker.services.settings.tz,
        in_channel=True,
        lead_in=lead_in,
        origin=origin,
        programme=of,
    )


def list_tasks(asker: Asker, tokens: list[Token], page: int = 1) -> Message:
    """Anyone in the channel: open tasks, or a filtered list."""
    include_closed = False
    overdue_on = None
    owner_user_id = None
    outcome_words: list[Token] = []
    titles: list[str] = []
    rest = list(tokens)
    while rest:
        token = rest.pop(0)
        word = token.text.lower()
        if token.is_word("all"):
            include_closed = True
        elif token.is_word("mine"):
            owner_user_id = asker.user_id
            titles.append("yours")
        elif token.is_word("overdue"):
            overdue_on = asker.services.today()
            titles.append("overdue")
        elif token.is_word("outcome"):
            outcome_words, rest = rest, []
            if not outcome_words:
                raise ParseError(_("Say which outcome."), example="/task list outcome truancy")
        elif is_mention(token):
            owner_user_id = token.text  # resolved below, inside the session
        else:
            raise ParseError(
                _(
                    "I can't list “{word}”. Try `mine`, `overdue`, `@person`, `outcome "
                    "<name>` or `all`."
                ).format(word=word[:40]),
                example="/task list overdue",
            )
    with asker.services.database.session(write=False) as session:
        _group, trial = linked(asker, session)
        if owner_user_id is not None and owner_user_id != asker.user_id:
            owner_user_id, _name = groups.resolve_person(
                session=session, trial=trial, mention=parse_mention(owner_user_id)
            )
            titles.append(_("of {person}").format(person=mention(owner_user_id)))
        outcome_id = None
        if outcome_words:
            name = join(outcome_words)
            outcome = tasks.match_outcome(session=session, trial=trial, name=name)
            if outcome is None:
                known = ", ".join(
                    o.name for o in groups.trial_outcomes(session=session, trial=trial)
                )
                raise UserError(
                    _("No outcome of {trial} matches “{name}”.").format(
                        trial=said(trial.name), name=said(name[:60])
                    )
                    + (_(" Outcomes: {known}.").format(known=known) if known else "")
                )
            outcome_id = outcome.id
            titles.append(_("for “{outcome}”").format(outcome=said(outcome.name)))
        query = tasks.TaskQuery(
            include_closed=include_closed,
            overdue_on=overdue_on,
            owner_user_id=owner_user_id,
            outcome_id=outcome_id,
        )
        result = tasks.list_tasks(
            session=session, trial=trial, query=query, page=page, page_size=PAGE_SIZE
        )
    title = (_("All tasks") if include_closed else _("Open tasks")) + (
        " " + ", ".join(titles) if titles else ""
    )
    return blocks.task_list(
        trial.name, result, asker.services.today(), title=title, arguments=join(tokens)
    )


def origin_text(session: Session, row: tasks.TaskRow, tz: ZoneInfo) -> str | None:
    """`A-7 “Funding” on the agenda of M-5 (Thu 1 Oct 2026, 10:00)`, if it came from one."""
    origin = meetings.origin_of(session=session, item_id=row.source_agenda_item_id)
    if origin is None:
        return None
    return _("A-{item_id} “{item_title}” on the agenda of M-{meeting_id} ({when})").format(
        item_id=origin.item_id,
        item_title=origin.item_title,
        meeting_id=origin.meeting_id,
        when=format_datetime(origin.starts_at, tz),
    )


def show(asker: Asker, tokens: list[Token]) -> Message:
    """Anyone in the channel: a task with its update history."""
    task_id = one_task(tokens, "/task show T-12")
    with asker.services.database.session(write=False) as session:
        task = tasks.get_task(session=session, number=task_id)
        locate(asker, session, task)
        row = tasks.task_row(session=session, task_id=task_id)
        updates, count = tasks.updates_of(session=session, task_id=task_id)
        origin = origin_text(session, row, asker.services.settings.tz)
        of = programme_text(
            session.get(ProgrammeItem, task.programme_item_id) if task.programme_item_id else None
        )
    return blocks.task_card(
        row,
        asker.services.today(),
        asker.services.settings.tz,
        updates=updates,
        update_count=count,
        origin=origin,
        programme=of,
    )


def done(asker: Asker, tokens: list[Token]) -> Message:
    """Owner or lead: mark a task done, with an optional note."""
    task_id = one_task(tokens, "/task done T-12 Officer started Monday")
    note = parse_title(join(tokens[1:]), what="note", limit=2900) if len(tokens) > 1 else ""
    change = update_task(
        asker,
        task_id=task_id,
        text=note,
        status=TaskStatus.DONE,
        percent=None,
        source=UpdateSource.COMMAND,
    )
    if not change.changed:
        return notice(already_done(change))
    refresh_home(asker, {change.row.owner_user_id})
    return blocks.update_note(change.row, asker.user_id, note, first_done=True)


def open_create_modal(asker: Asker, _tokens: list[Token]) -> None:
    """`/task add` with no text: a form for the new task."""
    with asker.services.database.session(write=False) as session:
        group, trial = linked(asker, session)
        asker.require(Action.ADD_TASK, group)
        outcomes = [o.name for o in groups.trial_outcomes(session=session, trial=trial)]
    metadata = json.dumps({"channel": asker.channel_id, "trial": trial.id})
    asker.client.views_open(
        trigger_id=asker.trigger_id,
        view=create_task_modal(author_user_id=asker.user_id, outcomes=outcomes, metadata=metadata),
    )


FAMILY = Family(
    command="/task",
    description="The Action Plan: add, list, show and complete tasks",
    about=N_("The trial's Action Plan: its actions, who owns each, when each is due."),
    default="list",
    subs=(
        Sub(
            "add",
            add,
            (
                (
                    "/task add Hire a truancy officer owner @hemi due 15/12 outcome Reduce truancy",
                    N_(
                        "Add a task (owner defaults to you). Quote a title "
                        "that contains a keyword: "
                        '`/task add "Review due dates" due friday`. With no text, a form opens.'
                    ),
                ),
                (
                    "/task add Recruit the second officer programme P-4",
                    N_("a task of one of the trial's programmes."),
                ),
            ),
            changes=True,
            form=open_create_modal,
        ),
        Sub(
            "list",
            list_tasks,
            (
                (
                    "/task list",
                    N_(
                        "Open tasks. Also: `mine`, `overdue`, `@person`, `outcome truancy`, "
                        "`all` (done ones too)."
                    ),
                ),
            ),
        ),
        Sub("show", show, (("/task show T-12", N_("The task with its update history.")),)),
        Sub(
            "done",
            done,
            (("/task done T-12 Officer started Monday", N_("mark it done.")),),
            who=N_("Owner or lead"),
            changes=True,
        ),
        Sub(
            "assign",
            assign,
            (("/task assign T-12 @aroha", N_("give it to someone else.")),),
            who=N_("Owner or lead"),
            changes=True,
        ),
        Sub(
            "due",
            due,
            (("/task due T-12 next friday", N_("move the due date.")),),
            who=N_("Owner or lead"),
            changes=True,
        ),
        Sub(
            "rename",
            rename,
            (("/task rename T-12 Hire a school attendance officer", N_("give it a new title.")),),
            who=N_("Owner or lead"),
            changes=True,
        ),
        Sub(
            "drop",
            drop,
            (
                (
                    "/task drop T-12 The school runs its own programme now",
                    N_("take it off the plan (it stays in the history)."),
                ),
            ),
            who=N_("Owner or lead"),
            changes=True,
        ),
    ),
)
