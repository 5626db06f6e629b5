"""`/group`: link a channel to a trial and keep its advisory group."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from handlers.context import Asker, Services, linked
from handlers.group_setup import (
    adopt_canvas,
    cancel_move,
    canvas,
    confirm_move,
    first_mention,
    learn_names_later,
    setup,
)
from handlers.handover import handover
from handlers.listeners import on_click
from handlers.permissions import Action
from handlers.privacy import forget, forget_in_text, keep_text, mydata
from handlers.registry import Family, Sub
from models import groups, languages, transition
from models.errors import ParseError, UserError
from models.places import Place, find_place, next_anniversary
from models.tables import NAME_LENGTH, TITLE_LENGTH
from models.types import Language, LeadApproach, OutcomeFocus, Role, Sector, TrialStatus
from ui import i18n
from ui.blocks import group as blocks
from ui.blocks import ids
from ui.blocks import programmes as programme_blocks
from ui.blocks.common import Message, notice
from ui.formatting import format_date, mention, said
from ui.i18n import LANGUAGE_NAMES, N_, _
from ui.parsing import (
    Token,
    choice,
    join,
    parse_date,
    parse_date_to_come,
    parse_title,
    split_keywords,
)

SECTORS = {
    "iwi": Sector.IWI, "hapu": Sector.IWI, "maori": Sector.IWI,
    "council": Sector.COUNCIL, "councils": Sector.COUNCIL,
    "agency": Sector.AGENCY, "agencies": Sector.AGENCY, "government": Sector.AGENCY,
    "community": Sector.COMMUNITY,
    "provider": Sector.PROVIDER, "providers": Sector.PROVIDER, "ngo": Sector.PROVIDER,
}  # fmt: skip
ROLES = {"lead": Role.LEAD, "chair": Role.CHAIR, "member": Role.MEMBER}
STATUSES = {status.value: status for status in TrialStatus} | {
    "locally led": TrialStatus.LOCALLY_LED,
    "locallyled": TrialStatus.LOCALLY_LED,
}
APPROACHES = {
    "ngo": LeadApproach.NGO,
    "individual": LeadApproach.INDIVIDUAL,
    "committed individual": LeadApproach.INDIVIDUAL,
}
FOCUSES = {focus.value: focus for focus in OutcomeFocus} | {
    "child and youth": OutcomeFocus.CHILD_YOUTH,
    "child youth": OutcomeFocus.CHILD_YOUTH,
}
ADD_EXAMPLE = '/group add @hemi iwi "Hokonui Rūnanga" as chair'


LANGUAGES = {
    "english": Language.ENGLISH,
    "en": Language.ENGLISH,
    "pākehā": Language.ENGLISH,
    "maori": Language.MAORI,
    "reo": Language.MAORI,
    "te reo": Language.MAORI,
    "te reo maori": Language.MAORI,
    "mi": Language.MAORI,
    "bilingual": Language.BILINGUAL,
    "both": Language.BILINGUAL,
    "reorua": Language.BILINGUAL,
}  # fmt: skip  (folded: "Māori" and "te reo Māori" match too)
LANGUAGE_EXAMPLE = "/group language māori"


def _vocabulary(options: dict[str, Any]) -> dict[str, str]:
    return {key: value.value for key, value in options.items()}


def add(asker: Asker, tokens: list[Token]) -> Message:
    """Lead: add a member, or change their sector, organisation or role."""
    head, keywords = split_keywords(tokens, {"as"})
    who = first_mention(head, ADD_EXAMPLE)
    if len(head) < 2:
        raise ParseError(
            _("Say which sector they represent: iwi, council, agency, community or provider."),
            example=ADD_EXAMPLE,
        )
    sector = Sector(choice(head[1].text, _vocabulary(SECTORS), what="sector", example=ADD_EXAMPLE))
    organisation = None
    if len(head) > 2:
        organisation = parse_title(join(head[2:]), what="organisation", limit=TITLE_LENGTH)
    role = None
    if "as" in keywords:
        role = Role(
            choice(join(keywords["as"]), _vocabulary(ROLES), what="role", example=ADD_EXAMPLE)
        )
    with asker.services.database.session() as session:
        group, trial = linked(asker, session)
        asker.require(Action.MANAGE_MEMBERS, group)
        user_id, handle = groups.resolve_person(session=session, trial=trial, mention=who)
        change = groups.add_member(
            session=session,
            actor_user_id=asker.user_id,
            trial=trial,
            user_id=user_id,
            names=groups.Names(handle=handle),
            sector=sector,
            organisation=organisation,
            role=role,
        )
    learn_names_later(asker, who)
    return blocks.member_added(trial, change.member, change.change, asker.user_id)


def remove(asker: Asker, tokens: list[Token]) -> Message:
    """Lead: deactivate a member; their history stays."""
    who = first_mention(tokens, "/group remove @hemi")
    if len(tokens) > 1:
        raise ParseError(_("Remove one person at a time."), example="/group remove @hemi")
    with asker.services.database.session() as session:
        group, trial = linked(asker, session)
        asker.require(Action.MANAGE_MEMBERS, group)
        user_id, _handle = groups.resolve_person(session=session, trial=trial, mention=who)
        groups.remove_member(
            session=session, actor_user_id=asker.user_id, trial=trial, user_id=user_id
        )
    return notice(
        _(
            "{person} removed {person2} from the {trial} group. Their tasks and "
            "updates stay on record."
        ).format(person=mention(asker.user_id), person2=mention(user_id), trial=said(trial.name)),
        in_channel=True,
    )


def list_members(asker: Asker, tokens: list[Token]) -> Message:
    """Members by sector: anyone in the channel may look."""
    if tokens:
        raise ParseError(_("`/group list` takes nothing after it."), example="/group list")
    with asker.services.database.session(write=False) as session:
        _group, trial = linked(asker, session)
        members = groups.active_members(session=session, trial=trial)
    return blocks.member_list(trial, members)


def info(asker: Asker, tokens: list[Token]) -> Message:
    """The trial: lead, approach, outcomes, ages, dates, status."""
    if tokens:
        raise ParseError(_("`/group info` takes nothing after it."), example="/group info")
    with asker.services.database.session(write=False) as session:
        group, trial = linked(asker, session)
        outcomes = groups.trial_outcomes(session=session, trial=trial)
        count = len(groups.active_members(session=session, trial=trial))
    return blocks.trial_info(trial, group.leads, outcomes, count, asker.services.today())


def status(asker: Asker, tokens: list[Token]) -> Message:
    """Director: change the trial's status."""
    example = "/group status transitioning"
    if not tokens:
        raise ParseError(_("Say the new status."), example=example)
    new = TrialStatus(
        choice(join(tokens), _vocabulary(STATUSES), what=_("trial status"), example=example)
    )
    with asker.services.database.session() as session:
        group, trial = linked(asker, session)
        asker.require(Action.CHANGE_STATUS, group)
        was_read_only = trial.handed_over_at is not None
        previous = groups.set_status(
            session=session, actor_user_id=asker.user_id, trial=trial, status=new
        )
        review = None
        if new is TrialStatus.TRANSITIONING and previous != new.value:
            transition.start(
                session=session,
                trial=trial,
                today=asker.services.today(),
                actor_user_id=asker.user_id,
            )
            review = transition.review_of(session=session, trial=trial)
        reopened = was_read_only and trial.handed_over_at is None
    titles = blocks.STATUS_TITLES
    if previous == new.value:
        return notice(
            _("{trial} is already {titles}. Nothing changed.").format(
                trial=said(trial.name), titles=titles[new.value].lower()
            )
        )
    if review is not None and trial.channel_id is not None:
        asker.announce(
            trial.channel_id,
            programme_blocks.review_message(review, asker.services.today(), opening=True),
        )
    after = (
        _(" It is open again: its records can change and its reminders resume.")
        if reopened
        else _(
            " The transition review is posted below: every programme and coordination item, "
            "to decide."
        )
        if review is not None
        else ""
    )
    return notice(
        _("{person} changed the status of {trial} from {titles} to {titles2}.{after}").format(
            person=mention(asker.user_id),
            trial=said(trial.name),
            titles=titles.get(previous, previous).lower(),
            titles2=titles[new.value].lower(),
            after=after,
        ),
        in_channel=True,
    )


