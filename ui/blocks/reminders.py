"""Reminder messages: what is due, when, which trial, with a button to act."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, SectionBlock

from models.reminder_facts import Reminder
from models.tables import Deadline, Meeting, Member, ProgrammeItem
from models.tasks import TaskRow
from ui.blocks import ids
from ui.blocks.common import Message, context, header, markdown, section, to_dicts
from ui.blocks.tasks import task_buttons, task_line
from ui.formatting import format_date, format_datetime, format_money, mention, plural, said

CHECKIN_TASKS_SHOWN = 20


def when(due: date, today: date) -> str:
    """`due today`, `due tomorrow`, `due in 7 days (Tue 1 Dec 2026)`, `overdue by 2 days`."""
    days = (due - today).days
    if days == 0:
        return f"due *today* ({format_date(due)})"
    if days == 1:
        return f"due *tomorrow* ({format_date(due)})"
    if days > 1:
        return f"due in {plural(days, 'day')} ({format_date(due)})"
    return f"*overdue by {plural(-days, 'day')}* (was due {format_date(due)})"


def deadline_reminder(
    deadline: Deadline, trial_name: str, today: date, *, on_behalf_of: str | None, to_lead: bool
) -> Message:
    text = (
        f":bell: *D-{deadline.id}* {said(deadline.title, 200)} for {said(trial_name)} is "
        f"{when(deadline.due_date, today)}."
    )
    if on_behalf_of:
        text += (
            f"\n{mention(on_behalf_of)} is responsible but away, so this comes to you as "
            "the trial's lead."
        )
    elements = [
        ButtonElement(
            text="Mark submitted",
            action_id=ids.DEADLINE_SUBMIT,
            value=str(deadline.id),
            style="primary",
        )
    ]
    if "report" in deadline.title.lower():
        elements.append(
            ButtonElement(
                text="Draft the report", action_id=ids.REPORT_DRAFT, value=str(deadline.trial_id)
            )
        )
    if to_lead:
        elements.append(
            ButtonElement(
                text="Snooze 1 day", action_id=ids.DEADLINE_SNOOZE, value=str(deadline.id)
            )
        )
    blocks: list[Block] = [
        section(text),
        ActionsBlock(block_id=f"deadline-{deadline.id}", elements=elements),
        context(f"With a link: `/deadline submitted D-{deadline.id} <link>`"),
    ]
    plain = (
        f"D-{deadline.id} {said(deadline.title)} ({said(trial_name)}): "
        f"{when(deadline.due_date, today).replace('*', '')}"
    )
    return Message(text=plain, blocks=to_dicts(blocks))


def escalation(
    deadline: Deadline, trial_name: str, responsible: Member | None, working_days: int
) -> Message:
    who = f" Responsible: {mention(responsible.slack_user_id)}." if responsible else ""
    text = (
        f":rotating_light: *D-{deadline.id}* {said(deadline.title, 200)} for "
        f"*{said(trial_name)}* is {working_days} working days overdue (due "
        f"{format_date(deadline.due_date)}).{who}"
    )
    return Message(text=text.replace("*", ""), blocks=to_dicts([section(text)]))


def task_reminder(row: TaskRow, today: date) -> Message:
    assert row.due_date is not None
    text = (
        f":bell: *{row.reference}* {said(row.title, 200)} ({said(row.trial_name)}) is "
        f"{when(row.due_date, today)}."
    )
    blocks: list[Block] = [section(text), task_buttons(row)]
    plain = (
        f"{row.reference} {said(row.title)} ({said(row.trial_name)}) "
        f"is {when(row.due_date, today)}."
    )
    return Message(text=plain.replace("*", ""), blocks=to_dicts(blocks))


def contract_reminder(item: ProgrammeItem, trial_name: str, today: date) -> Message:
    """To the lead: a programme's contract ends soon; renew it, end it or let it run out."""
    assert item.until_date is not None
    days = (item.until_date - today).days
    ends = (
        f"ends in {plural(days, 'day')} ({format_date(item.until_date)})"
        if days > 0
        else f"ends *today* ({format_date(item.until_date)})"
    )
    provider = f" with {said(item.provider, 120)}" if item.provider else ""
    funded = f" ({format_money(item.funding_cents)})" if item.funding_cents is not None else ""
    text = (
        f":hourglass: The contract for *P-{item.id}* {said(item.name, 200)}{provider}{funded} "
        f"in {said(trial_name)} {ends}. Renew it with `/programme set P-{item.id} until <date>`, "
        f"or record that it ends with `/programme end P-{item.id}`."
    )
    return Message(text=text.replace("*", ""), blocks=to_dicts([section(text)]))


