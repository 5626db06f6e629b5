"""One reminder sweep: a plain function of (now, database, client, settings).

Work out what is due, record what was missed for good, then for each due reminder:
claim it in the ledger, send it (no transaction open meanwhile), and mark it sent only
once Slack has accepted it. A refusal (429 after the client's own retries, 5xx, a lost
connection) marks it failed, and the next sweep tries again.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
import zlib
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from models.db import Database
from models.groups import mark_unreachable
from models.metrics import REMINDER_BACKLOG, REMINDERS
from models.programme import Programme
from models.reminders import (
    Details,
    claim,
    ledger_states,
    load_details,
    load_facts,
    mark_failed,
    mark_obsolete,
    mark_refused,
    mark_sent,
    record_missed,
)
from models.summaries import measures
from models.tables import pk
from models.types import LedgerState
from scheduler import rules
from slack_api.refusals import Refusal, classify, error_code
from ui import i18n
from ui.blocks import meetings as meeting_blocks
from ui.blocks import reminders as blocks
from ui.blocks import summaries as summary_blocks
from ui.blocks.common import Message
from ui.i18n import N_, _

log = logging.getLogger("advisory_bot.reminders")

PER_CHANNEL_INTERVAL = 1.0  # Slack's pace: about one message a second per channel
SENDERS = 4  # concurrent senders in a sweep, each owning a share of the recipients
METADATA_EVENT = "advisory_reminder"


def process_name() -> str:
    """Who claims ledger rows: host, process and a per-start token."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class SweepResult:
    due: int = 0
    sent: int = 0
    failed: int = 0
    taken: int = 0  # already sent, or being sent by another process
    obsolete: int = 0  # what it was about was done or removed before it went
    missed: int = 0
    refused: int = 0  # Slack refuses the target for good, and nobody could be told instead
    rerouted: int = 0  # ...and what it was for went to the lead or the Director instead
    held: int = 0  # not tried: Slack refuses the bot's token
    lines: list[str] = field(default_factory=list)


class Pacer:
    """Keeps at least `interval` seconds between messages to the same channel; a wait ends
    early when the bot is stopping."""

    def __init__(self, interval: float, stop: threading.Event | None = None) -> None:
        self.interval = interval
        self.stop = stop or threading.Event()
        self.last: dict[str, float] = {}

    def wait(self, channel: str) -> None:
        previous = self.last.get(channel)
        if previous is not None:
            pause = previous + self.interval - time.monotonic()
            if pause > 0:
                self.stop.wait(pause)
        self.last[channel] = time.monotonic()


def interleave(reminders: list[rules.Reminder]) -> list[rules.Reminder]:
    """Round-robin over recipients, so pacing one channel doesn't hold up the others."""
    queues: OrderedDict[str, list[rules.Reminder]] = OrderedDict()
    for reminder in reminders:
        queues.setdefault(reminder.recipient or "", []).append(reminder)
    ordered: list[rules.Reminder] = []
    while queues:
        for recipient in list(queues):
            ordered.append(queues[recipient].pop(0))
            if not queues[recipient]:
                del queues[recipient]
    return ordered


CHANNEL_KINDS = frozenset({"agenda", "agenda-call"})  # posted in the trial's channel


def message_for(
    reminder: rules.Reminder, details: Details, settings: Programme, today: datetime
) -> Message | None:
    """The message a reminder sends, in its reader's language (a DM in the person's own,
    a channel post in the channel's); None if what it was about has gone."""
    trial = details.trials.get(reminder.trial_id)
    if reminder.kind in CHANNEL_KINDS:
        language = trial.language if trial is not None else None
    else:
        language = details.languages.get(reminder.recipient or "")
    with i18n.speaking(language):
        return _message_for(reminder, details, settings, today)


