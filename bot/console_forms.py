"""The console's forms: a modal asked field by field, then submitted as Slack would."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from bot.console import Console


def fill_modal(console: Console, view: dict[str, Any]) -> None:
    """Ask for each input of a form in turn, then submit it; a blank answer keeps the
    default; `:cancel` closes the form."""
    console.say(
        f"\n[{view.get('title', {}).get('text', 'Form')}] (blank keeps the default, :cancel closes)"
    )
    inputs = [b for b in view.get("blocks", []) if b.get("type") == "input"]
    answers: dict[str, dict[str, Any]] = {}
    pending = inputs
    while pending:
        for block in pending:
            state = _ask(console, block)
            if state is None:
                console.say("Form closed; nothing was saved.")
                return
            answers[block["block_id"]] = {block["element"]["action_id"]: state}
        payload = {
            "type": "view_submission",
            "user": {"id": console.user},
            "team": {"id": "TCONSOLE"},
            "api_app_id": "ACONSOLE",
            "token": "console",
            "trigger_id": f"{time.time()}.console",
            "view": {**view, "id": "VCONSOLE", "state": {"values": answers}},
        }
        response = console._dispatch(urlencode({"payload": json.dumps(payload)}))
        errors = json.loads(response.body).get("errors", {}) if response.body else {}
        if not errors:
            console.say("Saved.")
            console._show(first_wait=2.0)
            return
        for message in errors.values():
            console.say(f"  ⚠ {message}")
        pending = [b for b in inputs if b["block_id"] in errors]


def _ask(console: Console, block: dict[str, Any]) -> dict[str, Any] | None:
    element = block["element"]
    label = block.get("label", {}).get("text", block["block_id"])
    kind = element["type"]
    if kind == "file_input":  # no files in a terminal: the form goes without one
        return {"type": kind, "files": []}
    if kind == "checkboxes":
        options = element.get("options", [])
        for number, option in enumerate(options, start=1):
            console.say(f"    [{number}] {option['text']['text']}")
        answer = console.read(f"  {label} (numbers, e.g. 1,3; blank: none): ")
        if answer is None or answer == ":cancel":
            return None
        picked = [int(p) for p in answer.replace(" ", "").split(",") if p.isdigit()]
        return {
            "type": kind,
            "selected_options": [options[n - 1] for n in picked if 0 < n <= len(options)],
        }
    if kind in ("static_select", "radio_buttons"):
        options = element.get("options", [])
        for number, option in enumerate(options, start=1):
            console.say(f"    [{number}] {option['text']['text']}")
        initial = element.get("initial_option")
        answer = console.read(
            f"  {label}{' (' + initial['text']['text'] + ')' if initial else ''}: "
        )
        if answer is None or answer == ":cancel":
            return None
        chosen = (
            options[int(answer) - 1]
            if answer.isdigit() and 0 < int(answer) <= len(options)
            else initial
        )
        return {"type": kind, "selected_option": chosen}
    if kind == "users_select":
        initial = element.get("initial_user")
        answer = console.read(
            f"  {label} (@name{', blank: @' + console.name_of(initial) if initial else ''}): "
        )
        if answer is None or answer == ":cancel":
            return None
        return {"type": kind, "selected_user": console.user_named(answer) if answer else initial}
    initial_value = element.get("initial_value")
    answer = console.read(f"  {label}{' [' + initial_value + ']' if initial_value else ''}: ")
    if answer is None or answer == ":cancel":
        return None
    return {"type": kind, "value": answer or initial_value}
