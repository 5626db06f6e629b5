"""`/agenda`: items for the next meeting, in order, with who proposed them."""

from __future__ import annotations

from sqlmodel import Session

from handlers.context import (
    Asker,
    in_this_trial,
    linked,
)
from handlers.permissions import Action
from handlers.registry import Family, Sub
from models import groups, meetings
from models.errors import ParseError, UserError
from models.tables import TITLE_LENGTH, AgendaItem, Meeting, Trial
from ui.blocks import meetings as blocks
from ui.blocks.common import Message, notice
from ui.formatting import mention, said
from ui.i18n import N_, _
from ui.parsing import Token, join, parse_reference, parse_title, take_reference

ADD_EXAMPLE = "/agenda add Funding for the youth hub"
NO_MEETING = N_(
    "No meeting of {trial} is scheduled, so there is no agenda to add to. A lead or chair can "
    "schedule one: `/meeting schedule 15/12 10am at Gore Library`."
)


def item_here(asker: Asker, session: Session, number: int) -> tuple[AgendaItem, Meeting, Trial]:
    """An agenda item of this channel's trial (refused from another trial's channel)."""
    item, meeting = meetings.get_item(session=session, number=number)
    return item, meeting, in_this_trial(asker, session, meeting.trial_id, f"A-{number}")


def _meeting(asker: Asker, session: Session, trial: Trial, reference: str | None) -> Meeting:
    """The meeting asked for, or the next scheduled one."""
    if reference is not None:
        number = parse_reference(reference, "M").number
        meeting = meetings.get_meeting(session=session, number=number)
        in_this_trial(asker, session, meeting.trial_id, f"M-{number}")
        return meeting
    found = meetings.next_meeting(session=session, trial=trial, now=asker.services.now())
    if found is None:
        raise UserError(_(NO_MEETING).format(trial=trial.name))
    return found


def add(asker: Asker, tokens: list[Token]) -> Message:
    """Any member: add an item to the next meeting (or `for M-5`)."""
    tokens, meeting_ref = take_reference(tokens, "for", "M")
    title = parse_title(join(tokens), what=_("agenda item"), limit=TITLE_LENGTH)
    with asker.services.database.session() as session:
        group, trial = linked(asker, session)
        asker.require(Action.ADD_AGENDA_ITEM, group)
        meeting = _meeting(asker, session, trial, str(meeting_ref) if meeting_ref else None)
        item = meetings.add_item(
            session=session, meeting=meeting, title=title, actor_user_id=asker.user_id
        )
    return notice(
        _(
            "{person} added *A-{item}* “{title}” to the agenda of *M-{meeting}* (item {position})."
        ).format(
            person=mention(asker.user_id),
            item=item.id,
            title=title,
            meeting=meeting.id,
            position=item.position,
        ),
        in_channel=True,
    )


def show(asker: Asker, tokens: list[Token]) -> Message:
    """The agenda of the next meeting, or of M-5, posted to the channel."""
    if len(tokens) > 1:
        raise ParseError(_("Give one meeting."), example="/agenda show M-5")
    with asker.services.database.session(write=False) as session:
        _ignored, trial = linked(asker, session)
        meeting = _meeting(asker, session, trial, tokens[0].text if tokens else None)
        items = meetings.agenda(session=session, meeting=meeting)
    return blocks.agenda_message(trial.name, meeting, items, asker.services.settings.tz)


def _editable_item(
    asker: Asker, session: Session, tokens: list[Token], example: str
) -> tuple[AgendaItem, Meeting, Trial]:
    if not tokens:
        raise ParseError(_("Say which item."), example=example)
    item, meeting, trial = item_here(asker, session, parse_reference(tokens[0].text, "A").number)
    group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
    asker.require(Action.EDIT_AGENDA_ITEM, group, owner_user_id=item.proposer_user_id)
    if meeting.status != "scheduled":
        raise UserError(
            _("M-{meeting} is {status}, so its agenda can't change.").format(
                meeting=meeting.id, status=meeting.status
            )
        )
    return item, meeting, trial


def remove(asker: Asker, tokens: list[Token]) -> Message:
    """Proposer, lead or chair: take an item off the agenda."""
    example = "/agenda remove A-7"
    if len(tokens) > 1:
        raise ParseError(_("Remove one item at a time."), example=example)
    with asker.services.database.session() as session:
        item, meeting, _ignored = _editable_item(asker, session, tokens, example)
        meetings.remove_item(
            session=session, item=item, meeting=meeting, actor_user_id=asker.user_id
        )
    return notice(
        _("{person} took *A-{item}* “{title}” off the agenda of *M-{meeting}*.").format(
            person=mention(asker.user_id), item=item.id, title=said(item.title), meeting=meeting.id
        ),
        in_channel=True,
    )


def move(asker: Asker, tokens: list[Token]) -> Message:
    """Proposer, lead or chair: move an item to a position (1 is first)."""
    example = "/agenda move A-7 1"
    if len(tokens) != 2 or not tokens[1].text.isdigit():
        raise ParseError(_("Say which item and its new position."), example=example)
    with asker.services.database.session() as session:
        item, meeting, trial = _editable_item(asker, session, tokens, example)
        meetings.move_item(
            session=session,
            item=item,
            meeting=meeting,
            position=int(tokens[1].text),
            actor_user_id=asker.user_id,
        )
        items = meetings.agenda(session=session, meeting=meeting)
    return blocks.agenda_message(
        trial.name, meeting, items, asker.services.settings.tz, title=_("Agenda (reordered)")
    )


FAMILY = Family(
    command="/agenda",
    description="The next meeting's agenda",
    about=N_("Items for the next meeting, in order, with who proposed them."),
    default="show",
    subs=(
        Sub(
            "show",
            show,
            (
                ("/agenda", N_("The next meeting's agenda, posted to the channel.")),
                ("/agenda show M-5", N_("A given meeting's agenda.")),
            ),
        ),
        Sub(
            "add",
            add,
            (
                (
                    "/agenda add Funding for the youth hub",
                    N_(
                        "add an item to the next meeting "
                        "(end with `for M-5` to choose the meeting)."
                    ),
                ),
            ),
            who=N_("Any member"),
            changes=True,
        ),
        Sub(
            "move",
            move,
            (("/agenda move A-7 1", N_("move an item (1 is first).")),),
            who=N_("Proposer, lead or chair"),
            changes=True,
        ),
        Sub(
            "remove",
            remove,
            (("/agenda remove A-7", N_("take an item off.")),),
            who=N_("Proposer, lead or chair"),
            changes=True,
        ),
    ),
)
