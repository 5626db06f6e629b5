"""The transition review: when a trial becomes `transitioning`, each of its programmes and
coordination items is decided on (continue, integrate, exit), with who carries it and how
it is funded after, by a due date six months on. The due date is a deadline of the trial
(`Trial.review_deadline_id`), so it is listed, shown and reminded like any other."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from models import deadlines
from models.audit import record
from models.errors import N_, UserError
from models.periods import months_on
from models.programmes import ItemRow, rows
from models.tables import Deadline, ProgrammeItem, ReviewDecision, Trial, pk
from models.types import DeadlineStatus, ReviewDecisionKind, TrialStatus, utcnow

REVIEW_TITLE = "Transition review: decide every programme and coordination item"
REVIEW_MONTHS = 6


@dataclass(frozen=True)
class Review:
    """A trial's review: its items, each decided or not, and its deadline."""

    trial: Trial
    items: list[ItemRow]
    deadline: Deadline | None

    @property
    def decided(self) -> list[ItemRow]:
        return [row for row in self.items if row.decision is not None]

    @property
    def undecided(self) -> list[ItemRow]:
        return [row for row in self.items if row.decision is None]

    @property
    def complete(self) -> bool:
        return bool(self.items) and not self.undecided


def start(*, session: Session, trial: Trial, today: date, actor_user_id: str) -> Deadline:
    """Open the review (its deadline due six months on), or return the one still open."""
    if trial.review_deadline_id is not None:
        existing = session.get(Deadline, trial.review_deadline_id)
        if existing is not None and existing.status == DeadlineStatus.OPEN.value:
            return existing
    deadline = deadlines.add(
        session=session,
        trial=trial,
        title=REVIEW_TITLE,
        due_date=months_on(today, REVIEW_MONTHS),
        responsible=None,
        actor_user_id=actor_user_id,
    )
    trial.review_deadline_id = deadline.id
    session.add(trial)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="review.started",
        entity="trial",
        entity_id=trial.id,
        trial_id=trial.id,
        detail={"due": deadline.due_date, "deadline": deadline.id},
    )
    return deadline


def review_of(*, session: Session, trial: Trial) -> Review:
    deadline = (
        session.get(Deadline, trial.review_deadline_id)
        if trial.review_deadline_id is not None
        else None
    )
    return Review(trial, rows(session=session, trial_ids=[pk(trial)]), deadline)


def in_review(trial: Trial) -> None:
    """Refused unless the trial is transitioning (its review is open)."""
    if trial.status != TrialStatus.TRANSITIONING.value or trial.review_deadline_id is None:
        raise UserError(
            N_(
                "“{trial}” is {status}, not transitioning: there is no transition "
                "review to decide yet. It opens when the Director sets the trial "
                "transitioning."
            ),
            trial=trial.name,
            status=trial.status,
        )


def decide(
    *,
    session: Session,
    item: ProgrammeItem,
    trial: Trial,
    decision: ReviewDecisionKind,
    carried_by: str | None,
    note: str | None,
    actor_user_id: str,
) -> tuple[ReviewDecision, Review]:
    """Record (or change) the decision on one item; a review whose every item is decided
    has its deadline marked submitted, so its reminders stop."""
    in_review(trial)
    row = session.get(ReviewDecision, pk(item))
    before = row.decision if row else None
    if row is None:
        row = ReviewDecision(programme_item_id=pk(item), decision=decision.value, decided_by="")
    row.decision, row.carried_by, row.note = decision.value, carried_by, note
    row.decided_by, row.decided_at = actor_user_id, utcnow()
    session.add(row)
    session.flush()
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="review.decided",
        entity="programme",
        entity_id=item.id,
        trial_id=trial.id,
        detail={"decision": decision.value, "before": before, "by": carried_by, "note": note},
    )
    review = review_of(session=session, trial=trial)
    if review.complete and review.deadline is not None:
        deadlines.mark_submitted(
            session=session, deadline=review.deadline, link=None, actor_user_id=actor_user_id
        )
    return row, review


def set_due(*, session: Session, trial: Trial, due: date, actor_user_id: str) -> date:
    in_review(trial)
    deadline = session.get(Deadline, trial.review_deadline_id)
    if deadline is None or deadline.status != DeadlineStatus.OPEN.value:
        raise UserError(
            N_("Every item of the review is decided already; its date no longer matters.")
        )
    return deadlines.set_due(
        session=session, deadline=deadline, due_date=due, actor_user_id=actor_user_id
    )


def every_review(*, session: Session) -> list[Review]:
    """Every transitioning trial's review, in three queries whatever their number."""
    trials = session.exec(
        select(Trial)
        .where(Trial.status == TrialStatus.TRANSITIONING.value)
        .order_by(col(Trial.name))
    ).all()
    ids = [pk(t) for t in trials]
    grouped: dict[int, list[ItemRow]] = defaultdict(list)
    for row in rows(session=session, trial_ids=ids):
        grouped[row.item.trial_id].append(row)
    wanted = [t.review_deadline_id for t in trials if t.review_deadline_id is not None]
    found = {
        pk(d): d for d in session.exec(select(Deadline).where(col(Deadline.id).in_(wanted))).all()
    }
    return [Review(t, grouped[pk(t)], found.get(t.review_deadline_id or -1)) for t in trials]
