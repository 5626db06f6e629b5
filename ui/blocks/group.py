"""Messages of `/group`: the member list, the trial's details, and changes to the group."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, DividerBlock

from models.places import find_place, next_anniversary
from models.tables import Member, Outcome, Trial
from models.types import Role, Sector
from ui.blocks import ids
from ui.blocks.common import Message, context, header, labelled, section, to_dicts
from ui.formatting import format_date, mention, plural, said
from ui.i18n import N_, label

SECTOR_TITLES = {
    Sector.IWI.value: N_("Iwi"),
    Sector.COUNCIL.value: N_("Council"),
    Sector.AGENCY.value: N_("Government agencies"),
    Sector.COMMUNITY.value: N_("Community"),
    Sector.PROVIDER.value: N_("Social-service providers"),
}
APPROACH_TITLES = {"ngo": "NGO", "individual": "Committed individual"}
FOCUS_TITLES = {
    "youth": "Youth-focused",
    "child-youth": "Child and youth-focused",
    "education": "Education-focused",
    "health": "Health-focused",
}
STATUS_TITLES = {
    "active": N_("Active"),
    "transitioning": N_("Transitioning"),
    "locally-led": N_("Locally led"),
    "exited": N_("Exited"),
    "concluded": N_("Concluded"),
}
# A section holds 3,000 characters; a group of ~25 people per block keeps well inside it.
MEMBERS_PER_SECTION = 25


def describe_member(member: Member) -> str:
    """`<@U2> — Hokonui Rūnanga (lead)`."""
    text = mention(member.slack_user_id)
    if member.organisation:
        text += f" — {said(member.organisation)}"
    if member.role != Role.MEMBER.value:
        text += f" _({member.role})_"
    if member.away_until:
        text += f" · away until {format_date(member.away_until)}"
    if member.unreachable:
        text += f" · :no_entry: Slack can't reach them ({said(member.unreachable)})"
    return text


def member_list(trial: Trial, members: list[Member]) -> Message:
    """The group, by sector, with organisations and roles. Shown to the channel."""
    blocks: list[Block] = [header(f"{trial.name} advisory group")]
    if not members:
        blocks.append(
            section("No members yet. The lead adds people with `/group add @person <sector>`.")
        )
    for sector, title in SECTOR_TITLES.items():
        people = [m for m in members if m.sector == sector]
        if not people:
            continue
        for start in range(0, len(people), MEMBERS_PER_SECTION):
            lines = "\n".join(
                f"• {describe_member(m)}" for m in people[start : start + MEMBERS_PER_SECTION]
            )
            heading = f"*{label(title)}* ({len(people)})\n" if start == 0 else ""
            blocks.append(section(heading + lines))
    missing = [
        title
        for sector, title in SECTOR_TITLES.items()
        if not any(m.sector == sector for m in members)
    ]
    if members and missing:
        blocks.append(context("Not yet represented: " + ", ".join(missing) + "."))
    text = f"{said(trial.name)} advisory group: {plural(len(members), 'member')}"
    return Message(text=text, blocks=to_dicts(blocks[:50]))


def place_words(region: str | None, today: date) -> str:
    """Where the trial is and the anniversary day kept there, with its next date."""
    if not region:
        return "_not set_ (`/group set region <region, district or town>`)"
    place = find_place(region)
    if place is None:
        return f"{said(region)} (not a place I know, so only national holidays are skipped)"
    if place.anniversary is None:
        return (
            f"{said(place.where)}, which keeps two anniversary days: say the "
            f"{'town' if place.district is None and place.name != place.region else 'district'} "
            "with `/group set region …`"
        )
    day = next_anniversary(place.anniversary, today)
    return f"{said(place.where)} · keeps {place.anniversary.name} ({format_date(day)})"


def trial_info(
    trial: Trial, leads: list[Member], outcomes: list[Outcome], members: int, today: date
) -> Message:
    """The trial at a glance: lead, approach, outcomes, ages, dates, status."""
    not_set = "_not set_"
    lead_text = ", ".join(describe_member(m) for m in leads) or not_set
    approach = APPROACH_TITLES.get(trial.lead_approach or "", not_set)
    if trial.lead_organisation:
        approach += f": {said(trial.lead_organisation)}"
    dates = (
        f"{format_date(trial.start_date) if trial.start_date else not_set} to "
        f"{format_date(trial.end_date) if trial.end_date else not_set}"
    )
    outcome_text = "\n".join(f"• {said(o.name)}" for o in outcomes) or "_none recorded yet_"
    fields = [
        labelled(label("Status"), label(STATUS_TITLES.get(trial.status, trial.status))),
        f"*Region*\n{place_words(trial.region, today)}",
        f"*Lead*\n{lead_text}",
        f"*Lead approach*\n{approach}",
        f"*Focus*\n{FOCUS_TITLES.get(trial.outcome_focus or '', not_set)}",
        f"*Target ages*\n{trial.target_ages or not_set}",
        f"*Dates*\n{dates}",
        f"*Group*\n{plural(members, 'member')}",
    ]
    blocks: list[Block] = [
        header(trial.name),
        section("\n".join(fields[:4])),
        section("\n".join(fields[4:])),
        DividerBlock(),
        section(f"*Action Plan outcomes*\n{outcome_text}"),
        context("The lead or the Director can change these with `/group set <field> <value>`."),
    ]
    text = f"{said(trial.name)}: {STATUS_TITLES.get(trial.status, trial.status)}, lead {lead_text}"
    return Message(text=text, blocks=to_dicts(blocks))


def member_added(trial: Trial, member: Member, change: str, actor_user_id: str) -> Message:
    """Told to the channel, so the group knows who joined."""
    verbs = {
        "added": "added",
        "rejoined": "welcomed back",
        "updated": "updated",
        "unchanged": "already has",
    }
    who = describe_member(member)
    sector = SECTOR_TITLES[member.sector]
    if change == "unchanged":
        return Message(text=f"{said(trial.name)} already has {who} ({sector}). Nothing changed.")
    group = f"the {said(trial.name)} group"
    text = f"{mention(actor_user_id)} {verbs[change]} {who} ({sector}) in {group}."
    if change == "updated":
        text = f"{mention(actor_user_id)} updated {who} ({sector}) in {group}."
    return Message(text=text, blocks=to_dicts([section(text)]), in_channel=True)


def channel_gone_notice(trial_name: str, channel_id: str, what: str) -> Message:
    """The group's channel can no longer take the bot's posts."""
    how = {
        "archived": "was archived",
        "deleted": "was deleted",
        "left": "no longer has me in it",
    }[what]
    fix = (
        "Invite me back there with `/invite @advisory-bot`."
        if what == "left"
        else f"Unarchive it, or link a new channel with `/group setup {said(trial_name)}` there."
    )
    text = (
        f":warning: The channel of *{said(trial_name)}* (<#{channel_id}>) {how}, so the "
        f"group's agenda calls, notes and summaries can't be posted there. {fix}"
    )
    return Message(text=text, blocks=to_dicts([section(text)]))


def move_prompt(trial: Trial, pending_id: int) -> Message:
    """Before a trial leaves the channel it is linked to for this one."""
    text = (
        f"*{said(trial.name)}* is the trial of <#{trial.channel_id}>. Move it here? Its group, "
        "plan and records come with it, and that channel is no longer linked. Nothing has "
        "changed yet."
    )
    buttons = ActionsBlock(
        elements=[
            ButtonElement(
                text=label("Move it here"),
                action_id=ids.GROUP_MOVE,
                value=str(pending_id),
                style="danger",
            ),
            ButtonElement(
                text=label("Cancel"), action_id=ids.GROUP_MOVE_CANCEL, value=str(pending_id)
            ),
        ]
    )
    return Message(text=text, blocks=to_dicts([section(text), buttons]))