def set_field(asker: Asker, tokens: list[Token]) -> Message:
    """Lead: change one of the trial's details."""
    example = "/group set region Southland"
    fields = ", ".join(groups.TRIAL_FIELDS)
    if len(tokens) < 2:
        raise ParseError(
            _("Say which detail and its new value. Details: {fields}.").format(fields=fields),
            example=example,
        )
    field_name = tokens[0].text.lower()
    if field_name not in groups.TRIAL_FIELDS:
        raise ParseError(
            _("“{text}” is not a detail I keep. Details: {fields}.").format(
                text=tokens[0].text[:40], fields=fields
            ),
            example=example,
        )
    raw = join(tokens[1:])
    value: Any
    place: Place | None = None
    if field_name == "approach":
        value = LeadApproach(
            choice(
                raw,
                _vocabulary(APPROACHES),
                what=_("lead approach"),
                example="/group set approach ngo",
            )
        )
    elif field_name == "focus":
        value = OutcomeFocus(
            choice(
                raw, _vocabulary(FOCUSES), what=_("outcome focus"), example="/group set focus youth"
            )
        )
    elif field_name in ("start", "end"):
        value = parse_date(raw, today=asker.services.today())
    elif field_name == "region":
        place = _place(raw)
        value = place.name
    elif field_name == "ages":
        value = parse_title(raw, what=_("age range"), limit=16)
    else:
        value = parse_title(
            raw,
            what=field_name,
            limit=TITLE_LENGTH if field_name == "organisation" else NAME_LENGTH,
        )
    with asker.services.database.session() as session:
        group, trial = linked(asker, session)
        asker.require(Action.EDIT_TRIAL, group)
        groups.set_trial_field(
            session=session,
            actor_user_id=asker.user_id,
            trial=trial,
            field_name=field_name,
            value=value,
        )
    if place is not None:
        return notice(
            _("{trial}: region is now {kept_at}.").format(
                trial=said(trial.name), kept_at=_kept_at(place, asker)
            )
        )
    shown = format_date(value) if field_name in ("start", "end") else getattr(value, "value", value)
    return notice(
        _("{trial}: {field_name} is now {shown}.").format(
            trial=said(trial.name), field_name=field_name, shown=shown
        )
    )


