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
from ui.i18n import N_, Words, _

DECISION_WORDS = Words(
    {"continue": N_("continue locally"), "integrate": N_("integrate"), "exit": N_("exit")}
)


def contract(item_row: ItemRow, today: date) -> str:
    """`1 Jul 2026 to 30 Jun 2027 (ends in 210 days)`, `ended Tue 30 Jun 2026`."""
    item = item_row.item
    if item.ended_on is not None:
        return _("ended {date}").format(date=format_date(item.ended_on))
    start = _("from {date}").format(date=format_date(item.from_date)) if item.from_date else ""
    if item.until_date is None:
        return start or _("no contract dates")
    days = (item.until_date - today).days
    if days < 0:
        left = _("contract ended {date}").format(date=format_date(item.until_date))
    elif days == 0:
        left = _("contract ends *today* ({date})").format(date=format_date(item.until_date))
    else:
        left = _("contract ends in {days} ({date})").format(
            days=plural(days, "day"), date=format_date(item.until_date)
        )
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
        _("*Funding* {money} across {running_programmes}").format(
            money=format_money(funding.total_cents),
            running_programmes=plural(funding.running, "running programme"),
        )
        + (
            ": "
            + "; ".join(f"{said(name, 80)} {format_money(c)}" for name, c in funding.by_outcome)
            if funding.total_cents
            else ""
        )
    ]
    for row in funding.ending_soon:
        lines.append(_(":hourglass: {item_line}").format(item_line=item_line(row, today)))
    return lines


def programme_list(trial_name: str, rows: list[ItemRow], funding: Funding, today: date) -> Message:
    title = _("{trial_name}: programmes and services").format(trial_name=trial_name)
    blocks: list[Block] = [header(title)]
    running = [r for r in rows if is_running(r.item, today)]
    groups = (
        (_("Programmes and services"), [r for r in running if not r.item.coordination]),
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
                _(
                    "No programmes yet. Add one with "
                    '`/programme add Truancy officer provider "Hokonui Rūnanga" funding 120k '
                    "until 30/6/2027`."
                )
            )
        )
    else:
        blocks.append(
            context(
                _(
                    "Running: {money}. The lead is reminded 60, 30 and 14 days before a "
                    "contract ends."
                ).format(money=format_money(funding.total_cents))
            )
        )
    return Message(text=f"{title}: {plural(len(rows), 'item')}", blocks=to_dicts(blocks))


def programme_card(row: ItemRow, tasks: list[TaskRow], today: date) -> Message:
    item = row.item
    kind = _("Coordination item") if item.coordination else _("Programme")
    lines = [
        f"*{kind}* {row.reference}: {said(item.name, 200)}",
        _("Provider: {provider}").format(
            provider=said(item.provider, 200) if item.provider else _("not set")
        ),
        _("Funding: {money}").format(money=format_money(item.funding_cents)),
        _("Contract: {contract}").format(contract=contract(row, today)),
        _("Outcome: {outcome_name}").format(
            outcome_name=said(row.outcome_name, 200) if row.outcome_name else _("none named")
        ),
    ]
    if row.decision is not None:
        lines.append(decision_line(row))
    blocks: list[Block] = [header(f"{row.reference} {item.name}"), section("\n".join(lines))]
    if tasks:
        shown = [task_line(t, today) for t in tasks[:20]]
        blocks += [
            section(text)
            for text in split_lines([_("*Tasks* ({count})").format(count=len(tasks)), *shown])
        ]
    return Message(text=f"{row.reference} {item.name}", blocks=to_dicts(blocks))


def decision_line(row: ItemRow) -> str:
    """`Review: *continue locally* by … (@lead)`."""
    return _("Review: {decision}").format(decision=decision_text(row))


def decision_text(row: ItemRow) -> str:
    """What was decided, by whom it is carried on, and who decided."""
    decision = row.decision
    assert decision is not None
    by = (
        _(" by {carried_by}").format(carried_by=said(decision.carried_by, 120))
        if decision.carried_by
        else ""
    )
    note = f" — {said(decision.note, 300)}" if decision.note else ""
    return _("*{decision_words}*{by}{note} ({person})").format(
        decision_words=DECISION_WORDS[decision.decision],
        by=by,
        note=note,
        person=mention(decision.decided_by),
    )


def review_message(review: Review, today: date, *, opening: bool = False) -> Message:
    """The review: every item, decided or still to decide, and the days left."""
    trial = review.trial
    title = _("{trial}: transition review").format(trial=trial.name)
    blocks: list[Block] = [header(title)]
    deadline = review.deadline
    due = (
        _("Due {date} ({days} left, *D-{deadline}*).").format(
            date=format_date(deadline.due_date),
            days=plural((deadline.due_date - today).days, "day"),
            deadline=deadline.id,
        )
        if deadline is not None and deadline.due_date >= today
        else _("Was due {date}.").format(date=format_date(deadline.due_date))
        if deadline is not None
        else ""
    )
    if opening:
        blocks.append(
            section(
                _(
                    "{trial} is now transitioning. The advisory group reviews each "
                    "programme and coordination item line by line and decides whether it "
                    "continues locally, is integrated or exits. {due}"
                ).format(trial=said(trial.name), due=due)
            )
        )
    else:
        blocks.append(
            section(
                _("{count} of {items} decided. {due}").format(
                    count=len(review.decided), items=plural(len(review.items), "item"), due=due
                )
            )
        )
    undecided = [f"{item_line(r, today)}" for r in review.undecided]
    decided = [f"{item_line(r, today)}\n    {decision_line(r)}" for r in review.decided]
    if undecided:
        blocks += [section(text) for text in split_lines([_("*To decide*"), *undecided])]
    if decided:
        blocks += [section(text) for text in split_lines(["*Decided*", *decided])]
    if not review.items:
        blocks.append(
            section(
                _(
                    "There is nothing to review yet: add the trial's programmes and coordination "
                    "items with `/programme add`."
                )
            )
        )
    if review.complete:
        blocks.append(context(_(":white_check_mark: Every item is decided.")))
    else:
        blocks.append(
            context(
                _(
                    'The lead decides each with `/transition decide P-4 continue by "Gore District '
                    'Council" funded from its community budget`.'
                )
            )
        )
    return Message(text=title, blocks=to_dicts(blocks), in_channel=opening)


def every_review(reviews: list[Review], today: date) -> Message:
    title = _("Trials in transition")
    blocks: list[Block] = [header(title)]
    if not reviews:
        blocks.append(section(_("No trial is transitioning.")))
    lines = []
    for review in reviews:
        d = review.deadline
        left = (
            _("{days} left (due {date})").format(
                days=plural((d.due_date - today).days, "day"), date=format_date(d.due_date)
            )
            if d is not None and d.due_date >= today
            else _("*overdue* (was due {date})").format(date=format_date(d.due_date))
            if d is not None
            else _("no due date")
        )
        done = "complete" if review.complete else left
        undecided = ", ".join(r.reference for r in review.undecided[:12])
        more = (
            _(" and {count} more").format(count=len(review.undecided) - 12)
            if len(review.undecided) > 12
            else ""
        )
        lines.append(
            _("*{trial}*: {count} decided, {count2} to decide · {done}").format(
                trial=said(review.trial.name),
                count=len(review.decided),
                count2=len(review.undecided),
                done=done,
            )
            + (
                _("\n    to decide: {undecided}{more}").format(undecided=undecided, more=more)
                if undecided
                else ""
            )
        )
    blocks += [section(text) for text in split_lines(lines)] if lines else []
    return Message(text=f"{title}: {len(reviews)}", blocks=to_dicts(blocks))