def _message_for(
    reminder: rules.Reminder, details: Details, settings: Programme, today: datetime
) -> Message | None:
    day = today.date()
    trial = details.trials.get(reminder.trial_id)
    if trial is None:
        return None
    if reminder.kind in ("deadline", "escalation"):
        deadline = details.deadlines.get(reminder.subject_id)
        if deadline is None or deadline.status != "open":
            return None
        if reminder.kind == "escalation":
            member = details.members.get(deadline.responsible_member_id or -1)
            return blocks.escalation(deadline, trial.name, member, rules.ESCALATION_WORKING_DAYS)
        return blocks.deadline_reminder(
            deadline,
            trial.name,
            day,
            on_behalf_of=reminder.on_behalf_of,
            to_lead=reminder.recipient in details.leads[pk(trial)],
        )
    if reminder.kind == "task":
        row = details.tasks.get(reminder.subject_id)
        return blocks.task_reminder(row, day) if row and row.is_open and row.due_date else None
    if reminder.kind in ("agenda", "agenda-call"):
        meeting = details.meetings.get(reminder.subject_id)
        if meeting is None or meeting.status != "scheduled":
            return None
        items = details.agendas[pk(meeting)]
        if reminder.kind == "agenda-call":
            return blocks.agenda_call(meeting, trial.name, len(items), settings.tz)
        return meeting_blocks.agenda_message(
            trial.name, meeting, items, settings.tz, title=N_("Tomorrow's agenda")
        )
    if reminder.kind == "check-in":
        rows = details.checkins.get(reminder.subject_id)
        return blocks.checkin(trial.name, rows, day) if rows else None
    if reminder.kind == "contract":
        item = details.programmes.get(reminder.subject_id)
        if item is None or item.ended_on is not None or item.until_date is None:
            return None
        if item.until_date < day:
            return None  # renewed to an earlier date, or the reminder came too late to matter
        return blocks.contract_reminder(item, trial.name, day)
    raise ValueError(f"unknown reminder kind {reminder.kind}")


def send_digest(
    client: WebClient,
    channel: str,
    database: Database,
    settings: Programme,
    now: datetime,
    metadata: dict[str, object],
) -> None:
    """The weekly digest: a short headline in the channel, the detail in its thread."""
    local = now.astimezone(settings.tz)
    with database.session(write=False) as session:
        rows = measures(session=session, today=local.date(), now=now)
    headline = summary_blocks.digest_headline(rows, local.date())
    posted = client.chat_postMessage(
        channel=channel, text=headline.text, blocks=headline.blocks, metadata=metadata
    )
    detail = summary_blocks.digest_detail(rows, local.date(), settings.tz)
    try:
        client.chat_postMessage(
            channel=channel, thread_ts=posted["ts"], text=detail.text, blocks=detail.blocks
        )
    except (SlackApiError, SlackRequestError, URLError, OSError) as error:
        # The headline went (and is recorded as sent); the thread is a courtesy.
        log.warning("The digest's detail could not be posted in its thread: %s", error)


def tell_leads_what_was_missed(
    client: WebClient, facts: rules.Facts, missed: list[rules.Reminder], settings: Programme
) -> None:
    """After the bot was down past a reminder's day: the trial's lead gets one message
    listing what never went (a missed weekly check-in asks nothing of the lead)."""
    by_trial: dict[int, list[rules.Reminder]] = {}
    for reminder in missed:
        if reminder.trial_id in facts.trials and reminder.kind != "check-in":
            by_trial.setdefault(reminder.trial_id, []).append(reminder)
    for trial_id, reminders in by_trial.items():
        trial = facts.trials[trial_id]
        message = blocks.missed_list(trial.name, reminders, settings.tz)
        for lead in sorted({person.user_id for person in trial.leads}):
            try:
                client.chat_postMessage(channel=lead, text=message.text, blocks=message.blocks)
            except (SlackApiError, SlackRequestError, URLError, OSError) as error:
                log.warning("Could not tell %s what was missed: %s", lead, error_code(error))


def measures_now(database: Database, settings: Programme, now: datetime) -> list[Any]:
    with database.session(write=False) as session:
        return measures(session=session, today=now.astimezone(settings.tz).date(), now=now)