def _place(typed: str) -> Place:
    """A New Zealand region, district or town that keeps one anniversary day."""
    example = "/group set region Gore District"
    place = find_place(typed)
    if place is None:
        raise ParseError(
            _(
                "I don't know “{typed}” as a New Zealand region, district or town. Try "
                "a region (Southland), a district (Gore District) or a town (Gore)."
            ).format(typed=typed[:60]),
            example=example,
        )
    if place.anniversary is None:
        kind = "town" if place.name != place.region else "district"
        raise ParseError(
            _("{where} keeps two anniversary days, so I need the {kind}: ").format(
                where=place.where, kind=kind
            )
            + ", ".join(place.choices)
            + ".",
            example=f"/group set region {place.choices[0]}",
        )
    return place


def _kept_at(place: Place, asker: Asker) -> str:
    """`Gore District, Southland. Gore District keeps Southland Anniversary Day (Tue 30 Mar
    2027)`: the anniversary day reminders skip there."""
    if place.anniversary is None:  # _place refuses these
        return said(place.where)
    day = next_anniversary(place.anniversary, asker.services.today())
    return _("{where}. {place} keeps {anniversary} ({date}); reminders skip it there").format(
        where=said(place.where),
        place=said(place.name),
        anniversary=place.anniversary.name,
        date=format_date(day),
    )


