"""Messages of `/task` and `/update`: task cards with buttons, paged lists, notes."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    DividerBlock,
    SectionBlock,
)

from models.tasks import TaskPage, TaskRow, UpdateRow
from models.types import Language, TaskStatus
from ui import i18n
from ui.blocks import ids
from ui.blocks.common import (
    BlockLike,
    Message,
    actions,
    button,
    context,
    header,
    labelled,
    markdown,
    overflow,
    section,
    section_dict,
    to_dicts,
)
from ui.formatting import format_date, format_datetime, mention, plural, said
from ui.i18n import N_, Words, _, label

STATUS_EMOJI = {
    "not-started": ":white_circle:",
    "on-track": ":large_green_circle:",
    "at-risk": ":large_orange_circle:",
    "blocked": ":red_circle:",
    "done": ":white_check_mark:",
    "dropped": ":heavy_multiplication_x:",
}
STATUS_WORDS = Words(
    {
        "not-started": N_("not started"),
        "on-track": N_("on track"),
        "at-risk": N_("at risk"),
        "blocked": N_("blocked"),
        "done": N_("done"),
        "dropped": N_("dropped"),
    }
)
# As a label or button: each status in the catalogue.
STATUS_LABELS = {
    "not-started": N_("Not started"),
    "on-track": N_("On track"),
    "at-risk": N_("At risk"),
    "blocked": N_("Blocked"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}
STATUS_BUTTONS = (TaskStatus.ON_TRACK, TaskStatus.AT_RISK, TaskStatus.BLOCKED)


def status_words(status: str) -> str:
    """`on track`, in the reader's language (`Kei te pai · on track` when bilingual)."""
    if i18n.current() is Language.ENGLISH:
        return STATUS_WORDS[status]
    return label(STATUS_LABELS[status])


def progress_bar(percent: int, width: int = 10) -> str:
    filled = round(percent / 100 * width)
    return "▰" * filled + "▱" * (width - filled) + f" {percent}%"


def due_text(row: TaskRow, today: date) -> str:
    """`Tue 15 Dec 2026`, with how overdue it is; `no due date` when there is none."""
    if row.due_date is None:
        return _("no due date")
    text = format_date(row.due_date)
    if row.overdue(today):
        days = (today - row.due_date).days
        text += " · *" + _("overdue {days}").format(days=i18n.days(days)) + "*"
    return text


def _due_phrase(row: TaskRow, today: date) -> str:
    return (
        _("no due date")
        if row.due_date is None
        else _("due {due_text}").format(due_text=due_text(row, today))
    )


def task_line(row: TaskRow, today: date) -> str:
    """`🟢 *T-12* Hire a truancy officer — <@U1>, due Fri 15 Jan 2027 · 40%`."""
    outcome = f" · _{said(row.outcome_name)}_" if row.outcome_name else ""
    return (
        f"{STATUS_EMOJI[row.status]} *{row.reference}* {said(row.title, 200)} — "
        f"{mention(row.owner_user_id)}, {_due_phrase(row, today)} · {row.percent}%{outcome}"
    )


def task_buttons(row: TaskRow, *, block_id: str | None = None) -> dict[str, Any]:
    """Done, Add update, and the status buttons."""
    value = str(row.id)
    elements = [
        button(label("Done"), ids.TASK_DONE, value, style="primary"),
        button(label("Add update"), ids.TASK_ADD_UPDATE, value),
    ]
    elements += [
        button(
            label(STATUS_LABELS[status.value]),
            f"{ids.TASK_STATUS}_{status.value}",
            f"{status.value}:{row.id}",
        )
        for status in STATUS_BUTTONS
    ]
    return actions(elements, block_id=block_id or f"task-{row.id}")


def task_card(
    row: TaskRow,
    today: date,
    tz: ZoneInfo,
    *,
    updates: list[UpdateRow] | None = None,
    update_count: int = 0,
    origin: str | None = None,
    in_channel: bool = False,
    lead_in: str | None = None,
    programme: str | None = None,
) -> Message:
    """A task with its details, its history (if given) and buttons; posted in the
    channel's language, or shown in the reader's."""
    with i18n.for_channel(in_channel):
        return _task_card(
            row, today, tz, updates, update_count, origin, in_channel, lead_in, programme
        )


