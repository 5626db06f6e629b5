"""Who may do what (SPEC §1), in one place. A refusal says why and who may act."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from zoneinfo import ZoneInfo

from models.errors import ClosedRecord, PermissionDenied, UserError
from models.groups import Group
from models.tables import Trial
from models.types import Role
from ui.formatting import format_day_of, mention, mentions, said
from ui.i18n import N_, _, role_name

UTC_ZONE = ZoneInfo("UTC")


@dataclass(frozen=True)
class Rule:
    """Who, besides the Director, may take an action; `verb` completes "Only … can"."""

    verb: str
    roles: frozenset[Role] = frozenset()
    owner: bool = False  # the owner or proposer of the thing acted on
    self_service: bool = False  # any member, acting on themselves
    owner_noun: str = N_("owner")


class Action(Enum):
    LINK_CHANNEL = Rule(N_("link a channel to a trial"))
    CHANGE_STATUS = Rule(N_("change a trial's status"))
    EDIT_TRIAL = Rule(N_("change the trial's details"), frozenset({Role.LEAD}))
    MANAGE_MEMBERS = Rule(N_("add or remove members"), frozenset({Role.LEAD}))
    MARK_AWAY = Rule(N_("mark themselves away"), self_service=True)
    MANAGE_MEETINGS = Rule(N_("manage meetings"), frozenset({Role.LEAD, Role.CHAIR}))
    ADD_AGENDA_ITEM = Rule(N_("add agenda items"), frozenset(Role))
    EDIT_AGENDA_ITEM = Rule(
        N_("change this agenda item"),
        frozenset({Role.LEAD, Role.CHAIR}),
        owner=True,
        owner_noun=N_("proposer"),
    )
    ADD_TASK = Rule(N_("add tasks"), frozenset(Role))
    EDIT_TASK = Rule(N_("change this task"), frozenset({Role.LEAD}), owner=True)
    MANAGE_DEADLINES = Rule(N_("manage deadlines"), frozenset({Role.LEAD}))
    SUBMIT_DEADLINE = Rule(
        N_("mark this deadline submitted"),
        frozenset({Role.LEAD}),
        owner=True,
        owner_noun=N_("responsible member"),
    )
    RECORD_INDICATORS = Rule(N_("record indicators"), frozenset({Role.LEAD, Role.CHAIR}))
    DRAFT_REPORT = Rule(N_("draft the report"), frozenset({Role.LEAD}))
    NATIONAL = Rule(N_("add national deadlines or see every trial"))
    NATIONAL_DEADLINE = Rule(N_("change a national deadline"))
    FORGET_PERSON = Rule(N_("forget a former member"))
    MANAGE_PROGRAMMES = Rule(
        N_("manage programmes and services"), frozenset({Role.LEAD, Role.CHAIR})
    )
    DECIDE_REVIEW = Rule(N_("decide the transition review"), frozenset({Role.LEAD}))
    CHANNEL_LANGUAGE = Rule(N_("set the channel's language"), frozenset({Role.LEAD}))
    HAND_OVER = Rule(N_("hand over the trial's records"), frozenset({Role.LEAD}))


# What may still be done in a trial that has been handed over (read-only): nothing that
# changes its records, except the Director reopening it and forgetting a former member.
WHILE_HANDED_OVER = frozenset(
    {
        Action.CHANGE_STATUS,
        Action.FORGET_PERSON,
        Action.NATIONAL,
        Action.DRAFT_REPORT,
        Action.HAND_OVER,
    }
)


def handed_over(trial: Trial, tz: ZoneInfo, directors: Iterable[str]) -> str:
    """Why a handed-over trial refuses a change: when and how, and who can reopen it."""
    when = format_day_of(trial.handed_over_at, tz) if trial.handed_over_at else "earlier"
    by = (
        _(" by {person}").format(person=mention(trial.handed_over_by))
        if trial.handed_over_by
        else ""
    )
    director_ids = sorted(directors)
    who = _("The Director") + (f" ({mentions(director_ids)})" if director_ids else "")
    return _(
        "{trial} was handed over on {when}{by}: its records went to the group "
        "and the Director as an archive, and it is now read-only. {who} can "
        "reopen it with `/group status active`."
    ).format(trial=said(trial.name), when=when, by=by, who=who)


@dataclass(frozen=True)
class Actor:
    """The person asking, and whether they are the national Director."""

    user_id: str
    is_director: bool


def _officers(group: Group, role: Role) -> list[str]:
    people = group.leads if role is Role.LEAD else group.chairs
    return [m.slack_user_id for m in people]


def _who_may(action: Action, group: Group, directors: Iterable[str], owner: str | None) -> str:
    rule = action.value
    parts: list[str] = []
    if rule.owner and owner:
        parts.append(
            _("its {owner_noun} ({mentions})").format(
                owner_noun=_(rule.owner_noun), mentions=mentions([owner])
            )
        )
    trial_name = group.trial.name if group.trial else _("this trial")
    if rule.roles >= frozenset(Role):
        parts.append(_("members of {trial_name}").format(trial_name=said(trial_name)))
    else:
        for role in (Role.LEAD, Role.CHAIR):
            if role in rule.roles:
                people = _officers(group, role)
                named = f" ({mentions(people)})" if people else ""
                parts.append(
                    _("the {value} of {trial_name}{named}").format(
                        value=role_name(role), trial_name=said(trial_name), named=named
                    )
                )
    director_ids = sorted(directors)
    parts.append(_("the Director") + (f" ({mentions(director_ids)})" if director_ids else ""))
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + _(" or ") + parts[-1]


def require(
    action: Action,
    *,
    actor: Actor,
    group: Group,
    directors: Iterable[str],
    owner_user_id: str | None = None,
    tz: ZoneInfo = UTC_ZONE,
) -> None:
    """Raise PermissionDenied unless the actor may take the action in this group; a trial
    handed over refuses every change, the Director's too."""
    trial = group.trial
    if trial is not None and trial.handed_over_at is not None and action not in WHILE_HANDED_OVER:
        raise ClosedRecord(handed_over(trial, tz, directors), reference=trial.name)
    if actor.is_director:
        return
    rule = action.value
    if group.trial is None and action not in (
        Action.LINK_CHANNEL,
        Action.NATIONAL,
        Action.FORGET_PERSON,
    ):
        raise UserError(
            _(
                "This channel isn't linked to a trial yet. The Director can link it with "
                "`/group setup <Trial name>`."
            )
        )
    me = group.me
    if me is not None:
        if Role(me.role) in rule.roles or rule.self_service:
            return
        if rule.owner and owner_user_id == actor.user_id:
            return
    raise PermissionDenied(
        _("Only {who_may} can {verb}.").format(
            who_may=_who_may(action, group, directors, owner_user_id), verb=_(rule.verb)
        )
    )
