"""Trials and their advisory groups: linking channels, members, roles, status.

Keyword-only functions; the caller owns the session (and so the transaction).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func, or_
from sqlmodel import Session, col, select

from models.audit import record
from models.db import rows
from models.errors import N_, NotFound, UserError
from models.people import Mention
from models.tables import Member, Outcome, Trial
from models.text import fold
from models.types import LeadApproach, Role, Sector, TrialStatus, utcnow


@dataclass
class Group:
    """A channel's trial (if linked), the person asking's membership, and its officers."""

    trial: Trial | None
    me: Member | None
    leads: list[Member] = field(default_factory=list)
    chairs: list[Member] = field(default_factory=list)


# Asked on nearly every command, so built once: building a statement costs more than
# running one this small (a statement is immutable; each run binds its own values).
_TRIAL_ID_OF_CHANNEL = select(Trial.id).where(Trial.channel_id == bindparam("channel_id"))
_TRIAL_OF_CHANNEL = select(Trial).where(Trial.channel_id == bindparam("channel_id"))
_OFFICERS_AND_ME = (
    select(Member)
    .where(
        Member.trial_id == bindparam("trial_id"),
        col(Member.active).is_(True),
        or_(
            col(Member.role).in_([Role.LEAD.value, Role.CHAIR.value]),
            col(Member.slack_user_id) == bindparam("user_id"),
        ),
    )
    .order_by(col(Member.id))
)


def linked_trial_id(*, session: Session, channel_id: str) -> int | None:
    """The id of the trial linked to a channel, if one is."""
    found: int | None = rows(session, _TRIAL_ID_OF_CHANNEL, {"channel_id": channel_id}).scalar()
    return found


def load_group(
    *,
    session: Session,
    user_id: str,
    channel_id: str | None = None,
    trial: Trial | None = None,
) -> Group:
    """Everything a permission check needs, for a channel's trial or a given one."""
    if trial is None and channel_id is not None:
        trial = session.exec(_TRIAL_OF_CHANNEL, params={"channel_id": channel_id}).first()
    if trial is None:
        return Group(trial=None, me=None)
    officers = session.exec(
        _OFFICERS_AND_ME, params={"trial_id": trial.id, "user_id": user_id}
    ).all()
    return Group(
        trial=trial,
        me=next((m for m in officers if m.slack_user_id == user_id), None),
        leads=[m for m in officers if m.role == Role.LEAD.value],
        chairs=[m for m in officers if m.role == Role.CHAIR.value],
    )


def find_trial_by_name(*, session: Session, name: str) -> Trial | None:
    """A trial by name, forgiving case and macrons ("ranui" finds "Rānui")."""
    return session.exec(select(Trial).where(Trial.name_key == fold(name))).first()


@dataclass
class LinkResult:
    trial: Trial
    created: bool
    previous_channel_id: str | None


def link_channel(*, session: Session, actor_user_id: str, name: str, channel_id: str) -> LinkResult:
    """Link a channel to a trial, creating the trial if it is new."""
    linked = session.exec(select(Trial).where(Trial.channel_id == channel_id)).first()
    trial = find_trial_by_name(session=session, name=name)
    if linked is not None and (trial is None or linked.id != trial.id):
        raise UserError(
            N_(
                "This channel is already the channel of {linked}. Use a new channel "
                "for another trial."
            ),
            linked=linked.name,
        )
    created = trial is None
    if trial is None:
        trial = Trial(name=name, name_key=fold(name), channel_id=channel_id)
        session.add(trial)
        session.flush()
    previous = trial.channel_id if trial.channel_id != channel_id else None
    trial.channel_id = channel_id
    session.add(trial)
    session.flush()
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="trial.created" if created else "trial.linked",
        entity="trial",
        entity_id=trial.id,
        trial_id=trial.id,
        detail={"name": trial.name, "channel": channel_id, "previous_channel": previous},
    )
    return LinkResult(trial=trial, created=created, previous_channel_id=previous)