def _task_card(
    row: TaskRow,
    today: date,
    tz: ZoneInfo,
    updates: list[UpdateRow] | None,
    update_count: int,
    origin: str | None,
    in_channel: bool,
    lead_in: str | None,
    programme: str | None,
) -> Message:
    blocks: list[BlockLike] = []
    if lead_in:
        blocks.append(section(lead_in))
    blocks.append(header(f"{row.reference} · {row.title}"))
    fields = [
        labelled(label("Owner"), mention(row.owner_user_id)),
        labelled(label("Due"), due_text(row, today)),
        labelled(label("Status"), f"{STATUS_EMOJI[row.status]} {status_words(row.status)}"),
        labelled(label("Progress"), progress_bar(row.percent)),
    ]
    if row.outcome_name:
        fields.append(labelled(label("Outcome"), said(row.outcome_name)))
    if programme:
        fields.append(labelled(label("Programme"), programme))
    blocks.append(SectionBlock(fields=[markdown(f) for f in fields]))
    added = _("Added by {person} on {when}").format(
        person=mention(row.created_by), when=format_datetime(row.created_at, tz)
    )
    if origin:
        added += _(" · from {origin}").format(origin=origin)
    if row.completed_at:
        added += _(" · done {when}").format(when=format_datetime(row.completed_at, tz))
    blocks.append(context(added))
    if updates is not None:
        blocks.append(DividerBlock())
        if not updates:
            blocks.append(section(_("_No progress updates yet._")))
        for update in updates:
            note = f"\n> {said(update.text, 2500)}" if update.text else ""
            blocks.append(
                section(
                    f"{STATUS_EMOJI[update.status]} {mention(update.author_user_id)} · "
                    f"{format_datetime(update.created_at, tz)} · {STATUS_WORDS[update.status]}, "
                    f"{update.percent}%{note}"
                )
            )
        if update_count > len(updates):
            blocks.append(
                context(
                    _("…and {earlier_updates}.").format(
                        earlier_updates=plural(update_count - len(updates), "earlier update")
                    )
                )
            )
    if row.is_open:
        blocks.append(task_buttons(row))
    text = (
        f"{row.reference} {said(row.title)} ({STATUS_WORDS[row.status]}, {_due_phrase(row, today)})"
    )
    return Message(text=text, blocks=to_dicts(blocks), in_channel=in_channel)


def _row_menu(row: TaskRow) -> dict[str, Any]:
    return overflow(
        ids.TASK_MENU,
        [
            (label("Show"), f"show:{row.id}"),
            (label("Add update"), f"update:{row.id}"),
            (label("Done"), f"done:{row.id}"),
            (label("At risk"), f"{TaskStatus.AT_RISK.value}:{row.id}"),
            (label("Blocked"), f"{TaskStatus.BLOCKED.value}:{row.id}"),
        ],
    )


def task_list(
    trial_name: str, page: TaskPage, today: date, *, title: str, arguments: str
) -> Message:
    """One page of tasks (Slack allows 50 blocks), with buttons to the other pages."""
    blocks: list[BlockLike] = [header(f"{trial_name}: {title}")]
    if not page.rows:
        blocks.append(section(_("Nothing here. Add one with `/task add <title> due <date>`.")))
    for task in page.rows:
        accessory = _row_menu(task) if task.is_open else None
        blocks.append(section_dict(task_line(task, today), accessory))
    first = (page.page - 1) * page.page_size + 1
    shown = (
        _("{first}–{first2} of {total}").format(
            first=first, first2=first + len(page.rows) - 1, total=page.total
        )
        if page.rows
        else "0"
    )
    blocks.append(
        context(
            _("Showing {shown} · page {page} of {pages}").format(
                shown=shown, page=page.page, pages=page.pages
            )
        )
    )
    buttons = []
    if page.page > 1:
        buttons.append(
            ButtonElement(
                text=label("‹ Previous"),
                action_id=f"{ids.TASK_LIST_PAGE}_prev",
                value=json.dumps({"q": arguments[:1500], "p": page.page - 1}),
            )
        )
    if page.page < page.pages:
        buttons.append(
            ButtonElement(
                text=label("Next ›"),
                action_id=f"{ids.TASK_LIST_PAGE}_next",
                value=json.dumps({"q": arguments[:1500], "p": page.page + 1}),
            )
        )
    if buttons:
        blocks.append(ActionsBlock(elements=buttons))
    text = f"{said(trial_name)}: {title}, {plural(page.total, 'task')}"
    return Message(text=text, blocks=to_dicts(blocks))


def update_note(row: TaskRow, author_user_id: str, text: str, *, first_done: bool) -> Message:
    """The short note the group sees in its channel when a task moves."""
    if first_done:
        headline = _(":white_check_mark: {person} completed *{reference}* {title}").format(
            person=mention(author_user_id), reference=row.reference, title=said(row.title, 200)
        )
    else:
        headline = _(
            "{status_emoji} {person} updated *{reference}* {title}: {status_words}, {percent}%"
        ).format(
            status_emoji=STATUS_EMOJI[row.status],
            person=mention(author_user_id),
            reference=row.reference,
            title=said(row.title, 200),
            status_words=STATUS_WORDS[row.status],
            percent=row.percent,
        )
    body = headline + (f"\n> {said(text, 2500)}" if text else "")
    return Message(text=body, blocks=to_dicts([section(body)]), in_channel=True)
