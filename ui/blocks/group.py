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
from ui.i18n import N_, Words, _, label, role_name

SECTOR_TITLES = {
    Sector.IWI.value: N_("Iwi"),
    Sector.COUNCIL.value: N_("Council"),
    Sector.AGENCY.value: N_("Government agencies"),
    Sector.COMMUNITY.value: N_("Community"),
    Sector.PROVIDER.value: N_("Social-service providers"),
}


def sector_title(sector: str) -> str:
    """A sector's name as a short label in the reader's language."""
    return label(SECTOR_TITLES[sector])


APPROACH_TITLES = Words({"ngo": "NGO", "individual": N_("Committed individual")})
FOCUS_TITLES = Words(
    {
        "youth": N_("Youth-focused"),
        "child-youth": N_("Child and youth-focused"),
        "education": N_("Education-focused"),
        "health": N_("Health-focused"),
    }
)
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
        text += f" _({role_name(member.role)})_"
    if member.away_until:
        text += _(" · away until {date}").format(date=format_date(member.away_until))
    if member.unreachable:
        text += _(" · :no_entry: Slack can't reach them ({unreachable})").format(
            unreachable=said(member.unreachable)
        )
    return text


def member_list(trial: Trial, members: list[Member]) -> Message:
    """The group, by sector, with organisations and roles. Shown to the channel."""
    blocks: list[Block] = [header(_("{trial} advisory group").format(trial=trial.name))]
    if not members:
        blocks.append(
            section(_("No members yet. The lead adds people with `/group add @person <sector>`."))
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
        blocks.append(context(_("Not yet represented: ") + ", ".join(missing) + "."))
    text = _("{trial} advisory group: {members}").format(
        trial=said(trial.name), members=plural(len(members), "member")
    )
    return Message(text=text, blocks=to_dicts(blocks[:50]))


def place_words(region: str | None, today: date) -> str:
    """Where the trial is and the anniversary day kept there, with its next date."""
    if not region:
        return _("_not set_ (`/group set region <region, district or town>`)")
    place = find_place(region)
    if place is None:
        return _("{region} (not a place I know, so only national holidays are skipped)").format(
            region=said(region)
        )
    if place.anniversary is None:
        return _(
            "{where}, which keeps two anniversary days: say the {value} with `/group set region …`"
        ).format(
            where=said(place.where),
            value="town" if place.district is None and place.name != place.region else "district",
        )
    day = next_anniversary(place.anniversary, today)
    return _("{where} · keeps {anniversary} ({date})").format(
        where=said(place.where), anniversary=place.anniversary.name, date=format_date(day)
    )


def trial_info(
    trial: Trial, leads: list[Member], outcomes: list[Outcome], members: int, today: date
) -> Message:
    """The trial at a glance: lead, approach, outcomes, ages, dates, status."""
    not_set = _("_not set_")
    lead_text = ", ".join(describe_member(m) for m in leads) or not_set
    approach = APPROACH_TITLES.get(trial.lead_approach or "", not_set)
    if trial.lead_organisation:
        approach += f": {said(trial.lead_organisation)}"
    dates = _("{date} to {date2}").format(
        date=format_date(trial.start_date) if trial.start_date else not_set,
        date2=format_date(trial.end_date) if trial.end_date else not_set,
    )
    outcome_text = "\n".join(f"• {said(o.name)}" for o in outcomes) or _("_none recorded yet_")
    fields = [
        labelled(label("Status"), label(STATUS_TITLES.get(trial.status, trial.status))),
        _("*Region*\n{place_words}").format(place_words=place_words(trial.region, today)),
        _("*Lead*\n{lead_text}").format(lead_text=lead_text),
        _("*Lead approach*\n{approach}").format(approach=approach),
        _("*Focus*\n{focus_titles}").format(
            focus_titles=FOCUS_TITLES.get(trial.outcome_focus or "", not_set)
        ),
        _("*Target ages*\n{value}").format(value=trial.target_ages or not_set),
        _("*Dates*\n{dates}").format(dates=dates),
        _("*Group*\n{members}").format(members=plural(members, "member")),
    ]
    blocks: list[Block] = [
        header(trial.name),
        section("\n".join(fields[:4])),
        section("\n".join(fields[4:])),
        DividerBlock(),
        section(_("*Action Plan outcomes*\n{outcome_text}").format(outcome_text=outcome_text)),
        context(_("The lead or the Director can change these with `/group set <field> <value>`.")),
    ]
    text = _("{trial}: {status_titles}, lead {lead_text}").format(
        trial=said(trial.name),
        status_titles=STATUS_TITLES.get(trial.status, trial.status),
        lead_text=lead_text,
    )
    return Message(text=text, blocks=to_dicts(blocks))


def member_added(trial: Trial, member: Member, change: str, actor_user_id: str) -> Message:
    """Told to the channel, so the group knows who joined."""
    verbs = {
        "added": "added",
        "rejoined": _("welcomed back"),
        "updated": "updated",
        "unchanged": _("already has"),
    }
    who = describe_member(member)
    sector = sector_title(member.sector)
    if change == "unchanged":
        return Message(
            text=_("{trial} already has {who} ({sector}). Nothing changed.").format(
                trial=said(trial.name), who=who, sector=sector
            )
        )
    group = _("the {trial} group").format(trial=said(trial.name))
    text = _("{person} {verbs} {who} ({sector}) in {group}.").format(
        person=mention(actor_user_id), verbs=verbs[change], who=who, sector=sector, group=group
    )
    if change == "updated":
        text = _("{person} updated {who} ({sector}) in {group}.").format(
            person=mention(actor_user_id), who=who, sector=sector, group=group
        )
    return Message(text=text, blocks=to_dicts([section(text)]), in_channel=True)


def channel_gone_notice(trial_name: str, channel_id: str, what: str) -> Message:
    """The group's channel can no longer take the bot's posts."""
    how = {
        "archived": _("was archived"),
        "deleted": _("was deleted"),
        "left": _("no longer has me in it"),
    }[what]
    fix = (
        _("Invite me back there with `/invite @advisory-bot`.")
        if what == "left"
        else _(
            "Unarchive it, or link a new channel with `/group setup {trial_name}` there."
        ).format(trial_name=said(trial_name))
    )
    text = _(
        ":warning: The channel of *{trial_name}* (<#{channel_id}>) {how}, so "
        "the group's agenda calls, notes and summaries can't be posted there. "
        "{fix}"
    ).format(trial_name=said(trial_name), channel_id=channel_id, how=how, fix=fix)
    return Message(text=text, blocks=to_dicts([section(text)]))


def move_prompt(trial: Trial, pending_id: int) -> Message:
    """Before a trial leaves the channel it is linked to for this one."""
    text = _(
        "*{trial}* is the trial of <#{channel_id}>. Move it here? Its group, "
        "plan and records come with it, and that channel is no longer linked. "
        "Nothing has changed yet."
    ).format(trial=said(trial.name), channel_id=trial.channel_id)
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


def forgotten_message(changed: int, naming: dict[str, int], pending_id: int | None) -> Message:
    """A person forgotten; where their name still stands in what others wrote, the
    question whether to replace it there too."""
    text = _(
        "Forgotten: in {records} they are now “a former member”; their Slack ID, names and "
        "handle are gone, and the groups' records keep their content."
    ).format(records=plural(changed, "record"))
    if not naming or pending_id is None:
        return Message(text=text, blocks=to_dicts([section(text)]))
    where = ", ".join(plural(count, kind) for kind, count in naming.items())
    question = _(
        "Their name still stands in text people wrote: {where}. Put “a former member” "
        "there too? Nothing has changed in those texts yet."
    ).format(where=where)
    buttons = ActionsBlock(
        elements=[
            ButtonElement(
                text=label("Replace it there too"),
                action_id=ids.FORGET_TEXT,
                value=str(pending_id),
                style="danger",
            ),
            ButtonElement(
                text=label("Leave the texts"), action_id=ids.FORGET_TEXT_KEEP, value=str(pending_id)
            ),
        ]
    )
    return Message(
        text=f"{text} {question}", blocks=to_dicts([section(text), section(question), buttons])
    )
