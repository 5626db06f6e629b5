"""`/agenda`: items for the next meeting, in order, with who proposed them."""

from __future__ import annotations

from slack_bolt import App
from sqlmodel import Session

from bot.blocks import meetings as blocks
from bot.blocks.common import Message, notice
from bot.errors import ParseError, UserError
from bot.formatting import mention
from bot.parsing import Token, join, parse_reference, parse_title, take_reference
from bot.permissions import Action
from handlers.context import (
    Asker,
    Services,
    Subcommand,
    in_this_trial,
    linked,
    route,
)
from handlers.listeners import on_command
from models import groups, meetings
from models.tables import TITLE_LENGTH, AgendaItem, Meeting, Trial

ADD_EXAMPLE = "/agenda add Funding for the youth hub"
NO_MEETING = (
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
        raise UserError(NO_MEETING.format(trial=trial.name))
    return found


def add(asker: Asker, tokens: list[Token]) -> Message:
    """Any member: add an item to the next meeting (or `for M-5`)."""
    tokens, meeting_ref = take_reference(tokens, "for", "M")
    title = parse_title(join(tokens), what="agenda item", limit=TITLE_LENGTH)
    with asker.services.database.session() as session:
        group, trial = linked(asker, session)
        asker.require(Action.ADD_AGENDA_ITEM, group)
        meeting = _meeting(asker, session, trial, str(meeting_ref) if meeting_ref else None)
        item = meetings.add_item(
            session=session, meeting=meeting, title=title, actor_user_id=asker.user_id
        )
    return notice(
        f"{mention(asker.user_id)} added *A-{item.id}* “{title}” to the agenda of *M-{meeting.id}* "
        f"(item {item.position}).",
        in_channel=True,
    )


def show(asker: Asker, tokens: list[Token]) -> Message:
    """The agenda of the next meeting, or of M-5, posted to the channel."""
    if len(tokens) > 1:
        raise ParseError("Give one meeting.", example="/agenda show M-5")
    with asker.services.database.session(write=False) as session:
        _, trial = linked(asker, session)
        meeting = _meeting(asker, session, trial, tokens[0].text if tokens else None)
        items = meetings.agenda(session=session, meeting=meeting)
    return blocks.agenda_message(trial.name, meeting, items, asker.services.settings.tz)


def _editable_item(
    asker: Asker, session: Session, tokens: list[Token], example: str
) -> tuple[AgendaItem, Meeting, Trial]:
    if not tokens:
        raise ParseError("Say which item.", example=example)
    item, meeting, trial = item_here(asker, session, parse_reference(tokens[0].text, "A").number)
    group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
    asker.require(Action.EDIT_AGENDA_ITEM, group, owner_user_id=item.proposer_user_id)
    if meeting.status != "scheduled":
        raise UserError(f"M-{meeting.id} is {meeting.status}, so its agenda can't change.")
    return item, meeting, trial


def remove(asker: Asker, tokens: list[Token]) -> Message:
    """Proposer, lead or chair: take an item off the agenda."""
    example = "/agenda remove A-7"
    if len(tokens) > 1:
        raise ParseError("Remove one item at a time.", example=example)
    with asker.services.database.session() as session:
        item, meeting, _ = _editable_item(asker, session, tokens, example)
        meetings.remove_item(
            session=session, item=item, meeting=meeting, actor_user_id=asker.user_id
        )
    return notice(
        f"{mention(asker.user_id)} took *A-{item.id}* “{item.title}” off the agenda of "
        f"*M-{meeting.id}*.",
        in_channel=True,
    )


def move(asker: Asker, tokens: list[Token]) -> Message:
    """Proposer, lead or chair: move an item to a position (1 is first)."""
    example = "/agenda move A-7 1"
    if len(tokens) != 2 or not tokens[1].text.isdigit():
        raise ParseError("Say which item and its new position.", example=example)
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
        trial.name, meeting, items, asker.services.settings.tz, title="Agenda (reordered)"
    )


SUBCOMMANDS: dict[str, Subcommand] = {
    "add": add,
    "show": show,
    "remove": remove,
    "move": move,
}


def dispatch(asker: Asker, text: str) -> Message:
    """Route `/agenda <subcommand> ...`."""
    return route(
        asker,
        text,
        command="/agenda",
        subcommands=SUBCOMMANDS,
        default=show,
        help=blocks.agenda_help,
    )


def register(app: App, services: Services) -> None:
    """Wire `/agenda` into the app."""

    on_command(
        app,
        "/agenda",
        services,
        lambda asker, command, _respond: dispatch(asker, command.get("text", "")),
    )
