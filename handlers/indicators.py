"""`/indicator`: the measures of the trial's outcomes, recorded with their sources."""

from __future__ import annotations

from handlers.context import Asker, linked
from handlers.permissions import Action
from handlers.registry import Family, Sub
from models import indicators, tasks
from models.errors import ParseError
from models.periods import period_of
from models.tables import TITLE_LENGTH
from ui import exports
from ui.blocks import indicators as blocks
from ui.blocks.common import Message, notice
from ui.formatting import format_date, said
from ui.i18n import N_, _
from ui.parsing import (
    Token,
    choice,
    join,
    parse_number,
    parse_period,
    parse_title,
    split_keywords,
)

ADD_EXAMPLE = (
    "/indicator add Persistent truancy cases closed unit % baseline 21 (2011) "
    "target 90 outcome Reduce truancy"
)
RECORD_EXAMPLE = '/indicator record I-4 78 for 2013 source "Locally collected data"'
UNITS = {"%": "%", "percent": "%", "count": "count", "number": "count", "rate": "rate"}


def add(asker: Asker, tokens: list[Token]) -> Message:
    """Lead or chair: a new indicator of an outcome."""
    head, keywords = split_keywords(tokens, {"unit", "baseline", "target", "outcome"})
    name = parse_title(join(head), what=_("indicator name"), limit=TITLE_LENGTH)
    if "outcome" not in keywords:
        raise ParseError(_("Say which outcome it measures."), example=ADD_EXAMPLE)
    unit = (
        choice(join(keywords["unit"]), UNITS, what="unit", example=ADD_EXAMPLE)
        if "unit" in keywords
        else None
    )
    baseline = baseline_period = None
    if "baseline" in keywords:
        words = keywords["baseline"]
        baseline = parse_number(words[0].text, what="baseline")
        if len(words) > 1:
            baseline_period = parse_period(join(words[1:]), today=asker.services.today()).label
    target = parse_number(join(keywords["target"]), what="target") if "target" in keywords else None
    outcome_name = parse_title(join(keywords["outcome"]), what="outcome", limit=TITLE_LENGTH)
    with asker.services.database.session() as session:
        group, trial = linked(asker, session)
        asker.require(Action.RECORD_INDICATORS, group)
        outcome = tasks.outcome_for(
            session=session, trial=trial, name=outcome_name, actor_user_id=asker.user_id
        )
        indicator = indicators.add(
            session=session,
            outcome=outcome,
            name=name,
            unit=unit,
            baseline=baseline,
            baseline_period=baseline_period,
            target=target,
            actor_user_id=asker.user_id,
        )
    return notice(
        _(
            "Added *I-{indicator}* “{name}” to “{outcome}”. Record values with "
            "`/indicator record I-{indicator} <value> for <period>`."
        ).format(indicator=indicator.id, name=said(name), outcome=said(outcome.name)),
        in_channel=True,
    )


def record(asker: Asker, tokens: list[Token]) -> Message:
    """Lead or chair: a value for a period, with its source."""
    head, keywords = split_keywords(tokens, {"for", "source"})
    if len(head) < 2:
        raise ParseError(_("Say which indicator and the value."), example=RECORD_EXAMPLE)
    if "for" not in keywords:
        raise ParseError(_("Say which period the value is for."), example=RECORD_EXAMPLE)
    value = parse_number(head[-1].text)
    today = asker.services.today()
    period = parse_period(join(keywords["for"]), today=today)
    if period.start > today:
        raise ParseError(
            _(
                "{label} has not begun yet (it starts {date}). Record a value once its "
                "period has begun."
            ).format(label=period.label, date=format_date(period.start)),
            example=RECORD_EXAMPLE,
        )
    source = (
        parse_title(join(keywords["source"]), what="source", limit=TITLE_LENGTH)
        if "source" in keywords
        else None
    )
    with asker.services.database.session() as session:
        group, trial = linked(asker, session)
        asker.require(Action.RECORD_INDICATORS, group)
        series = indicators.find(session=session, trial=trial, name=join(head[:-1]))
        previous = indicators.record_value(
            session=session,
            series=series,
            period=period.label,
            value=value,
            source=source,
            actor_user_id=asker.user_id,
        )
    unit = series.indicator.unit
    corrected = (
        _(" (corrected from {number}; the old value is in the audit log)").format(
            number=blocks.number(previous, unit)
        )
        if previous is not None
        else ""
    )
    return notice(
        _("*{reference}* {indicator}: {number} for {label}{corrected}.").format(
            reference=series.reference,
            indicator=said(series.indicator.name),
            number=blocks.number(value, unit),
            label=period.label,
            corrected=corrected,
        ),
        in_channel=True,
    )


def list_indicators(asker: Asker, tokens: list[Token]) -> Message:
    """Anyone in the channel: every indicator, baseline → latest."""
    with asker.services.database.session(write=False) as session:
        _ignored, trial = linked(asker, session)
        everything = indicators.series_of(session=session, trials=[trial]).get(trial.id or 0, [])
    return blocks.indicator_list(trial.name, everything)


def show(asker: Asker, tokens: list[Token]) -> Message:
    """Anyone in the channel: one indicator's series and sources, with a chart."""
    if not tokens:
        raise ParseError(_("Say which indicator."), example="/indicator show I-4")
    with asker.services.database.session(write=False) as session:
        _ignored, trial = linked(asker, session)
        series = indicators.find(session=session, trial=trial, name=join(tokens))
    indicator = series.indicator
    points = [(period_of(v.period), float(v.value)) for v in series.values]
    if indicator.baseline_value is not None and indicator.baseline_period:
        points.insert(0, (period_of(indicator.baseline_period), float(indicator.baseline_value)))
    if points and asker.channel_id:
        chart = exports.trend_chart(
            f"{series.reference} {indicator.name}"[:70],  # drawn, not Slack markup
            points,
            as_of=asker.services.today(),
            target=series.indicator.target_value,
            unit=series.indicator.unit,
        )
        asker.client.files_upload_v2(
            channel=asker.channel_id,
            content=chart,
            filename=f"{series.reference}.png",
            title=f"{series.reference} {series.indicator.name}",
        )
    return blocks.indicator_series(trial.name, series)


FAMILY = Family(
    command="/indicator",
    description="The measures of the Action Plan's outcomes",
    about=N_("The measures of the Action Plan's outcomes, with their history and sources."),
    default="list",
    subs=(
        Sub(
            "add",
            add,
            (
                (
                    "/indicator add Persistent truancy cases closed unit % baseline 21 (2011) "
                    "target 90 outcome Reduce truancy",
                    N_("a new indicator of an outcome."),
                ),
            ),
            who=N_("Lead or chair"),
            changes=True,
        ),
        Sub(
            "record",
            record,
            (
                (
                    '/indicator record I-4 78 for 2013 source "Locally collected data"',
                    N_(
                        "a value for a period (a year, 2013/14, H2 2026, Q3 2026, Term 2 "
                        "2026, Jun 2026). Recording the same period again corrects it."
                    ),
                ),
            ),
            who=N_("Lead or chair"),
            changes=True,
        ),
        Sub(
            "list",
            list_indicators,
            (("/indicator list", N_("Every indicator, baseline → latest.")),),
        ),
        Sub(
            "show",
            show,
            (("/indicator show I-4", N_("The series with its sources, and a chart.")),),
            slow=True,
        ),
    ),
)
