"""`/group setup` and `/group canvas`: a channel becomes a trial's (asking first before a
trial leaves another channel) and gets its Action Plan canvas; and the small helpers that
mentions of people need."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session

from handlers.context import Asker, linked
from handlers.people import names_of
from handlers.permissions import Action
from models import groups, pending
from models.errors import ParseError, UserError
from models.people import Mention
from models.tables import NAME_LENGTH, Trial
from models.types import LeadApproach, Role, Sector
from slack_api import canvases
from ui.blocks import group as blocks
from ui.blocks.common import Message, error_message, notice
from ui.formatting import mention, plural, said
from ui.i18n import _
from ui.parsing import Token, is_mention, join, parse_mention, parse_title, split_keywords


def first_mention(tokens: list[Token], example: str) -> Mention:
    if not tokens:
        raise ParseError(_("Say who: mention them with @."), example=example)
    if not is_mention(tokens[0]):
        raise ParseError(
            _(
                "“{text}” is not a person. Mention them with @ and pick them from Slack's list."
            ).format(text=tokens[0].text[:40]),
            example=example,
        )
    return parse_mention(tokens[0].text)


def learn_names_later(asker: Asker, who: Mention | None) -> None:
    """After the reply, ask Slack for a mentioned person's names (so a plain `@name`
    finds them later): the change is saved first, and no lock waits on the network."""
    if who is None or who.user_id is None:
        return
    user_id, handle, services = who.user_id, who.name, asker.services

    def learn() -> None:
        names = names_of(asker.client, user_id, handle=handle)
        with services.database.session() as session:
            groups.learn_names(session=session, user_id=user_id, names=names)

    services.background.soon(learn)


def setup(asker: Asker, tokens: list[Token]) -> Message:
    """Director: link this channel to a trial, creating it if new; a trial linked to another
    channel moves here only after asking."""
    head, keywords = split_keywords(tokens, {"lead"})
    name = parse_title(join(head), what=_("trial name"), limit=NAME_LENGTH)
    lead = None
    if "lead" in keywords:
        lead = first_mention(keywords["lead"], "/group setup Gore District lead @lisa")
    if asker.channel_id is None:
        raise UserError(_("Type `/group setup` in the channel of the trial's group."))
    with asker.services.database.session() as session:
        group = groups.load_group(
            session=session, channel_id=asker.channel_id, user_id=asker.user_id
        )
        asker.require(Action.LINK_CHANNEL, group)
        existing = groups.find_trial_by_name(session=session, name=name)
        if existing and existing.channel_id and existing.channel_id != asker.channel_id:
            pending_id = pending.propose(
                session=session,
                user_id=asker.user_id,
                kind="group_move",
                payload={
                    "name": name,
                    "channel": asker.channel_id,
                    "lead": keywords["lead"][0].text if lead is not None else None,
                },
            )
            return blocks.move_prompt(existing, pending_id)
        return _link(asker, session, name, lead)


def _link(asker: Asker, session: Session, name: str, lead: Mention | None) -> Message:
    assert asker.channel_id is not None
    result = groups.link_channel(
        session=session, actor_user_id=asker.user_id, name=name, channel_id=asker.channel_id
    )
    trial = result.trial
    lead_text = ""
    if lead is not None:
        user_id, handle = groups.resolve_person(session=session, trial=trial, mention=lead)
        approach = trial.lead_approach
        groups.add_member(
            session=session,
            actor_user_id=asker.user_id,
            trial=trial,
            user_id=user_id,
            names=groups.Names(handle=handle),
            sector=Sector.PROVIDER if approach == LeadApproach.NGO.value else Sector.COMMUNITY,
            organisation=trial.lead_organisation,
            role=Role.LEAD,
        )
        lead_text = _(" Lead: {person}.").format(person=mention(user_id))
    learn_names_later(asker, lead)
    how = _("a new trial") if result.created else _("an existing trial")
    moved = (
        _(" (it was linked to <#{previous_channel_id}> before)").format(
            previous_channel_id=result.previous_channel_id
        )
        if result.previous_channel_id
        else ""
    )
    return notice(
        _(
            ":link: This channel is now the advisory group of *{trial}*, "
            "{how}{moved}.{lead_text} See `/group help` to add members."
        ).format(trial=said(trial.name), how=how, moved=moved, lead_text=lead_text),
        in_channel=True,
    )


def confirm_move(asker: Asker, pending_id: int) -> Message:
    """*Move it here*: the trial leaves its old channel for this one."""
    with asker.services.database.session() as session:
        change = pending.take(
            session=session, pending_id=pending_id, user_id=asker.user_id, kind="group_move"
        )
        asker = replace(asker, channel_id=str(change["channel"]))
        group = groups.load_group(
            session=session, channel_id=asker.channel_id, user_id=asker.user_id
        )
        asker.require(Action.LINK_CHANNEL, group)
        lead = parse_mention(change["lead"]) if change.get("lead") else None
        return _link(asker, session, str(change["name"]), lead)


def cancel_move(asker: Asker, pending_id: int) -> Message:
    with asker.services.database.session() as session:
        pending.take(
            session=session, pending_id=pending_id, user_id=asker.user_id, kind="group_move"
        )
    return notice(_("Left the trial where it was. Nothing changed."))


def canvas(asker: Asker, tokens: list[Token]) -> Message:
    """Lead: the channel's canvas made, or brought up to date, now."""
    if tokens:
        raise ParseError(_("`/group canvas` takes nothing after it."), example="/group canvas")
    with asker.services.database.session(write=False) as session:
        group, trial = linked(asker, session)
        asker.require(Action.EDIT_TRIAL, group)
    assert trial.channel_id is not None  # linked to this channel
    done = asker.services.publish_canvas(trial.channel_id, retry=True)
    if done.problem:
        return error_message(
            _("Slack refused the canvas ({problem}); I've told the lead what to ask for.").format(
                problem=done.problem
            )
        )
    if done.created:
        return notice(
            _("The *{trial} · Action Plan* canvas is at the top of the channel.").format(
                trial=said(trial.name)
            )
        )
    return notice(
        _("The Action Plan canvas is up to date ({sections} refreshed).").format(
            sections=plural(done.edits, "section")
        )
    )


def adopt_canvas(asker: Asker, trial_id: int) -> Message:
    """*Add the plan to this canvas*: the channel's own canvas gains the plan's sections."""
    with asker.services.database.session(write=False) as session:
        trial = session.get(Trial, trial_id)
        if trial is None:
            raise UserError(_("That trial is no longer here. Nothing changed."))
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        asker.require(Action.EDIT_TRIAL, group)
    services = asker.services
    if not canvases.adopt(
        client=asker.client,
        database=services.database,
        trial_id=trial_id,
        now=services.now(),
        tz=services.settings.tz,
    ):
        return error_message(
            _("The channel has no canvas any more; type `/group canvas` there to make the plan's.")
        )
    return notice(
        _("The Action Plan is now at the end of the {trial} channel's canvas.").format(
            trial=said(trial.name)
        )
    )