def language(asker: Asker, tokens: list[Token]) -> Message:
    """Anyone: the language they read; the lead (`channel`): what the bot posts here in."""
    for_channel = bool(tokens) and tokens[0].is_word("channel")
    words = tokens[1:] if for_channel else tokens
    if not words:
        raise ParseError(
            _("Say which: english, māori or bilingual."),
            example="/group language channel bilingual" if for_channel else LANGUAGE_EXAMPLE,
        )
    chosen = Language(
        choice(join(words), _vocabulary(LANGUAGES), what="language", example=LANGUAGE_EXAMPLE)
    )
    with asker.services.database.session() as session:
        if for_channel:
            group, trial = linked(asker, session)
            asker.require(Action.CHANNEL_LANGUAGE, group)
            languages.set_channel(
                session=session, trial=trial, language=chosen, actor_user_id=asker.user_id
            )
        else:
            languages.set_person(session=session, user_id=asker.user_id, language=chosen)
    with i18n.speaking(chosen):
        if for_channel:
            text = _(
                "From now on the bot posts in this channel, and writes its canvas, in {language}."
            )
        else:
            text = _(
                "From now on your replies, direct messages, App Home and reminders are in "
                "{language}."
            )
        return notice(
            i18n.greeted(text.format(language=_(LANGUAGE_NAMES[chosen]))),
            in_channel=for_channel,
        )


def away(asker: Asker, tokens: list[Token]) -> Message:
    """A member marks themselves away until a date."""
    example = "/group away until 15/12"
    if tokens and tokens[0].is_word("until"):
        tokens = tokens[1:]
    if not tokens:
        raise ParseError(_("Say until when."), example=example)
    until = parse_date_to_come(join(tokens), today=asker.services.today(), example=example)
    with asker.services.database.session() as session:
        group, trial = linked(asker, session)
        if group.me is None:
            raise UserError(
                _("You're not a member of the {trial} group, so you get no reminders here.").format(
                    trial=said(trial.name)
                )
            )
        asker.require(Action.MARK_AWAY, group)
        groups.set_away(session=session, member=group.me, until=until)
    return notice(
        _(
            "You're marked away until {date}. Check-ins pause and deadline "
            "reminders go to the lead until then. Use `/group back` when you "
            "return."
        ).format(date=format_date(until))
    )


def back(asker: Asker, tokens: list[Token]) -> Message:
    """A member is back: reminders come to them again."""
    with asker.services.database.session() as session:
        group, trial = linked(asker, session)
        if group.me is None:
            raise UserError(
                _("You're not a member of the {trial} group.").format(trial=said(trial.name))
            )
        asker.require(Action.MARK_AWAY, group)
        if group.me.away_until is None:
            return notice(_("You weren't marked away. Nothing changed."))
        groups.set_away(session=session, member=group.me, until=None)
    return notice(_("Welcome back. Reminders and check-ins come to you again."))


