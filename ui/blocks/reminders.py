"""Reminder messages: what is due, when, which trial, with a button to act."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from models.reminder_facts import Reminder
from models.tables import Deadline, Meeting, Member, ProgrammeItem
from models.tasks import TaskRow
from models.types import Language
from ui import i18n
from ui.blocks import ids
from ui.blocks.common import (
    BlockLike,
    Message,
    context,
    header,
    section,
    section_dict,
    to_dicts,
)
from ui.blocks.tasks import task_buttons, task_line
from ui.formatting import format_date, format_datetime, format_money, mention, plural, said
from ui.i18n import N_, Words, _, label

CHECKIN_TASKS_SHOWN = 20


def when(due: date, today: date) -> str:
    """`due today`, `due tomorrow`, `due in 7 days (Tue 1 Dec 2026)`, `overdue by 2 days`."""
    days = (due - today).days
    day = format_date(due)
    if days == 0:
        return _("due *today* ({day})").format(day=day)
    if days == 1:
        return _("due *tomorrow* ({day})").format(day=day)
    if days > 1:
        return _("due in {days} ({day})").format(days=i18n.days(days), day=day)
    return _("*overdue by {days}* (was due {day})").format(days=i18n.days(-days), day=day)


def _reminder_heading(english: str) -> list[Block]:
    """A heading for readers of te reo ("Whakamaumahara · Reminder"); none in English,
    whose reminders have always opened with the line itself."""
    return [] if i18n.current() is Language.ENGLISH else [header(label(english))]


def deadline_reminder(
    deadline: Deadline, trial_name: str, today: date, *, on_behalf_of: str | None, to_lead: bool
) -> Message:
    text = _(":bell: *D-{number}* {title} for {trial} is {when}.").format(
        number=deadline.id,
        title=said(deadline.title, 200),
        trial=said(trial_name),
        when=when(deadline.due_date, today),
    )
    if on_behalf_of:
        text += _(
            "\n{person} is responsible but away, so this comes to you as the trial's lead."
        ).format(person=mention(on_behalf_of))
    elements = [
        ButtonElement(
            text=label("Mark submitted"),
            action_id=ids.DEADLINE_SUBMIT,
            value=str(deadline.id),
            style="primary",
        )
    ]
    if "report" in deadline.title.lower():
        elements.append(
            ButtonElement(
                text=label("Draft the report"),
                action_id=ids.REPORT_DRAFT,
                value=str(deadline.trial_id),
            )
        )
    if to_lead:
        elements.append(
            ButtonElement(
                text=label("Snooze 1 day"), action_id=ids.DEADLINE_SNOOZE, value=str(deadline.id)
            )
        )
    blocks: list[Block] = [
        *_reminder_heading(N_("Reporting deadline")),
        section(i18n.greeted(text)),
        ActionsBlock(block_id=f"deadline-{deadline.id}", elements=elements),
        context(
            _("With a link: `/deadline submitted D-{deadline} <link>`").format(deadline=deadline.id)
        ),
    ]
    plain = (
        f"D-{deadline.id} {said(deadline.title)} ({said(trial_name)}): "
        f"{when(deadline.due_date, today).replace('*', '')}"
    )
    return Message(text=plain, blocks=to_dicts(blocks))


def escalation(
    deadline: Deadline, trial_name: str, responsible: Member | None, working_days: int
) -> Message:
    who = (
        _(" Responsible: {person}.").format(person=mention(responsible.slack_user_id))
        if responsible
        else ""
    )
    text = _(
        ":rotating_light: *D-{deadline}* {title} for *{trial_name}* is "
        "{working_days} working days overdue (due {date}).{who}"
    ).format(
        deadline=deadline.id,
        title=said(deadline.title, 200),
        trial_name=said(trial_name),
        working_days=working_days,
        date=format_date(deadline.due_date),
        who=who,
    )
    return Message(text=text.replace("*", ""), blocks=to_dicts([section(text)]))


def task_reminder(row: TaskRow, today: date) -> Message:
    assert row.due_date is not None
    text = _(":bell: *{reference}* {title} ({trial}) is {when}.").format(
        reference=row.reference,
        title=said(row.title, 200),
        trial=said(row.trial_name),
        when=when(row.due_date, today),
    )
    blocks: list[BlockLike] = [
        *_reminder_heading(N_("Task reminder")),
        section(i18n.greeted(text)),
        task_buttons(row),
    ]
    plain = _("{reference} {title} ({trial_name}) is {when}.").format(
        reference=row.reference,
        title=said(row.title),
        trial_name=said(row.trial_name),
        when=when(row.due_date, today),
    )
    return Message(text=plain.replace("*", ""), blocks=to_dicts(blocks))


def contract_reminder(item: ProgrammeItem, trial_name: str, today: date) -> Message:
    """To the lead: a programme's contract ends soon; renew it, end it or let it run out."""
    assert item.until_date is not None
    days = (item.until_date - today).days
    ends = (
        _("ends in {days} ({date})").format(
            days=plural(days, "day"), date=format_date(item.until_date)
        )
        if days > 0
        else _("ends *today* ({date})").format(date=format_date(item.until_date))
    )
    provider = (
        _(" with {provider}").format(provider=said(item.provider, 120)) if item.provider else ""
    )
    funded = f" ({format_money(item.funding_cents)})" if item.funding_cents is not None else ""
    text = _(
        ":hourglass: The contract for *P-{item}* {item2}{provider}{funded} in "
        "{trial_name} {ends}. Renew it with `/programme set P-{item} until "
        "<date>`, or record that it ends with `/programme end P-{item}`."
    ).format(
        item=item.id,
        item2=said(item.name, 200),
        provider=provider,
        funded=funded,
        trial_name=said(trial_name),
        ends=ends,
    )
    return Message(text=text.replace("*", ""), blocks=to_dicts([section(text)]))


