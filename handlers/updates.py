"""`/update T-12 [on-track|at-risk|blocked|done] [NN%] <text>`: a progress update."""

from __future__ import annotations

import json
import re

from handlers.context import Asker
from handlers.registry import Family, Sub
from handlers.task_ops import already_done, locate, refresh_home, update_task
from models import tasks
from models.errors import ParseError, UserError
from models.types import TaskStatus, UpdateSource
from ui.blocks import tasks as blocks
from ui.blocks.common import Message, notice
from ui.blocks.modals import update_modal
from ui.i18n import N_, _
from ui.parsing import Token, choice, join, parse_reference, parse_title

EXAMPLE = "/update T-12 at-risk 40% Waiting on the school board"
STATUSES = {
    "on-track": "on-track", "ontrack": "on-track", "on_track": "on-track",
    "at-risk": "at-risk", "atrisk": "at-risk", "at_risk": "at-risk",
    "blocked": "blocked", "done": "done", "finished": "done", "complete": "done",
}  # fmt: skip
PERCENT = re.compile(r"^(\d{1,3})%$")


def parse_percent(text: str) -> int:
    """`40%` or `40` → 40; refused outside 0–100."""
    digits = text.strip().rstrip("%").strip()
    if not digits.isdigit() or int(digits) > 100:
        raise ParseError(
            _("“{text}” is not a percentage. Give a number from 0 to 100.").format(
                text=text.strip()[:20]
            )
        )
    return int(digits)


def parse_update(tokens: list[Token]) -> tuple[int, TaskStatus | None, int | None, str]:
    """The task, the optional status and percent, and the text, in that order."""
    task_id = parse_reference(tokens[0].text, "T").number
    rest = tokens[1:]
    status = None
    if rest and not rest[0].quoted and rest[0].text.lower() in STATUSES:
        status = TaskStatus(choice(rest[0].text, STATUSES, what="status", example=EXAMPLE))
        rest = rest[1:]
    percent = None
    if rest and not rest[0].quoted and PERCENT.match(rest[0].text):
        percent = parse_percent(rest[0].text)
        rest = rest[1:]
    text = parse_title(join(rest), what="update", limit=2900) if rest else ""
    return task_id, status, percent, text


def record(asker: Asker, tokens: list[Token]) -> Message:
    """Owner or lead: record the update and tell the group."""
    task_id, status, percent, text = parse_update(tokens)
    if status is None and percent is None and not text:
        raise ParseError(_("Say what happened."), example=EXAMPLE)
    change = update_task(
        asker,
        task_id=task_id,
        text=text,
        status=status,
        percent=percent,
        source=UpdateSource.COMMAND,
    )
    if not change.changed:
        return notice(already_done(change))
    refresh_home(asker, {change.row.owner_user_id})
    return blocks.update_note(change.row, asker.user_id, text, first_done=change.first_done)


def open_modal(
    asker: Asker, trigger_id: str, selected: int | None, *, source: UpdateSource | None = None
) -> None:
    """The update form: one of your open tasks (this trial's, in a group channel)."""
    with asker.services.database.session(write=False) as session:
        mine = tasks.open_tasks_of(session=session, user_id=asker.user_id)
        if selected is not None:
            locate(asker, session, tasks.get_task(session=session, number=selected))
            if all(t.id != selected for t in mine):
                mine = [tasks.task_row(session=session, task_id=selected), *mine]
    if not mine:
        raise UserError(_("You have no open tasks to update. `/task list` shows the group's."))
    from_checkin = source is UpdateSource.CHECKIN
    metadata = json.dumps(
        {"channel": asker.channel_id}
        | ({"source": UpdateSource.CHECKIN.value} if from_checkin else {})
    )
    asker.client.views_open(
        trigger_id=trigger_id, view=update_modal(mine, selected=selected, metadata=metadata)
    )


def form(asker: Asker, tokens: list[Token]) -> None:
    """`/update` alone: a form to pick one of your open tasks and write the update."""
    open_modal(asker, asker.trigger_id or "", None)


def form_on(asker: Asker, tokens: list[Token]) -> None:
    """`/update T-12` alone: the form, on that task."""
    open_modal(asker, asker.trigger_id or "", parse_reference(tokens[0].text, "T").number)


FAMILY = Family(
    command="/update",
    description="A progress update on a task",
    about=N_("A progress update on a task: the group sees a short note in the channel."),
    default="",
    hint=N_("T-12 [on-track|at-risk|blocked|done] [NN%] text"),
    subs=(
        Sub(
            "",
            form,
            (("/update", N_("Opens a form to pick one of your open tasks and write the update.")),),
        ),
    ),
    otherwise=Sub(
        "<task>",
        record,
        (
            (
                "/update T-12 on-track 60% Two schools signed up",
                N_("Status (on-track, at-risk, blocked, done) and percent are optional."),
            ),
        ),
        changes=True,
        form=form_on,
        form_words=1,
    ),
)
