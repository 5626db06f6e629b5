"""Messages of `/meeting` and `/agenda`: the agenda (also what the scheduler posts the day
before a meeting), meeting lists with calendar buttons, and the meeting record."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block, ButtonElement, SectionBlock

from models import series
from models.meetings import MeetingRow
from models.tables import AgendaItem, Meeting, Member
from models.types import Language
from ui import i18n
from ui.blocks import ids
from ui.blocks.common import (
    Message,
    context,
    header,
    markdown,
    section,
    to_dicts,
    truncate,
)
from ui.blocks.group import SECTOR_TITLES, describe_member
from ui.formatting import format_datetime, mention, plural, said
from ui.i18n import N_, Words, _, label

# Items shown in one message; the rest are counted (50 blocks is Slack's limit).
ITEMS_SHOWN = 40
STATUS_WORDS = Words(
    {"scheduled": N_("scheduled"), "held": N_("held"), "cancelled": N_("cancelled")}
)


def where(meeting: Meeting) -> str:
    if not meeting.place:
        return ""
    place = meeting.place
    if place.startswith(("http://", "https://")):
        return _(" · <{place}|join online>").format(place=place)
    return f" · {said(place, 200)}"


def meeting_line(row: MeetingRow, tz: ZoneInfo) -> str:
    meeting = row.meeting
    return (
        f"*M-{meeting.id}* {format_datetime(meeting.starts_at, tz)}{where(meeting)} · "
        f"{plural(row.agenda_size, 'agenda item')}"
    )


def calendar_button(meeting: Meeting) -> ButtonElement:
    return ButtonElement(
        text=label("Add to calendar"), action_id=ids.MEETING_CALENDAR, value=str(meeting.id)
    )


def meeting_list(trial_name: str, rows: list[MeetingRow], tz: ZoneInfo) -> Message:
    blocks: list[Block] = [header(trial_name + ": " + label("coming meetings"))]
    if not rows:
        blocks.append(
            section(
                _(
                    "No meetings are scheduled. A lead or chair can schedule one: "
                    "`/meeting schedule 15/12 10am at Gore Library`."
                )
            )
        )
    later: dict[int, list[MeetingRow]] = {}  # a series shows once, with its next date
    shown: list[MeetingRow] = []
    for row in rows:
        key = row.meeting.series_id
        if key is not None and key in later:
            later[key].append(row)
            continue
        if key is not None:
            later[key] = []
        shown.append(row)
    for row in shown[:45]:
        line = meeting_line(row, tz)
        key = row.meeting.series_id
        if key is not None:
            first = row.meeting.starts_at.astimezone(tz).date()
            line += _("\n      _repeats {describe}_").format(
                describe=series.describe(first, row.meeting.repeat or "weekly")
            )
            if later[key]:
                last = later[key][-1].meeting
                line += _(" · {more_meetings} to {when}").format(
                    more_meetings=plural(len(later[key]), "more meeting"),
                    when=format_datetime(last.starts_at, tz),
                )
        blocks.append(
            SectionBlock(text=markdown(line, 3000), accessory=calendar_button(row.meeting))
        )
    blocks.append(context(_("“Add to calendar” puts an .ics file in the channel for everyone.")))
    return Message(
        text=f"{said(trial_name)}: {plural(len(rows), 'coming meeting')}", blocks=to_dicts(blocks)
    )


def meeting_scheduled(
    trial_name: str,
    made: list[Meeting],
    tz: ZoneInfo,
    actor: str,
    *,
    holidays: list[tuple[Meeting, str]] | None = None,
) -> Message:
    """A meeting scheduled, or a series of them; any that falls on a public holiday there
    is flagged so the lead can move it. Posted in the channel's language."""
    with i18n.for_channel():
        return _meeting_scheduled(trial_name, made, tz, actor, holidays)


