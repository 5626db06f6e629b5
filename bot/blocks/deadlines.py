"""Messages of `/deadline`."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import Block

from bot.blocks.common import Message, context, header, help_message, section, to_dicts, truncate
from bot.blocks.reminders import when
from bot.formatting import mention, plural
from models.deadlines import DeadlineRow


def deadline_line(row: DeadlineRow, today: date, *, with_trial: bool = False) -> str:
    d = row.deadline
    who = f" · {mention(row.responsible_user_id)}" if row.responsible_user_id else ""
    trial = f"{row.trial_name}: " if with_trial else ""
    custom = f" · reminders {d.reminder_offsets} days before" if d.reminder_offsets else ""
    return f"*D-{d.id}* {trial}{truncate(d.title, 200)} — {when(d.due_date, today)}{who}{custom}"


def deadline_list(
    title: str, rows: list[DeadlineRow], today: date, *, with_trial: bool = False
) -> Message:
    blocks: list[Block] = [header(title)]
    if not rows:
        blocks.append(
            section("No open deadlines. Add one with `/deadline add <title> due <date>`.")
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
            "Reminders go 14, 7, 3 and 1 days before and on the day, at 09:00 on "
            "working days; daily while overdue."
        )
    )
    return Message(text=f"{title}: {plural(len(rows), 'open deadline')}", blocks=to_dicts(blocks))


def deadline_help() -> Message:
    return help_message(
        "/deadline",
        "Reporting deadlines, with reminders so none is missed.",
        [
            (
                "/deadline add Six-monthly progress report to Ministers due 15/12",
                "Lead: add a deadline (the lead is responsible unless you add `owner @person`).",
            ),
            (
                "/deadline add Report to the Joint Venture Board due 31/1/2027 national",
                "Director: the same deadline for every active trial, owned by each lead.",
            ),
            ("/deadline list", "Open deadlines, soonest first."),
            (
                "/deadline submitted D-3 https://docs.example/report",
                "Responsible member or lead: it's in (the link is optional).",
            ),
            ("/deadline remind D-3 21,14,7,1,0", "Lead: choose the days before to be reminded."),
        ],
    )
