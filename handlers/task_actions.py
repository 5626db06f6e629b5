"""Buttons on task messages and App Home, and the task modals' submissions.

A modal's errors go back beside the input (`response_action: errors`), so its
submission is checked and saved before the ack; that is database work of milliseconds.
"""

from __future__ import annotations

import json
import logging
import re
from functools import partial
from typing import Any

from slack_bolt import App

from handlers.context import Asker, Services
from handlers.errors import message_for
from handlers.listeners import on_click, on_form
from handlers.permissions import Action
from handlers.task_ops import (
    TaskChange,
    already_done,
    announce,
    refresh_home,
    update_task,
)
from handlers.tasks import list_tasks, show
from handlers.updates import open_modal, parse_percent
from models import groups, meetings, tasks
from models.errors import FieldError, ParseError, UserError
from models.tables import TITLE_LENGTH, Trial
from models.types import TaskStatus, UpdateSource
from slack_api.reply import send, tell
from ui.blocks import ids
from ui.blocks import tasks as blocks
from ui.blocks.common import Message, notice
from ui.formatting import said
from ui.i18n import _
from ui.parsing import parse_date_to_come, parse_title, tokenize

log = logging.getLogger("advisory_bot.actions")


def source_of(body: dict[str, Any]) -> UpdateSource:
    """Answers to the weekly check-in are recorded as check-ins; other clicks as buttons."""
    block_id = (body.get("actions") or [{}])[0].get("block_id", "")
    return (
        UpdateSource.CHECKIN
        if block_id.startswith(ids.CHECKIN_BLOCK_PREFIX)
        else UpdateSource.BUTTON
    )


def clicked(
    asker: Asker, task_id: int, status: TaskStatus, source: UpdateSource = UpdateSource.BUTTON
) -> Message:
    change: TaskChange = update_task(
        asker, task_id=task_id, text="", status=status, percent=None, source=source
    )
    if not change.changed:
        return notice(already_done(change))
    announce(asker, change)
    refresh_home(asker, {change.row.owner_user_id})
    word = "done" if change.first_done else blocks.STATUS_WORDS[change.row.status]
    return notice(_("{reference} is now {word}.").format(reference=change.row.reference, word=word))


def status_chosen(asker: Asker, action: dict[str, Any], body: dict[str, Any]) -> Message:
    """On track / At risk / Blocked: the button's value is `<status>:<task id>`."""
    status, _ignored, number = action["value"].partition(":")
    return clicked(asker, int(number), TaskStatus(status), source_of(body))


def _menu_verb(action: dict[str, Any]) -> str:
    return str(action.get("selected_option", {}).get("value", "")).partition(":")[0]


def menu_choice(asker: Asker, value: str, trigger_id: str) -> Message | None:
    verb, _ignored, number = value.partition(":")
    task_id = int(number)
    if verb == "done":
        return clicked(asker, task_id, TaskStatus.DONE)
    if verb == "update":
        open_modal(asker, trigger_id, task_id)
        return None
    if verb == "show":
        return show(asker, tokenize(f"T-{task_id}"))
    return clicked(asker, task_id, TaskStatus(verb))


def _value(view: dict[str, Any], block: str, action: str) -> Any:
    return view["state"]["values"].get(block, {}).get(action, {})


def save_update(asker: Asker, view: dict[str, Any]) -> TaskChange:
    metadata = json.loads(view.get("private_metadata") or "{}")
    selected = _value(view, ids.UPDATE_TASK_BLOCK, ids.UPDATE_TASK_INPUT).get("selected_option")
    if not selected:
        raise FieldError(ids.UPDATE_TASK_BLOCK, _("Choose a task."))
    status = _value(view, ids.UPDATE_STATUS_BLOCK, ids.UPDATE_STATUS_INPUT).get("selected_option")
    percent_text = _value(view, ids.UPDATE_PERCENT_BLOCK, ids.UPDATE_PERCENT_INPUT).get("value")
    text = _value(view, ids.UPDATE_TEXT_BLOCK, ids.UPDATE_TEXT_INPUT).get("value") or ""
    try:
        percent = parse_percent(percent_text) if percent_text else None
    except ParseError as error:
        raise FieldError(ids.UPDATE_PERCENT_BLOCK, error.message) from error
    try:
        text = parse_title(text, what="update", limit=2900)
    except ParseError as error:
        raise FieldError(ids.UPDATE_TEXT_BLOCK, error.message) from error
    change = update_task(
        asker,
        task_id=int(selected["value"]),
        text=text,
        status=TaskStatus(status["value"]) if status else None,
        percent=percent,
        source=UpdateSource(metadata.get("source", UpdateSource.MODAL.value)),
    )
    if not change.changed:
        raise FieldError(ids.UPDATE_STATUS_BLOCK, already_done(change))
    return change


