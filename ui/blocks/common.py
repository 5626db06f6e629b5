"""The Message every builder returns, and the shared pieces: errors, apologies, help."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from ui.i18n import _, label

SECTION_TEXT_LIMIT = 3000
HEADER_TEXT_LIMIT = 150
BUTTON_TEXT_LIMIT = 75


@dataclass
class Message:
    """A reply: fallback text, blocks, and whether the whole channel should see it."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    in_channel: bool = False
    outcome: str = "done"  # or "refused" (the person's mistake, a refusal) or "failed"


# A block as slack_sdk's objects build it, or as Block Kit's JSON itself (`section_dict`).
BlockLike = Block | dict[str, Any]


def to_dicts(blocks: Sequence[BlockLike]) -> list[dict[str, Any]]:
    return [block if isinstance(block, dict) else block.to_dict() for block in blocks]


# ----- a task's row, as Block Kit's JSON ------------------------------------------------
# Every list, card, check-in and App Home has a row or two per task, so these are built as
# the JSON itself: each slack_sdk object costs some 20 µs to turn into it, and an App Home
# has about 480 of them (a Home took 10 ms to build, most of it there).


def plain_text(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, BUTTON_TEXT_LIMIT), "emoji": True}


def section_dict(
    text: str, accessory: dict[str, Any] | None = None, limit: int = 2000
) -> dict[str, Any]:
    """A section of markdown text (within `limit`), with an element beside it."""
    block: dict[str, Any] = {"type": "section", "text": markdown_text(text, limit)}
    if accessory is not None:
        block["accessory"] = accessory
    return block


def markdown_text(text: str, limit: int = 2000) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": truncate(text, limit)}


def button(text: str, action_id: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    element = {"type": "button", "text": plain_text(text), "action_id": action_id, "value": value}
    if style is not None:
        element["style"] = style
    return element


def overflow(action_id: str, options: list[tuple[str, str]]) -> dict[str, Any]:
    """An overflow menu of (label, value) options (Slack shows at most five)."""
    return {
        "type": "overflow",
        "action_id": action_id,
        "options": [{"text": plain_text(text), "value": value} for text, value in options[:5]],
    }


def actions(elements: list[dict[str, Any]], *, block_id: str) -> dict[str, Any]:
    return {"type": "actions", "block_id": block_id, "elements": elements}


def bold(text: str) -> str:
    return f"*{text}*"


def labelled(name: str, value: str) -> str:
    """A labelled field: `*Owner*` over its value."""
    return f"*{name}*\n{value}"


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=truncate(text, HEADER_TEXT_LIMIT))


def markdown(text: str, limit: int = 2000) -> MarkdownTextObject:
    """Markdown text within a limit (2,000 for fields, 3,000 for section text)."""
    return MarkdownTextObject(text=truncate(text, limit))


def section(text: str) -> SectionBlock:
    return SectionBlock(text=markdown(text, SECTION_TEXT_LIMIT))


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=truncate(text, SECTION_TEXT_LIMIT))])


def split_lines(lines: list[str], limit: int = 2900) -> list[str]:
    """Lines joined into as few texts as fit a section each."""
    texts, current = [], ""
    for line in lines:
        if current and len(current) + len(line) + 1 > limit:
            texts.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        texts.append(current)
    return texts


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def notice(text: str, *, in_channel: bool = False) -> Message:
    """A one-paragraph reply."""
    return Message(text=text, blocks=to_dicts([section(text)]), in_channel=in_channel)


def error_message(text: str) -> Message:
    """A user's mistake or a refusal: only they see it, and nothing changed."""
    message = notice(_(":warning: {text}").format(text=text))
    message.outcome = "refused"
    return message


def apology(reference: str) -> Message:
    """An internal failure: nothing changed, and a reference to find it in the log."""
    message = notice(
        _(
            ":warning: Sorry, something went wrong on our side and nothing was "
            "changed. Please try again in a minute; if it keeps happening, give "
            "the reference `{reference}` to whoever runs the bot."
        ).format(reference=reference)
    )
    message.outcome = "failed"
    return message


def help_message(command: str, summary: str, usages: list[tuple[str, str]]) -> Message:
    """A command's help: what it does, each usage with a line of explanation."""
    lines = [f"`{usage}`\n{explanation}" for usage, explanation in usages]
    blocks: list[Block] = [header(command + " " + label("help")), section(summary)]
    chunk: list[str] = []
    for line in lines:
        if sum(len(x) + 2 for x in chunk) + len(line) > SECTION_TEXT_LIMIT - 100:
            blocks.append(section("\n\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n\n".join(chunk)))
    text = f"{command}: {summary}\n" + "\n".join(usage for usage, _ignored in usages)
    return Message(text=text, blocks=to_dicts(blocks))