def agenda_call(meeting: Meeting, trial_name: str, items: int, tz: ZoneInfo) -> Message:
    text = (
        f":spiral_calendar_pad: The {said(trial_name)} group meets on "
        f"*{format_datetime(meeting.starts_at, tz)}* (M-{meeting.id}). The agenda has "
        f"{plural(items, 'item')} so far: add yours with `/agenda add <item>`."
    )
    return Message(text=text.replace("*", ""), blocks=to_dicts([section(text)]))


def checkin(trial_name: str, rows: list[TaskRow], today: date) -> Message:
    """The weekly check-in: each open task with its status buttons."""
    blocks: list[Block] = [
        header(f"Weekly check-in · {trial_name}"),
        section(
            f"How are your {plural(len(rows), 'open task')} going? A click records the "
            "status; *Add update* says more."
        ),
    ]
    for row in rows[:CHECKIN_TASKS_SHOWN]:
        blocks.append(SectionBlock(text=markdown(task_line(row, today), 3000)))
        buttons = task_buttons(row)
        buttons.block_id = f"checkin-task-{row.id}"
        blocks.append(buttons)
    if len(rows) > CHECKIN_TASKS_SHOWN:
        blocks.append(context(f"…and {len(rows) - CHECKIN_TASKS_SHOWN} more: `/task list mine`."))
    return Message(
        text=f"Weekly check-in: {plural(len(rows), 'open task')} in {said(trial_name)}",
        blocks=to_dicts(blocks),
    )


def rerouted(message: Message, note: str) -> Message:
    """A message that could not reach whom it was for, to someone who can act on it."""
    body = [*to_dicts([section(f":warning: {note}")]), *message.blocks][:50]
    return Message(text=f"{note} {message.text}", blocks=body)


def person_unreachable_note(user_id: str, reason: str) -> str:
    return (
        f"This reminder was for {mention(user_id)}, whom Slack can't reach ({reason}: they "
        "may have left the workspace). It comes to you as the lead; `/group remove` them "
        "or give their work to someone else."
    )


def channel_refused_note(channel_id: str, reason: str) -> str:
    return (
        f"I couldn't post this in <#{channel_id}> ({reason}). If I was removed from the "
        "channel, invite me back there with `/invite @advisory-bot`."
    )


def director_channel_refused_note(channel_id: str, reason: str) -> str:
    return (
        f"I couldn't post this in the Director's channel <#{channel_id}> ({reason}); it comes "
        "to you directly. Invite me back there with `/invite @advisory-bot`."
    )


def late(message: Message, due_at: datetime, tz: ZoneInfo) -> Message:
    """A reminder sent after the bot was down past its time."""
    note = f"This should have gone on {format_datetime(due_at, tz)}; the bot was not running then."
    body = [*to_dicts([context(f":hourglass: {note}")]), *message.blocks][:50]
    return Message(text=f"(Late) {message.text}", blocks=body)


MISSED_KINDS = {
    "deadline": "deadline reminder",
    "escalation": "escalation to the Director",
    "task": "task reminder",
    "agenda-call": "call for agenda items",
    "agenda": "day-before agenda",
}
MISSED_SHOWN = 40


def missed_list(trial_name: str, reminders: list[Reminder], tz: ZoneInfo) -> Message:
    """One message to a lead: the reminders that never went while the bot was down."""
    lines = [
        f"• {MISSED_KINDS.get(r.kind, r.kind)} *{r.target}*"
        + (f" to {mention(r.recipient)}" if r.recipient and r.recipient[:1] in "UW" else "")
        + f", due {format_datetime(r.send_at, tz)}"
        for r in sorted(reminders, key=lambda r: r.send_at)
    ]
    text = (
        f":hourglass: While the bot was not running, {plural(len(reminders), 'reminder')} for "
        f"*{said(trial_name)}* never went and are now too late to send:\n"
        + "\n".join(lines[:MISSED_SHOWN])
    )
    if len(lines) > MISSED_SHOWN:
        text += f"\n…and {len(lines) - MISSED_SHOWN} more."
    return Message(text=text, blocks=to_dicts([section(text[:2900])]))
