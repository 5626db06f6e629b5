"""`/summary`: where a trial stands, or (for the Director) every trial."""

from __future__ import annotations

from handlers.context import Asker, linked, only_for_asker
from handlers.permissions import Action
from handlers.registry import Family, Sub
from models import groups, summaries
from models.errors import ParseError, UserError
from models.tables import Trial
from models.text import slug
from ui import exports
from ui.blocks import summaries as blocks
from ui.blocks.common import Message, notice
from ui.formatting import said
from ui.i18n import N_, _
from ui.parsing import Token, join


def _director_trial(asker: Asker, name: str) -> Trial:
    with asker.services.database.session(write=False) as session:
        group = groups.load_group(
            session=session, user_id=asker.user_id, channel_id=asker.channel_id
        )
        asker.require(Action.NATIONAL, group)
        found = summaries.find_trial(session=session, name=name)
    if not found:
        raise UserError(
            _("No trial is called “{name}”. `/summary all` lists them.").format(
                name=said(name[:60])
            )
        )
    if len(found) > 1:
        names = ", ".join(said(t.name) for t in found[:8])
        raise UserError(
            _("“{name}” could be {names}. Give more of the name.").format(
                name=said(name[:60]), names=names
            )
        )
    return found[0]


def one_trial(asker: Asker, trial: Trial | None) -> Message:
    services = asker.services
    with services.database.session(write=False) as session:
        if trial is None:
            _ignored, trial = linked(asker, session)
        summary = summaries.trial_summary(
            session=session, trial=trial, today=services.today(), now=services.now()
        )
    return blocks.trial_summary(summary, services.today(), services.settings.tz)


def national(asker: Asker) -> Message:
    services = asker.services
    with services.database.session(write=False) as session:
        group = groups.load_group(
            session=session, user_id=asker.user_id, channel_id=asker.channel_id
        )
        asker.require(Action.NATIONAL, group)
        rows = summaries.measures(session=session, today=services.today(), now=services.now())
    rollup = blocks.national_rollup(rows, services.today(), services.settings.tz)
    # Every trial's state is not for one trial's group to read.
    return only_for_asker(rollup) if group.trial is not None else rollup


def export(asker: Asker, trial: Trial | None, *, every_trial: bool) -> Message:
    """A CSV and a PNG chart, uploaded to the channel through Slack's files upload flow."""
    services = asker.services
    if asker.channel_id is None:
        raise UserError(_("Ask for an export in a channel."))
    today = services.today()
    with services.database.session(write=False) as session:
        if every_trial:
            group = groups.load_group(
                session=session, user_id=asker.user_id, channel_id=asker.channel_id
            )
            asker.require(Action.NATIONAL, group)
            rows = summaries.measures(session=session, today=today, now=services.now())
            files = [
                ("social-sector-trials.csv", exports.national_csv(rows, services.settings.tz)),
                ("action-plan-progress.png", exports.national_chart(rows, today)),
            ]
            title = _("Every trial")
        else:
            if trial is None:
                _ignored, trial = linked(asker, session)
            tasks, updates = summaries.export_rows(session=session, trial=trial)
            outcomes = summaries.measures(
                session=session, today=today, now=services.now(), trial=trial
            )[0].outcomes
            stem = slug(trial.name)
            files = [
                (
                    f"{stem}-tasks.csv",
                    exports.tasks_csv(tasks, updates, today, services.settings.tz),
                ),
                (f"{stem}-progress.png", exports.outcome_chart(trial.name, outcomes, today)),
            ]
            title = trial.name
    asker.client.files_upload_v2(
        channel=asker.channel_id,
        file_uploads=[{"content": data, "filename": name, "title": name} for name, data in files],
        initial_comment=_("<@{user_id}> exported {title}: a spreadsheet and a chart.").format(
            user_id=asker.user_id, title=title
        ),
    )
    return notice(_("The export of {title} is in the channel.").format(title=title))


def this_trial(asker: Asker, tokens: list[Token]) -> Message:
    """This trial's summary, posted to the channel."""
    return one_trial(asker, None)


def every_trial(asker: Asker, tokens: list[Token]) -> Message:
    """Director: the national roll-up (with `export`, its CSV and chart)."""
    if not tokens:
        return national(asker)
    if len(tokens) == 1 and tokens[0].is_word("export"):
        return export(asker, None, every_trial=True)
    raise ParseError(
        _("`/summary all` takes only `export` after it."), example="/summary all export"
    )


def export_this_trial(asker: Asker, tokens: list[Token]) -> Message:
    """This trial's tasks and updates as a CSV, with a progress chart."""
    if tokens:
        raise ParseError(
            _("Put the trial's name before `export`."), example="/summary Gore District export"
        )
    return export(asker, None, every_trial=False)


def named_trial(asker: Asker, tokens: list[Token]) -> Message:
    """Director: one trial by name, perhaps with `export`."""
    wants_export = tokens[-1].is_word("export")
    if wants_export:
        tokens = tokens[:-1]
    trial = _director_trial(asker, join(tokens))
    if trial is None:
        raise ParseError(_("Say which trial."), example="/summary Gore District")
    if wants_export:
        return export(asker, trial, every_trial=False)
    summary = one_trial(asker, trial)
    # Asked about another trial from one trial's channel: for the Director alone.
    return summary if trial.channel_id == asker.channel_id else only_for_asker(summary)


FAMILY = Family(
    command="/summary",
    description="Where the trial stands (or, for the Director, every trial)",
    about=N_("Where the trial stands, posted to the channel for the group to see."),
    default="",
    hint=N_("[all|<Trial name>] [export]"),
    subs=(
        Sub(
            "",
            this_trial,
            (
                (
                    "/summary",
                    N_(
                        "This trial: red/amber/green with the reasons, Action Plan progress, "
                        "overdue and blocked tasks, deadlines, the next meeting, latest updates."
                    ),
                ),
            ),
        ),
        Sub(
            "export",
            export_this_trial,
            (
                (
                    "/summary export",
                    N_("This trial's tasks and updates as a CSV, with a progress chart."),
                ),
            ),
            slow=True,
        ),
        Sub(
            "all",
            every_trial,
            (
                ("/summary all", N_("every trial, those needing attention first.")),
                ("/summary all export", N_("every trial's measures as a CSV, with a chart.")),
            ),
            who="Director",
            slow=True,
        ),
    ),
    otherwise=Sub(
        N_("<Trial name>"),
        named_trial,
        (("/summary Ranui", N_("one trial by name (case and macrons don't matter).")),),
        who="Director",
    ),
)
