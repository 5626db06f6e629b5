"""`/meeting`: schedule the hui, list them, cancel, keep the minutes and attendance."""

from __future__ import annotations

import json

from slack_bolt import App
from sqlmodel import Session

from handlers.context import (
    Asker,
    Services,
    in_this_trial,
    linked,
)
from handlers.listeners import on_click, on_command
from handlers.permissions import Action
from handlers.registry import Family, Sub
from handlers.task_ops import member_named
from models import groups, meetings
from models.errors import ParseError, UserError
from models.tables import TITLE_LENGTH, Meeting, Member, Trial
from ui.blocks import ids
from ui.blocks import meetings as blocks
from ui.blocks.common import Message, notice
from ui.blocks.modals import create_task_modal
from ui.formatting import format_datetime, mention, said
from ui.ics import meeting_ics
from ui.parsing import (
    Token,
    is_mention,
    join,
    local_datetime,
    parse_link,
    parse_reference,
    parse_title,
    split_date_time,
    split_keywords,
)

SCHEDULE_EXAMPLE = "/meeting schedule 15/12 10am at Gore Library"
MINUTES_EXAMPLE = "/meeting minutes M-5 present @hemi @aroha Agreed to fund the breakfast club."


def meeting_here(
    asker: Asker, session: Session, tokens: list[Token], example: str, *, lock: bool = False
) -> tuple[Meeting, Trial]:
    if not tokens:
        raise ParseError("Say which meeting.", example=example)
    number = parse_reference(tokens[0].text, "M").number
    meeting = meetings.get_meeting(session=session, number=number, lock=lock)
    return meeting, in_this_trial(asker, session, meeting.trial_id, f"M-{number}")


def schedule(asker: Asker, tokens: list[Token]) -> Message:
    """Lead or chair: schedule a meeting at a date, time and place."""
    head, keywords = split_keywords(tokens, {"at"})
    services = asker.services
    day, at = split_date_time(head, today=services.today())
    starts_at = local_datetime(day, at, services.settings.tz)
    if starts_at <= services.now():
        raise ParseError(
            f"{format_datetime(starts_at, services.settings.tz)} has passed. Give a time to come.",
            example=SCHEDULE_EXAMPLE,
        )
    place = None
    if "at" in keywords:
        words = keywords["at"]
        link = parse_link(words[0].text) if len(words) == 1 else None
        place = link or parse_title(join(words), what="place", limit=TITLE_LENGTH)
    with services.database.session() as session:
        group, trial = linked(asker, session)
        asker.require(Action.MANAGE_MEETINGS, group)
        meeting = meetings.schedule(
            session=session,
            trial=trial,
            starts_at=starts_at,
            place=place,
            actor_user_id=asker.user_id,
        )
    return blocks.meeting_scheduled(trial.name, meeting, services.settings.tz, asker.user_id)


def list_meetings(asker: Asker, tokens: list[Token]) -> Message:
    """Coming meetings, with agenda sizes and calendar files."""
    if tokens:
        raise ParseError("`/meeting list` takes nothing after it.", example="/meeting list")
    with asker.services.database.session(write=False) as session:
        _, trial = linked(asker, session)
        rows = meetings.upcoming(session=session, trial=trial, now=asker.services.now())
    return blocks.meeting_list(trial.name, rows, asker.services.settings.tz)


def show(asker: Asker, tokens: list[Token]) -> Message:
    """A meeting's agenda, attendance by sector and minutes."""
    with asker.services.database.session(write=False) as session:
        meeting, trial = meeting_here(asker, session, tokens, "/meeting show M-5")
        items = meetings.agenda(session=session, meeting=meeting)
        present = meetings.attendance(session=session, meeting=meeting)
    return blocks.meeting_record(
        trial.name,
        meeting,
        items,
        present,
        meetings.sectors_absent(present),
        asker.services.settings.tz,
    )


def cancel(asker: Asker, tokens: list[Token]) -> Message:
    """Lead or chair: cancel a meeting."""
    with asker.services.database.session() as session:
        meeting, trial = meeting_here(asker, session, tokens, "/meeting cancel M-5", lock=True)
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        asker.require(Action.MANAGE_MEETINGS, group)
        changed = meetings.cancel(session=session, meeting=meeting, actor_user_id=asker.user_id)
    if not changed:
        return notice(f"M-{meeting.id} was already cancelled. Nothing changed.")
    return notice(
        f":x: {mention(asker.user_id)} cancelled the {said(trial.name)} meeting "
        f"*M-{meeting.id}* on "
        f"{format_datetime(meeting.starts_at, asker.services.settings.tz)}.",
        in_channel=True,
    )


