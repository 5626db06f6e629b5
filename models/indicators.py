"""Outcome indicators (`I-4`) and their dated values, with sources."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from models.audit import record
from models.errors import N_, NotFound, UserError
from models.periods import Period, period_of
from models.tables import Indicator, IndicatorValue, Outcome, Trial, pk
from models.text import fold


@dataclass
class Series:
    """An indicator with its outcome and its values in period order."""

    indicator: Indicator
    outcome: Outcome
    values: list[IndicatorValue] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return f"I-{self.indicator.id}"

    @property
    def latest(self) -> IndicatorValue | None:
        return self.values[-1] if self.values else None

    def latest_in(self, period: Period) -> IndicatorValue | None:
        """The latest value whose period overlaps `period` (a 2026 figure counts in a report
        on H2 2026; a 2013 one is not its latest)."""
        inside = [
            v
            for v in self.values
            if period_of(v.period).start <= period.end and period_of(v.period).end >= period.start
        ]
        return inside[-1] if inside else None

    def direction(self) -> str:
        """`up`, `down` or `flat` from the baseline (or first value) to the latest value."""
        latest = self.latest
        first = self.indicator.baseline_value
        if first is None and len(self.values) > 1:
            first = self.values[0].value
        if latest is None or first is None or latest.value == first:
            return "flat"
        return "up" if latest.value > first else "down"

    def improving(self) -> bool | None:
        """Whether the direction is towards the target (None without a target)."""
        target, baseline = self.indicator.target_value, self.indicator.baseline_value
        latest = self.latest
        if target is None or latest is None:
            return None
        start = (
            baseline if baseline is not None else (self.values[0].value if self.values else None)
        )
        if start is None:
            return None
        return abs(target - latest.value) < abs(target - start)


def _period_order(value: IndicatorValue) -> tuple[object, ...]:
    period = period_of(value.period)
    return (period.start, period.end)


def series_of(*, session: Session, trials: list[Trial]) -> dict[int, list[Series]]:
    """Every indicator of these trials with its values, by trial (one query)."""
    ids = [pk(t) for t in trials]
    found: dict[int, Series] = {}
    by_trial: dict[int, list[Series]] = defaultdict(list)
    for indicator, outcome, value in session.exec(
        select(Indicator, Outcome, IndicatorValue)
        .join(Outcome, col(Outcome.id) == Indicator.outcome_id)
        .outerjoin(IndicatorValue, col(IndicatorValue.indicator_id) == Indicator.id)
        .where(col(Outcome.trial_id).in_(ids))
        .order_by(col(Outcome.id), col(Indicator.id))
    ).all():
        series = found.get(pk(indicator))
        if series is None:
            series = found[pk(indicator)] = Series(indicator, outcome)
            by_trial[outcome.trial_id].append(series)
        if value is not None:
            series.values.append(value)
    for series in found.values():
        series.values.sort(key=_period_order)
    return by_trial


def find(*, session: Session, trial: Trial, name: str) -> Series:
    """An indicator of this trial by `I-4` or by name (exact, else the one containing it)."""
    everything = series_of(session=session, trials=[trial]).get(pk(trial), [])
    wanted = fold(name)
    if wanted.startswith("i") and wanted.lstrip("i-").isdigit():
        number = int(wanted.lstrip("i-"))
        for series in everything:
            if series.indicator.id == number:
                return series
        other = session.get(Indicator, number)
        if other is not None:
            outcome = session.get(Outcome, other.outcome_id)
            owner = session.get(Trial, outcome.trial_id) if outcome else None
            if owner is None:
                raise UserError(
                    N_("I-{number} belongs to another trial, not {trial}."),
                    number=number,
                    trial=trial.name,
                )
            if owner.channel_id is None:
                raise UserError(
                    N_("I-{number} belongs to {owner}, not {trial}."),
                    number=number,
                    owner=owner.name,
                    trial=trial.name,
                )
            raise UserError(
                N_(
                    "I-{number} belongs to {owner}, not {trial}. "
                    "Use it in {owner}'s channel (<#{channel_id}>)."
                ),
                number=number,
                owner=owner.name,
                trial=trial.name,
                channel_id=owner.channel_id,
            )
        raise NotFound(N_("There is no indicator I-{number}."), kind="indicator", number=number)
    exact = [s for s in everything if fold(s.indicator.name) == wanted]
    partial = exact or [s for s in everything if wanted in fold(s.indicator.name)]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise NotFound(
            N_("{trial} has no indicator called “{name}”."),
            kind="indicator",
            trial=trial.name,
            name=name[:60],
        )
    names = ", ".join(f"{s.reference} “{s.indicator.name}”" for s in partial[:5])
    raise UserError(
        N_("“{name}” could be {names}. Use its reference."), name=name[:60], names=names
    )


def add(
    *,
    session: Session,
    outcome: Outcome,
    name: str,
    unit: str | None,
    baseline: float | None,
    baseline_period: str | None,
    target: float | None,
    actor_user_id: str,
) -> Indicator:
    clash = session.exec(select(Indicator).where(Indicator.outcome_id == outcome.id)).all()
    if any(fold(i.name) == fold(name) for i in clash):
        raise UserError(
            N_("“{outcome}” already has an indicator called “{name}”."),
            outcome=outcome.name,
            name=name,
        )
    indicator = Indicator(
        outcome_id=pk(outcome),
        name=name,
        unit=unit,
        baseline_value=baseline,
        baseline_period=baseline_period,
        target_value=target,
        created_by=actor_user_id,
    )
    session.add(indicator)
    session.flush()
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="indicator.added",
        entity="indicator",
        entity_id=indicator.id,
        trial_id=outcome.trial_id,
        detail={
            "name": name,
            "outcome": outcome.name,
            "baseline": baseline,
            "baseline_period": baseline_period,
            "target": target,
            "unit": unit,
        },
    )
    return indicator


def record_value(
    *,
    session: Session,
    series: Series,
    period: str,
    value: float,
    source: str | None,
    actor_user_id: str,
) -> float | None:
    """Record a value for a period; a correction replaces it and keeps the old one in the
    audit log. Returns the value it replaced, if any."""
    existing = session.exec(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id == series.indicator.id, IndicatorValue.period == period
        )
    ).first()
    previous = existing.value if existing else None
    if existing is None:
        existing = IndicatorValue(
            indicator_id=pk(series.indicator),
            period=period,
            value=value,
            source=source,
            recorded_by=actor_user_id,
        )
    else:
        existing.value, existing.recorded_by = value, actor_user_id
        existing.source = source or existing.source
    session.add(existing)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="indicator.corrected" if previous is not None else "indicator.recorded",
        entity="indicator",
        entity_id=series.indicator.id,
        trial_id=series.outcome.trial_id,
        detail={"period": period, "value": value, "previous": previous, "source": source},
    )
    return previous
