"""Keeping each linked channel's canvas current: made with `conversations.canvases.create`,
then only the sections whose content changed replaced (`canvases.sections.lookup` finds a
section by its heading; `canvases.edit`, one operation a call). A canvas deleted in Slack is
made again; a channel with a canvas of its own, or a workspace that refuses canvases, gets
the lead told once, and the bot carries on without one."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.error import URLError
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from models import deadlines, groups, meetings, summaries, tasks
from models.db import Database
from models.metrics import CANVAS_EDITS
from models.tables import Trial
from slack_api.refusals import error_code
from slack_api.reply import post
from ui import canvas, i18n
from ui.blocks import canvas as notices
from ui.blocks.common import Message

log = logging.getLogger("advisory_bot.canvas")

GONE = "canvas_not_found"
HAS_ONE = "channel_canvas_already_exists"
# Slack's tiers: canvases.edit and sections.lookup are Tier 3 (50 a minute), creation Tier 2
# (20 a minute). Calls are spaced to stay under them rather than to meet their 429s.
SPACING = {"canvases_edit": 60 / 50, "canvases_sections_lookup": 60 / 50, "create": 60 / 20}


class Throttle:
    """Calls of one kind at least `spacing` seconds apart, across every thread."""

    def __init__(self, spacing: float) -> None:
        self.spacing = spacing
        self._lock = threading.Lock()
        self._next = 0.0

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.spacing
        if start > now:
            time.sleep(start - now)


class CanvasPace:
    """One client's canvas calls, each kind spaced under its tier (`scale` < 1 only where
    the Slack being talked to is a local stand-in that can take more)."""

    def __init__(self, scale: float = 1.0) -> None:
        self._throttles = {kind: Throttle(spacing * scale) for kind, spacing in SPACING.items()}

    def wait(self, kind: str) -> None:
        self._throttles[kind].wait()


SLACKS_PACE = CanvasPace()


def _wait(client: WebClient, kind: str) -> None:
    getattr(client, "canvas_pace", SLACKS_PACE).wait(kind)


def gather(*, database: Database, trial: Trial, now: datetime, tz: ZoneInfo) -> canvas.CanvasData:
    """Everything the canvas shows, in one read."""
    now = now.astimezone(tz)
    with database.session(write=False) as session:
        measures = summaries.measures(session=session, today=now.date(), now=now, trial=trial)[0]
        assert trial.id is not None
        tasks_of_trial = tasks.trial_task_rows(session=session, trial_id=trial.id)
        upcoming = measures.next_meeting
        agenda = meetings.agenda(session=session, meeting=upcoming) if upcoming else []
        group = groups.load_group(session=session, user_id="", trial=trial)
        return canvas.CanvasData(
            measures=measures,
            leads=group.leads,
            tasks=tasks_of_trial,
            agenda=agenda,
            deadlines=deadlines.listing(session=session, trial=trial),
            today=now.date(),
            tz=tz,
        )


def canvas_markdown(*, database: Database, trial: Trial, now: datetime, tz: ZoneInfo) -> str:
    """The canvas of this trial's channel, as the markdown the bot would publish."""
    return canvas.markdown(trial.name, gather(database=database, trial=trial, now=now, tz=tz))


@dataclass
class Published:
    created: bool = False
    edits: int = 0
    problem: str | None = None  # Slack's refusal, when there is no canvas to keep


def _digest(markdown: str) -> str:
    return hashlib.sha256(markdown.encode()).hexdigest()[:16]


def publish(
    *,
    client: WebClient,
    database: Database,
    trial_id: int,
    now: datetime,
    tz: ZoneInfo,
    retry: bool = False,
) -> Published:
    """Bring the trial's channel canvas up to date; `retry` tries again after a refusal."""
    with database.session(write=False) as session:
        trial = session.get(Trial, trial_id)
    if trial is None or trial.channel_id is None:
        return Published()
    if trial.canvas_problem and not retry:
        return Published(problem=trial.canvas_problem)
    with i18n.speaking(trial.language):  # the canvas is the channel's: in its language
        data = gather(database=database, trial=trial, now=now, tz=tz)
        sections = canvas.sections(data)
        digests = _kept(sections)
    kept: dict[str, Any] = json.loads(trial.canvas_sections or "{}")
    # Each section is found by the heading it was last published under (a change of the
    # channel's language renames them all).
    shown: dict[str, str] = kept.get(HEADINGS) or {}
    result = Published()
    canvas_id = trial.canvas_id
    try:
        if canvas_id is not None:
            try:
                for heading, text in sections:
                    if kept.get(heading) != digests[heading]:
                        _replace(client, canvas_id, shown.get(heading, heading), text)
                        result.edits += 1
            except SlackApiError as error:
                if error_code(error) != GONE:
                    raise
                canvas_id = None  # deleted in Slack: made again, and the lead told
                _tell_lead(client, database, trial, notices.canvas_remade(trial.name))
        if canvas_id is None:
            with i18n.speaking(trial.language):
                whole = canvas.markdown(trial.name, data, sections)
            _wait(client, "create")
            answer = client.conversations_canvases_create(
                channel_id=trial.channel_id,
                title=canvas.title(trial.name),
                document_content={"type": "markdown", "markdown": whole},
            )
            canvas_id, result.created = str(answer["canvas_id"]), True
    except (SlackApiError, SlackRequestError, URLError, OSError) as error:
        code = error_code(error) if isinstance(error, SlackApiError) else None
        CANVAS_EDITS.labels(result=code or "unreachable").inc()
        if code is None or code in ("ratelimited", "internal_error", "fatal_error"):
            log.warning("Canvas of trial %s not brought up to date: %s", trial_id, error)
            return result  # passing trouble: the next change or the nightly pass tries again
        _refused(client, database, trial, code)
        return Published(problem=code)
    CANVAS_EDITS.labels(result="created" if result.created else "edited").inc(
        1 if result.created else result.edits
    )
    if result.created or result.edits or trial.canvas_problem:  # else nothing to note
        with database.session() as session:
            stored = session.get(Trial, trial_id)
            if stored is not None:
                stored.canvas_id, stored.canvas_problem = canvas_id, None
                stored.canvas_sections = json.dumps(digests)
                session.add(stored)
    return result


