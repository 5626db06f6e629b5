"""`/meeting`: schedule the hui, list them, cancel, keep the minutes and attendance."""

from __future__ import annotations

import json

from slack_bolt import App

from handlers.context import (
    Asker,
    Services,
    in_this_trial,
    linked,
)
from handlers.listeners import on_click, on_command
from handlers.meeting_ops import meeting_here
from handlers.minutes import (
    cancel_change,
    confirm,
    decide,
    list_decisions,
    record_message,
    record_minutes,
)
from handlers.permissions import Action
from handlers.registry import Family, Sub
from models import groups, meetings, minutes
from models.errors import ParseError, UserError
from models.tables import TITLE_LENGTH
from ui.blocks import ids
from ui.blocks import meetings as blocks
from ui.blocks.common import Message, notice
from ui.blocks.modals import create_task_modal
from ui.formatting import format_datetime, mention, said
from ui.ics import meeting_ics
from ui.parsing import (
    Token,
    join,
    local_datetime,
    parse_link,
    parse_title,
    split_date_time,
    split_keywords,
)

SCHEDULE_EXAMPLE = "/meeting schedule 15/12 10am at Gore Library"
MINUTES_EXAMPLE = "/meeting minutes M-5 present @hemi @aroha Agreed to fund the breakfast club."


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
        minutes.join_waiting(session=session, meeting=meeting)  # items not reached before
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
    """A meeting's agenda with outcomes and decisions, attendance by sector, minutes."""
    with asker.services.database.session(write=False) as session:
        meeting, trial = meeting_here(asker, session, tokens, "/meeting show M-5")
        return record_message(asker, session, trial, meeting)


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
            record_minutes,
            (
                (
                    "/meeting minutes M-5 present @hemi @aroha apologies @tama Agreed to fund the "
                    "breakfast club.",
                    "mark it held, record who came, who sent apologies, and the minutes (up to "
                    "12,000 characters; minutes already kept are replaced or added to, after "
                    "asking).",
                ),
                (
                    "/meeting minutes 25/11 10am at Gore Library present @hemi Agreed to ...",
                    "a meeting that was never scheduled, recorded as held.",
                ),
            ),
            who="Lead or chair",
            changes=True,
        ),
        Sub(
            "decide",
            decide,
            (("/meeting decide A-7 Fund the breakfast club for two terms", "record a decision."),),
            who="Lead or chair",
            changes=True,
        ),
        Sub(
            "decisions",
            list_decisions,
            (("/meeting decisions", "The group's decisions, newest first, with their tasks."),),
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
        ids.MINUTES_REPLACE,
        services,
        lambda asker, action, _body: confirm(asker, int(action["value"]), add=False),
    )
    on_click(
        app,
        ids.MINUTES_ADD,
        services,
        lambda asker, action, _body: confirm(asker, int(action["value"]), add=True),
    )
    on_click(
        app,
        ids.MINUTES_CANCEL,
        services,
        lambda asker, action, _body: cancel_change(asker, int(action["value"])),
    )
    on_click(
        app,
        ids.AGENDA_TO_TASK,
        services,
        lambda asker, action, body: open_task_form(asker, int(action["value"]), body["trigger_id"]),
        changes=False,
    )
