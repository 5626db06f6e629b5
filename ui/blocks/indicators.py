"""Messages of `/indicator`: the indicators by outcome, and one indicator's series."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from models.indicators import Series
from ui.blocks.common import Message, context, header, section, to_dicts, truncate
from ui.formatting import plural, said
from ui.i18n import _

ARROWS = {"up": "↑", "down": "↓", "flat": "→"}


def number(value: float, unit: str | None) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text}%" if unit == "%" else text


def headline(series: Series) -> str:
    """`Persistent truancy cases closed: 21% (2011) → 78% (2013) ↑`."""
    i, latest = series.indicator, series.latest
    parts = []
    if i.baseline_value is not None:
        parts.append(
            f"{number(i.baseline_value, i.unit)}"
            + (f" ({i.baseline_period})" if i.baseline_period else "")
        )
    if latest is not None:
        parts.append(f"{number(latest.value, i.unit)} ({latest.period})")
    trend = " → ".join(parts) if parts else _("no values yet")
    arrow = f" {ARROWS[series.direction()]}" if latest is not None else ""
    improving = series.improving()
    verdict = (
        "" if improving is None else (_(" towards target") if improving else _(" away from target"))
    )
    return f"{said(i.name, 120)}: {trend}{arrow}{verdict}"


def indicator_list(trial_name: str, everything: list[Series]) -> Message:
    blocks: list[Block] = [header(_("{trial_name}: indicators").format(trial_name=trial_name))]
    if not everything:
        blocks.append(
            section(
                _(
                    "No indicators yet. A lead or chair adds one with "
                    "`/indicator add <name> unit % baseline 21 (2011) outcome <name>`."
                )
            )
        )
    by_outcome: dict[str, list[Series]] = {}
    for series in everything:
        by_outcome.setdefault(series.outcome.name, []).append(series)
    for outcome, items in list(by_outcome.items())[:45]:
        lines = "\n".join(f"• *{s.reference}* {headline(s)}" for s in items[:20])
        blocks.append(section(f"*{said(outcome)}*\n{lines}"))
    return Message(
        text=f"{said(trial_name)}: {plural(len(everything), 'indicator')}",
        blocks=to_dicts(blocks[:50]),
    )


def indicator_series(trial_name: str, series: Series) -> Message:
    i = series.indicator
    unit = f" ({i.unit})" if i.unit else ""
    lines = []
    if i.baseline_value is not None:
        lines.append(
            _("Baseline{value}: {number}").format(
                value=" " + i.baseline_period if i.baseline_period else "",
                number=number(i.baseline_value, i.unit),
            )
        )
    for value in series.values[-40:]:
        source = f" — {said(value.source, 150)}" if value.source else ""
        lines.append(f"{said(value.period)}: *{number(value.value, i.unit)}*{source}")
    if i.target_value is not None:
        lines.append(_("Target: {number}").format(number=number(i.target_value, i.unit)))
    blocks: list[Block] = [
        header(f"{series.reference} · {truncate(i.name, 100)}{unit}"),
        section(
            _("{trial_name} · outcome: {outcome}\n{headline}").format(
                trial_name=said(trial_name),
                outcome=said(series.outcome.name),
                headline=headline(series),
            )
        ),
        section("\n".join(lines) or _("_No values recorded yet._")),
        context(
            _(
                'Record a value: `/indicator record {reference} <value> for <period> source "..."`'
            ).format(reference=series.reference)
        ),
    ]
    return Message(
        text=f"{series.reference} {said(i.name)}: {headline(series)}",
        blocks=to_dicts(blocks),
        in_channel=True,
    )
