"""Modals: the progress update form and the new-task form."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from models.tasks import TaskRow
from models.types import TaskStatus
from ui.blocks import ids
from ui.blocks.common import truncate
from ui.blocks.tasks import STATUS_WORDS
from ui.i18n import _

MAX_OPTIONS = 100
UPDATE_STATUSES = (TaskStatus.ON_TRACK, TaskStatus.AT_RISK, TaskStatus.BLOCKED, TaskStatus.DONE)


def _status_option(status: str) -> Option:
    return Option(text=STATUS_WORDS[status].capitalize(), value=status)


def update_modal(tasks: list[TaskRow], *, selected: int | None, metadata: str) -> dict[str, Any]:
    """Pick one of your open tasks; status, percent and what happened."""
    options = [
        Option(text=truncate(f"{t.reference} · {t.title}", 75), value=str(t.id))
        for t in tasks[:MAX_OPTIONS]
    ]
    chosen = next((t for t in tasks if t.id == selected), None)
    initial_task = next((o for o in options if o.value == str(selected)), None)
    current = chosen.status if chosen and chosen.status in STATUS_WORDS else "on-track"
    if current not in {s.value for s in UPDATE_STATUSES}:
        current = "on-track"
    blocks = [
        InputBlock(
            block_id=ids.UPDATE_TASK_BLOCK,
            label="Task",
            element=StaticSelectElement(
                action_id=ids.UPDATE_TASK_INPUT,
                options=options,
                initial_option=initial_task,
                placeholder=_("Choose a task"),
            ),
        ),
        InputBlock(
            block_id=ids.UPDATE_STATUS_BLOCK,
            label="Status",
            element=StaticSelectElement(
                action_id=ids.UPDATE_STATUS_INPUT,
                options=[_status_option(s.value) for s in UPDATE_STATUSES],
                initial_option=_status_option(current),
            ),
        ),
        InputBlock(
            block_id=ids.UPDATE_PERCENT_BLOCK,
            label=_("Percent complete"),
            optional=True,
            element=PlainTextInputElement(
                action_id=ids.UPDATE_PERCENT_INPUT,
                placeholder="e.g. 40",
                initial_value=str(chosen.percent) if chosen else None,
                max_length=4,
            ),
        ),
        InputBlock(
            block_id=ids.UPDATE_TEXT_BLOCK,
            label=_("What happened?"),
            element=PlainTextInputElement(
                action_id=ids.UPDATE_TEXT_INPUT,
                multiline=True,
                max_length=2900,
                placeholder=_("Two schools signed up; waiting on the third."),
            ),
        ),
    ]
    return View(
        type="modal",
        callback_id=ids.UPDATE_VIEW,
        title=_("Progress update"),
        submit="Save",
        close="Cancel",
        blocks=blocks,
        private_metadata=metadata,
    ).to_dict()


def create_task_modal(
    *, author_user_id: str, outcomes: list[str], metadata: str, title: str | None = None
) -> dict[str, Any]:
    """A new Action Plan task: title, owner, due date, outcome."""
    existing = ", ".join(outcomes)
    outcome_hint = (
        truncate(
            _("Existing: {existing}. A new name adds an outcome.").format(existing=existing), 2000
        )
        if outcomes
        else _("A new name adds an outcome to the Action Plan.")
    )
    blocks = [
        InputBlock(
            block_id=ids.CREATE_TITLE_BLOCK,
            label="Title",
            element=PlainTextInputElement(
                action_id=ids.CREATE_TITLE_INPUT,
                max_length=200,
                initial_value=title,
                placeholder=_("Hire a truancy officer"),
            ),
        ),
        InputBlock(
            block_id=ids.CREATE_OWNER_BLOCK,
            label="Owner",
            element=UserSelectElement(
                action_id=ids.CREATE_OWNER_INPUT,
                initial_user=author_user_id,
                placeholder=_("Who owns it?"),
            ),
        ),
        InputBlock(
            block_id=ids.CREATE_DUE_BLOCK,
            label=_("Due date"),
            optional=True,
            hint=_("Day first: 15/12, 15 Dec, next friday, 2027-01-31"),
            element=PlainTextInputElement(
                action_id=ids.CREATE_DUE_INPUT, max_length=40, placeholder="15/12"
            ),
        ),
        InputBlock(
            block_id=ids.CREATE_OUTCOME_BLOCK,
            label="Outcome",
            optional=True,
            hint=outcome_hint,
            element=PlainTextInputElement(
                action_id=ids.CREATE_OUTCOME_INPUT, max_length=200, placeholder=_("Reduce truancy")
            ),
        ),
    ]
    return View(
        type="modal",
        callback_id=ids.CREATE_TASK_VIEW,
        title=_("New task"),
        submit=_("Add task"),
        close="Cancel",
        blocks=blocks,
        private_metadata=metadata,
    ).to_dict()
