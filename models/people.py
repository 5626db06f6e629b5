"""How a person is named before the data layer knows who they are."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mention:
    """A person named in a command: an escaped Slack mention, or a plain `@name`."""

    user_id: str | None
    name: str | None = None

    def __str__(self) -> str:
        return f"<@{self.user_id}>" if self.user_id else f"@{self.name}"
