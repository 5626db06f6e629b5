"""The record of a meeting (agenda with outcomes and decisions, attendance, apologies,
guests, minutes however long, the document of record), the question before replacing
minutes, and the trial's decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    SectionBlock,
)

from models.minutes import Decision
from models.tables import AgendaItem, Meeting, MeetingGuest, Member
from ui.blocks import ids
from ui.blocks.common import Message, context, header, markdown, section, to_dicts, truncate
from ui.blocks.group import describe_member
from ui.blocks.meetings import ITEMS_SHOWN, STATUS_WORDS, attendance_text, where
from ui.formatting import format_datetime, mention, plural, said
from ui.i18n import _, label

SECTION_ROOM = 2900  # of a section's 3,000 characters, leaving room for a heading


@dataclass
class MeetingRecord:
    trial_name: str
    meeting: Meeting
    items: list[AgendaItem]
    present: list[Member]
    absent_sectors: list[str]
    apologies: list[Member] = field(default_factory=list)
    guests: list[MeetingGuest] = field(default_factory=list)


def pieces(text: str, room: int = SECTION_ROOM) -> list[str]:
    """Escaped text cut into pieces that each fit a section, at line breaks or spaces
    (never inside an `&amp;`)."""
    rest, out = said(text), []
    while len(rest) > room:
        cut = rest.rfind("\n", 0, room)
        if cut < room // 2:
            cut = rest.rfind(" ", 0, room)
        if cut < room // 2:
            cut = room
            entity = rest.rfind("&", cut - 5, cut)
            cut = entity if entity > 0 else cut
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return [*out, rest] if rest else out


def _item_line(item: AgendaItem) -> str:
    line = (
        f"{item.position}. {said(item.title, 200)} — {mention(item.proposer_user_id)} "
        f"_(A-{item.id})_"
    )
    if item.carried_from_id:
        line += _(" · carried over from M-{carried_from_id}").format(
            carried_from_id=item.carried_from_id
        )
    if item.status == "deferred":
        line += _(" · *deferred*")
    if item.decision:
        line += _("\n      :white_check_mark: *Decision*: {decision}").format(
            decision=said(item.decision, 1500)
        )
    return line


def meeting_record(
    record: MeetingRecord,
    tz: ZoneInfo,
    *,
    minutes_posted_by: str | None = None,
    carried_to: Meeting | None = None,
    carried: int = 0,
    started: bool = False,
) -> Message:
    """A meeting: agenda with outcomes and decisions, attendance by sector, apologies,
    guests, the minutes in as many sections as they need, and a button to turn each item
    into a task. The minutes message (posted to the channel) is the same record."""
    meeting = record.meeting
    blocks: list[Block] = []
    if minutes_posted_by:
        blocks.append(
            section(
                _(":memo: {person} recorded the minutes of *M-{meeting}*.").format(
                    person=mention(minutes_posted_by), meeting=meeting.id
                )
            )
        )
    blocks += [
        header(f"{record.trial_name} · M-{meeting.id} · {STATUS_WORDS[meeting.status]}"),
        section(f"*{format_datetime(meeting.starts_at, tz)}*{where(meeting)}"),
    ]
    if meeting.status == "held":
        blocks.append(
            section(
                _("*Attendance*\n{attendance_text}").format(
                    attendance_text=attendance_text(record.present, record.absent_sectors)
                )
            )
        )
        extra = []
        if record.apologies:
            extra.append(
                _("*Apologies*: ") + ", ".join(describe_member(m) for m in record.apologies)
            )
        if record.guests:
            extra.append(
                _("*Guests*: ")
                + ", ".join(
                    said(g.name) + (f" ({said(g.organisation)})" if g.organisation else "")
                    for g in record.guests
                )
            )
        if extra:
            blocks.append(section(truncate("\n".join(extra), 3000)))
        parts = pieces(meeting.minutes or "")
        for number, part in enumerate(parts[:8]):
            heading = (
                "*Minutes*"
                if number == 0
                else _("*Minutes, continued ({number})*").format(number=number + 1)
            )
            blocks.append(section(f"{heading}\n{part}"))
        if meeting.minutes_file:
            name = said(meeting.minutes_file_name or _("the document"))
            blocks.append(
                context(
                    _(":page_facing_up: Minutes of record: <{minutes_file}|{name}>").format(
                        minutes_file=meeting.minutes_file, name=name
                    )
                )
            )
    if meeting.status == "scheduled" and started:
        blocks.append(
            ActionsBlock(
                elements=[
                    ButtonElement(
                        text=label("Record minutes"),
                        action_id=ids.MINUTES_FORM,
                        value=str(meeting.id),
                        style="primary",
                    )
                ]
            )
        )
    blocks.append(DividerBlock())
    items = record.items
    blocks.append(section("*Agenda*" if items else _("*Agenda*\n_Nothing was on the agenda._")))
    shown = min(ITEMS_SHOWN, 50 - len(blocks) - 3)
    for item in items[:shown]:
        accessory = (
            ButtonElement(
                text=label("Make a task"), action_id=ids.AGENDA_TO_TASK, value=str(item.id)
            )
            if meeting.status == "held"
            else None
        )
        blocks.append(SectionBlock(text=markdown(_item_line(item), 3000), accessory=accessory))
    if len(items) > shown:
        blocks.append(
            context(
                _("…and {count} more items: `/agenda show M-{meeting}`.").format(
                    count=len(items) - shown, meeting=meeting.id
                )
            )
        )
    if carried and carried_to is not None:
        blocks.append(
            context(
                _(
                    ":arrow_right: {items} not reached carried over to M-{carried_to} ({when})."
                ).format(
                    items=plural(carried, "item"),
                    carried_to=carried_to.id,
                    when=format_datetime(carried_to.starts_at, tz),
                )
            )
        )
    if meeting.status == "held":
        blocks.append(
            context(
                _(
                    "Turn an item into an action: `/task add <title> from A-<n>` · "
                    "record a decision: "
                    "`/meeting decide A-<n> <decision>`"
                )
            )
        )
    text = (
        f"{said(record.trial_name)} M-{meeting.id} ({meeting.status}), "
        f"{format_datetime(meeting.starts_at, tz)}"
    )
    return Message(text=text, blocks=to_dicts(blocks[:50]), in_channel=bool(minutes_posted_by))


def replace_or_add(meeting: Meeting, pending_id: int, tz: ZoneInfo) -> Message:
    """Minutes are on record already: replace them, add to them, or leave them."""
    text = _(
        "*M-{meeting}* ({when}) has minutes already ({count:,} characters). "
        "Replace them with these, add these to them, or leave them as they "
        "are? Nothing has changed yet."
    ).format(
        meeting=meeting.id,
        when=format_datetime(meeting.starts_at, tz),
        count=len(meeting.minutes or ""),
    )
    value = str(pending_id)
    buttons = ActionsBlock(
        elements=[
            ButtonElement(
                text=label("Replace"), action_id=ids.MINUTES_REPLACE, value=value, style="danger"
            ),
            ButtonElement(
                text=label("Add to them"), action_id=ids.MINUTES_ADD, value=value, style="primary"
            ),
            ButtonElement(text=label("Cancel"), action_id=ids.MINUTES_CANCEL, value=value),
        ]
    )
    return Message(text=text, blocks=to_dicts([section(text), buttons]))


def decisions_list(trial_name: str, found: list[Decision], tz: ZoneInfo) -> Message:
    blocks: list[Block] = [header(_("{trial_name}: decisions").format(trial_name=trial_name))]
    if not found:
        blocks.append(
            section(
                _(
                    "No decisions recorded yet. Record one with `/meeting decide A-7 <decision>`, "
                    "or in the minutes form."
                )
            )
        )
    for d in found[:45]:
        made = ", ".join(f"T-{t}" for t in d.tasks)
        blocks.append(
            section(
                truncate(
                    f"*{said(d.item.decision or '', 1800)}*\n"
                    f"M-{d.meeting.id} {format_datetime(d.meeting.starts_at, tz)} · A-{d.item.id} "
                    f"{said(d.item.title, 200)}"
                    + (_(" · tasks: {made}").format(made=made) if made else ""),
                    3000,
                )
            )
        )
    return Message(
        text=f"{said(trial_name)}: {plural(len(found), 'decision')}", blocks=to_dicts(blocks[:50])
    )