def save_new_task(asker: Asker, view: dict[str, Any]) -> tasks.TaskRow:
    metadata = json.loads(view.get("private_metadata") or "{}")
    title_text = _value(view, ids.CREATE_TITLE_BLOCK, ids.CREATE_TITLE_INPUT).get("value") or ""
    owner_id = _value(view, ids.CREATE_OWNER_BLOCK, ids.CREATE_OWNER_INPUT).get("selected_user")
    due_text = _value(view, ids.CREATE_DUE_BLOCK, ids.CREATE_DUE_INPUT).get("value")
    outcome_text = _value(view, ids.CREATE_OUTCOME_BLOCK, ids.CREATE_OUTCOME_INPUT).get("value")
    try:
        title = parse_title(title_text, what=_("task title"), limit=TITLE_LENGTH)
    except ParseError as error:
        raise FieldError(ids.CREATE_TITLE_BLOCK, error.message) from error
    try:
        due = (
            parse_date_to_come(due_text, today=asker.services.today(), past_with_year=True)
            if due_text
            else None
        )
    except ParseError as error:
        raise FieldError(ids.CREATE_DUE_BLOCK, error.message) from error
    with asker.services.database.session() as session:
        trial = session.get(Trial, metadata.get("trial"))
        if trial is None:
            raise UserError(_("That trial no longer exists."))
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        asker.require(Action.ADD_TASK, group)
        source = metadata.get("from")
        if source is not None:
            _ignored, meeting = meetings.get_item(session=session, number=int(source))
            if meeting.trial_id != trial.id:
                raise UserError(
                    _("A-{source} is not an agenda item of {trial}.").format(
                        source=source, trial=said(trial.name)
                    )
                )
        owner = tasks.active_member(session=session, trial=trial, user_id=owner_id or "")
        if owner is None:
            raise FieldError(
                ids.CREATE_OWNER_BLOCK,
                _(
                    "That person isn't in the {trial} group. The lead can add them with /group add."
                ).format(trial=said(trial.name)),
            )
        outcome = None
        if outcome_text and outcome_text.strip():
            try:
                outcome = tasks.outcome_for(
                    session=session,
                    trial=trial,
                    name=parse_title(outcome_text, what="outcome"),
                    actor_user_id=asker.user_id,
                )
            except UserError as error:
                raise FieldError(ids.CREATE_OUTCOME_BLOCK, error.message) from error
        task = tasks.add_task(
            session=session,
            trial=trial,
            title=title,
            owner=owner,
            due_date=due,
            outcome=outcome,
            actor_user_id=asker.user_id,
            source_agenda_item_id=source,
        )
        return tasks.task_row(session=session, task_id=task.id)  # type: ignore[arg-type]


def announce_change(asker: Asker, change: TaskChange) -> None:
    announce(asker, change)
    refresh_home(asker, {change.row.owner_user_id})


def announce_task(asker: Asker, row: tasks.TaskRow) -> None:
    """Show the group a task made in the modal, and its owner their App Home."""
    if row.channel_id:
        asker.announce(
            row.channel_id,
            blocks.task_card(
                row,
                asker.services.today(),
                asker.services.settings.tz,
                in_channel=True,
                lead_in=_("<@{user_id}> added a task to the Action Plan.").format(
                    user_id=asker.user_id
                ),
            ),
        )
    refresh_home(asker, {row.owner_user_id})


def page_turned(asker: Asker, action: dict[str, Any], body: dict[str, Any]) -> None:
    """Another page of a task list, in place of this one (or why there is none)."""
    wanted = json.loads(action["value"])
    respond = asker.respond
    assert respond is not None
    try:
        page = list_tasks(asker, tokenize(wanted["q"]), page=int(wanted["p"]))
    except Exception as error:
        tell(
            asker.client, asker.user_id, respond, body, message_for(error, what=_("task list page"))
        )
        return
    send(respond, asker.services.names.message(page), replace_original=True)


def register(app: App, services: Services) -> None:
    """Wire the task buttons and modals into the app."""

    on_click(
        app,
        ids.TASK_DONE,
        services,
        lambda asker, action, body: clicked(
            asker, int(action["value"]), TaskStatus.DONE, source_of(body)
        ),
    )
    on_click(app, re.compile(f"^{ids.TASK_STATUS}_"), services, status_chosen)
    on_click(
        app,
        ids.TASK_ADD_UPDATE,
        services,
        lambda asker, action, body: open_modal(
            asker, body["trigger_id"], int(action["value"]), source=source_of(body)
        ),
        changes=False,
    )
    on_click(
        app,
        ids.TASK_MENU,
        services,
        lambda asker, action, body: menu_choice(
            asker, action["selected_option"]["value"], body["trigger_id"]
        ),
        changes=lambda action: _menu_verb(action) not in ("update", "show"),
    )

    on_click(app, re.compile(f"^{ids.TASK_LIST_PAGE}"), services, page_turned, changes=False)

    on_form(
        app,
        ids.UPDATE_VIEW,
        services,
        save_update,
        lambda asker, change: services.background.soon(partial(announce_change, asker, change)),
        field=ids.UPDATE_TEXT_BLOCK,
    )
    on_form(
        app, ids.CREATE_TASK_VIEW, services, save_new_task, task_added, field=ids.CREATE_TITLE_BLOCK
    )


def task_added(asker: Asker, row: tasks.TaskRow) -> None:
    """A task made in the form: the canvas follows, and the group is told."""
    asker.services.canvas_changed(row.channel_id)
    asker.services.background.soon(partial(announce_task, asker, row))
