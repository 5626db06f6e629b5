"""Text as the data layer compares it."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Case- and accent-free form for forgiving matches: "Rānui" → "ranui"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
