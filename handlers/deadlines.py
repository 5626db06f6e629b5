"""`/deadline`: reporting deadlines, and the buttons on their reminders."""

from __future__ import annotations

import re
from datetime import timedelta

from slack_bolt import App
from sqlmodel import Session

from handlers.context import (
    Asker,
    Services,
    in_this_trial,
    linked,
)
from handlers.listeners import on_click
from handlers.permissions import Action
from handlers.registry import Family, Sub
from handlers.task_ops import member_named
from models import deadlines, groups
from models.errors import ParseError, UserError
from models.tables import TITLE_LENGTH, Deadline, Trial
from models.working_days import WorkingDays
from ui.blocks import deadlines as blocks
from ui.blocks import ids
from ui.blocks.common import Message, notice
from ui.formatting import format_date, mention, said
from ui.i18n import N_, _, label
from ui.parsing import (
    Token,
    join,
    parse_date_to_come,
    parse_link,
    parse_reference,
    parse_title,
    split_keywords,
)

ADD_EXAMPLE = "/deadline add Six-monthly progress report to Ministers due 15/12"
OFFSETS = re.compile(r"^\d{1,3}(\s*,\s*\d{1,3})*$")


def deadline_here(
    asker: Asker, session: Session, tokens: list[Token], example: str, *, lock: bool = False
) -> tuple[Deadline, Trial]:
    if not tokens:
        raise ParseError(_("Say which deadline."), example=example)
    number = parse_reference(tokens[0].text, "D").number
    deadline = deadlines.get_deadline(session=session, number=number, lock=lock)
    return deadline, in_this_trial(asker, session, deadline.trial_id, f"D-{number}")


def add(asker: Asker, tokens: list[Token]) -> Message:
    """Lead: add a deadline; Director: `national` adds it to every active trial."""
    national = bool(tokens) and tokens[-1].is_word("national")
    head, keywords = split_keywords(tokens[:-1] if national else tokens, {"due", "owner"})
    title = parse_title(join(head), what=_("deadline title"), limit=TITLE_LENGTH)
    if "due" not in keywords:
        raise ParseError(_("Say when it is due."), example=ADD_EXAMPLE)
    today = asker.services.today()
    due = parse_date_to_come(join(keywords["due"]), today=today, example=ADD_EXAMPLE)
    with asker.services.database.session() as session:
        if national:
            group = groups.load_group(
                session=session, user_id=asker.user_id, channel_id=asker.channel_id
            )
            asker.require(Action.NATIONAL, group)
            if "owner" in keywords:
                raise ParseError(
                    _("A national deadline belongs to each trial's lead; leave out `owner`.")
                )
            made = deadlines.add_national(
                session=session, title=title, due_date=due, actor_user_id=asker.user_id
            )
            return blocks.national_added(asker.user_id, title, due, made)
        group, trial = linked(asker, session)
        asker.require(Action.MANAGE_DEADLINES, group)
        owner = (
            member_named(asker, session, trial, keywords["owner"][0])
            if "owner" in keywords
            else None
        )
        deadline = deadlines.add(
            session=session,
            trial=trial,
            title=title,
            due_date=due,
            responsible=owner,
            actor_user_id=asker.user_id,
        )
        responsible = deadlines.responsible_of(session=session, deadline=deadline)
    who = (
        _(" {person} is responsible.").format(person=mention(responsible))
        if responsible
        else _(" Nobody is responsible yet: the trial has no lead.")
    )
    return notice(
        _(
            ":calendar: {person} added *D-{deadline}* “{title}” for {trial}, due {date}.{who}"
        ).format(
            person=mention(asker.user_id),
            deadline=deadline.id,
            title=title,
            trial=said(trial.name),
            date=format_date(due),
            who=who,
        ),
        in_channel=True,
    )


def list_deadlines(asker: Asker, tokens: list[Token]) -> Message:
    """Open deadlines: the trial's, or (for the Director outside a trial channel) all."""
    today = asker.services.today()
    with asker.services.database.session(write=False) as session:
        group = groups.load_group(
            session=session, user_id=asker.user_id, channel_id=asker.channel_id
        )
        if group.trial is None:
            asker.require(Action.NATIONAL, group)
            rows = deadlines.listing(session=session, trial=None)
            return blocks.deadline_list(
                _("Open deadlines of every trial"), rows, today, with_trial=True
            )
        rows = deadlines.listing(session=session, trial=group.trial)
    return blocks.deadline_list(
        said(group.trial.name) + ": " + label("open deadlines"), rows, today
    )


