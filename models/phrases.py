"""Sentences the data layer writes, read in the reader's language where they are shown.

The data layer marks a sentence with `N_` and keeps its values apart (`Phrase`, and the
messages of `models.errors`); the presentation layer installs the catalogue's lookup with
`read_with` (see `ui.i18n`). Until it does, everything reads as the English it was written in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def N_(message: str) -> str:
    """Marks a message for the catalogue; it is translated where it is shown."""
    return message


_translate: Callable[[str], str] = str


def read_with(translate: Callable[[str], str]) -> None:
    """How a message is read for the person being answered (the catalogue's `_`)."""
    global _translate
    _translate = translate


def read(message: str, values: dict[str, Any] | None = None) -> str:
    """A marked message in the reader's language, its values filled in."""
    text = _translate(message)
    return text.format(**values) if values else text


@dataclass(frozen=True)
class Phrase:
    """A marked sentence with its values; `about` says what it is about (for a layer
    that picks some), never shown."""

    message: str
    values: dict[str, Any] = field(default_factory=dict)
    about: str = ""

    def __str__(self) -> str:
        return read(self.message, self.values)
