"""The form for a meeting's record: who was present and who sent apologies (the group's
members as checkboxes, by sector), guests, the minutes (or a document of record), and for
each agenda item its outcome and decision. Slack's limits: ten checkboxes to an element,
3,000 characters to a text input, a hundred blocks to a view."""

from __future__ import annotations

import json
from typing import Any

from models.tables import AgendaItem, Meeting, Member
from ui.blocks import ids
from ui.blocks.common import truncate
from ui.blocks.group import SECTOR_TITLES
from ui.i18n import _

MINUTES_PARTS = 4  # 4 × 3,000 characters: the 12,000 minutes may hold
ITEMS_IN_FORM = 30
PER_CHECKBOXES = 10


def _text(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, 75), "emoji": True}


def _input(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = True
) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": _text(label),
        "optional": optional,
        "element": element,
    }


def _checkboxes(block_id: str, label: str, people: list[Member]) -> dict[str, Any]:
    options = [
        {"text": _text(m.display_name or m.handle or m.slack_user_id), "value": str(m.id)}
        for m in people
    ]
    return _input(
        block_id, label, {"type": "checkboxes", "action_id": "people", "options": options}
    )


def _people(prefix: str, label: str, members: list[Member]) -> list[dict[str, Any]]:
    blocks = []
    for sector, title in SECTOR_TITLES.items():
        people = [m for m in members if m.sector == sector]
        for start in range(0, len(people), PER_CHECKBOXES):
            part = f" ({start // PER_CHECKBOXES + 1})" if len(people) > PER_CHECKBOXES else ""
            blocks.append(
                _checkboxes(
                    f"{prefix}_{sector}_{start // PER_CHECKBOXES}",
                    f"{label}: {title}{part}",
                    people[start : start + PER_CHECKBOXES],
                )
            )
    return blocks


def minutes_modal(
    meeting: Meeting, when: str, members: list[Member], items: list[AgendaItem], channel: str | None
) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": _(
                    "*M-{meeting}*, {when}. Tick who was there and who sent apologies."
                ).format(meeting=meeting.id, when=when),
            },
        }
    ]
    blocks += _people("present", "Present", members)
    blocks += _people("apologies", "Apologies", members)
    blocks.append(
        _input(
            "guests",
            _("Guests (one a line: name, organisation)"),
            {
                "type": "plain_text_input",
                "action_id": "text",
                "multiline": True,
                "max_length": 2000,
            },
        )
    )
    if meeting.minutes:
        blocks.append(
            _input(
                "existing",
                _("Minutes are kept already"),
                {
                    "type": "radio_buttons",
                    "action_id": "choice",
                    "options": [
                        {"text": _text(_("Add these to them")), "value": "add"},
                        {"text": _text(_("Replace them with these")), "value": "replace"},
                    ],
                    "initial_option": {"text": _text(_("Add these to them")), "value": "add"},
                },
                optional=False,
            )
        )
    for part in range(MINUTES_PARTS):
        blocks.append(
            _input(
                f"minutes_{part}",
                "Minutes" if part == 0 else _("Minutes, continued ({part})").format(part=part + 1),
                {
                    "type": "plain_text_input",
                    "action_id": "text",
                    "multiline": True,
                    "max_length": 3000,
                },
            )
        )
    blocks.append(
        _input(
            "minutes_file",
            _("Or attach the minutes of record (.docx, .pdf, .txt)"),
            {
                "type": "file_input",
                "action_id": "file",
                "filetypes": ["docx", "pdf", "txt"],
                "max_files": 1,
            },
        )
    )
    outcomes = [
        {"text": _text("Discussed"), "value": "discussed"},
        {"text": _text(_("Deferred to the next hui")), "value": "deferred"},
    ]
    for item in items[:ITEMS_IN_FORM]:
        blocks.append(
            _input(
                f"item_{item.id}_outcome",
                f"A-{item.id} {item.title}",
                {
                    "type": "radio_buttons",
                    "action_id": "choice",
                    "options": outcomes,
                    "initial_option": outcomes[0],
                },
                optional=False,
            )
        )
        blocks.append(
            _input(
                f"item_{item.id}_decision",
                _("Decision on A-{item} (if any)").format(item=item.id),
                {"type": "plain_text_input", "action_id": "text", "max_length": 2900},
            )
        )
    return {
        "type": "modal",
        "callback_id": ids.MINUTES_MODAL,
        "title": _text(_("Record the meeting")),
        "submit": _text("Save"),
        "close": _text("Cancel"),
        "private_metadata": json.dumps({"meeting": meeting.id, "channel": channel}),
        "blocks": blocks,
    }