def submit(asker: Asker, tokens: list[Token]) -> Message:
    """Responsible member or lead: mark a deadline submitted, with an optional link."""
    example = "/deadline submitted D-3 https://docs.example/report"
    link = None
    if len(tokens) > 1:
        link = parse_link(tokens[1].text) or tokens[1].text
        if len(tokens) > 2 or not link.startswith(("http://", "https://")):
            raise ParseError(
                _("After the deadline, give only a link to what was submitted."), example=example
            )
    with asker.services.database.session() as session:
        deadline, trial = deadline_here(asker, session, tokens, example, lock=True)
        mark_submitted(asker, session, deadline, trial, link)
    return submitted_notice(asker, deadline, trial, link)


def mark_submitted(
    asker: Asker, session: Session, deadline: Deadline, trial: Trial, link: str | None
) -> None:
    group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
    asker.require(
        Action.SUBMIT_DEADLINE,
        group,
        owner_user_id=deadlines.responsible_of(session=session, deadline=deadline),
    )
    if not deadlines.mark_submitted(
        session=session, deadline=deadline, link=link, actor_user_id=asker.user_id
    ):
        raise UserError(
            _("D-{deadline} was already marked submitted. Nothing changed.").format(
                deadline=deadline.id
            )
        )


def submitted_notice(asker: Asker, deadline: Deadline, trial: Trial, link: str | None) -> Message:
    linked_text = _(" (<{link}|the report>)").format(link=link) if link else ""
    return notice(
        _(
            ":white_check_mark: {person} marked *D-{deadline}* “{title}” for "
            "{trial} submitted{linked_text}. No more reminders for it."
        ).format(
            person=mention(asker.user_id),
            deadline=deadline.id,
            title=said(deadline.title),
            trial=said(trial.name),
            linked_text=linked_text,
        ),
        in_channel=True,
    )


def remind(asker: Asker, tokens: list[Token]) -> Message:
    """Lead: choose the days before the deadline that reminders go."""
    example = "/deadline remind D-3 21,14,7,1,0"
    days_text = join(tokens[1:])
    if not OFFSETS.match(days_text):
        raise ParseError(
            _("Give the days before the deadline as numbers separated by commas."), example=example
        )
    days = sorted({int(part) for part in days_text.split(",")}, reverse=True)
    if days[0] > 365:
        raise ParseError(_("Reminders can start at most 365 days before."), example=example)
    with asker.services.database.session() as session:
        deadline, trial = deadline_here(asker, session, tokens, example, lock=True)
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        asker.require(Action.MANAGE_DEADLINES, group)
        deadlines.set_offsets(
            session=session, deadline=deadline, offsets=days, actor_user_id=asker.user_id
        )
    shown = ", ".join(str(day) for day in days)
    return notice(
        _(
            "Reminders for *D-{deadline}* will go {shown} days before it is due (0 "
            "is the day itself), and daily while it is overdue."
        ).format(deadline=deadline.id, shown=shown)
    )


def _may_change(asker: Asker, session: Session, deadline: Deadline, trial: Trial) -> None:
    """The lead changes the trial's own deadlines; the Director the national ones."""
    group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
    asker.require(
        Action.NATIONAL_DEADLINE if deadline.national_key else Action.MANAGE_DEADLINES, group
    )


def waive(asker: Asker, tokens: list[Token]) -> Message:
    """Lead (the Director for national ones): the deadline is waived; reminders stop."""
    example = "/deadline waive D-3 The Ministry has combined it with the June report"
    if len(tokens) < 2:
        raise ParseError(_("Say why it is waived, after the deadline."), example=example)
    reason = parse_title(join(tokens[1:]), what="reason", limit=TITLE_LENGTH)
    with asker.services.database.session() as session:
        deadline, trial = deadline_here(asker, session, tokens, example, lock=True)
        _may_change(asker, session, deadline, trial)
        if not deadlines.waive(
            session=session, deadline=deadline, reason=reason, actor_user_id=asker.user_id
        ):
            return notice(
                _("*D-{deadline}* was waived already. Nothing changed.").format(
                    deadline=deadline.id
                )
            )
    return notice(
        _(
            ":no_entry_sign: {person} waived *D-{deadline}* “{title}” for {trial}: "
            "{reason}. No more reminders; reports count it as waived."
        ).format(
            person=mention(asker.user_id),
            deadline=deadline.id,
            title=said(deadline.title),
            trial=said(trial.name),
            reason=said(reason),
        ),
        in_channel=True,
    )


