"""One translation layer: English, te reo Māori, or both.

Text people see is marked in the code with `_()` (a sentence) or `label()` (a heading,
button or short label) and looked up in the gettext catalogue `ui/locale/mi`, extracted and
compiled with Babel (`pybabel`, configured in pyproject.toml; see docs/translating.md).
Who is being spoken to is a context (`speaking`): a person's own language for what only
they see, the channel's for what the channel sees. Bilingual puts te reo first and English
beside it in short labels ("Hui · Meeting"), and keeps sentences in English with a te reo
greeting and sign-off. Anything not yet translated is English, never empty, never an id.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import overload

from models import phrases
from models.types import Language, Role

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "advisory"
SEPARATOR = " · "


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined (a table, a declaration); it is
    translated where it is shown, with `_()` or `label()`."""
    return message


LANGUAGE_NAMES = {
    Language.ENGLISH: N_("English"),
    Language.MAORI: N_("te reo Māori"),
    Language.BILINGUAL: N_("te reo Māori and English"),
}

ROLE_NAMES = {Role.LEAD: N_("lead"), Role.CHAIR: N_("chair"), Role.MEMBER: N_("member")}

_speaking: ContextVar[Language] = ContextVar("speaking", default=Language.ENGLISH)
_channel: ContextVar[Language | None] = ContextVar("channel", default=None)


@cache
def catalogue() -> gettext.NullTranslations:
    """The compiled te reo catalogue (English, unchanged, if it is missing)."""
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=["mi"], fallback=True)


def current() -> Language:
    return _speaking.get()


def _as_language(value: Language | str | None) -> Language:
    return Language(value) if value else Language.ENGLISH


@contextmanager
def speaking(
    language: Language | str | None, *, channel: Language | str | None = None
) -> Iterator[None]:
    """Render what is built inside for readers of `language` (English when None); what is
    built `for_channel()` inside it is for the channel's `channel` language."""
    token = _speaking.set(_as_language(language))
    channel_token = _channel.set(_as_language(channel) if channel else None)
    try:
        yield
    finally:
        _speaking.reset(token)
        _channel.reset(channel_token)


@contextmanager
def for_channel(posted: bool = True) -> Iterator[None]:
    """What is built inside is posted for the whole channel: in the channel's language
    (when one is known), not the asker's. `posted=False` changes nothing."""
    channel = _channel.get()
    if not posted or channel is None:
        yield
        return
    token = _speaking.set(channel)
    try:
        yield
    finally:
        _speaking.reset(token)


def reo(message: str) -> str | None:
    """The te reo for a message, if the catalogue has it."""
    translated = catalogue().gettext(message)
    return translated if translated and translated != message else None


def _(message: str) -> str:
    """A sentence: te reo if the reader reads te reo and it is translated; otherwise (and
    in bilingual, where sentences stay whole in English) the English."""
    if current() is Language.MAORI:
        return reo(message) or message
    return message


def label(message: str) -> str:
    """A heading, button or short label: te reo, English, or both side by side."""
    language = current()
    if language is Language.ENGLISH:
        return message
    translated = reo(message)
    if translated is None:
        return message
    return translated if language is Language.MAORI else f"{translated}{SEPARATOR}{message}"


class Words(dict[str, str]):
    """A table of marked words (`N_`) whose lookups are read in the reader's language:
    `STATUS_WORDS["on-track"]` is "on track", or "kei te pai" for a te reo reader."""

    def __getitem__(self, key: str) -> str:
        return _(super().__getitem__(key))

    @overload  # type: ignore[override]
    def get(self, key: str, default: None = None) -> str | None: ...
    @overload
    def get(self, key: str, default: str) -> str: ...
    def get(self, key: str, default: str | None = None) -> str | None:
        if key not in self:
            return default
        return self[key]


def role_name(role: Role | str) -> str:
    """A role as it reads in a sentence: "lead", or "kaiārahi" for a te reo reader."""
    return _(ROLE_NAMES[Role(role)])


def days(count: int) -> str:
    """`3 days`; `3 rā` for a te reo reader."""
    if current() is Language.MAORI:
        return f"{count} rā"
    return f"{count} day" if count == 1 else f"{count} days"


def greeted(text: str) -> str:
    """A message as a te reo reader (or a bilingual channel) is greeted and signed off."""
    if current() is Language.ENGLISH:
        return text
    return label("Kia ora") + "! " + text + "\n" + label("Kind regards")


phrases.read_with(_)  # the data layer's sentences are read through the catalogue too
