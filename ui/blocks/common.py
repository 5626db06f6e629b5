"""The Message every builder returns, and the shared pieces: errors, apologies, help."""

from __future__ import annotations

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


@dataclass
class Message:
    """A reply: fallback text, blocks, and whether the whole channel should see it."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    in_channel: bool = False
    outcome: str = "done"  # or "refused" (the person's mistake, a refusal) or "failed"


def to_dicts(blocks: list[Block]) -> list[dict[str, Any]]:
    return [block.to_dict() for block in blocks]


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
