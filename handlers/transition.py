"""`/transition`: the review of a transitioning trial, line by line: each programme and
coordination item continues locally, is integrated, or exits; who carries it, and how it
is funded after."""

from __future__ import annotations

import re

from handlers.context import Asker, linked
from handlers.permissions import Action
from handlers.programmes import programme_here
from handlers.registry import Family, Sub
from models import groups, transition
from models.errors import ParseError, UserError
from models.tables import TITLE_LENGTH
from models.types import ReviewDecisionKind
from ui.blocks import programmes as blocks
from ui.blocks.common import Message, notice
from ui.formatting import format_date, mention, said
from ui.i18n import N_, _
from ui.parsing import Token, choice, join, parse_date_to_come, parse_title

DECIDE_EXAMPLE = (
    '/transition decide P-4 continue by "Gore District Council" funded from its community budget'
)
DECISIONS = {
    "continue": "continue",
    "continues": "continue",
    "keep": "continue",
    "integrate": "integrate",
    "integrated": "integrate",
    "exit": "exit",
    "exits": "exit",
    "stop": "exit",
}
NOTE_LIMIT = 1000
# Where an unquoted `by …` ends and the note begins: "by Council — funded from rates".
NOTE_SEPARATOR = re.compile(r"\s+[—–-]\s+|;\s+|:\s+|,\s+")


def show(asker: Asker, tokens: list[Token]) -> Message:
    """The trial's review: every item, decided or still to decide, and the days left.
    (The registry routes only `/transition` alone here.)"""
    with asker.services.database.session(write=False) as session:
        _ignored, trial = linked(asker, session)
        if trial.review_deadline_id is None:
            raise UserError(
                _(
                    "{trial} is {status} and has no transition review. It opens when the "
                    "Director sets the trial transitioning (`/group status transitioning`)."
                ).format(trial=said(trial.name), status=trial.status)
            )
        review = transition.review_of(session=session, trial=trial)
    return blocks.review_message(review, asker.services.today())


def _carried_and_note(tokens: list[Token]) -> tuple[str | None, str | None]:
    """`[<note>] [by "Org"] [<note>]`: who carries it on, and the rest as the note."""
    where = next((i for i, t in enumerate(tokens) if t.is_word("by")), None)
    if where is None:
        return None, join(tokens) or None
    before, after = tokens[:where], tokens[where + 1 :]
    if not after:
        raise ParseError(_("Say who carries it on after `by`."), example=DECIDE_EXAMPLE)
    if after[0].quoted:
        carried, rest = after[0].text, join(after[1:])
    else:
        parts = NOTE_SEPARATOR.split(join(after), maxsplit=1)
        carried, rest = parts[0], parts[1] if len(parts) > 1 else ""
    note = " ".join(part for part in (join(before), rest) if part)
    return parse_title(carried, what="organisation", limit=TITLE_LENGTH), note or None


def decide(asker: Asker, tokens: list[Token]) -> Message:
    """Lead: the decision on one programme or coordination item."""
    if len(tokens) < 2:
        raise ParseError(
            _("Say the programme and the decision: continue, integrate or exit."),
            example=DECIDE_EXAMPLE,
        )
    decision = ReviewDecisionKind(
        choice(tokens[1].text, DECISIONS, what=_("review decision"), example=DECIDE_EXAMPLE)
    )
    carried_by, note = _carried_and_note(tokens[2:])
    if note is not None:
        note = parse_title(note, what="note", limit=NOTE_LIMIT)
    with asker.services.database.session() as session:
        item, trial = programme_here(asker, session, tokens[:1], DECIDE_EXAMPLE, lock=True)
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        asker.require(Action.DECIDE_REVIEW, group)
        _ignored, review = transition.decide(
            session=session,
            item=item,
            trial=trial,
            decision=decision,
            carried_by=carried_by,
            note=note,
            actor_user_id=asker.user_id,
        )
    row = next(r for r in review.items if r.item.id == item.id)
    left = len(review.undecided)
    tail = (
        _(" Every item is decided: the review is complete.")
        if review.complete
        else _(" {left} still to decide.").format(left=left)
    )
    return notice(
        _(
            ":ballot_box_with_check: {person} decided *P-{item}* {item2}: {decision_line}.{tail}"
        ).format(
            person=mention(asker.user_id),
            item=item.id,
            item2=said(item.name),
            decision_line=blocks.decision_text(row),
            tail=tail,
        ),
        in_channel=True,
    )


def due(asker: Asker, tokens: list[Token]) -> Message:
    """Lead: move the review's due date."""
    example = "/transition due 30/6/2027"
    if not tokens:
        raise ParseError(_("Say the new due date."), example=example)
    when = parse_date_to_come(join(tokens), today=asker.services.today(), example=example)
    with asker.services.database.session() as session:
        group, trial = linked(asker, session)
        asker.require(Action.DECIDE_REVIEW, group)
        previous = transition.set_due(
            session=session, trial=trial, due=when, actor_user_id=asker.user_id
        )
    return notice(
        _(
            "{person} moved the transition review of {trial} from {date} to "
            "{date2}. Its reminders follow."
        ).format(
            person=mention(asker.user_id),
            trial=said(trial.name),
            date=format_date(previous),
            date2=format_date(when),
        ),
        in_channel=True,
    )


def every_trial(asker: Asker, tokens: list[Token]) -> Message:
    """Director: every trial in transition, with what is decided and the days left."""
    with asker.services.database.session(write=False) as session:
        group = groups.load_group(
            session=session, user_id=asker.user_id, channel_id=asker.channel_id
        )
        asker.require(Action.NATIONAL, group)
        reviews = transition.every_review(session=session)
    return blocks.every_review(reviews, asker.services.today())


FAMILY = Family(
    command="/transition",
    description="The transition review: what continues, is integrated or exits",
    about=N_(
        "The review of a transitioning trial: each programme and coordination item "
        "continues locally, is integrated, or exits."
    ),
    default="",
    subs=(
        Sub(
            "",
            show,
            (("/transition", N_("The review: every item, decided or not, and the days left.")),),
        ),
        Sub(
            "decide",
            decide,
            (
                (
                    DECIDE_EXAMPLE,
                    N_("continue, integrate or exit; who carries it and how it is funded after."),
                ),
            ),
            who="Lead",
            changes=True,
        ),
        Sub(
            "due",
            due,
            (("/transition due 30/6/2027", N_("move the review's due date.")),),
            who="Lead",
            changes=True,
        ),
        Sub(
            "all",
            every_trial,
            (("/transition all", N_("every trial in transition: decided, undecided, days left.")),),
            who="Director",
        ),
    ),
)
