"""Text as the data layer compares it."""

from __future__ import annotations

import unicodedata

# Characters that show nothing but make two names differ: zero-width spaces and joiners
# used as spacing, and the controls that change the direction of text. (The zero-width
# joiner inside emoji sequences stays.)
INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200E, 0x200F, 0x2060, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


def strip_invisible(text: str) -> str:
    return text.translate(INVISIBLE)


def fold(text: str) -> str:
    """Case- and accent-free form for forgiving matches: "Rānui" → "ranui"."""
    decomposed = unicodedata.normalize("NFKD", strip_invisible(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def slug(text: str, *, limit: int = 60) -> str:
    """A name safe for a file or a zip entry, made from people's text: letters and digits
    (macrons folded), words joined by hyphens, nothing else (no path separators, dots,
    controls or direction marks), at most `limit` characters; "trial" if nothing is left.
    "../../Ōtautahi ..\\x" → "otautahi-x"."""
    words = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in fold(text)).split()
    return "-".join(words)[:limit].strip("-") or "trial"
