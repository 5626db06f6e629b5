"""`/group handover`: when a trial has ended (locally-led, exited or concluded), its records
go to the group and the Director as an archive of open formats, and the trial becomes
read-only until the Director reopens it. `advisory-bot export` makes the same archive."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from handlers.context import Asker, linked
from handlers.permissions import Action
from models import archive, groups, reports, summaries
from models.db import Database
from models.errors import ParseError, UserError
from models.periods import Period
from models.tables import Trial, pk
from models.text import slug
from slack_api.reply import send
from ui import archive as zipped
from ui import documents
from ui.blocks.common import Message, notice
from ui.formatting import format_datetime, mention, plural, said
from ui.i18n import _
from ui.parsing import Token, parse_period


def report_period(trial: Trial, today: date) -> Period:
    """The half-year of the trial's latest report: the one it ended in, or today's."""
    last = min(today, trial.end_date) if trial.end_date else today
    return parse_period(f"H{1 if last.month <= 6 else 2} {last.year}")


def make_archive(
    *, database: Database, trial_id: int, now: datetime, tz: ZoneInfo
) -> zipped.Archive:
    """The archive of one trial's records, with its latest report draft."""
    today = now.astimezone(tz).date()
    with database.session(write=False) as session:
        trial = session.get(Trial, trial_id)
        if trial is None:
            raise UserError(_("That trial no longer exists."))
        sheets = archive.trial_records(session=session, trial=trial)
        period = report_period(trial, today)
        report = reports.report_data(session=session, trials=[trial], period=period, tz=tz)[0]
        measures = summaries.measures(session=session, today=today, now=now, trial=trial)[0]
    draft = documents.trial_draft(report, measures, today, tz, now)
    stem = f"{slug(trial.name)}-records-{now.astimezone(tz):%Y-%m-%d}"
    report_stem = f"report-{slug(period.label)}"
    return zipped.build(
        trial_name=trial.name,
        stem=stem,
        sheets=sheets,
        report={
            f"{report_stem}.docx": documents.to_docx(draft),
            f"{report_stem}.md": documents.to_markdown(draft).encode("utf-8"),
        },
        made=now,
        tz=tz,
    )


def handover(asker: Asker, tokens: list[Token]) -> Message:
    """Lead or Director: build the archive, send it to the channel and the Director, and
    make the trial read-only."""
    if tokens:
        raise ParseError(_("`/group handover` takes nothing after it."), example="/group handover")
    services = asker.services
    with services.database.session(write=False) as session:
        group, trial = linked(asker, session)
        asker.require(Action.HAND_OVER, group)
        groups.require_ended(trial)
        again = trial.handed_over_at is not None
    if asker.respond is not None:
        send(
            asker.respond,
            notice(_("Gathering every record of the trial… the archive follows in a moment.")),
        )
    built = make_archive(
        database=services.database, trial_id=pk(trial), now=services.now(), tz=services.settings.tz
    )
    comment = _(
        "{person} handed over the records of {trial}: every kind of record as "
        "CSV and JSON ({files}), the latest report draft, and a README with "
        "each file's SHA-256. The trial is now read-only; the Director can "
        "reopen it with `/group status active`."
    ).format(
        person=mention(asker.user_id),
        trial=said(trial.name),
        files=plural(len(built.checksums), "file"),
    )
    assert trial.channel_id is not None  # a linked trial has its channel
    asker.client.files_upload_v2(
        channel=trial.channel_id,
        content=built.content,
        filename=built.filename,
        title=_("{trial}: records").format(trial=trial.name),
        initial_comment=comment,
    )
    for director in sorted(services.settings.director_user_ids):
        dm = asker.client.conversations_open(users=director)["channel"]["id"]
        asker.client.files_upload_v2(
            channel=dm,
            content=built.content,
            filename=built.filename,
            title=_("{trial}: records").format(trial=trial.name),
            initial_comment=_(
                "The archive of {trial}'s records, for the programme's files."
            ).format(trial=said(trial.name)),
        )
    with services.database.session() as session:
        current = session.get(Trial, pk(trial), with_for_update=True)
        assert current is not None
        if current.handed_over_at is None:
            groups.hand_over(
                session=session,
                trial=current,
                actor_user_id=asker.user_id,
                files=built.checksums,
                at=services.clock(),
            )
        when = current.handed_over_at
    assert when is not None
    if again:
        return notice(
            _(
                "A fresh archive of {trial}'s records is in the channel; the trial stays read-only."
            ).format(trial=said(trial.name))
        )
    return notice(
        _("Handed over on {when}: the archive is in the channel and with the Director.").format(
            when=format_datetime(when, services.settings.tz)
        )
    )