def minutes(asker: Asker, tokens: list[Token]) -> Message:
    """Lead or chair: mark a meeting held, with its minutes and who attended."""
    rest = tokens[1:]
    attendees: list[Token] = []
    if rest and rest[0].is_word("present"):
        rest = rest[1:]
        while rest and is_mention(rest[0]):
            attendees.append(rest.pop(0))
        if not attendees:
            raise ParseError("Mention who was present after `present`.", example=MINUTES_EXAMPLE)
    if not rest:
        raise ParseError(
            "Write the minutes after the meeting (and who was present).", example=MINUTES_EXAMPLE
        )
    text = parse_title(join(rest), what="minutes", limit=2900)
    services = asker.services
    with services.database.session() as session:
        meeting, trial = meeting_here(asker, session, tokens, MINUTES_EXAMPLE, lock=True)
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        asker.require(Action.MANAGE_MEETINGS, group)
        held_later = meeting.starts_at.astimezone(services.settings.tz).date() > services.today()
        if held_later and meeting.status != "cancelled":
            raise UserError(
                f"M-{meeting.id} is on "
                f"{format_datetime(meeting.starts_at, services.settings.tz)}; "
                "record its minutes once it has been held."
            )
        present: list[Member] = [member_named(asker, session, trial, t) for t in attendees]
        meetings.record_minutes(
            session=session,
            meeting=meeting,
            minutes=text,
            present=present,
            actor_user_id=asker.user_id,
        )
        items = meetings.agenda(session=session, meeting=meeting)
    return blocks.meeting_record(
        trial.name,
        meeting,
        items,
        present,
        meetings.sectors_absent(present),
        services.settings.tz,
        minutes_posted_by=asker.user_id,
    )


FAMILY = Family(
    command="/meeting",
    description="Schedule meetings, keep minutes and attendance",
    about="The advisory group's meetings: when and where, the minutes, who came.",
    default="list",
    subs=(
        Sub(
            "schedule",
            schedule,
            (
                (
                    "/meeting schedule 15/12 10am at Gore Library",
                    "schedule a meeting (a link works as the place).",
                ),
            ),
            who="Lead or chair",
            changes=True,
        ),
        Sub(
            "list",
            list_meetings,
            (("/meeting list", "Coming meetings with their agenda sizes and calendar files."),),
        ),
        Sub(
            "show",
            show,
            (("/meeting show M-5", "The meeting: agenda, attendance by sector, minutes."),),
        ),
        Sub(
            "cancel",
            cancel,
            (("/meeting cancel M-5", "cancel it; the group is told."),),
            who="Lead or chair",
            changes=True,
        ),
        Sub(
            "minutes",
            minutes,
            (
                (
                    "/meeting minutes M-5 present @hemi @aroha Agreed to fund the breakfast club.",
                    "mark it held, record who came and the minutes.",
                ),
            ),
            who="Lead or chair",
            changes=True,
        ),
    ),
)


def upload_calendar(asker: Asker, meeting_id: int) -> Message:
    """Put a meeting's .ics file in the channel, through Slack's files upload flow."""
    if asker.channel_id is None:
        raise UserError("Use “Add to calendar” from a group's channel.")
    with asker.services.database.session(write=False) as session:
        meeting = meetings.get_meeting(session=session, number=meeting_id)
        trial = in_this_trial(asker, session, meeting.trial_id, f"M-{meeting_id}")
        items = [i.title for i in meetings.agenda(session=session, meeting=meeting)]
    data = meeting_ics(
        meeting_id=meeting_id,
        trial_name=trial.name,
        starts_at=meeting.starts_at.astimezone(asker.services.settings.tz),
        place=meeting.place,
        agenda=items,
        cancelled=meeting.status == "cancelled",
    )
    when = format_datetime(meeting.starts_at, asker.services.settings.tz)
    asker.client.files_upload_v2(
        channel=asker.channel_id,
        content=data,
        filename=f"meeting-M-{meeting_id}.ics",
        title=f"{trial.name} meeting M-{meeting_id}, {when}",
        initial_comment=f"{mention(asker.user_id)} asked for M-{meeting_id} as a calendar file: "
        "open it to add the meeting to your calendar.",
    )
    return notice(f"The calendar file for M-{meeting_id} is in the channel.")


def open_task_form(asker: Asker, item_id: int, trigger_id: str) -> None:
    """“Make a task” on the minutes: the new-task form, titled after the agenda item."""
    with asker.services.database.session(write=False) as session:
        item, meeting = meetings.get_item(session=session, number=item_id)
        trial = in_this_trial(asker, session, meeting.trial_id, f"A-{item_id}")
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        asker.require(Action.ADD_TASK, group)
        outcomes = [o.name for o in groups.trial_outcomes(session=session, trial=trial)]
    metadata = json.dumps({"channel": asker.channel_id, "trial": trial.id, "from": item_id})
    asker.client.views_open(
        trigger_id=trigger_id,
        view=create_task_modal(
            author_user_id=asker.user_id, outcomes=outcomes, metadata=metadata, title=item.title
        ),
    )


def register(app: App, services: Services) -> None:
    """Wire `/meeting` and its buttons into the app."""

    on_command(app, FAMILY, services)

    on_click(
        app,
        ids.MEETING_CALENDAR,
        services,
        lambda asker, action, _body: upload_calendar(asker, int(action["value"])),
        changes=False,
        slow=True,
    )
    on_click(
        app,
        ids.AGENDA_TO_TASK,
        services,
        lambda asker, action, body: open_task_form(asker, int(action["value"]), body["trigger_id"]),
        changes=False,
    )
