"""Dates, times and people as plain text in the trial's time zone ("Fri 15 Jan 2027, 10:00")."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from models.local_time import local, local_date
from models.privacy import FORMER
from models.types import Language
from ui import i18n
from ui.i18n import _

# The names of the days and months as the Māori Language Commission, Te Taura Whiri i te
# Reo Māori, and government sites write them (not the transliterations of Unicode's CLDR,
# "Mane", "Hānuere"): https://www.tetaurawhiri.govt.nz/ (He Pātaka Kupu, ngā rā me ngā marama).
MAORI_DAYS = ("Rāhina", "Rātū", "Rāapa", "Rāpare", "Rāmere", "Rāhoroi", "Rātapu")
MAORI_MONTHS = (
    "Kohi-tātea", "Hui-tanguru", "Poutū-te-rangi", "Paenga-whāwhā", "Haratua", "Pipiri",
    "Hōngongoi", "Here-turi-kōkā", "Mahuru", "Whiringa-ā-nuku", "Whiringa-ā-rangi", "Hakihea",
)  # fmt: skip


def maori_date(value: date) -> str:
    """`Rāmere, 15 Hakihea 2026`."""
    return (
        f"{MAORI_DAYS[value.weekday()]}, {value.day} {MAORI_MONTHS[value.month - 1]} {value.year}"
    )


def format_date(value: date) -> str:
    """`Fri 15 Jan 2027`; for te reo readers `Rāmere, 15 Kohi-tātea 2027`, and both in a
    bilingual channel."""
    return _date_in(value, i18n.current())


@lru_cache(maxsize=4096)
def _date_in(value: date, language: Language) -> str:
    """A date as `language` writes it (a list or a canvas repeats its few due dates, and
    `strftime` is most of a row's cost)."""
    english = f"{value:%a} {value.day} {value:%b %Y}"
    if language is Language.MAORI:
        return maori_date(value)
    if language is Language.BILINGUAL:
        return f"{maori_date(value)} ({english})"
    return english


def format_datetime(value: datetime, tz: ZoneInfo) -> str:
    """`Fri 15 Jan 2027, 10:00` in the given zone (`Rāmere, 15 Kohi-tātea 2027, 10:00`)."""
    wall = local(value, tz)
    if i18n.current() is Language.BILINGUAL:
        english = f"{wall:%a} {wall.day} {wall:%b %Y}"
        return f"{maori_date(wall.date())}, {wall:%H:%M} ({english})"
    return f"{format_date(wall.date())}, {wall:%H:%M}"


def format_day_of(value: datetime, tz: ZoneInfo) -> str:
    """The local date an instant fell on: `Wed 2 Dec 2026` for 09:55 NZ on the 2nd."""
    return format_date(local_date(value, tz))


def format_money(cents: int | None) -> str:
    """New Zealand dollars: "$120,000", "$9,500.50"; "no funding" for none."""
    if cents is None:
        return _("no funding set")
    dollars, part = divmod(cents, 100)
    return f"${dollars:,}" + (f".{part:02d}" if part else "")


def mention(user_id: str) -> str:
    """A Slack mention that Slack shows as the person's name ("a former member" for
    someone forgotten)."""
    return _("a former member") if user_id.startswith(FORMER) else f"<@{user_id}>"


def mentions(user_ids: list[str]) -> str:
    """`<@A>`, `<@A> and <@B>`, `<@A>, <@B> and <@C>`."""
    names = [mention(user_id) for user_id in user_ids]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + _(" and ") + names[-1]


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """`1 member`, `3 members`; `3 mema` for a te reo reader, where the catalogue has the
    noun (nouns are marked for it by `plural`'s second argument)."""
    if i18n.current() is Language.MAORI and (noun_in_reo := i18n.reo(noun)):
        return f"{count} {noun_in_reo}"
    return f"{count} {noun if count == 1 else (plural_noun or noun + 's')}"


def said(text: str | None, limit: int | None = None) -> str:
    """What someone typed, as text in Slack's mrkdwn: `&`, `<` and `>` escaped, so nothing
    they wrote becomes a live mention, broadcast (`<!here>`) or disguised link; cut to
    `limit` characters first (an entity is never cut in half)."""
    value = text or ""
    if limit is not None and len(value) > limit:
        value = value[: limit - 1] + "…"
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