def _meeting_scheduled(
    trial_name: str,
    made: list[Meeting],
    tz: ZoneInfo,
    actor: str,
    holidays: list[tuple[Meeting, str]] | None,
) -> Message:
    meeting = made[0]
    if len(made) == 1:
        text = _(
            ":spiral_calendar_pad: {person} scheduled a {trial} meeting: *M-{number}* "
            "{when}{place}. Add agenda items with `/agenda add <item>`."
        ).format(
            person=mention(actor),
            trial=said(trial_name),
            number=meeting.id,
            when=format_datetime(meeting.starts_at, tz),
            place=where(meeting),
        )
    else:
        first_day = meeting.starts_at.astimezone(tz).date()
        text = _(
            ":spiral_calendar_pad: {person} scheduled {count} {trial_name} "
            "meetings, {describe} at {starts_at:%H:%M}{where}: *M-{meeting}* "
            "{when} to *M-{id}* {when2}. Each can be moved or cancelled alone."
        ).format(
            person=mention(actor),
            count=len(made),
            trial_name=said(trial_name),
            describe=series.describe(first_day, meeting.repeat or "weekly"),
            starts_at=meeting.starts_at.astimezone(tz),
            where=where(meeting),
            meeting=meeting.id,
            when=format_datetime(meeting.starts_at, tz),
            id=made[-1].id,
            when2=format_datetime(made[-1].starts_at, tz),
        )
    blocks: list[Block] = []
    if i18n.current() is not Language.ENGLISH:
        blocks.append(header(label("Meeting") + f" · M-{meeting.id}"))
        text = i18n.greeted(text)
    blocks.append(SectionBlock(text=markdown(text, 3000), accessory=calendar_button(meeting)))
    if holidays:
        flagged = "; ".join(
            _("M-{m} {when} is {name}").format(
                m=m.id, when=format_datetime(m.starts_at, tz), name=name
            )
            for m, name in holidays[:10]
        )
        blocks.append(
            context(
                _(
                    ":warning: A public holiday there: {flagged}. Move it with `/meeting move`."
                ).format(flagged=flagged)
            )
        )
        text += _(" Public holiday: {flagged}.").format(flagged=flagged)
    return Message(text=text, blocks=to_dicts(blocks), in_channel=True)


def agenda_message(
    trial_name: str,
    meeting: Meeting,
    items: list[AgendaItem],
    tz: ZoneInfo,
    *,
    title: str = N_("Agenda"),
) -> Message:
    """Numbered items with proposers, the meeting's time and place. Posted to the channel."""
    blocks: list[Block] = [
        header(f"{label(title)} · {trial_name} · M-{meeting.id}"),
        section(
            f"*{format_datetime(meeting.starts_at, tz)}*{where(meeting)}"
            + ("" if meeting.status == "scheduled" else f" · _{meeting.status}_")
        ),
    ]
    if not items:
        blocks.append(
            section(
                _(
                    "Nothing on the agenda yet. Add an item with `/agenda add <item> for "
                    "M-{meeting}`."
                ).format(meeting=meeting.id)
            )
        )
    lines = [
        f"{item.position}. {said(item.title, 200)} — {mention(item.proposer_user_id)} "
        f"_(A-{item.id})_"
        for item in items[: ITEMS_SHOWN * 2]
    ]
    chunk: list[str] = []
    for line in lines:
        if sum(len(x) + 1 for x in chunk) + len(line) > 2900:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    if len(items) > len(lines):
        blocks.append(context(_("…and {count} more items.").format(count=len(items) - len(lines))))
    blocks.append(
        context(
            _(
                "Add: `/agenda add <item>` · Reorder: `/agenda move A-7 1` · "
                "Remove: `/agenda remove A-7`"
            )
        )
    )
    text = _("{title} for {trial_name} M-{meeting}, {when}: {items}").format(
        title=title,
        trial_name=said(trial_name),
        meeting=meeting.id,
        when=format_datetime(meeting.starts_at, tz),
        items=plural(len(items), "item"),
    )
    return Message(text=text, blocks=to_dicts(blocks[:50]), in_channel=True)


def attendance_text(present: list[Member], absent_sectors: list[str]) -> str:
    if not present:
        return _("_No attendance recorded._")
    lines = []
    for sector, title in SECTOR_TITLES.items():
        people = [m for m in present if m.sector == sector]
        if people:
            lines.append(f"*{title}*: " + ", ".join(describe_member(m) for m in people))
    if absent_sectors:
        lines.append(
            _(":warning: Not at the table: ")
            + ", ".join(SECTOR_TITLES[s].lower() for s in absent_sectors)
            + "."
        )
    return truncate("\n".join(lines), 3000)
