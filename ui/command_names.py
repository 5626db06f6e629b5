"""The slash commands' names in this workspace: `/task` as it is, or `/sst-task` where
COMMAND_PREFIX is `sst` because a shared workspace has given `/task` to another app.
Everything the bot says passes through `CommandNames` on its way out, so help, examples
and refusals name the commands people can actually type."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from ui.blocks.common import Message


@dataclass(frozen=True)
class CommandNames:
    prefix: str = ""
    commands: tuple[str, ...] = ()  # the base names: "/task", "/meeting", ...
    _pattern: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.prefix and self.commands:
            words = "|".join(re.escape(c.lstrip("/")) for c in sorted(self.commands, key=len)[::-1])
            # A command standing alone: not part of a path, a URL or a longer word.
            pattern = re.compile(rf"(?<![\w/.:-])/({words})(?![\w-])")
            object.__setattr__(self, "_pattern", pattern)

    def name(self, command: str) -> str:
        """`/task` → `/sst-task` (or `/task` with no prefix)."""
        return f"/{self.prefix}-{command.lstrip('/')}" if self.prefix else command

    def base(self, command: str) -> str:
        """`/sst-task` → `/task`: the name the bot's own tables know it by."""
        start = f"/{self.prefix}-"
        return "/" + command[len(start) :] if self.prefix and command.startswith(start) else command

    def text(self, value: str) -> str:
        if self._pattern is None:
            return value
        return self._pattern.sub(lambda found: f"/{self.prefix}-{found[1]}", value)

    def payload(self, value: Any) -> Any:
        """Every string in a message, view or API call renamed (JSON text included)."""
        if self._pattern is None:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.payload(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.payload(item) for item in value]
        return value

    def message(self, message: Message) -> Message:
        if self._pattern is None:
            return message
        return replace(message, text=self.text(message.text), blocks=self.payload(message.blocks))
