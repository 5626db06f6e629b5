"""`/group mydata` and `/group forget`: a person's own information, sent to them; and a
person who has left, forgotten (New Zealand's Privacy Act 2020, IPPs 6 and 9)."""

from __future__ import annotations

import json

from handlers.context import Asker
from handlers.group_setup import first_mention
from handlers.permissions import Action
from models import groups, privacy
from models.errors import ParseError, UserError
from models.pending import propose, take
from ui.blocks.common import Message, notice
from ui.blocks.group import forgotten_message
from ui.formatting import mention, plural
from ui.i18n import _
from ui.parsing import Token

FORGET_TEXT = "forget_text"  # a pending change: their name replaced in free text too


def mydata(asker: Asker, tokens: list[Token]) -> Message:
    """Anyone: everything the bot holds about you, sent to you by direct message."""
    if tokens:
        raise ParseError(_("`/group mydata` takes nothing after it."), example="/group mydata")
    with asker.services.database.session(write=False) as session:
        held = privacy.about(session=session, user_id=asker.user_id)
    counts = {kind: len(rows) for kind, rows in held.items() if isinstance(rows, list)}
    summary = (
        _("What advisory-bot holds about you: ")
        + "; ".join(f"{kind.replace('_', ' ')}: {n}" for kind, n in counts.items())
        + _(". The attached file has every field.")
    )
    dm = asker.client.conversations_open(users=asker.user_id)["channel"]["id"]
    asker.client.files_upload_v2(
        channel=dm,
        content=json.dumps(held, ensure_ascii=False, indent=2).encode(),
        filename="my-advisory-bot-data.json",
        title=_("Your data in advisory-bot"),
        initial_comment=summary,
    )
    return notice(_("I've sent you everything the bot holds about you, by direct message."))


def forget(asker: Asker, tokens: list[Token]) -> Message:
    """Director: someone who has left every group, their identity replaced everywhere."""
    who = first_mention(tokens, "/group forget @person")
    if who.user_id is None:
        raise ParseError(_("Pick the person from Slack's list, so I know exactly who."))
    if who.user_id in asker.services.settings.director_user_ids:
        raise UserError(
            _(
                "{person} is the Director (DIRECTOR_USER_IDS), so they can't be forgotten: "
                "the programme's audit trail names who oversaw it."
            ).format(person=mention(who.user_id))
        )
    with asker.services.database.session() as session:
        group = groups.load_group(session=session, user_id=asker.user_id, channel_id=None)
        asker.require(Action.FORGET_PERSON, group)
        if not privacy.is_known(session=session, user_id=who.user_id):
            privacy.nothing_to_forget(session=session, actor_user_id=asker.user_id)
            return notice(
                _("Nothing is held about {person}, so there was nothing to forget.").format(
                    person=mention(who.user_id)
                )
            )
        names = privacy.names_of(session=session, user_id=who.user_id)
        changed = privacy.forget(session=session, user_id=who.user_id, actor_user_id=asker.user_id)
        naming = privacy.free_text_naming(session=session, names=names)
        pending = None
        if naming:  # the text others wrote is theirs: replaced only if the Director says so
            pending = propose(
                session=session,
                user_id=asker.user_id,
                kind=FORGET_TEXT,
                payload={"names": names},
            )
    return forgotten_message(changed, naming, pending)


def forget_in_text(asker: Asker, pending_id: int) -> Message:
    """The Director's yes: "a former member" where the texts still name the person."""
    with asker.services.database.session() as session:
        group = groups.load_group(session=session, user_id=asker.user_id, channel_id=None)
        asker.require(Action.FORGET_PERSON, group)
        names = take(
            session=session, pending_id=pending_id, user_id=asker.user_id, kind=FORGET_TEXT
        )
        changed = privacy.replace_in_free_text(
            session=session, names=list(names["names"]), actor_user_id=asker.user_id
        )
    return notice(
        _("Done: “a former member” now stands for them in {texts}.").format(
            texts=plural(changed, "text")
        )
    )


def keep_text(asker: Asker, pending_id: int) -> Message:
    """The Director's no: the texts stay as written."""
    with asker.services.database.session() as session:
        take(session=session, pending_id=pending_id, user_id=asker.user_id, kind=FORGET_TEXT)
    return notice(_("The texts stay as they were written."))
