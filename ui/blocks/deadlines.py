"""Messages of `/deadline`."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import Block

from models.deadlines import DeadlineRow
from models.tables import Deadline, Trial
from ui.blocks.common import Message, context, header, notice, section, to_dicts
from ui.blocks.reminders import when
from ui.formatting import format_date, mention, plural, said
from ui.i18n import _


def deadline_line(row: DeadlineRow, today: date, *, with_trial: bool = False) -> str:
    d = row.deadline
    who = f" · {mention(row.responsible_user_id)}" if row.responsible_user_id else ""
    trial = f"{said(row.trial_name)}: " if with_trial else ""
    custom = (
        _(" · reminders {reminder_offsets} days before").format(reminder_offsets=d.reminder_offsets)
        if d.reminder_offsets
        else ""
    )
    return f"*D-{d.id}* {trial}{said(d.title, 200)} — {when(d.due_date, today)}{who}{custom}"


def deadline_list(
    title: str, rows: list[DeadlineRow], today: date, *, with_trial: bool = False
) -> Message:
    blocks: list[Block] = [header(title)]
    if not rows:
        blocks.append(
            section(_("No open deadlines. Add one with `/deadline add <title> due <date>`."))
        )
    chunk: list[str] = []
    for row in rows:
        line = deadline_line(row, today, with_trial=with_trial)
        if sum(len(x) + 1 for x in chunk) + len(line) > 2900:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    blocks.append(
        context(
            _(
                "Reminders go 14, 7, 3 and 1 days before and on the day, at 09:00 on "
                "working days; daily while overdue."
            )
        )
    )
    return Message(text=f"{title}: {plural(len(rows), 'open deadline')}", blocks=to_dicts(blocks))


def national_added(
    user_id: str, title: str, due: date, made: list[tuple[Trial, Deadline]]
) -> Message:
    """A national deadline added: to which trials, under which references."""
    if not made:
        return notice(
            _(
                "No trial is still reporting (active or transitioning), so there is nothing to add "
                "it to."
            )
        )
    names = [said(trial.name) for trial, _ignored in made]
    shown = ", ".join(names[:20]) + (
        _(" and {count} more").format(count=len(names) - 20) if len(names) > 20 else ""
    )
    first, last = made[0][1].id, made[-1][1].id
    references = f"D-{first}" if first == last else f"D-{first}–D-{last}"
    return notice(
        _(
            ":calendar: {person} added “{title}”, due {date}, to {trials} still "
            "reporting ({references}), each owned by its lead: {shown}."
        ).format(
            person=mention(user_id),
            title=said(title),
            date=format_date(due),
            trials=plural(len(made), "trial"),
            references=references,
            shown=shown,
        ),
        in_channel=True,
    )
