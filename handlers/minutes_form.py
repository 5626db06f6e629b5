"""The minutes form: opened by `/meeting minutes M-5` alone or the *Record minutes* button,
saved in one transaction, its refusals shown beside the field they are about."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import App

from handlers.context import Asker, Services, in_this_trial
from handlers.listeners import on_click, on_form
from handlers.minutes import record_message
from handlers.permissions import Action
from models import groups, meetings, minutes
from models.errors import FieldError, ParseError, UserError
from models.minutes import Guest, ItemOutcome, Minutes
from models.tables import NAME_LENGTH, TITLE_LENGTH
from models.types import AgendaStatus
from ui.blocks import ids
from ui.blocks.minutes_form import MINUTES_PARTS, minutes_modal
from ui.formatting import format_datetime
from ui.i18n import _
from ui.parsing import Token, parse_reference, parse_title


def open_form(asker: Asker, meeting_id: int, trigger_id: str | None) -> None:
    """The form for one meeting's record; opened first thing (a trigger lives 3 s)."""
    with asker.services.database.session(write=False) as session:
        meeting = meetings.get_meeting(session=session, number=meeting_id)
        trial = in_this_trial(asker, session, meeting.trial_id, f"M-{meeting_id}")
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        asker.require(Action.MANAGE_MEETINGS, group)
        if meeting.status == "cancelled":
            raise UserError(
                _("M-{meeting_id} was cancelled, so it has no minutes.").format(
                    meeting_id=meeting_id
                )
            )
        members = groups.active_members(session=session, trial=trial)
        items = meetings.agenda(session=session, meeting=meeting)
    when = format_datetime(meeting.starts_at, asker.services.settings.tz)
    asker.client.views_open(
        trigger_id=trigger_id, view=minutes_modal(meeting, when, members, items, asker.channel_id)
    )


def form_command(asker: Asker, tokens: list[Token]) -> None:
    """`/meeting minutes M-5` alone: the form. One word that is no meeting (`today`) is a
    date with nothing after it, and gets the typed form's own refusal."""
    try:
        number = parse_reference(tokens[0].text, "M").number
    except ParseError:
        raise ParseError(
            _("Say which meeting (`M-5`) or the date it was held, then the minutes."),
            example="/meeting minutes 25/11 10am at Gore Library Agreed to fund the club.",
        ) from None
    open_form(asker, number, asker.trigger_id)


def _state(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    values = view["state"]["values"]
    return {block: next(iter(actions.values()), {}) for block, actions in values.items()}


def _guests(text: str) -> list[Guest]:
    found = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _ignored, organisation = line.partition(",")
        try:
            found.append(
                Guest(
                    parse_title(name, what=_("guest's name"), limit=NAME_LENGTH),
                    parse_title(organisation, what="organisation", limit=TITLE_LENGTH)
                    if organisation.strip()
                    else None,
                )
            )
        except ParseError as error:
            raise FieldError("guests", error.message) from error
    return found


def read_form(view: dict[str, Any], people: dict[int, Any]) -> tuple[Minutes, bool]:
    """The record the form holds, and whether it adds to minutes already kept."""
    state = _state(view)

    def ticked(prefix: str) -> list[Any]:
        chosen = [
            int(option["value"])
            for block, value in state.items()
            if block.startswith(prefix + "_")
            for option in value.get("selected_options") or []
        ]
        return [people[i] for i in chosen if i in people]

    parts = [str(state.get(f"minutes_{n}", {}).get("value") or "") for n in range(MINUTES_PARTS)]
    text = "\n".join(part for part in parts if part.strip())
    files = state.get("minutes_file", {}).get("files") or []
    file = (
        (str(files[0].get("permalink") or files[0].get("url_private") or ""), str(files[0]["name"]))
        if files
        else None
    )
    if not text.strip() and file is None:
        raise FieldError("minutes_0", _("Write the minutes, or attach the document of record."))
    if text.strip():
        try:
            text = parse_title(text, what="minutes", limit=minutes.MINUTES_LIMIT)
        except ParseError as error:
            raise FieldError("minutes_0", error.message) from error
    outcomes = {}
    for block, value in state.items():
        if block.startswith("item_") and block.endswith("_outcome"):
            item_id = int(block.split("_")[1])
            decision = state.get(f"item_{item_id}_decision", {}).get("value") or None
            chosen = (value.get("selected_option") or {}).get("value", "discussed")
            outcomes[item_id] = ItemOutcome(
                AgendaStatus(chosen),
                parse_title(decision, what="decision", limit=2900) if decision else None,
            )
    add = (state.get("existing", {}).get("selected_option") or {}).get("value") == "add"
    return (
        Minutes(
            text or _("The minutes of record are in {file}.").format(file=file[1])
            if file
            else text,
            ticked("present"),
            ticked("apologies"),
            _guests(str(state.get("guests", {}).get("value") or "")),
            outcomes,
            file,
        ),
        add,
    )


def save(asker: Asker, view: dict[str, Any]) -> None:
    metadata = json.loads(view.get("private_metadata") or "{}")
    with asker.services.database.session() as session:
        meeting = meetings.get_meeting(session=session, number=int(metadata["meeting"]), lock=True)
        trial = in_this_trial(asker, session, meeting.trial_id, f"M-{meeting.id}")
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        asker.require(Action.MANAGE_MEETINGS, group)
        people = {m.id or 0: m for m in groups.active_members(session=session, trial=trial)}
        record, add = read_form(view, people)
        carried = minutes.record_minutes(
            session=session, meeting=meeting, minutes=record, actor_user_id=asker.user_id, add=add
        )
        message = record_message(
            asker, session, trial, meeting, posted_by=asker.user_id, carried=carried
        )
    if trial.channel_id is not None:
        asker.announce(trial.channel_id, message)  # the group sees the record
        asker.services.canvas_changed(trial.channel_id)  # the agenda moved on


def register(app: App, services: Services) -> None:
    """The *Record minutes* button and the form's submission."""
    on_click(
        app,
        ids.MINUTES_FORM,
        services,
        lambda asker, action, body: open_form(asker, int(action["value"]), body["trigger_id"]),
        changes=False,
    )

    # The save itself posts the record to the group, in its transaction.
    on_form(app, ids.MINUTES_MODAL, services, save, lambda _asker, _saved: None, field="minutes_0")
