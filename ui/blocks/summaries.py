"""Summaries: a trial's (posted to its channel), the national roll-up, the weekly digest."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block, DividerBlock, SectionBlock

from models.summaries import Measures, TrialSummary
from ui import i18n
from ui.blocks.common import (
    Message,
    bold,
    context,
    header,
    markdown,
    section,
    split_lines,
    to_dicts,
)
from ui.blocks.group import SECTOR_TITLES
from ui.blocks.indicators import headline
from ui.blocks.programmes import funding_lines
from ui.blocks.reminders import when
from ui.blocks.tasks import STATUS_EMOJI, STATUS_WORDS, progress_bar, task_line
from ui.formatting import (
    format_date,
    format_datetime,
    format_day_of,
    format_money,
    mention,
    plural,
    said,
)
from ui.i18n import N_, _, label

RAG_EMOJI = {
    "red": ":red_circle:",
    "amber": ":large_orange_circle:",
    "green": ":large_green_circle:",
    "closed": ":white_circle:",
}
RAG_WORDS = {"red": N_("Red"), "amber": N_("Amber"), "green": N_("Green"), "closed": N_("Closed")}
LIST_LIMIT = 8


def _listed(rows: list[str], total: int, noun: str) -> str:
    text = "\n".join(rows[:LIST_LIMIT])
    if total > min(len(rows), LIST_LIMIT):
        text += _("\n…and {total} more {noun}.").format(
            total=total - min(len(rows), LIST_LIMIT), noun=noun
        )
    return text


def trial_summary(summary: TrialSummary, today: date, tz: ZoneInfo) -> Message:
    """Everything the group should know, in one message posted to the channel (in the
    channel's language)."""
    with i18n.for_channel():
        return _trial_summary(summary, today, tz)


def _trial_summary(summary: TrialSummary, today: date, tz: ZoneInfo) -> Message:
    m = summary.measures
    blocks: list[Block] = [
        header(m.trial.name + " · " + label("summary")),
        section(
            f"{RAG_EMOJI[m.status]} *{label(RAG_WORDS[m.status])}*: " + "; ".join(m.reasons) + "."
        ),
        DividerBlock(),
    ]
    outcome_lines = [
        _("{progress_bar}  *{o}*: {done} of {total} done").format(
            progress_bar=progress_bar(o.percent), o=said(o.name), done=o.done, total=o.total
        )
        for o in m.outcomes
    ] or [_("_No tasks in the Action Plan yet._")]
    blocks += [
        section(chunk)
        for chunk in split_lines(
            [
                bold(label("Action Plan"))
                + _(" · {done} of {total} done ({percent}%)").format(
                    done=m.done, total=m.total, percent=m.percent
                ),
                *outcome_lines,
            ]
        )
    ][:4]
    if m.indicators:
        blocks.append(
            section(
                bold(label("Indicators"))
                + "\n"
                + "\n".join(f"• {headline(series)}" for series in m.indicators[:10])
            )
        )
    attention = [task_line(row, today) for row in summary.attention]
    if attention:
        blocks.append(
            section(
                bold(label("Overdue and blocked"))
                + "\n"
                + _listed(attention, m.overdue + m.blocked, _("tasks (`/task list overdue`)"))
            )
        )
    if summary.stale:
        blocks.append(
            section(
                bold(label("No update for 30 days"))
                + "\n"
                + _listed([task_line(row, today) for row in summary.stale], m.stale, "tasks")
            )
        )
    deadlines = [
        f"*D-{d.id}* {said(d.title)} — {when(d.due_date, today)}"
        for d in (m.overdue_deadlines + m.next_deadlines)[:4]
    ]
    blocks.append(
        section(
            bold(label("Reporting deadlines")) + "\n" + ("\n".join(deadlines) or _("_None open._"))
        )
    )
    programmes = funding_lines(m.funding, today) if m.funding else []
    if programmes:
        blocks += [section(chunk) for chunk in split_lines(programmes)][:2]
    if m.next_meeting:
        meeting = (
            bold(label("Next meeting")) + f"\nM-{m.next_meeting.id} "
            f"{format_datetime(m.next_meeting.starts_at, tz)} · "
            f"{plural(m.next_meeting_items, 'agenda item')}"
        )
    else:
        meeting = bold(label("Next meeting")) + _("\n_None scheduled._")
    blocks.append(section(meeting))
    if summary.latest:
        lines = [
            f"{STATUS_EMOJI[u.status]} T-{u.task_id} {said(u.task_title)}: "
            f"{STATUS_WORDS[u.status]}, {u.percent}% — {mention(u.author_user_id)}, "
            f"{format_day_of(u.created_at, tz)}" + (f"\n      _{u.text[:150]}_" if u.text else "")
            for u in summary.latest
        ]
        blocks.append(section(bold(label("Latest updates")) + "\n" + "\n".join(lines)))
    members = ", ".join(f"{SECTOR_TITLES[s]} {c}" for s, c in sorted(m.sectors.items()))
    blocks.append(
        section(
            bold(label("Group")) + f" · {plural(m.members, 'member')}: {members or _('none yet')}"
        )
    )
    if m.absent_sectors:
        missing = ", ".join(SECTOR_TITLES[s] for s in m.absent_sectors)
        blocks.append(
            context(_(":warning: Not at the last two meetings: {missing}.").format(missing=missing))
        )
    text = _("{trial} summary: {rag_words} ({reasons})").format(
        trial=said(m.trial.name), rag_words=RAG_WORDS[m.status], reasons="; ".join(m.reasons)
    )
    return Message(text=text, blocks=to_dicts(blocks[:50]), in_channel=True)


def rollup_line(m: Measures, today: date, tz: ZoneInfo) -> str:
    parts = [
        _("{done}/{total} done ({percent}%)").format(done=m.done, total=m.total, percent=m.percent)
    ]
    if m.overdue:
        parts.append(_("{overdue} overdue").format(overdue=m.overdue))
    if m.blocked:
        parts.append(_("{blocked} blocked").format(blocked=m.blocked))
    if m.next_deadlines or m.overdue_deadlines:
        d = (m.overdue_deadlines + m.next_deadlines)[0]
        parts.append(f"D-{d.id} {when(d.due_date, today).replace('*', '')}")
    if m.next_meeting:
        parts.append(_("meets {when}").format(when=format_datetime(m.next_meeting.starts_at, tz)))
    if m.indicators:
        parts.append(headline(m.indicators[0]))
    if m.funding and m.funding.running:
        ending = len(m.funding.ending_soon)
        parts.append(
            _("{money} funded").format(money=format_money(m.funding.total_cents))
            + (
                _(", {contracts} ending within 60 days").format(
                    contracts=plural(ending, "contract")
                )
                if ending
                else ""
            )
        )
    return (
        f"{RAG_EMOJI[m.status]} *{said(m.trial.name)}* — "
        + " · ".join(parts)
        + f"\n      _{'; '.join(m.reasons)}_"
    )


def national_rollup(
    rows: list[Measures], today: date, tz: ZoneInfo, *, title: str = _("National summary")
) -> Message:
    """One line per trial, those needing attention first, within Slack's limits however
    many trials there are."""
    counts = {status: sum(1 for m in rows if m.status == status) for status in RAG_WORDS}
    headline = ", ".join(f"{counts[s]} {RAG_WORDS[s].lower()}" for s in RAG_WORDS if counts[s])
    funded = [m.funding for m in rows if m.funding and m.funding.running]
    total = (
        _(" Programmes running: {money} across {trials}").format(
            money=format_money(sum(f.total_cents for f in funded)),
            trials=plural(len(funded), "trial"),
        )
        + (
            _(", {contracts} ending within 60 days.").format(
                contracts=plural(sum(len(f.ending_soon) for f in funded), "contract")
            )
            if any(f.ending_soon for f in funded)
            else "."
        )
        if funded
        else ""
    )
    blocks: list[Block] = [
        header(f"{title} · {format_date(today)}"),
        section(f"{plural(len(rows), 'trial')}: {headline or _('none yet')}.{total}"),
    ]
    chunks = split_lines([rollup_line(m, today, tz) for m in rows])
    blocks += [SectionBlock(text=markdown(chunk, 3000)) for chunk in chunks[:45]]
    if len(chunks) > 45:
        blocks.append(context(_("The list goes on: `/summary all export` has every trial.")))
    blocks.append(
        context(
            _(
                "`/summary <Trial name>` for one trial · `/summary all export` for a "
                "spreadsheet and chart"
            )
        )
    )
    return Message(text=f"{title}: {headline}", blocks=to_dicts(blocks[:50]), in_channel=True)


def digest_headline(rows: list[Measures], today: date) -> Message:
    counts = {status: sum(1 for m in rows if m.status == status) for status in RAG_WORDS}
    done = sum(m.done_this_week for m in rows)
    touched = sum(m.touched_this_week for m in rows)
    text = _(
        ":newspaper: *Weekly digest* · {date}: {red} red, {amber} amber, "
        "{green} green · {tasks} done and {tasks2} updated this week. Details "
        "in the thread."
    ).format(
        date=format_date(today),
        red=counts["red"],
        amber=counts["amber"],
        green=counts["green"],
        tasks=plural(done, "task"),
        tasks2=plural(touched, "task"),
    )
    return Message(text=text.replace("*", ""), blocks=to_dicts([section(text)]))


def digest_detail(rows: list[Measures], today: date, tz: ZoneInfo) -> Message:
    active = [m for m in rows if m.status != "closed"]
    overdue = [
        _("*{trial}*: {tasks} overdue").format(
            trial=said(m.trial.name), tasks=plural(m.overdue, "task")
        )
        + (
            _(", {deadlines} overdue").format(
                deadlines=plural(len(m.overdue_deadlines), "deadline")
            )
            if m.overdue_deadlines
            else ""
        )
        for m in active
        if m.overdue or m.overdue_deadlines
    ]
    quiet = [
        _("*{trial}*: no task updated or done this week").format(trial=said(m.trial.name))
        for m in active
        if not m.touched_this_week and not m.done_this_week
    ]
    changed = [
        _("*{trial}*: {tasks} done, {tasks2} updated").format(
            trial=said(m.trial.name),
            tasks=plural(m.done_this_week, "task"),
            tasks2=plural(m.touched_this_week, "task"),
        )
        for m in active
        if m.done_this_week or m.touched_this_week
    ]
    blocks: list[Block] = []
    for title, lines, empty in (
        (_("What changed this week"), changed, _("Nothing recorded.")),
        ("Overdue", overdue, _("Nothing overdue.")),
        (_("Gone quiet this week"), quiet, _("Every trial was active.")),
    ):
        chunk = split_lines(lines or [f"_{empty}_"])
        blocks.append(section(f"*{title}*\n{chunk[0]}"))
        blocks += [section(more) for more in chunk[1:5]]
    rollup = national_rollup(rows, today, tz, title=_("Where each trial stands"))
    blocks_dicts = to_dicts(blocks) + rollup.blocks
    return Message(text=_("Weekly digest details"), blocks=blocks_dicts[:50])