def resolve_person(*, session: Session, trial: Trial, mention: Mention) -> tuple[str, str | None]:
    """The Slack user ID (and handle) a mention names.

    An escaped mention carries its ID. A plain `@name` is matched against known members'
    handles, display names and real names, ignoring case and macrons; this trial's
    members first. No match, or more than one person, is refused with the candidates.
    """
    if mention.user_id is not None:
        return mention.user_id, mention.name
    wanted = fold(mention.name or "")
    # Advisory groups are small (tens of people), so folding in Python is cheap and,
    # unlike SQL lower(), also ignores macrons.
    rows = session.exec(select(Member).order_by(col(Member.id))).all()
    matches = [
        m
        for m in rows
        if wanted in {fold(m.handle or ""), fold(m.display_name or ""), fold(m.real_name or "")}
    ]
    local = [m for m in matches if m.trial_id == trial.id]
    people = {m.slack_user_id: m for m in (local or matches)}
    if not people:
        raise NotFound(
            N_(
                "I don't know anyone called @{mention}. Pick them from Slack's list as "
                "you type @, so the mention comes through as a link."
            ),
            mention=mention.name,
        )
    if len(people) > 1:
        candidates = ", ".join(f"<@{user_id}>" for user_id in sorted(people))
        raise UserError(
            N_("@{mention} could be {candidates}. Pick one from Slack's list."),
            mention=mention.name,
            candidates=candidates,
        )
    person = next(iter(people.values()))
    return person.slack_user_id, person.handle


def active_members(*, session: Session, trial: Trial) -> list[Member]:
    """The trial's active members, leads first, then by sector and when they joined."""
    return list(
        session.exec(
            select(Member)
            .where(Member.trial_id == trial.id, col(Member.active).is_(True))
            .order_by(col(Member.sector), col(Member.joined_at), col(Member.id))
        ).all()
    )


@dataclass(frozen=True)
class Names:
    """How a person is called in Slack: for matching a plain `@name`."""

    handle: str | None = None
    display_name: str | None = None
    real_name: str | None = None


def _limit(value: str | None) -> str | None:
    return value[:80] if value else None


@dataclass
class MemberChange:
    member: Member
    change: str  # "added", "rejoined", "updated" or "unchanged"


def add_member(
    *,
    session: Session,
    actor_user_id: str,
    trial: Trial,
    user_id: str,
    names: Names,
    sector: Sector,
    organisation: str | None,
    role: Role | None,
) -> MemberChange:
    """Add someone to the trial's group, or update/reactivate their membership."""
    member = session.exec(
        select(Member).where(Member.trial_id == trial.id, Member.slack_user_id == user_id)
    ).first()
    if member is None:
        member = Member(
            trial_id=trial.id,  # type: ignore[arg-type]
            slack_user_id=user_id,
            sector=sector.value,
            organisation=organisation,
            role=(role or Role.MEMBER).value,
        )
        change = "added"
    else:
        before = (member.sector, member.organisation, member.role, member.active)
        change = "rejoined" if not member.active else "updated"
        member.sector = sector.value
        if organisation is not None:
            member.organisation = organisation
        if role is not None:
            member.role = role.value
        elif not member.active:
            member.role = Role.MEMBER.value
        member.active, member.left_at = True, None
        if before == (member.sector, member.organisation, member.role, member.active):
            return MemberChange(member=member, change="unchanged")
    member.handle = _limit(names.handle) or member.handle
    member.display_name = _limit(names.display_name) or member.display_name
    member.real_name = _limit(names.real_name) or member.real_name
    session.add(member)
    session.flush()
    record(
        session=session,
        actor_user_id=actor_user_id,
        action=f"member.{change}",
        entity="member",
        entity_id=member.id,
        trial_id=trial.id,
        detail={
            "user": user_id,
            "sector": member.sector,
            "organisation": member.organisation,
            "role": member.role,
        },
    )
    return MemberChange(member=member, change=change)


def remove_member(*, session: Session, actor_user_id: str, trial: Trial, user_id: str) -> Member:
    """Deactivate a member; their tasks, updates and history stay."""
    member = session.exec(
        select(Member).where(
            Member.trial_id == trial.id,
            Member.slack_user_id == user_id,
            col(Member.active).is_(True),
        )
    ).first()
    if member is None:
        raise NotFound(
            N_("<@{user_id}> is not a member of {trial}."), user_id=user_id, trial=trial.name
        )
    if member.role == Role.LEAD.value:
        other_leads = session.exec(
            select(func.count())
            .select_from(Member)
            .where(
                Member.trial_id == trial.id,
                col(Member.active).is_(True),
                Member.role == Role.LEAD.value,
                Member.id != member.id,
            )
        ).one()
        if not other_leads:
            raise UserError(
                N_("<@{user_id}> is the only lead of {trial}. Make someone else lead first."),
                example="/group add @someone community as lead",
                user_id=user_id,
                trial=trial.name,
            )
    member.active, member.left_at = False, utcnow()
    session.add(member)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="member.removed",
        entity="member",
        entity_id=member.id,
        trial_id=trial.id,
        detail={"user": user_id},
    )
    return member


