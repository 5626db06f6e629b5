"""`/meeting minutes`, `decide` and `decisions`: the record of a meeting held, for one that
was scheduled or one that never was, asking before it replaces minutes already kept."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from handlers.context import Asker, linked
from handlers.meeting_ops import meeting_here
from handlers.permissions import Action
from handlers.task_ops import member_named
from models import groups, meetings, minutes, pending
from models.errors import ParseError, UserError
from models.minutes import MINUTES_LIMIT, Minutes
from models.tables import TITLE_LENGTH, Meeting, Member, Trial
from ui.blocks import minutes as blocks
from ui.blocks.common import Message, notice
from ui.formatting import format_date, mention, said
from ui.i18n import _
from ui.parsing import (
    Token,
    is_mention,
    join,
    local_datetime,
    parse_date,
    parse_link,
    parse_reference,
    parse_time,
    parse_title,
)

MINUTES_EXAMPLE = "/meeting minutes M-5 present @hemi @aroha Agreed to fund the breakfast club."
HELD_EXAMPLE = (
    "/meeting minutes 25/11 10am at Gore Library present @hemi @aroha Agreed to fund the "
    "breakfast club."
)
PEOPLE_WORDS = ("present", "apologies", "apology")
NOON = parse_time("12:00")


def _people(tokens: list[Token], example: str) -> tuple[list[Token], list[Token], list[Token]]:
    """`present @a @b apologies @c <minutes>`: who was there, who sent apologies, the rest."""
    rest = list(tokens)
    present: list[Token] = []
    apologies: list[Token] = []
    while rest and rest[0].is_word(*PEOPLE_WORDS):
        word = rest.pop(0).text.lower()
        found = []
        while rest and is_mention(rest[0]):
            found.append(rest.pop(0))
        if not found:
            raise ParseError(_("Mention who after `{word}`.").format(word=word), example=example)
        (present if word == "present" else apologies).extend(found)
    return present, apologies, rest


def _text(rest: list[Token], example: str) -> str:
    if not rest:
        raise ParseError(
            _("Write the minutes after the meeting (and who was present)."), example=example
        )
    return parse_title(join(rest), what="minutes", limit=MINUTES_LIMIT)


def _members(asker: Asker, session: Session, trial: Trial, tokens: list[Token]) -> list[Member]:
    return [member_named(asker, session, trial, token) for token in tokens]


def _record(record: minutes.Minutes) -> dict[str, Any]:
    return {
        "text": record.text,
        "present": [m.id for m in record.present],
        "apologies": [m.id for m in record.apologies],
    }


def record_message(
    asker: Asker,
    session: Session,
    trial: Trial,
    meeting: Meeting,
    *,
    posted_by: str | None = None,
    carried: list[Any] | None = None,
) -> Message:
    """The meeting's record as it now stands, for its channel or the asker."""
    present = meetings.attendance(session=session, meeting=meeting)
    carried_to = (
        meetings.get_meeting(session=session, number=carried[0].meeting_id) if carried else None
    )
    return blocks.meeting_record(
        blocks.MeetingRecord(
            trial.name,
            meeting,
            meetings.agenda(session=session, meeting=meeting),
            present,
            meetings.sectors_absent(present),
            minutes.apologies(session=session, meeting=meeting),
            minutes.guests(session=session, meeting=meeting),
        ),
        asker.services.settings.tz,
        minutes_posted_by=posted_by,
        carried_to=carried_to,
        carried=len(carried or []),
        started=meeting.starts_at <= asker.services.now(),
    )


def record_minutes(asker: Asker, tokens: list[Token]) -> Message:
    """Lead or chair: the minutes of a meeting, scheduled (`M-5`) or never scheduled (a date)."""
    if not tokens:
        raise ParseError(_("Say which meeting, or the date it was held."), example=MINUTES_EXAMPLE)
    try:
        number = parse_reference(tokens[0].text, "M").number
    except ParseError:
        return held_unscheduled(asker, tokens)
    present, apologies, rest = _people(tokens[1:], MINUTES_EXAMPLE)
    text = _text(rest, MINUTES_EXAMPLE)
    services = asker.services
    with services.database.session() as session:
        meeting, trial = meeting_here(asker, session, tokens, MINUTES_EXAMPLE, lock=True)
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        asker.require(Action.MANAGE_MEETINGS, group)
        when = meeting.starts_at.astimezone(services.settings.tz).date()
        if when > services.today() and meeting.status != "cancelled":
            raise UserError(
                _("M-{number} is on {date}; record its minutes once it has been held.").format(
                    number=number, date=format_date(when)
                )
            )
        record = Minutes(
            text,
            _members(asker, session, trial, present),
            _members(asker, session, trial, apologies),
        )
        if meeting.minutes:  # ask first: nothing changes until the click
            pending_id = pending.propose(
                session=session,
                user_id=asker.user_id,
                kind="minutes",
                payload={"meeting": meeting.id, **_record(record)},
            )
            return blocks.replace_or_add(meeting, pending_id, services.settings.tz)
        carried = minutes.record_minutes(
            session=session, meeting=meeting, minutes=record, actor_user_id=asker.user_id
        )
        return record_message(
            asker, session, trial, meeting, posted_by=asker.user_id, carried=carried
        )


def _leading_date(tokens: list[Token], today: Any) -> tuple[Any, list[Token]]:
    for width in (3, 2, 1):
        if len(tokens) > width:
            try:
                return parse_date(join(tokens[:width]), today=today), tokens[width:]
            except ParseError:
                continue
    raise ParseError(
        _("Say which meeting (`M-5`) or the date it was held, then the minutes."),
        example=HELD_EXAMPLE,
    )


