"""Block Kit as plain terminal text, for the console: headers, sections, fields, lists;
buttons and menu options as numbered actions."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

EMOJI = {
    ":red_circle:": "🔴", ":large_orange_circle:": "🟠", ":large_green_circle:": "🟢",
    ":white_circle:": "⚪", ":white_check_mark:": "✅", ":heavy_multiplication_x:": "✖",
    ":warning:": "⚠", ":bell:": "🔔", ":link:": "🔗", ":memo:": "📝", ":x:": "❌",
    ":spiral_calendar_pad:": "🗓", ":calendar:": "📅", ":rotating_light:": "🚨",
    ":newspaper:": "📰", ":tada:": "🎉",
}  # fmt: skip
WIDTH = 100


@dataclass
class Action:
    """Something the person can press: a button, or one option of a menu."""

    label: str
    element: dict[str, Any]
    block_id: str
    option: str | None = None


@dataclass
class Rendered:
    text: str
    actions: list[Action] = field(default_factory=list)


def mrkdwn(text: str, name_of: Callable[[str], str]) -> str:
    """Slack's markup as readable text: mentions by name, links with their address."""
    text = re.sub(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>", lambda m: "@" + name_of(m.group(1)), text)
    text = re.sub(
        r"<#([A-Z0-9]+)(?:\|([^>]*))?>", lambda m: "#" + (m.group(2) or name_of(m.group(1))), text
    )
    text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2 (\1)", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"\1", text)
    for code, symbol in EMOJI.items():
        text = text.replace(code, symbol)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _text(node: Any) -> str:
    return str(node.get("text", "")) if isinstance(node, dict) else str(node or "")


def _wrap(text: str, indent: str = "") -> str:
    lines = []
    for line in text.splitlines() or [""]:
        lines.append(
            textwrap.fill(line, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")
            if line
            else ""
        )
    return "\n".join(lines)


def render_blocks(
    blocks: list[dict[str, Any]], name_of: Callable[[str], str], actions: list[Action] | None = None
) -> Rendered:
    """Blocks to text; each button or menu option becomes `[n] label`."""
    found = actions if actions is not None else []
    out: list[str] = []

    def press(element: dict[str, Any], block_id: str) -> str:
        if element.get("type") == "overflow":
            labels = []
            for option in element.get("options", []):
                found.append(Action(_text(option["text"]), element, block_id, option["value"]))
                labels.append(f"[{len(found)}] {_text(option['text'])}")
            return "  ".join(labels)
        found.append(Action(_text(element.get("text")), element, block_id))
        return f"[{len(found)}] {_text(element.get('text'))}"

    for block in blocks:
        kind, block_id = block.get("type"), block.get("block_id", "")
        if kind == "header":
            title = _text(block.get("text"))
            out += ["", title, "=" * min(len(title), WIDTH)]
        elif kind == "section":
            if block.get("text"):
                out.append(_wrap(mrkdwn(_text(block["text"]), name_of)))
            for item in block.get("fields", []):
                out.append(_wrap(mrkdwn(_text(item), name_of).replace("\n", ": ", 1), "  "))
            if block.get("accessory") and block["accessory"].get("type") in ("button", "overflow"):
                out.append("    " + press(block["accessory"], block_id))
        elif kind == "context":
            out.append(
                _wrap(
                    " ".join(mrkdwn(_text(e), name_of) for e in block.get("elements", [])), "  ~ "
                )
            )
        elif kind == "divider":
            out.append("-" * 40)
        elif kind == "actions":
            out.append("    " + "  ".join(press(e, block_id) for e in block.get("elements", [])))
    return Rendered("\n".join(out).strip("\n"), found)


def render_message(
    payload: dict[str, Any], name_of: Callable[[str], str], actions: list[Action] | None = None
) -> Rendered:
    """A message as Slack would show it (blocks if any, else its text)."""
    blocks = payload.get("blocks") or []
    if blocks:
        return render_blocks(blocks, name_of, actions)
    return Rendered(_wrap(mrkdwn(str(payload.get("text", "")), name_of)))