FAMILY = Family(
    command="/group",
    description="The trial's advisory group: members, roles, the trial's details",
    about=N_("The trial's local advisory group: who is in it, their sectors and roles."),
    default="list",
    subs=(
        Sub("list", list_members, (("/group", N_("Members by sector (anyone in the channel).")),)),
        Sub(
            "info",
            info,
            (("/group info", N_("The trial: lead, approach, outcomes, ages, dates, status.")),),
        ),
        Sub(
            "mydata",
            mydata,
            (("/group mydata", N_("Everything the bot holds about you, sent to you by DM.")),),
            slow=True,
        ),
        Sub(
            "forget",
            forget,
            (
                (
                    "/group forget @person",
                    N_(
                        "someone no longer in any group: their identity replaced by “a former "
                        "member” in every record."
                    ),
                ),
            ),
            who="Director",
            changes=True,
        ),
        Sub(
            "canvas",
            canvas,
            (
                (
                    "/group canvas",
                    N_(
                        "make or refresh the channel's Action Plan canvas now (and try again after "
                        "Slack refused one)."
                    ),
                ),
            ),
            who="Lead",
            changes=True,  # the canvas's id and what it shows are kept
            slow=True,
        ),
        Sub(
            "add",
            add,
            (
                (
                    '/group add @hemi iwi "Hokonui Rūnanga"',
                    N_(
                        "add a member. Sectors: iwi, council, agency, community, provider. "
                        "Add `as lead` or `as chair` to give a role."
                    ),
                ),
            ),
            who="Lead",
            changes=True,
        ),
        Sub(
            "remove",
            remove,
            (("/group remove @hemi", N_("remove a member (their history stays).")),),
            who="Lead",
            changes=True,
        ),
        Sub(
            "away",
            away,
            (
                (
                    "/group away until 15/12",
                    N_("Mark yourself away; reminders go to the lead meanwhile."),
                ),
            ),
            changes=True,
        ),
        Sub(
            "back",
            back,
            (("/group back", N_("You're back: reminders come to you again.")),),
            changes=True,
        ),
        Sub(
            "set",
            set_field,
            (
                (
                    "/group set region Southland",
                    N_(
                        "change a detail: region, approach (ngo or individual), organisation, "
                        "focus (youth, child-youth, education, health), ages (e.g. 12-18), "
                        "start, end."
                    ),
                ),
            ),
            who="Lead",
            changes=True,
        ),
        Sub(
            "setup",
            setup,
            (
                (
                    "/group setup Gore District lead @lisa",
                    N_("link this channel to a trial (created if new)."),
                ),
            ),
            who="Director",
            changes=True,
        ),
        Sub(
            "status",
            status,
            (
                (
                    "/group status transitioning",
                    N_("active, transitioning, locally-led, exited or concluded."),
                ),
            ),
            who="Director",
            changes=True,
        ),
        Sub(
            "language",
            language,
            (
                (
                    "/group language māori",
                    N_("the language you read: english, māori (te reo) or bilingual."),
                ),
                (
                    "/group language channel bilingual",
                    N_("Lead: what the bot posts in this channel and writes on its canvas."),
                ),
            ),
            changes=True,
        ),
        Sub(
            "handover",
            handover,
            (
                (
                    "/group handover",
                    N_(
                        "once the trial is locally-led, exited or concluded: an archive of every "
                        "record (CSV and JSON, the latest report, "
                        "checksums) to the channel and the "
                        "Director; the trial becomes read-only."
                    ),
                ),
            ),
            who=N_("Lead or Director"),
            changes=True,  # the trial becomes read-only
            slow=True,
        ),
    ),
)


def register(app: App, services: Services) -> None:
    """Wire `/group`'s buttons into the app (the command is wired from its FAMILY)."""
    on_click(
        app,
        ids.GROUP_MOVE,
        services,
        lambda asker, action, _body: confirm_move(asker, int(action["value"])),
    )
    on_click(
        app,
        ids.CANVAS_ADOPT,
        services,
        lambda asker, action, _body: adopt_canvas(asker, int(action["value"])),
        slow=True,
    )
    on_click(
        app,
        ids.FORGET_TEXT,
        services,
        lambda asker, action, _body: forget_in_text(asker, int(action["value"])),
    )
    on_click(
        app,
        ids.FORGET_TEXT_KEEP,
        services,
        lambda asker, action, _body: keep_text(asker, int(action["value"])),
    )
    on_click(
        app,
        ids.GROUP_MOVE_CANCEL,
        services,
        lambda asker, action, _body: cancel_move(asker, int(action["value"])),
    )