def _leading_time(tokens: list[Token]) -> tuple[Any, list[Token]]:
    for width in (2, 1):
        if len(tokens) > width:
            try:
                return parse_time(join(tokens[:width])), tokens[width:]
            except ParseError:
                continue
    return None, tokens


def _place(tokens: list[Token]) -> tuple[str | None, list[Token]]:
    """`at <place>`: one word or a quoted name, or everything up to `present`."""
    if not tokens or not tokens[0].is_word("at"):
        return None, tokens
    rest = tokens[1:]
    ends = next((i for i, t in enumerate(rest) if t.is_word(*PEOPLE_WORDS)), None)
    words, rest = (rest[:ends], rest[ends:]) if ends else (rest[:1], rest[1:])
    if not words:
        raise ParseError(_("Say where after `at`."), example=HELD_EXAMPLE)
    link = parse_link(words[0].text) if len(words) == 1 else None
    return link or parse_title(join(words), what="place", limit=TITLE_LENGTH), rest


def held_unscheduled(asker: Asker, tokens: list[Token]) -> Message:
    """A meeting that was never scheduled, recorded as held in one step."""
    services = asker.services
    day, rest = _leading_date(tokens, services.today())
    if day > services.today():
        raise UserError(
            _(
                "{date} is still to come. Schedule it with `/meeting schedule "
                "{day:%d/%m/%Y} 10am`, and record its minutes once it has been held."
            ).format(date=format_date(day), day=day)
        )
    at, rest = _leading_time(rest)
    place, rest = _place(rest)
    present, apologies, rest = _people(rest, HELD_EXAMPLE)
    text = _text(rest, HELD_EXAMPLE)
    starts_at = local_datetime(day, at or NOON, services.settings.tz)
    with services.database.session() as session:
        group, trial = linked(asker, session)
        asker.require(Action.MANAGE_MEETINGS, group)
        meeting = minutes.record_held(
            session=session,
            trial=trial,
            starts_at=starts_at,
            place=place,
            minutes=Minutes(
                text,
                _members(asker, session, trial, present),
                _members(asker, session, trial, apologies),
            ),
            actor_user_id=asker.user_id,
        )
        return record_message(asker, session, trial, meeting, posted_by=asker.user_id)


def confirm(asker: Asker, pending_id: int, *, add: bool) -> Message:
    """*Replace* or *Add to them*: the minutes waiting for this click are recorded."""
    with asker.services.database.session() as session:
        change = pending.take(
            session=session, pending_id=pending_id, user_id=asker.user_id, kind="minutes"
        )
        meeting = meetings.get_meeting(session=session, number=int(change["meeting"]), lock=True)
        trial = session.get(Trial, meeting.trial_id)
        assert trial is not None
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        asker.require(Action.MANAGE_MEETINGS, group)
        people = {m.id: m for m in groups.active_members(session=session, trial=trial)}
        record = Minutes(
            str(change["text"]),
            [people[i] for i in change["present"] if i in people],
            [people[i] for i in change["apologies"] if i in people],
        )
        carried = minutes.record_minutes(
            session=session, meeting=meeting, minutes=record, actor_user_id=asker.user_id, add=add
        )
        message = record_message(
            asker, session, trial, meeting, posted_by=asker.user_id, carried=carried
        )
    if trial.channel_id:
        asker.announce(trial.channel_id, message)
    return notice(
        _("{value} the minutes of *M-{meeting}*; the record is in the channel.").format(
            value=_("Added to") if add else _("Replaced"), meeting=meeting.id
        )
    )


def cancel_change(asker: Asker, pending_id: int) -> Message:
    with asker.services.database.session() as session:
        pending.take(session=session, pending_id=pending_id, user_id=asker.user_id, kind="minutes")
    return notice(_("Left the minutes as they were. Nothing changed."))


def decide(asker: Asker, tokens: list[Token]) -> Message:
    """Lead or chair: the decision on an agenda item."""
    example = "/meeting decide A-7 Fund the breakfast club for two terms"
    if len(tokens) < 2:
        raise ParseError(_("Give the agenda item and the decision."), example=example)
    number = parse_reference(tokens[0].text, "A").number
    decision = parse_title(join(tokens[1:]), what="decision", limit=2900)
    with asker.services.database.session() as session:
        item, meeting = meetings.get_item(session=session, number=number)
        group, trial = linked(asker, session)
        if meeting.trial_id != trial.id:
            raise UserError(
                _("A-{number} belongs to another trial's meeting.").format(number=number)
            )
        asker.require(Action.MANAGE_MEETINGS, group)
        previous = minutes.decide(
            session=session,
            item=item,
            meeting=meeting,
            decision=decision,
            actor_user_id=asker.user_id,
        )
    was = _(" (it was “{previous}”)").format(previous=said(previous, 200)) if previous else ""
    return notice(
        _(
            ":white_check_mark: {person} recorded the decision on *A-{number}* "
            "{title} (M-{meeting}): *{decision}*{was}"
        ).format(
            person=mention(asker.user_id),
            number=number,
            title=said(item.title, 200),
            meeting=meeting.id,
            decision=said(decision, 1500),
            was=was,
        ),
        in_channel=True,
    )


def list_decisions(asker: Asker, tokens: list[Token]) -> Message:
    """Anyone in the channel: the group's decisions, newest first."""
    if tokens:
        raise ParseError(
            _("`/meeting decisions` takes nothing after it."), example="/meeting decisions"
        )
    with asker.services.database.session(write=False) as session:
        _ignored, trial = linked(asker, session)
        found = minutes.decisions(session=session, trial=trial)
    return blocks.decisions_list(trial.name, found, asker.services.settings.tz)
