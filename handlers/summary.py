"""`/summary`: where a trial stands, or (for the Director) every trial."""

from __future__ import annotations

from slack_bolt import App

from bot import exports
from bot.blocks import summaries as blocks
from bot.blocks.common import Message, notice
from bot.errors import ParseError, UserError
from bot.parsing import Token, join, tokenize
from bot.permissions import Action
from handlers.context import Asker, Services, linked
from handlers.listeners import on_command
from models import groups, summaries
from models.tables import Trial


def _director_trial(asker: Asker, name: str) -> Trial:
    with asker.services.database.session(write=False) as session:
        group = groups.load_group(
            session=session, user_id=asker.user_id, channel_id=asker.channel_id
        )
        asker.require(Action.NATIONAL, group)
        found = summaries.find_trial(session=session, name=name)
    if not found:
        raise UserError(f"No trial is called “{name[:60]}”. `/summary all` lists them.")
    if len(found) > 1:
        names = ", ".join(t.name for t in found[:8])
        raise UserError(f"“{name[:60]}” could be {names}. Give more of the name.")
    return found[0]


def one_trial(asker: Asker, trial: Trial | None) -> Message:
    services = asker.services
    with services.database.session(write=False) as session:
        if trial is None:
            _, trial = linked(asker, session)
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
    return blocks.national_rollup(rows, services.today())


def export(asker: Asker, trial: Trial | None, *, every_trial: bool) -> Message:
    """A CSV and a PNG chart, uploaded to the channel through Slack's files upload flow."""
    services = asker.services
    if asker.channel_id is None:
        raise UserError("Ask for an export in a channel.")
    today = services.today()
    with services.database.session(write=False) as session:
        if every_trial:
            group = groups.load_group(
                session=session, user_id=asker.user_id, channel_id=asker.channel_id
            )
            asker.require(Action.NATIONAL, group)
            rows = summaries.measures(session=session, today=today, now=services.now())
            files = [
                ("social-sector-trials.csv", exports.national_csv(rows)),
                ("action-plan-progress.png", exports.national_chart(rows)),
            ]
            title = "Every trial"
        else:
            if trial is None:
                _, trial = linked(asker, session)
            tasks, updates = summaries.export_rows(session=session, trial=trial)
            outcomes = summaries.measures(
                session=session, today=today, now=services.now(), trial=trial
            )[0].outcomes
            slug = trial.name_key.replace(" ", "-")
            files = [
                (f"{slug}-tasks.csv", exports.tasks_csv(tasks, updates, today)),
                (f"{slug}-progress.png", exports.outcome_chart(trial.name, outcomes)),
            ]
            title = trial.name
    asker.client.files_upload_v2(
        channel=asker.channel_id,
        file_uploads=[{"content": data, "filename": name, "title": name} for name, data in files],
        initial_comment=f"<@{asker.user_id}> exported {title}: a spreadsheet and a chart.",
    )
    return notice(f"The export of {title} is in the channel.")


def dispatch(asker: Asker, text: str) -> Message:
    """`/summary`, `/summary all`, `/summary <Trial name>`, each optionally `export`."""
    tokens: list[Token] = tokenize(text)
    if tokens and tokens[0].is_word("help", "?"):
        return blocks.summary_help()
    wants_export = bool(tokens) and tokens[-1].is_word("export")
    if wants_export:
        tokens = tokens[:-1]
    every_trial = len(tokens) == 1 and tokens[0].is_word("all")
    trial = _director_trial(asker, join(tokens)) if tokens and not every_trial else None
    if tokens and not every_trial and trial is None:
        raise ParseError("Say which trial.", example="/summary Gore District")
    if wants_export:
        return export(asker, trial, every_trial=every_trial)
    if every_trial:
        return national(asker)
    return one_trial(asker, trial)


def register(app: App, services: Services) -> None:
    """Wire `/summary` into the app."""

    on_command(
        app,
        "/summary",
        services,
        lambda asker, command, _respond: dispatch(asker, command.get("text", "")),
    )
