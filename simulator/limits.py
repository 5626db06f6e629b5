"""Slack's documented size limits for messages, views and Block Kit, as a checker.

The fake Slack runs every message and view through it and refuses what Slack would
refuse (`invalid_blocks`); the fixture fails any test that produced one.
"""

from __future__ import annotations

import json
from typing import Any

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
MESSAGE_TEXT = 40_000


def _text(node: Any) -> str:
    if isinstance(node, dict):
        return str(node.get("text", ""))
    return str(node or "")


def _check_element(element: dict[str, Any], where: str, problems: list[str]) -> None:
    kind = element.get("type")
    if len(element.get("action_id", "")) > 255:
        problems.append(f"{where}: action_id over 255 characters")
    if kind == "button":
        if len(_text(element.get("text"))) > 75:
            problems.append(f"{where}: button text over 75 characters")
        if len(element.get("value", "")) > 2000:
            problems.append(f"{where}: button value over 2,000 characters")
    if kind in ("static_select", "overflow", "radio_buttons", "checkboxes"):
        options = element.get("options", [])
        most = {"overflow": 5, "radio_buttons": 10, "checkboxes": 10}.get(kind, 100)
        least = 2 if kind == "overflow" else 1
        if not least <= len(options) <= most:
            problems.append(f"{where}: {kind} has {len(options)} options ({least}–{most} allowed)")
        for option in options:
            if len(_text(option.get("text"))) > 75:
                problems.append(f"{where}: option text over 75 characters")
            if len(option.get("value", "")) > 150:
                problems.append(f"{where}: option value over 150 characters")
    if kind == "plain_text_input":
        if element.get("max_length", 0) > 3000:
            problems.append(f"{where}: plain_text_input max_length over 3,000")
        if len(_text(element.get("placeholder"))) > 150:
            problems.append(f"{where}: placeholder over 150 characters")


def check_blocks(blocks: list[dict[str, Any]], where: str) -> list[str]:
    problems: list[str] = []
    for number, block in enumerate(blocks):
        at = f"{where} block {number} ({block.get('type')})"
        if len(block.get("block_id", "")) > 255:
            problems.append(f"{at}: block_id over 255 characters")
        kind = block.get("type")
        if kind == "section":
            if len(_text(block.get("text"))) > 3000:
                problems.append(f"{at}: section text over 3,000 characters")
            fields = block.get("fields", [])
            if len(fields) > 10:
                problems.append(f"{at}: more than 10 fields")
            if any(len(_text(f)) > 2000 for f in fields):
                problems.append(f"{at}: a field over 2,000 characters")
            if "text" not in block and not fields:
                problems.append(f"{at}: a section needs text or fields")
            if block.get("accessory"):
                _check_element(block["accessory"], at, problems)
        elif kind == "header":
            if len(_text(block.get("text"))) > 150:
                problems.append(f"{at}: header over 150 characters")
        elif kind == "context":
            if not 1 <= len(block.get("elements", [])) <= 10:
                problems.append(f"{at}: context needs 1–10 elements")
            if any(len(_text(e)) > 3000 for e in block.get("elements", [])):
                problems.append(f"{at}: context text over 3,000 characters")
        elif kind == "actions":
            if not 1 <= len(block.get("elements", [])) <= 25:
                problems.append(f"{at}: actions needs 1–25 elements")
            for element in block.get("elements", []):
                _check_element(element, at, problems)
        elif kind == "input":
            if len(_text(block.get("label"))) > 2000:
                problems.append(f"{at}: label over 2,000 characters")
            if len(_text(block.get("hint"))) > 2000:
                problems.append(f"{at}: hint over 2,000 characters")
            _check_element(block.get("element", {}), at, problems)
    return problems


def check_message(payload: dict[str, Any], where: str = "message") -> list[str]:
    blocks = payload.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    problems = []
    if len(blocks) > MESSAGE_BLOCKS:
        problems.append(f"{where}: {len(blocks)} blocks (at most {MESSAGE_BLOCKS})")
    if len(payload.get("text") or "") > MESSAGE_TEXT:
        problems.append(f"{where}: text over {MESSAGE_TEXT:,} characters")
    return problems + check_blocks(blocks, where)


def check_view(view: dict[str, Any], where: str = "view") -> list[str]:
    problems = []
    blocks = view.get("blocks", [])
    if len(blocks) > VIEW_BLOCKS:
        problems.append(f"{where}: {len(blocks)} blocks (at most {VIEW_BLOCKS})")
    for key in ("title", "submit", "close"):
        if len(_text(view.get(key))) > 24:
            problems.append(f"{where}: {key} over 24 characters")
    if len(view.get("private_metadata", "")) > 3000:
        problems.append(f"{where}: private_metadata over 3,000 characters")
    return problems + check_blocks(blocks, where)
