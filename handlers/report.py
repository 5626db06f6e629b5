"""`/report draft [<period>]`: a draft six-monthly progress report as a Word document (and
a Markdown copy), uploaded to the channel; `/report draft all` for the Director."""

from __future__ import annotations

from datetime import date

from slack_bolt import App

from handlers.context import Asker, Services, linked
from handlers.listeners import on_click
from handlers.permissions import Action
from handlers.registry import Family, Sub
from models import groups, reports, summaries
from models.errors import UserError
from models.tables import Trial
from slack_api.reply import send
from ui import documents
from ui.blocks import ids
from ui.blocks.common import Message, notice
from ui.formatting import said
from ui.i18n import N_, _
from ui.parsing import Period, Token, join, parse_period

EXAMPLE = "/report draft H2 2026"


def current_half(today: date) -> Period:
    """The six-month period ending 30 June or 31 December that today falls in."""
    return parse_period(f"H{1 if today.month <= 6 else 2} {today.year}")


def slug(label: str) -> str:
    return label.replace(" ", "-").replace("/", "-")


def upload(asker: Asker, channel: str, stem: str, draft: documents.Draft) -> None:
    asker.client.files_upload_v2(
        channel=channel,
        file_uploads=[
            {"content": documents.to_docx(draft), "filename": f"{stem}.docx", "title": draft.title},
            {
                "content": documents.to_markdown(draft).encode(),
                "filename": f"{stem}.md",
                "title": _("{title} (Markdown)").format(title=draft.title),
            },
        ],
        initial_comment=_(
            "<@{user_id}> drafted “{title}”. Every figure comes from the group's "
            "records; check it before it goes anywhere."
        ).format(user_id=asker.user_id, title=said(draft.title)),
    )


def draft_trial(asker: Asker, trial: Trial, period: Period, channel: str) -> Message:
    services = asker.services
    with services.database.session(write=False) as session:
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        asker.require(Action.DRAFT_REPORT, group)
        report = reports.report_data(
            session=session, trials=[trial], period=period, tz=services.settings.tz
        )[0]
        measures = summaries.measures(
            session=session, today=services.today(), now=services.now(), trial=trial
        )[0]
    draft = documents.trial_draft(
        report, measures, services.today(), services.settings.tz, services.now()
    )
    stem = f"{trial.name_key.replace(' ', '-')}-report-{slug(period.label)}"
    upload(asker, channel, stem, draft)
    return notice(
        _("The draft report for {trial}, {period_words}, is in the channel.").format(
            trial=said(trial.name), period_words=documents.period_words(period)
        )
    )


def draft_all(asker: Asker, period: Period, channel: str) -> Message:
    services = asker.services
    with services.database.session(write=False) as session:
        group = groups.load_group(
            session=session, user_id=asker.user_id, channel_id=asker.channel_id
        )
        asker.require(Action.NATIONAL, group)
        rows = summaries.measures(session=session, today=services.today(), now=services.now())
        trials = sorted((m.trial for m in rows), key=lambda t: t.name)
        data = reports.report_data(
            session=session, trials=trials, period=period, tz=services.settings.tz
        )
    draft = documents.national_draft(
        data, rows, period, services.today(), services.settings.tz, services.now()
    )
    upload(asker, channel, f"national-report-{slug(period.label)}", draft)
    return notice(
        _("The national draft report, {period_words}, is in the channel.").format(
            period_words=documents.period_words(period)
        )
    )


def draft(asker: Asker, rest: list[Token]) -> Message:
    """`/report draft [all] [<period>]`."""
    every_trial = bool(rest) and rest[0].is_word("all")
    if every_trial:
        rest = rest[1:]
    period = parse_period(join(rest)) if rest else current_half(asker.services.today())
    if asker.channel_id is None:
        raise UserError(_("Ask for a report in a channel."))
    with asker.services.database.session(write=False) as session:
        if every_trial:
            group = groups.load_group(
                session=session, user_id=asker.user_id, channel_id=asker.channel_id
            )
            asker.require(Action.NATIONAL, group)
        else:
            group, trial = linked(asker, session)
            asker.require(Action.DRAFT_REPORT, group)
    # Building and uploading takes a moment: say so first (the command was acked already).
    assert asker.respond is not None
    send(
        asker.respond,
        notice(
            _(
                "Drafting the report for {period_words}… it will be in the channel in a moment."
            ).format(period_words=documents.period_words(period))
        ),
    )  # names no command
    if every_trial:
        return draft_all(asker, period, asker.channel_id)
    return draft_trial(asker, trial, period, asker.channel_id)


def draft_clicked(asker: Asker, trial_id: int, channel: str | None) -> Message:
    """“Draft the report” on a reporting deadline's reminder."""
    with asker.services.database.session(write=False) as session:
        trial = session.get(Trial, trial_id)
    if trial is None:
        raise UserError(_("That trial no longer exists."))
    target = channel or trial.channel_id
    if target is None:
        raise UserError(
            _("{trial} has no channel to put the report in.").format(trial=said(trial.name))
        )
    return draft_trial(asker, trial, current_half(asker.services.today()), target)


def explain(asker: Asker, tokens: list[Token]) -> Message:
    """`/report` alone: what it does."""
    return FAMILY.help_message()


FAMILY = Family(
    command="/report",
    description="A draft six-monthly progress report",
    about=N_("A draft progress report from the group's records, uploaded as a Word document."),
    default="",
    hint=N_("draft [all] [<period>]"),
    subs=(
        Sub("", explain, ()),
        Sub(
            "draft",
            draft,
            (
                (
                    "/report draft",
                    N_(
                        "Lead: this trial's report for the current six months "
                        "(to 30 June or 31 December)."
                    ),
                ),
                (
                    "/report draft H1 2026",
                    N_("For another period: H1 2026, 2025/26, Q3 2026, Jun 2026."),
                ),
                (
                    "/report draft all",
                    N_("Director: every trial, with the national roll-up first."),
                ),
            ),
            slow=True,
        ),
    ),
)


def register(app: App, services: Services) -> None:
    """Wire the reminders' “Draft the report” button into the app."""

    on_click(
        app,
        ids.REPORT_DRAFT,
        services,
        lambda asker, action, body: draft_clicked(
            asker, int(action["value"]), (body.get("channel") or {}).get("id")
        ),
        changes=False,
        slow=True,
    )
