"""Messages of `/programme` and `/transition`: a trial's programmes, services and
coordination items, their funding, and the transition review."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import Block

from models.programmes import Funding, ItemRow, is_running
from models.tasks import TaskRow
from models.transition import Review
from ui.blocks.common import Message, context, header, section, split_lines, to_dicts
from ui.blocks.tasks import task_line
from ui.formatting import format_date, format_money, mention, plural, said

DECISION_WORDS = {
    "continue": "continue locally",
    "integrate": "integrate",
    "exit": "exit",
}


def contract(item_row: ItemRow, today: date) -> str:
    """`1 Jul 2026 to 30 Jun 2027 (ends in 210 days)`, `ended Tue 30 Jun 2026`."""
    item = item_row.item
    if item.ended_on is not None:
        return f"ended {format_date(item.ended_on)}"
    start = f"from {format_date(item.from_date)}" if item.from_date else ""
    if item.until_date is None:
        return start or "no contract dates"
    days = (item.until_date - today).days
    if days < 0:
        left = f"contract ended {format_date(item.until_date)}"
    elif days == 0:
        left = f"contract ends *today* ({format_date(item.until_date)})"
    else:
        left = f"contract ends in {plural(days, 'day')} ({format_date(item.until_date)})"
    return f"{start}, {left}" if start else left


def item_line(row: ItemRow, today: date) -> str:
    item = row.item
    parts = [f"*{row.reference}* {said(item.name, 200)}"]
    if item.provider:
        parts.append(said(item.provider, 120))
    if item.funding_cents is not None:
        parts.append(format_money(item.funding_cents))
    parts.append(contract(row, today))
    if row.outcome_name:
        parts.append(f"_{said(row.outcome_name, 120)}_")
    return " · ".join(parts)


def funding_lines(funding: Funding, today: date) -> list[str]:
    """What a summary says of the trial's programmes: funding by outcome, and contracts
    ending within 60 days."""
    if funding.running == 0:
        return []
    lines = [
        f"*Funding* {format_money(funding.total_cents)} across "
        f"{plural(funding.running, 'running programme')}"
        + (
            ": "
            + "; ".join(f"{said(name, 80)} {format_money(c)}" for name, c in funding.by_outcome)
            if funding.total_cents
            else ""
        )
    ]
    for row in funding.ending_soon:
        lines.append(f":hourglass: {item_line(row, today)}")
    return lines


def programme_list(trial_name: str, rows: list[ItemRow], funding: Funding, today: date) -> Message:
    title = f"{trial_name}: programmes and services"
    blocks: list[Block] = [header(title)]
    running = [r for r in rows if is_running(r.item, today)]
    groups = (
        ("Programmes and services", [r for r in running if not r.item.coordination]),
        ("Coordination", [r for r in running if r.item.coordination]),
        ("Ended", [r for r in rows if not is_running(r.item, today)]),
    )
    for name, members in groups:
        if members:
            lines = [f"*{name}*", *(item_line(r, today) for r in members)]
            blocks += [section(text) for text in split_lines(lines)]
    if not rows:
        blocks.append(
            section(
                "No programmes yet. Add one with "
                '`/programme add Truancy officer provider "Hokonui Rūnanga" funding 120k '
                "until 30/6/2027`."
            )
        )
    else:
        blocks.append(
            context(
                f"Running: {format_money(funding.total_cents)}. The lead is reminded 60, 30 and "
                "14 days before a contract ends."
            )
        )
    return Message(text=f"{title}: {plural(len(rows), 'item')}", blocks=to_dicts(blocks))


def programme_card(row: ItemRow, tasks: list[TaskRow], today: date) -> Message:
    item = row.item
    kind = "Coordination item" if item.coordination else "Programme"
    lines = [
        f"*{kind}* {row.reference}: {said(item.name, 200)}",
        f"Provider: {said(item.provider, 200) if item.provider else 'not set'}",
        f"Funding: {format_money(item.funding_cents)}",
        f"Contract: {contract(row, today)}",
        f"Outcome: {said(row.outcome_name, 200) if row.outcome_name else 'none named'}",
    ]
    if row.decision is not None:
        lines.append(decision_line(row))
    blocks: list[Block] = [header(f"{row.reference} {item.name}"), section("\n".join(lines))]
    if tasks:
        shown = [task_line(t, today) for t in tasks[:20]]
        blocks += [section(text) for text in split_lines([f"*Tasks* ({len(tasks)})", *shown])]
    return Message(text=f"{row.reference} {item.name}", blocks=to_dicts(blocks))


def decision_line(row: ItemRow) -> str:
    decision = row.decision
    assert decision is not None
    by = f" by {said(decision.carried_by, 120)}" if decision.carried_by else ""
    note = f" — {said(decision.note, 300)}" if decision.note else ""
    return (
        f"Review: *{DECISION_WORDS[decision.decision]}*{by}{note} ({mention(decision.decided_by)})"
    )


def review_message(review: Review, today: date, *, opening: bool = False) -> Message:
    """The review: every item, decided or still to decide, and the days left."""
    trial = review.trial
    title = f"{trial.name}: transition review"
    blocks: list[Block] = [header(title)]
    deadline = review.deadline
    due = (
        f"Due {format_date(deadline.due_date)} ({plural((deadline.due_date - today).days, 'day')} "
        f"left, *D-{deadline.id}*)."
        if deadline is not None and deadline.due_date >= today
        else f"Was due {format_date(deadline.due_date)}."
        if deadline is not None
        else ""
    )
    if opening:
        blocks.append(
            section(
                f"{said(trial.name)} is now transitioning. The advisory group reviews each "
                "programme and coordination item line by line and decides whether it "
                f"continues locally, is integrated or exits. {due}"
            )
        )
    else:
        blocks.append(
            section(f"{len(review.decided)} of {plural(len(review.items), 'item')} decided. {due}")
        )
    undecided = [f"{item_line(r, today)}" for r in review.undecided]
    decided = [f"{item_line(r, today)}\n    {decision_line(r)}" for r in review.decided]
    if undecided:
        blocks += [section(text) for text in split_lines(["*To decide*", *undecided])]
    if decided:
        blocks += [section(text) for text in split_lines(["*Decided*", *decided])]
    if not review.items:
        blocks.append(
            section(
                "There is nothing to review yet: add the trial's programmes and coordination "
                "items with `/programme add`."
            )
        )
    if review.complete:
        blocks.append(context(":white_check_mark: Every item is decided."))
    else:
        blocks.append(
            context(
                'The lead decides each with `/transition decide P-4 continue by "Gore District '
                'Council" funded from its community budget`.'
            )
        )
    return Message(text=title, blocks=to_dicts(blocks), in_channel=opening)


def every_review(reviews: list[Review], today: date) -> Message:
    title = "Trials in transition"
    blocks: list[Block] = [header(title)]
    if not reviews:
        blocks.append(section("No trial is transitioning."))
    lines = []
    for review in reviews:
        d = review.deadline
        left = (
            f"{plural((d.due_date - today).days, 'day')} left (due {format_date(d.due_date)})"
            if d is not None and d.due_date >= today
            else f"*overdue* (was due {format_date(d.due_date)})"
            if d is not None
            else "no due date"
        )
        done = "complete" if review.complete else left
        undecided = ", ".join(r.reference for r in review.undecided[:12])
        more = f" and {len(review.undecided) - 12} more" if len(review.undecided) > 12 else ""
        lines.append(
            f"*{said(review.trial.name)}*: {len(review.decided)} decided, "
            f"{len(review.undecided)} to decide · {done}"
            + (f"\n    to decide: {undecided}{more}" if undecided else "")
        )
    blocks += [section(text) for text in split_lines(lines)] if lines else []
    return Message(text=f"{title}: {len(reviews)}", blocks=to_dicts(blocks))
