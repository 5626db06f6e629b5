"""The command registry: each subcommand declared once, with its function, its help, who
may use it and how it runs. Routing, `help`, the manifest's usage hints and the README's
command tables all come from here."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field

from handlers.context import Asker
from ui import i18n
from ui.blocks.common import Message, help_message
from ui.i18n import _
from ui.parsing import ParseError, Token, tokenize

Run = Callable[[Asker, list[Token]], Message | None]
HELP_WORDS = ("help", "?")


def nearest_word(typed: str, words: list[str]) -> str | None:
    """The word the person most likely meant (`lsit` → `list`), if one is close enough."""
    found = difflib.get_close_matches(typed, words, n=1, cutoff=0.6)
    return found[0] if found else None


@dataclass(frozen=True)
class Sub:
    """One subcommand. `changes`: it writes, so it is kept in the inbox before the ack and
    made after it.
    `slow`: by nature (documents, uploads, the national roll-up), so it runs on the pool
    for slow work. `help`: (example, explanation) lines; `who` prefixes each."""

    name: str
    run: Run
    help: tuple[tuple[str, str], ...]
    who: str = ""
    changes: bool = False
    slow: bool = False
    aliases: tuple[str, ...] = ()
    # A form opened instead when the subcommand gets exactly `form_words` words (`/task
    # add` alone, `/update T-12`): it changes nothing yet, so it opens after the ack.
    form: Run | None = None
    form_words: int = 0

    def opens_form(self, tokens: list[Token]) -> bool:
        return self.form is not None and len(tokens) == self.form_words

    def changes_now(self, tokens: list[Token]) -> bool:
        """Whether these words change records, and so are kept in the inbox before the ack."""
        return self.changes and not self.opens_form(tokens)

    def run_with(self, asker: Asker, tokens: list[Token]) -> Message | None:
        if self.form is not None and self.opens_form(tokens):
            return self.form(asker, tokens)
        return self.run(asker, tokens)

    def help_lines(self) -> list[tuple[str, str]]:
        """Each example with its explanation, in the reader's language."""
        return [
            (example, f"{_(self.who)}: {_(text)}" if self.who else _(text))
            for example, text in self.help
        ]


@dataclass(frozen=True)
class Family:
    """A slash command and its subcommands. Empty text runs `default`; a first word that
    names no subcommand goes to `otherwise` (with every word), or is refused."""

    command: str
    description: str  # the manifest's description
    about: str  # help's opening line
    subs: tuple[Sub, ...]
    default: str
    otherwise: Sub | None = None
    hint: str | None = None  # the manifest's usage hint, when not the subcommands' names
    _by_word: dict[str, Sub] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        words: dict[str, Sub] = {}
        for sub in self.subs:
            for word in (sub.name, *sub.aliases):
                if word in words:
                    raise ValueError(f"{self.command} {word} is declared twice")
                words[word] = sub
        if self.default not in words:
            raise ValueError(f"{self.command} has no subcommand {self.default!r}")
        object.__setattr__(self, "_by_word", words)

    def route(self, text: str) -> tuple[Sub | None, list[Token]]:
        """The subcommand the text asks for and the words after it; None for help."""
        tokens = tokenize(text)
        if not tokens:
            return self._by_word[self.default], []
        first = tokens[0]
        if first.is_word(*HELP_WORDS):
            return None, []
        sub = None if first.quoted else self._by_word.get(first.text.lower())
        if sub is not None:
            return sub, tokens[1:]
        if self.otherwise is not None:
            return self.otherwise, tokens
        nearest = nearest_word(first.text.lower(), [w for w in self._by_word if w])
        guess = (
            _(" Did you mean `{command} {nearest}`?").format(command=self.command, nearest=nearest)
            if nearest
            else ""
        )
        raise ParseError(
            _("I don't know `{command} {text}`.{guess} Try `{command} help`.").format(
                command=self.command, text=first.text[:40], guess=guess
            )
        )

    def usage_hint(self) -> str:
        if self.hint is not None:
            return self.hint
        names = [sub.name for sub in self.subs if sub.name]
        return "[" + "|".join([*names, "help"]) + "]"

    def help_message(self) -> Message:
        lines = [line for sub in self.subs for line in sub.help_lines()]
        if self.otherwise is not None:
            lines += self.otherwise.help_lines()
        return help_message(self.command, i18n.greeted(_(self.about)), lines)
