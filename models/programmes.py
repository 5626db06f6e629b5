"""Programmes and services (`P-4`) a trial funds, and its coordination items: their
providers, funding (NZD, in cents), contract dates and outcomes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from models.audit import record
from models.errors import N_, ClosedRecord, NotFound
from models.tables import Outcome, ProgrammeItem, ReviewDecision, Trial, pk

ENDING_SOON_DAYS = 60
NO_OUTCOME = "No outcome named"
# What a programme's set subcommand may change: the word people type → the column.
FIELDS = {
    "name": "name",
    "provider": "provider",
    "funding": "funding_cents",
    "from": "from_date",
    "until": "until_date",
    "outcome": "outcome_id",
}


@dataclass(frozen=True)
class ItemRow:
    """A programme or coordination item with its outcome's name and review decision."""

    item: ProgrammeItem
    outcome_name: str | None
    decision: ReviewDecision | None = None

    @property
    def reference(self) -> str:
        return f"P-{self.item.id}"


def is_running(item: ProgrammeItem, today: date) -> bool:
    """Not ended, and its contract (if it has an end) not yet run out."""
    if item.ended_on is not None and item.ended_on <= today:
        return False
    return item.until_date is None or item.until_date >= today


def get_item(*, session: Session, number: int, lock: bool = False) -> ProgrammeItem:
    item = session.get(ProgrammeItem, number, with_for_update=lock)
    if item is None:
        raise NotFound(N_("There is no programme P-{number}."), kind="programme", number=number)
    return item


def add(
    *,
    session: Session,
    trial: Trial,
    name: str,
    actor_user_id: str,
    provider: str | None = None,
    funding_cents: int | None = None,
    from_date: date | None = None,
    until_date: date | None = None,
    outcome: Outcome | None = None,
    coordination: bool = False,
) -> ProgrammeItem:
    item = ProgrammeItem(
        trial_id=pk(trial),
        name=name,
        provider=provider,
        funding_cents=funding_cents,
        from_date=from_date,
        until_date=until_date,
        outcome_id=outcome.id if outcome else None,
        coordination=coordination,
        created_by=actor_user_id,
    )
    session.add(item)
    session.flush()
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="programme.added",
        entity="programme",
        entity_id=item.id,
        trial_id=trial.id,
        detail={
            "name": name,
            "provider": provider,
            "funding_cents": funding_cents,
            "from": from_date,
            "until": until_date,
            "coordination": coordination,
        },
    )
    return item


def change(
    *, session: Session, item: ProgrammeItem, column: str, value: Any, actor_user_id: str
) -> Any:
    """Set one field; returns what it was."""
    before = getattr(item, column)
    setattr(item, column, value)
    if column == "until_date" and item.ended_on is not None and value is not None:
        item.ended_on = None  # a renewed contract runs again
    session.add(item)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="programme.changed",
        entity="programme",
        entity_id=item.id,
        trial_id=item.trial_id,
        detail={"field": column, "from": before, "to": value},
    )
    return before


def end(*, session: Session, item: ProgrammeItem, on: date, actor_user_id: str) -> None:
    if item.ended_on is not None:
        raise ClosedRecord(
            N_("P-{item} “{name}” already ended on {ended_on:%a %-d %b %Y}."),
            reference=f"P-{item.id}",
            item=item.id,
            name=item.name,
            ended_on=item.ended_on,
        )
    item.ended_on = on
    session.add(item)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="programme.ended",
        entity="programme",
        entity_id=item.id,
        trial_id=item.trial_id,
        detail={"on": on},
    )


def rows(*, session: Session, trial_ids: list[int], item_id: int | None = None) -> list[ItemRow]:
    """Every item of these trials (or the one `item_id`), with outcome and decision, in
    one query: the programmes first, then coordination, each by name."""
    query = (
        select(ProgrammeItem, Outcome.name, ReviewDecision)
        .outerjoin(Outcome, col(Outcome.id) == ProgrammeItem.outcome_id)
        .outerjoin(ReviewDecision, col(ReviewDecision.programme_item_id) == ProgrammeItem.id)
        .where(col(ProgrammeItem.trial_id).in_(trial_ids))
        .order_by(col(ProgrammeItem.coordination), col(ProgrammeItem.name), col(ProgrammeItem.id))
    )
    if item_id is not None:
        query = query.where(col(ProgrammeItem.id) == item_id)
    return [ItemRow(item, outcome, decision) for item, outcome, decision in session.exec(query)]


@dataclass(frozen=True)
class Funding:
    """A trial's programmes at a glance: running ones' funding by outcome, and those whose
    contract ends soon."""

    total_cents: int
    by_outcome: list[tuple[str, int]]
    ending_soon: list[ItemRow]
    running: int


def funding(items: list[ItemRow], today: date) -> Funding:
    running = [row for row in items if is_running(row.item, today)]
    by_outcome: dict[str, int] = defaultdict(int)
    for row in running:
        by_outcome[row.outcome_name or NO_OUTCOME] += row.item.funding_cents or 0
    soon = today + timedelta(days=ENDING_SOON_DAYS)
    ending = sorted(
        (r for r in running if r.item.until_date is not None and r.item.until_date <= soon),
        key=lambda r: (r.item.until_date, r.item.id),
    )
    return Funding(
        total_cents=sum(by_outcome.values()),
        by_outcome=sorted(by_outcome.items(), key=lambda kv: (-kv[1], kv[0])),
        ending_soon=ending,
        running=len(running),
    )


def funding_by_trial(*, session: Session, trial_ids: list[int], today: date) -> dict[int, Funding]:
    """Each trial's funding, from one query for every trial."""
    grouped: dict[int, list[ItemRow]] = defaultdict(list)
    for row in rows(session=session, trial_ids=trial_ids):
        grouped[row.item.trial_id].append(row)
    return {trial_id: funding(grouped[trial_id], today) for trial_id in trial_ids}
