"""Who may do what (SPEC §1), in one place. A refusal says why and who may act."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from models.errors import PermissionDenied, UserError
from models.groups import Group
from models.types import Role
from ui.formatting import mentions, said


@dataclass(frozen=True)
class Rule:
    """Who, besides the Director, may take an action; `verb` completes "Only … can"."""

    verb: str
    roles: frozenset[Role] = frozenset()
    owner: bool = False  # the owner or proposer of the thing acted on
    self_service: bool = False  # any member, acting on themselves
    owner_noun: str = "owner"


class Action(Enum):
    LINK_CHANNEL = Rule("link a channel to a trial")
    CHANGE_STATUS = Rule("change a trial's status")
    EDIT_TRIAL = Rule("change the trial's details", frozenset({Role.LEAD}))
    MANAGE_MEMBERS = Rule("add or remove members", frozenset({Role.LEAD}))
    MARK_AWAY = Rule("mark themselves away", self_service=True)
    MANAGE_MEETINGS = Rule("manage meetings", frozenset({Role.LEAD, Role.CHAIR}))
    ADD_AGENDA_ITEM = Rule("add agenda items", frozenset(Role))
    EDIT_AGENDA_ITEM = Rule(
        "change this agenda item",
        frozenset({Role.LEAD, Role.CHAIR}),
        owner=True,
        owner_noun="proposer",
    )
    ADD_TASK = Rule("add tasks", frozenset(Role))
    EDIT_TASK = Rule("change this task", frozenset({Role.LEAD}), owner=True)
    MANAGE_DEADLINES = Rule("manage deadlines", frozenset({Role.LEAD}))
    SUBMIT_DEADLINE = Rule(
        "mark this deadline submitted",
        frozenset({Role.LEAD}),
        owner=True,
        owner_noun="responsible member",
    )
    RECORD_INDICATORS = Rule("record indicators", frozenset({Role.LEAD, Role.CHAIR}))
    DRAFT_REPORT = Rule("draft the report", frozenset({Role.LEAD}))
    NATIONAL = Rule("add national deadlines or see every trial")
    FORGET_PERSON = Rule("forget a former member")


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
        parts.append(f"its {rule.owner_noun} ({mentions([owner])})")
    trial_name = group.trial.name if group.trial else "this trial"
    if rule.roles >= frozenset(Role):
        parts.append(f"members of {said(trial_name)}")
    else:
        for role in (Role.LEAD, Role.CHAIR):
            if role in rule.roles:
                people = _officers(group, role)
                named = f" ({mentions(people)})" if people else ""
                parts.append(f"the {role.value} of {said(trial_name)}{named}")
    director_ids = sorted(directors)
    parts.append("the Director" + (f" ({mentions(director_ids)})" if director_ids else ""))
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def require(
    action: Action,
    *,
    actor: Actor,
    group: Group,
    directors: Iterable[str],
    owner_user_id: str | None = None,
) -> None:
    """Raise PermissionDenied unless the actor may take the action in this group."""
    if actor.is_director:
        return
    rule = action.value
    if group.trial is None and action not in (
        Action.LINK_CHANNEL,
        Action.NATIONAL,
        Action.FORGET_PERSON,
    ):
        raise UserError(
            "This channel isn't linked to a trial yet. The Director can link it with "
            "`/group setup <Trial name>`."
        )
    me = group.me
    if me is not None:
        if Role(me.role) in rule.roles or rule.self_service:
            return
        if rule.owner and owner_user_id == actor.user_id:
            return
    raise PermissionDenied(
        f"Only {_who_may(action, group, directors, owner_user_id)} can {rule.verb}."
    )