def describe(reminder: rules.Reminder, trial_name: str, message: Message | None = None) -> str:
    """One line of `--dry-run`: kind, reference, recipient, trial, and the message's first
    line as people would read it."""
    recipient = reminder.recipient or "-"
    behalf = (
        _(" (for {on_behalf_of}, away)").format(on_behalf_of=reminder.on_behalf_of)
        if reminder.on_behalf_of
        else ""
    )
    line = f"{reminder.kind:<11} {reminder.target:<10} {recipient + behalf:<24} {trial_name}"
    if reminder.kind == "digest":
        return _("{line} · “Weekly digest”").format(line=line)
    if message is not None and message.text:
        first = message.text.splitlines()[0].replace("*", "")
        return f"{line} · “{first[:100]}”"
    return line


def sweep(
    *,
    now: datetime,
    database: Database,
    client: WebClient | None,
    settings: Programme,
    me: str,
    dry_run: bool = False,
    pace: float = PER_CHANNEL_INTERVAL,
    stop: threading.Event | None = None,
) -> SweepResult:
    """Send what is due at `now` (or, with dry_run, only say what would be sent)."""
    local_now = now.astimezone(settings.tz)
    with database.session(write=False) as session:
        facts = load_facts(session=session, today=local_now.date())
        plan = rules.schedule(
            now, facts, tz=settings.tz, director_channel=settings.director_channel_id
        )
        states = ledger_states(session=session, keys=[r.key for r in plan.due])
    done = {LedgerState.SENT.value, LedgerState.SKIPPED.value}
    pending = [r for r in plan.due if getattr(states.get(r.key), "state", None) not in done]
    result = SweepResult(due=len(plan.due), taken=len(plan.due) - len(pending))
    if dry_run:
        with database.session(write=False) as session:
            details = load_details(session=session, reminders=pending)
        result.lines = [
            describe(
                r,
                facts.trials[r.trial_id].name if r.trial_id else _("every trial"),
                None if r.kind == "digest" else message_for(r, details, settings, local_now),
            )
            for r in pending
        ]
        return result
    missed = record_missed(database=database, reminders=plan.missed, now=now)
    result.missed = len(missed)
    for reminder in missed:
        REMINDERS.labels(kind=reminder.kind, result="missed").inc()
    if missed and client is not None:
        tell_leads_what_was_missed(client, facts, missed, settings)
    if not pending:
        REMINDER_BACKLOG.set(0)
        return result
    assert client is not None
    with database.session(write=False) as session:
        details = load_details(session=session, reminders=pending)
    # A few senders, each with its own recipients (so per-channel pacing holds), keep the
    # pace near Slack's limit; each message is still claimed, sent and marked on its own.
    buckets: list[list[rules.Reminder]] = [[] for _ignored in range(SENDERS)]
    for reminder in interleave(pending):
        buckets[zlib.crc32((reminder.recipient or "").encode()) % SENDERS].append(reminder)
    lock = threading.Lock()
    attempted = [0]

    def send_all(bucket: list[rules.Reminder]) -> None:
        pacer = Pacer(pace, stop)
        for reminder in bucket:
            if stop is not None and stop.is_set():
                return  # the bot is stopping: the rest are still due for the next sweep
            outcome = send_one(reminder, pacer)
            REMINDERS.labels(kind=reminder.kind, result=outcome).inc()
            with lock:
                setattr(result, outcome, getattr(result, outcome) + 1)
                attempted[0] += 1

    standing = getattr(client, "standing", None)

    def refused(
        reminder: rules.Reminder,
        ledger_id: int,
        message: Message | None,
        code: str,
        *,
        call: bool = True,
    ) -> str:
        """Slack refuses this target for good: not tried again; what it was for goes to
        someone who can act (the lead, or the Director)."""
        assert reminder.recipient is not None and client is not None
        mark_refused(database=database, ledger_id=ledger_id, me=me, error=code)
        log.warning("Reminder %s: Slack refuses %s (%s).", reminder.key, reminder.recipient, code)
        recipient = reminder.recipient
        if recipient.startswith(("U", "W")):
            if call:
                with database.session() as session:
                    mark_unreachable(session=session, user_id=recipient, reason=code)
            note = blocks.person_unreachable_note(recipient, code)
            others = details.leads.get(reminder.trial_id, set()) - {recipient} - details.unreachable
        elif recipient == settings.director_channel_id:
            note = blocks.director_channel_refused_note(recipient, code)
            others = set(settings.director_user_ids)
        else:
            note = blocks.channel_refused_note(recipient, code)
            others = details.leads.get(reminder.trial_id, set()) - details.unreachable
        if message is None or not others:
            return "refused"
        for other in sorted(others):
            forwarded = blocks.rerouted(message, note)
            try:
                client.chat_postMessage(channel=other, text=forwarded.text, blocks=forwarded.blocks)
            except (SlackApiError, SlackRequestError, URLError, OSError) as error:
                log.warning("Could not tell %s about %s either: %s", other, reminder.key, error)
        return "rerouted"

    def send_one(reminder: rules.Reminder, pacer: Pacer) -> str:
        """Claim, send, mark; returns which count of the result it adds to."""
        if standing is not None and standing.token_refused:
            return "held"  # nothing will go until the token is replaced: keep them due
        ledger_id = claim(database=database, reminder=reminder, me=me, now=now)
        if ledger_id is None:
            return "taken"
        metadata: dict[str, object] = {
            "event_type": METADATA_EVENT,
            "event_payload": {
                "kind": reminder.kind,
                "target": reminder.target,
                "slot": reminder.slot,
            },
        }
        assert reminder.recipient is not None and client is not None
        message = None
        try:
            if reminder.kind == "digest":
                pacer.wait(reminder.recipient)
                send_digest(client, reminder.recipient, database, settings, now, metadata)
            else:
                message = message_for(reminder, details, settings, local_now)
                if message is None:  # what it was about was done or removed meanwhile
                    mark_obsolete(database=database, ledger_id=ledger_id, me=me)
                    return "obsolete"
                if now - reminder.send_at >= rules.DUE_FOR:
                    message = blocks.late(message, reminder.send_at, settings.tz)
                if reminder.recipient in details.unreachable:  # Slack refused them before
                    return refused(reminder, ledger_id, message, "account_inactive", call=False)
                pacer.wait(reminder.recipient)
                client.chat_postMessage(
                    channel=reminder.recipient,
                    text=message.text,
                    blocks=message.blocks or None,
                    metadata=metadata,
                )
        except (SlackApiError, SlackRequestError, URLError, OSError) as error:
            to_person = reminder.recipient.startswith(("U", "W"))
            refusal = classify(error, to_person=to_person)
            if refusal is Refusal.PAYLOAD:  # sending it again changes nothing: a bug to fix
                log.error("Slack refuses reminder %s itself: %s", reminder.key, error)
                mark_refused(database=database, ledger_id=ledger_id, me=me, error=str(error))
                return "refused"
            if refusal in (Refusal.PERSON, Refusal.CHANNEL):
                if message is None and reminder.kind == "digest":
                    message = summary_blocks.digest_headline(
                        measures_now(database, settings, now), local_now.date()
                    )
                return refused(reminder, ledger_id, message, error_code(error) or "refused")
            log.warning(
                "Reminder %s to %s not sent (%s); the next sweep retries it.",
                reminder.key,
                reminder.recipient,
                error_code(error) or error.__class__.__name__,
            )
            mark_failed(database=database, ledger_id=ledger_id, me=me, error=str(error))
            return "failed"
        mark_sent(database=database, ledger_id=ledger_id, me=me, now=now)
        return "sent"

    with ThreadPoolExecutor(max_workers=SENDERS, thread_name_prefix="reminders") as pool:
        for future in [pool.submit(send_all, bucket) for bucket in buckets if bucket]:
            future.result()
    # Still due for the next sweep: failed, held, or not reached before the bot stopped.
    REMINDER_BACKLOG.set(result.failed + result.held + len(pending) - attempted[0])
    return result