def move_due(asker: Asker, tokens: list[Token]) -> Message:
    """Lead (the Director for national ones): a new due date; reminders follow it."""
    example = "/deadline due D-3 31/1/2027"
    if len(tokens) < 2:
        raise ParseError(_("Give the new due date after the deadline."), example=example)
    due = parse_date_to_come(join(tokens[1:]), today=asker.services.today(), example=example)
    with asker.services.database.session() as session:
        deadline, trial = deadline_here(asker, session, tokens, example, lock=True)
        _may_change(asker, session, deadline, trial)
        previous = deadlines.set_due(
            session=session, deadline=deadline, due_date=due, actor_user_id=asker.user_id
        )
    return notice(
        _(
            ":calendar: {person} moved *D-{deadline}* “{title}” from {date} to "
            "{date2}; its reminders follow the new date."
        ).format(
            person=mention(asker.user_id),
            deadline=deadline.id,
            title=said(deadline.title),
            date=format_date(previous),
            date2=format_date(due),
        ),
        in_channel=True,
    )


FAMILY = Family(
    command="/deadline",
    description="Reporting deadlines and their reminders",
    about=N_("Reporting deadlines, with reminders so none is missed."),
    default="list",
    subs=(
        Sub(
            "add",
            add,
            (
                (
                    "/deadline add Six-monthly progress report to Ministers due 15/12",
                    N_(
                        "Lead: add a deadline (the lead is responsible unless you add "
                        "`owner @person`)."
                    ),
                ),
                (
                    "/deadline add Report to the Joint Venture Board due 31/1/2027 national",
                    N_("Director: the same deadline for every active trial, owned by each lead."),
                ),
            ),
            changes=True,
        ),
        Sub("list", list_deadlines, (("/deadline list", N_("Open deadlines, soonest first.")),)),
        Sub(
            "submitted",
            submit,
            (
                (
                    "/deadline submitted D-3 https://docs.example/report",
                    N_("it's in (the link is optional)."),
                ),
            ),
            who=N_("Responsible member or lead"),
            changes=True,
            aliases=("submit",),
        ),
        Sub(
            "remind",
            remind,
            (("/deadline remind D-3 21,14,7,1,0", N_("choose the days before to be reminded.")),),
            who="Lead",
            changes=True,
        ),
        Sub(
            "waive",
            waive,
            (
                (
                    "/deadline waive D-3 The Ministry has combined it with the June report",
                    N_("it is no longer needed: reminders stop, the group is told."),
                ),
            ),
            who=N_("Lead (the Director for national deadlines)"),
            changes=True,
        ),
        Sub(
            "due",
            move_due,
            (("/deadline due D-3 31/1/2027", N_("move the due date; reminders follow it.")),),
            who=N_("Lead (the Director for national deadlines)"),
            changes=True,
        ),
    ),
)


def submit_clicked(asker: Asker, number: int) -> Message:
    with asker.services.database.session() as session:
        deadline = deadlines.get_deadline(session=session, number=number, lock=True)
        trial = session.get(Trial, deadline.trial_id)
        assert trial is not None
        mark_submitted(asker, session, deadline, trial, None)
    notice_message = submitted_notice(asker, deadline, trial, None)
    if trial.channel_id:
        asker.announce(trial.channel_id, notice_message)
    return notice(_("D-{number} is marked submitted.").format(number=number))


def snooze_clicked(asker: Asker, number: int) -> Message:
    services = asker.services
    with services.database.session() as session:
        deadline = deadlines.get_deadline(session=session, number=number, lock=True)
        trial = session.get(Trial, deadline.trial_id)
        assert trial is not None
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        asker.require(Action.MANAGE_DEADLINES, group)
        until = WorkingDays(trial.region).on_or_after(services.today() + timedelta(days=1))
        deadlines.snooze(
            session=session, deadline=deadline, until=until, actor_user_id=asker.user_id
        )
    return notice(
        _("I'll remind you about D-{number} again on {date}.").format(
            number=number, date=format_date(until)
        )
    )


def register(app: App, services: Services) -> None:
    """Wire the deadline reminders' buttons into the app."""

    on_click(
        app,
        ids.DEADLINE_SUBMIT,
        services,
        lambda asker, action, _body: submit_clicked(asker, int(action["value"])),
    )
    on_click(
        app,
        ids.DEADLINE_SNOOZE,
        services,
        lambda asker, action, _body: snooze_clicked(asker, int(action["value"])),
    )