def set_status(*, session: Session, actor_user_id: str, trial: Trial, status: TrialStatus) -> str:
    """Change a trial's status; returns the previous one. A trial handed over is reopened
    (no longer read-only) when it becomes active or transitioning again."""
    previous = trial.status
    reopened = trial.handed_over_at is not None and status in STILL_RUNNING
    trial.status = status.value
    if reopened:
        trial.handed_over_at, trial.handed_over_by = None, None
    session.add(trial)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="trial.status",
        entity="trial",
        entity_id=trial.id,
        trial_id=trial.id,
        detail={"from": previous, "to": status.value, "reopened": reopened},
    )
    return previous


STILL_RUNNING = frozenset({TrialStatus.ACTIVE, TrialStatus.TRANSITIONING})
ENDED = frozenset({TrialStatus.LOCALLY_LED, TrialStatus.EXITED, TrialStatus.CONCLUDED})


def require_ended(trial: Trial) -> None:
    """Refused unless the trial has ended (locally-led, exited or concluded)."""
    if TrialStatus(trial.status) not in ENDED:
        raise UserError(
            N_(
                "“{trial}” is {status}. Its records are handed over once it is "
                "locally-led, exited or concluded; the Director sets its status."
            ),
            trial=trial.name,
            status=trial.status,
        )


def hand_over(
    *, session: Session, trial: Trial, actor_user_id: str, files: dict[str, str], at: datetime
) -> None:
    """The trial's archive is made: from now on it is read-only. `files`: name → SHA-256."""
    require_ended(trial)
    trial.handed_over_at, trial.handed_over_by = at, actor_user_id
    session.add(trial)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="trial.handed_over",
        entity="trial",
        entity_id=trial.id,
        trial_id=trial.id,
        detail={"files": files},
    )


TRIAL_FIELDS = {
    "region": "region",
    "approach": "lead_approach",
    "organisation": "lead_organisation",
    "focus": "outcome_focus",
    "ages": "target_ages",
    "start": "start_date",
    "end": "end_date",
}


def set_trial_field(
    *, session: Session, actor_user_id: str, trial: Trial, field_name: str, value: Any
) -> None:
    """Set one descriptive field of a trial (region, approach, ages, dates, ...)."""
    attribute = TRIAL_FIELDS[field_name]
    previous = getattr(trial, attribute)
    if isinstance(value, LeadApproach | Sector | TrialStatus):
        value = value.value
    if attribute in ("start_date", "end_date"):
        start = value if attribute == "start_date" else trial.start_date
        end = value if attribute == "end_date" else trial.end_date
        if start and end and end < start:
            raise UserError(
                N_("The end date would be before the start date ({start:%d/%m/%Y})."), start=start
            )
    setattr(trial, attribute, value)
    session.add(trial)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action=f"trial.{field_name}",
        entity="trial",
        entity_id=trial.id,
        trial_id=trial.id,
        detail={"from": previous, "to": value},
    )


def set_away(*, session: Session, member: Member, until: date | None) -> None:
    """Mark a member away until a date (None: back now)."""
    previous = member.away_until
    member.away_until = until
    session.add(member)
    record(
        session=session,
        actor_user_id=member.slack_user_id,
        action="member.away" if until else "member.back",
        entity="member",
        entity_id=member.id,
        trial_id=member.trial_id,
        detail={"from": previous, "to": until},
    )


def trial_outcomes(*, session: Session, trial: Trial) -> list[Outcome]:
    """The trial's Action Plan outcomes, oldest first."""
    return list(
        session.exec(
            select(Outcome).where(Outcome.trial_id == trial.id).order_by(col(Outcome.id))
        ).all()
    )


def learn_names(*, session: Session, user_id: str, names: Names) -> None:
    """What Slack says a person is called, on every membership of theirs (for `@name`)."""
    for member in session.exec(select(Member).where(Member.slack_user_id == user_id)).all():
        member.handle = _limit(names.handle) or member.handle
        member.display_name = _limit(names.display_name) or member.display_name
        member.real_name = _limit(names.real_name) or member.real_name
        session.add(member)


def mark_unreachable(*, session: Session, user_id: str, reason: str | None) -> None:
    """Slack refuses to reach this person (or, with None, reaches them again)."""
    for member in session.exec(select(Member).where(Member.slack_user_id == user_id)).all():
        member.unreachable = reason[:40] if reason else None
        session.add(member)


def linked_trials(*, session: Session) -> list[Trial]:
    """The trials whose group has a channel."""
    return list(
        session.exec(
            select(Trial).where(col(Trial.channel_id).is_not(None)).order_by(col(Trial.id))
        ).all()
    )
