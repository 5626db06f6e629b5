"""`/meeting`: schedule the hui, list them, cancel, keep the minutes and attendance."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import App

from handlers.context import (
    Asker,
    Services,
    in_this_trial,
    linked,
)
from handlers.listeners import on_click
from handlers.meeting_ops import meeting_here
from handlers.minutes import (
    cancel_change,
    confirm,
    decide,
    list_decisions,
    record_message,
    record_minutes,
)
from handlers.minutes_form import form_command
from handlers.permissions import Action
from handlers.registry import Family, Sub
from models import groups, meetings, minutes, series
from models.errors import ParseError, UserError
from models.tables import TITLE_LENGTH
from models.working_days import WorkingDays
from ui.blocks import ids
from ui.blocks import meetings as blocks
from ui.blocks.common import Message, notice
from ui.blocks.modals import create_task_modal
from ui.formatting import format_datetime, mention, said
from ui.i18n import N_, _
from ui.ics import meeting_ics
from ui.parsing import (
    Token,
    choice,
    join,
    local_datetime,
    parse_date,
    parse_date_to_come,
    parse_link,
    parse_title,
    split_date_time,
    split_keywords,
)

SCHEDULE_EXAMPLE = "/meeting schedule 15/12 10am at Gore Library"


def _repeat(words: list[Token], first: Any, today: Any) -> tuple[str, list[Any]]:
    """`repeat monthly until 30/6/2027`: how it repeats, and the dates it falls on."""
    example = "/meeting schedule 1/12 10am at Gore Library repeat monthly until 30/6/2027"
    if not words:
        raise ParseError(_("Say how it repeats: weekly, fortnightly or monthly."), example=example)
    how = choice(words[0].text, {r: r for r in series.REPEATS}, what="repeat", example=example)
    until = None
    if len(words) > 1:
        if not words[1].is_word("until") or len(words) < 3:
            raise ParseError(_("After how it repeats, say `until` and a date."), example=example)
        until = parse_date_to_come(join(words[2:]), today=today, example=example)
        if until < first:
            raise ParseError(_("The series has to end after its first meeting."), example=example)
    return how, series.occurrences(first, how, until)


def schedule(asker: Asker, tokens: list[Token]) -> Message:
    """Lead or chair: schedule a meeting at a date, time and place, or a series of them."""
    head, keywords = split_keywords(tokens, {"at", "repeat"})
    services = asker.services
    day, at = split_date_time(head, today=services.today())
    starts_at = local_datetime(day, at, services.settings.tz)
    if starts_at <= services.now():
        raise ParseError(
            _("{when} has passed. Give a time to come.").format(
                when=format_datetime(starts_at, services.settings.tz)
            ),
            example=SCHEDULE_EXAMPLE,
        )
    place = None
    if "at" in keywords:
        words = keywords["at"]
        link = parse_link(words[0].text) if len(words) == 1 else None
        place = link or parse_title(join(words), what="place", limit=TITLE_LENGTH)
    repeat, days = None, [day]
    if "repeat" in keywords:
        repeat, days = _repeat(keywords["repeat"], day, services.today())
    tz = services.settings.tz
    with services.database.session() as session:
        group, trial = linked(asker, session)
        asker.require(Action.MANAGE_MEETINGS, group)
        if repeat is None:
            made = [
                meetings.schedule(
                    session=session,
                    trial=trial,
                    starts_at=starts_at,
                    place=place,
                    actor_user_id=asker.user_id,
                )
            ]
        else:
            made = meetings.schedule_series(
                session=session,
                trial=trial,
                starts=[local_datetime(d, at, tz) for d in days],
                place=place,
                repeat=repeat,
                actor_user_id=asker.user_id,
            )
        minutes.join_waiting(session=session, meeting=made[0])  # items not reached before
    calendar = WorkingDays(trial.region)
    holidays = [
        (m, name)
        for m in made
        if (name := calendar.holiday(m.starts_at.astimezone(tz).date())) is not None
    ]
    return blocks.meeting_scheduled(trial.name, made, tz, asker.user_id, holidays=holidays)


def move(asker: Asker, tokens: list[Token]) -> Message:
    """Lead or chair: one meeting to another date (and time); of a series, this one alone."""
    example = "/meeting move M-5 16/12 2pm"
    if len(tokens) < 2:
        raise ParseError(_("Give the meeting and its new date (and time)."), example=example)
    services, tz = asker.services, asker.services.settings.tz
    with services.database.session() as session:
        meeting, trial = meeting_here(asker, session, tokens, example, lock=True)
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        asker.require(Action.MANAGE_MEETINGS, group)
        try:
            day, at = split_date_time(tokens[1:], today=services.today())
        except ParseError:
            day = parse_date(join(tokens[1:]), today=services.today())
            at = meeting.starts_at.astimezone(tz).time()  # the same time, another day
        starts_at = local_datetime(day, at, tz)
        if starts_at <= services.now():
            raise ParseError(
                _("{when} has passed. Give a time to come.").format(
                    when=format_datetime(starts_at, tz)
                ),
                example=example,
            )
        previous = meetings.move(
            session=session, meeting=meeting, starts_at=starts_at, actor_user_id=asker.user_id
        )
    return notice(
        _(
            ":spiral_calendar_pad: {person} moved the {trial} meeting "
            "*M-{meeting}* from {when} to {when2}{where}."
        ).format(
            person=mention(asker.user_id),
            trial=said(trial.name),
            meeting=meeting.id,
            when=format_datetime(previous, tz),
            when2=format_datetime(starts_at, tz),
            where=blocks.where(meeting),
        ),
        in_channel=True,
    )


def list_meetings(asker: Asker, tokens: list[Token]) -> Message:
    """Coming meetings, with agenda sizes and calendar files."""
    if tokens:
        raise ParseError(_("`/meeting list` takes nothing after it."), example="/meeting list")
    with asker.services.database.session(write=False) as session:
        _ignored, trial = linked(asker, session)
        rows = meetings.upcoming(session=session, trial=trial, now=asker.services.now(), limit=100)
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
        return notice(
            _("M-{meeting} was already cancelled. Nothing changed.").format(meeting=meeting.id)
        )
    return notice(
        _(":x: {person} cancelled the {trial} meeting *M-{meeting}* on {when}.").format(
            person=mention(asker.user_id),
            trial=said(trial.name),
            meeting=meeting.id,
            when=format_datetime(meeting.starts_at, asker.services.settings.tz),
        ),
        in_channel=True,
    )


FAMILY = Family(
    command="/meeting",
    description="Schedule meetings, keep minutes and attendance",
    about=N_("The advisory group's meetings: when and where, the minutes, who came."),
    default="list",
    subs=(
        Sub(
            "schedule",
            schedule,
            (
                (
                    "/meeting schedule 15/12 10am at Gore Library",
                    N_("schedule a meeting (a link works as the place)."),
                ),
                (
                    "/meeting schedule 1/12 10am at Gore Library repeat monthly until 30/6/2027",
                    N_(
                        "a series: weekly, fortnightly, or monthly "
                        "on the same weekday of the month."
                    ),
                ),
            ),
            who=N_("Lead or chair"),
            changes=True,
        ),
        Sub(
            "move",
            move,
            (("/meeting move M-5 16/12 2pm", N_("another date or time (of a series, this one).")),),
            who=N_("Lead or chair"),
            changes=True,
        ),
        Sub(
            "list",
            list_meetings,
            (("/meeting list", N_("Coming meetings with their agenda sizes and calendar files.")),),
        ),
        Sub(
            "show",
            show,
            (("/meeting show M-5", N_("The meeting: agenda, attendance by sector, minutes.")),),
        ),
        Sub(
            "cancel",
            cancel,
            (("/meeting cancel M-5", N_("cancel it; the group is told.")),),
            who=N_("Lead or chair"),
            changes=True,
        ),
        Sub(
            "minutes",
            record_minutes,
            (
                (
                    "/meeting minutes M-5 present @hemi @aroha apologies @tama Agreed to fund the "
                    "breakfast club.",
                    N_(
                        "mark it held, record who came, who sent apologies, and the minutes (up to "
                        "12,000 characters; minutes already kept are replaced or added to, after "
                        "asking)."
                    ),
                ),
                (
                    "/meeting minutes 25/11 10am at Gore Library present @hemi Agreed to ...",
                    N_("a meeting that was never scheduled, recorded as held."),
                ),
            ),
            who=N_("Lead or chair"),
            changes=True,
            form=form_command,
            form_words=1,
        ),
        Sub(
            "decide",
            decide,
            (
                (
                    "/meeting decide A-7 Fund the breakfast club for two terms",
                    N_("record a decision."),
                ),
            ),
            who=N_("Lead or chair"),
            changes=True,
        ),
        Sub(
            "decisions",
            list_decisions,
            (("/meeting decisions", N_("The group's decisions, newest first, with their tasks.")),),
        ),
    ),
)


def upload_calendar(asker: Asker, meeting_id: int) -> Message:
    """Put a meeting's .ics file in the channel, through Slack's files upload flow."""
    if asker.channel_id is None:
        raise UserError(_("Use “Add to calendar” from a group's channel."))
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
        title=_("{trial} meeting M-{meeting_id}, {when}").format(
            trial=trial.name, meeting_id=meeting_id, when=when
        ),
        initial_comment=_(
            "{person} asked for M-{meeting_id} as a calendar file: open it to add "
            "the meeting to your calendar."
        ).format(person=mention(asker.user_id), meeting_id=meeting_id),
    )
    return notice(
        _("The calendar file for M-{meeting_id} is in the channel.").format(meeting_id=meeting_id)
    )


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
    """Wire `/meeting`'s buttons into the app."""

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