HEADINGS = "_headings"  # in `Trial.canvas_sections`: each section's heading as published


def _kept(sections: list[tuple[str, str]]) -> dict[str, Any]:
    """What is kept of a publication: each section's digest, and the headings shown (in
    the language being spoken)."""
    kept: dict[str, Any] = {heading: _digest(text) for heading, text in sections}
    kept[HEADINGS] = {heading: canvas.shown_heading(heading) for heading, _ in sections}
    return kept


def _replace(client: WebClient, canvas_id: str, heading: str, text: str) -> None:
    _wait(client, "canvases_sections_lookup")
    found = client.canvases_sections_lookup(
        canvas_id=canvas_id, criteria={"section_types": ["h2"], "contains_text": heading}
    )
    sections = found.get("sections") or []
    change: dict[str, object] = {
        "operation": "replace" if sections else "insert_at_end",
        "document_content": {"type": "markdown", "markdown": text},
    }
    if sections:
        change["section_id"] = sections[0]["id"]
    _wait(client, "canvases_edit")
    client.canvases_edit(canvas_id=canvas_id, changes=[change])


def _refused(client: WebClient, database: Database, trial: Trial, code: str) -> None:
    """Slack will not have the bot keep a canvas here: the lead hears it once."""
    with database.session() as session:
        stored = session.get(Trial, trial.id)
        told_already = stored is not None and stored.canvas_problem == code
        if stored is not None:
            stored.canvas_problem = code
            session.add(stored)
    if not told_already:
        message = (
            notices.channel_has_canvas(trial.name, trial.id or 0)
            if code == HAS_ONE
            else notices.canvas_refused(trial.name, code)
        )
        _tell_lead(client, database, trial, message)


def _tell_lead(client: WebClient, database: Database, trial: Trial, message: Message) -> None:
    with database.session(write=False) as session:
        group = groups.load_group(session=session, user_id="", trial=trial)
    for lead in group.leads[:1]:
        post(client, lead.slack_user_id, message)


def adopt(
    *, client: WebClient, database: Database, trial_id: int, now: datetime, tz: ZoneInfo
) -> bool:
    """The plan joins the channel's own canvas, as sections at its end; False if the
    channel has none (any more)."""
    with database.session(write=False) as session:
        trial = session.get(Trial, trial_id)
    if trial is None or trial.channel_id is None:
        return False
    info = client.conversations_info(channel=trial.channel_id)
    canvas_id = (
        ((info.get("channel") or {}).get("properties") or {}).get("canvas", {}).get("file_id")
    )
    if not canvas_id:
        return False
    with i18n.speaking(trial.language):
        data = gather(database=database, trial=trial, now=now, tz=tz)
        sections = canvas.sections(data)
        digests = _kept(sections)
    _wait(client, "canvases_edit")
    client.canvases_edit(
        canvas_id=canvas_id,
        changes=[
            {
                "operation": "insert_at_end",
                "document_content": {
                    "type": "markdown",
                    "markdown": "\n\n".join(text for _, text in sections),
                },
            }
        ],
    )
    with database.session() as session:
        stored = session.get(Trial, trial_id)
        if stored is not None:
            stored.canvas_id, stored.canvas_problem = str(canvas_id), None
            stored.canvas_sections = json.dumps(digests)
            session.add(stored)
    return True


def refresh_all(*, client: WebClient, database: Database, now: datetime, tz: ZoneInfo) -> int:
    """Every linked trial's canvas brought up to date (the nightly pass: "overdue" changes
    with the date); how many sections were edited."""
    with database.session(write=False) as session:
        ids = [t.id for t in groups.linked_trials(session=session)]
    return sum(
        publish(client=client, database=database, trial_id=i, now=now, tz=tz).edits
        for i in ids
        if i is not None
    )