def agenda_call(meeting: Meeting, trial_name: str, items: int, tz: ZoneInfo) -> Message:
    text = _(
        ":spiral_calendar_pad: The {trial} group meets on *{when}* (M-{number}). The agenda "
        "has {items} so far: add yours with `/agenda add <item>`."
    ).format(
        trial=said(trial_name),
        when=format_datetime(meeting.starts_at, tz),
        number=meeting.id,
        items=plural(items, "item"),
    )
    text = i18n.greeted(text)
    blocks = [*_reminder_heading(N_("Agenda call")), section(text)]
    return Message(text=text.replace("*", ""), blocks=to_dicts(blocks))


def checkin(trial_name: str, rows: list[TaskRow], today: date) -> Message:
    """The weekly check-in: each open task with its status buttons."""
    blocks: list[BlockLike] = [
        header(label("Weekly check-in") + f" · {trial_name}"),
        section(
            _(
                "How are your {open_tasks} going? A click records the status; *Add "
                "update* says more."
            ).format(open_tasks=plural(len(rows), "open task"))
        ),
    ]
    for row in rows[:CHECKIN_TASKS_SHOWN]:
        blocks.append(section_dict(task_line(row, today), limit=3000))
        blocks.append(task_buttons(row, block_id=f"checkin-task-{row.id}"))
    if len(rows) > CHECKIN_TASKS_SHOWN:
        blocks.append(
            context(
                _("…and {count} more: `/task list mine`.").format(
                    count=len(rows) - CHECKIN_TASKS_SHOWN
                )
            )
        )
    return Message(
        text=_("Weekly check-in: {open_tasks} in {trial_name}").format(
            open_tasks=plural(len(rows), "open task"), trial_name=said(trial_name)
        ),
        blocks=to_dicts(blocks),
    )


def rerouted(message: Message, note: str) -> Message:
    """A message that could not reach whom it was for, to someone who can act on it."""
    body = [*to_dicts([section(_(":warning: {note}").format(note=note))]), *message.blocks][:50]
    return Message(text=f"{note} {message.text}", blocks=body)


def person_unreachable_note(user_id: str, reason: str) -> str:
    return _(
        "This reminder was for {person}, whom Slack can't reach ({reason}: "
        "they may have left the workspace). It comes to you as the lead; "
        "`/group remove` them or give their work to someone else."
    ).format(person=mention(user_id), reason=reason)


def channel_refused_note(channel_id: str, reason: str) -> str:
    return _(
        "I couldn't post this in <#{channel_id}> ({reason}). If I was removed "
        "from the channel, invite me back there with `/invite @advisory-bot`."
    ).format(channel_id=channel_id, reason=reason)


def director_channel_refused_note(channel_id: str, reason: str) -> str:
    return _(
        "I couldn't post this in the Director's channel <#{channel_id}> "
        "({reason}); it comes to you directly. Invite me back there with "
        "`/invite @advisory-bot`."
    ).format(channel_id=channel_id, reason=reason)


def late(message: Message, due_at: datetime, tz: ZoneInfo) -> Message:
    """A reminder sent after the bot was down past its time."""
    note = _("This should have gone on {when}; the bot was not running then.").format(
        when=format_datetime(due_at, tz)
    )
    body = [*to_dicts([context(_(":hourglass: {note}").format(note=note))]), *message.blocks][:50]
    return Message(text=_("(Late) {text}").format(text=message.text), blocks=body)


MISSED_KINDS = Words(
    {
        "deadline": N_("deadline reminder"),
        "escalation": N_("escalation to the Director"),
        "task": N_("task reminder"),
        "agenda-call": N_("call for agenda items"),
        "agenda": N_("day-before agenda"),
    }
)
MISSED_SHOWN = 40


def missed_list(trial_name: str, reminders: list[Reminder], tz: ZoneInfo) -> Message:
    """One message to a lead: the reminders that never went while the bot was down."""
    lines = [
        f"• {MISSED_KINDS.get(r.kind, r.kind)} *{r.target}*"
        + (
            _(" to {person}").format(person=mention(r.recipient))
            if r.recipient and r.recipient[:1] in "UW"
            else ""
        )
        + _(", due {when}").format(when=format_datetime(r.send_at, tz))
        for r in sorted(reminders, key=lambda r: r.send_at)
    ]
    text = _(
        ":hourglass: While the bot was not running, {reminders} for "
        "*{trial_name}* never went and are now too late to send:\n"
    ).format(reminders=plural(len(reminders), "reminder"), trial_name=said(trial_name)) + "\n".join(
        lines[:MISSED_SHOWN]
    )
    if len(lines) > MISSED_SHOWN:
        text += _("\n…and {count} more.").format(count=len(lines) - MISSED_SHOWN)
    return Message(text=text, blocks=to_dicts([section(text[:2900])]))
