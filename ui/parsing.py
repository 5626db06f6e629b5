"""The one parser for command text: tokens, mentions, New Zealand dates and times,
references (`T-12`, `t12`), quoted titles and keywords.

Every function either returns a value or raises `ParseError` with a message fit to show
the person who typed it. Nothing here touches the database: a plain `@name` comes back
as a name for the data layer to resolve.
"""

from __future__ import annotations

import calendar
import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models.errors import ParseError
from models.people import Mention
from models.periods import TERM_MONTHS, Period, month_end, months_on
from models.text import fold, strip_invisible
from ui.formatting import format_date
from ui.i18n import N_, _

QUOTES = {'"': '"', "“": "”", "„": "“"}
ESCAPED_ENTITY = re.compile(r"<[^<>\s][^<>]*>")
SLACK_MENTION = re.compile(r"^<@([UW][A-Z0-9]{2,30})(?:\|([^>]*))?>$")
PLAIN_MENTION = re.compile(r"^@([^\s@<>]{1,80})$")
SLACK_LINK = re.compile(r"^<((?:https?|mailto):[^|>]+)(?:\|[^>]*)?>$")
REFERENCE = re.compile(r"^([TMADIP])-?0*(\d{1,9})$", re.IGNORECASE)

REFERENCE_KINDS = {
    "T": (N_("task"), "T-12"),
    "M": (N_("meeting"), "M-5"),
    "A": (N_("agenda item"), "A-7"),
    "D": (N_("deadline"), "D-3"),
    "I": (N_("indicator"), "I-4"),
    "P": (N_("programme"), "P-4"),
}

WEEKDAYS = {
    "monday": 0, "mon": 0,
    "tuesday": 1, "tue": 1, "tues": 1,
    "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3,
    "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["sept"] = 9
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "six": 6}
UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "fortnight": 14, "fortnights": 14}
MONTH_UNITS = {"month", "months"}

DATE_EXAMPLES = "15/12/2026, 15 Dec, friday, next friday, tomorrow or in 2 weeks"
TIME_EXAMPLES = "10:00, 10am or 2:30pm"
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class Token:
    """A word of a command; quoted text is one token and never a keyword."""

    text: str
    quoted: bool = False

    def is_word(self, *words: str) -> bool:
        return not self.quoted and self.text.lower() in words


@dataclass(frozen=True)
class Reference:
    """A reference such as `T-12`: a kind letter and a number."""

    kind: str
    number: int

    def __str__(self) -> str:
        return f"{self.kind}-{self.number}"


def clean_text(text: str) -> str:
    """NFC-normalised text, without zero-width and direction controls, with control
    characters turned into spaces."""
    text = strip_invisible(unicodedata.normalize("NFC", text))
    return "".join(
        " " if unicodedata.category(ch) == "Cc" and ch != "\n" else ch for ch in text
    ).strip()


# Slack's markup in what someone typed, and the plain text it stands for.
_MARKUP = re.compile(r"<([^<>]+)>")
_BROADCASTS = {"!here": "@here", "!channel": "@channel", "!everyone": "@everyone"}


def _readable(entity: str) -> str:
    target, _ignored, label = entity.partition("|")
    if target.split("^")[0] in _BROADCASTS or target.startswith("!subteam^"):
        return label if label.startswith("@") else _BROADCASTS.get(target, "@" + (label or "group"))
    if target.startswith("!"):  # a date or other special: its fallback text
        return label or target[1:]
    if target.startswith("@"):
        return "@" + (label or target[1:])
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("mailto:"):
        return label or target[len("mailto:") :]
    return f"{label} ({target})" if label and label != target else target


def plain_text(text: str) -> str:
    """Slack's markup as the text it shows: `<!here>` → "@here", `<@U1|hemi>` → "@hemi",
    `<https://x|label>` → "label (https://x)" (so a label never hides where a link goes).
    What is stored is what people read; it is escaped again wherever it is shown."""
    return _MARKUP.sub(lambda match: _readable(match.group(1)), text)


def _unescape(word: str) -> str:
    # Slack escapes &, < and > in command text; entities like <@U1> stay as they are.
    return html.unescape(word) if "&" in word else word


def tokenize(text: str) -> list[Token]:
    """Split command text into tokens, honouring "quoted text" and Slack's <...> entities."""
    text = clean_text(text)
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in QUOTES:
            close = text.find(QUOTES[ch], i + 1)
            if close == -1 and ch == '"':
                close = text.find("”", i + 1)
            if close == -1:
                raise ParseError(
                    _("A quote is not closed. Put the title between two quote marks."),
                    example='/task add "Hire a truancy officer" due 15/12',
                )
            tokens.append(Token(_unescape(text[i + 1 : close].strip()), quoted=True))
            i = close + 1
            continue
        entity = ESCAPED_ENTITY.match(text, i)
        if entity:
            tokens.append(Token(entity.group(0)))
            i = entity.end()
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in QUOTES:
            j += 1
        tokens.append(Token(_unescape(text[i:j])))
        i = j
    return tokens


def join(tokens: list[Token]) -> str:
    """Tokens back into text, as typed (quotes dropped)."""
    return " ".join(token.text for token in tokens).strip()


def split_keywords(
    tokens: list[Token], keywords: set[str]
) -> tuple[list[Token], dict[str, list[Token]]]:
    """Split `title owner @x due friday` into the head and each keyword's words."""
    head: list[Token] = []
    found: dict[str, list[Token]] = {}
    current: list[Token] = head
    for token in tokens:
        if not token.quoted and token.text.lower() in keywords:
            keyword = token.text.lower()
            if keyword in found:
                raise ParseError(
                    _("`{keyword}` is given twice; give it once.").format(keyword=keyword)
                )
            found[keyword] = current = []
            continue
        current.append(token)
    for keyword, words in found.items():
        if not words:
            raise ParseError(_("`{keyword}` needs something after it.").format(keyword=keyword))
    return head, found


def parse_mention(text: str) -> Mention:
    """`<@U123|name>`, `<@U123>` or a plain `@name`."""
    text = text.strip()
    escaped = SLACK_MENTION.match(text)
    if escaped:
        name = (escaped.group(2) or "").strip() or None
        return Mention(user_id=escaped.group(1), name=name)
    plain = PLAIN_MENTION.match(text)
    if plain:
        return Mention(user_id=None, name=plain.group(1))
    shown = text if len(text) <= 40 else text[:40] + "…"
    raise ParseError(
        _("“{shown}” is not a person. Mention them with @ and pick them from Slack's list.").format(
            shown=shown
        ),
        example="/group add @hemi iwi",
    )


def is_mention(token: Token) -> bool:
    return not token.quoted and bool(
        SLACK_MENTION.match(token.text) or PLAIN_MENTION.match(token.text)
    )


def parse_link(text: str) -> str | None:
    """The URL of a Slack-escaped link (`<https://…|label>`), or None."""
    match = SLACK_LINK.match(text.strip())
    return match.group(1) if match else None


def parse_reference(text: str, kind: str) -> Reference:
    """A reference of the given kind (`T`, `M`, `A`, `D`, `I`, `P`), any case, hyphen
    optional."""
    noun, example = REFERENCE_KINDS[kind]
    match = REFERENCE.match(text.strip())
    if not match or int(match.group(2)) == 0:
        shown = text.strip()[:40] or "nothing"
        raise ParseError(
            _("“{shown}” is not a {noun} reference. They look like {example}.").format(
                shown=shown, noun=_(noun), example=example
            ),
        )
    found = match.group(1).upper()
    if found != kind:
        other_noun, _ignored = REFERENCE_KINDS[found]
        raise ParseError(
            _(
                "{found}-{group} is a {other_noun}; this needs a {noun} reference like {example}."
            ).format(
                found=found,
                group=int(match.group(2)),
                other_noun=_(other_noun),
                noun=_(noun),
                example=example,
            )
        )
    return Reference(kind, int(match.group(2)))


def _safe_date(year: int, month: int, day: int, typed: str) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ParseError(
            _("{year} is not a year I can use in “{typed}”.").format(year=year, typed=typed)
        )
    if not 1 <= month <= 12:
        raise ParseError(
            _("There is no month {month} in “{typed}”. Dates are day first: 15/12.").format(
                month=month, typed=typed
            )
        )
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ParseError(
            _("There is no {day} {month_name} {year} ({month_name} has {last} days).").format(
                day=day, month_name=calendar.month_name[month], year=year, last=last
            )
        )
    return date(year, month, day)


RECENTLY_PASSED = timedelta(days=92)  # about three months: "25/11" on 2 Dec means last week


def _without_year(day: int, month: int, today: date, typed: str) -> date:
    """A day and month with no year: this year's if it passed within about three months
    (the caller refuses it where the past makes no sense), else the next one to come."""
    if not 1 <= month <= 12:
        raise ParseError(
            _("There is no month {month} in “{typed}”. Dates are day first: 15/12.").format(
                month=month, typed=typed
            )
        )
    if day < 1 or day > (29 if month == 2 else calendar.monthrange(2001, month)[1]):
        raise ParseError(
            _("There is no {day} {month_name}.").format(
                day=day, month_name=calendar.month_name[month]
            )
        )
    years = [year for year in range(today.year - 8, today.year + 9) if calendar.isleap(year)]
    if not (month == 2 and day == 29):
        years = list(range(today.year - 1, today.year + 2))
    dates = [date(year, month, day) for year in years]
    passed = [d for d in dates if d < today]
    if passed and today - passed[-1] <= RECENTLY_PASSED:
        return passed[-1]
    return next(d for d in dates if d >= today)


def _month(word: str) -> int | None:
    return MONTHS.get(word.lower().rstrip("."))


NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
DAY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$", re.IGNORECASE)


def parse_date(text: str, *, today: date) -> date:
    """A New Zealand-style date: day first, never month first. See DATE_EXAMPLES."""
    typed = " ".join(text.split())
    words = typed.lower().replace(",", " ").split()
    if not words:
        raise ParseError(
            _("A date is missing. Try {date_examples}.").format(date_examples=DATE_EXAMPLES)
        )
    bad = ParseError(
        _("I can't read “{typed}” as a date. Try {date_examples}.").format(
            typed=typed[:60], date_examples=DATE_EXAMPLES
        )
    )

    if words == ["today"]:
        return today
    if words == ["tomorrow"]:
        return today + timedelta(days=1)
    if (
        len(words) <= 2
        and words[-1] in WEEKDAYS
        and (len(words) == 1 or words[0] in ("next", "this", "on"))
    ):
        ahead = (WEEKDAYS[words[-1]] - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead)
    if len(words) == 3 and words[0] == "in":
        amount = NUMBER_WORDS.get(words[1]) or (int(words[1]) if words[1].isdigit() else None)
        if amount is None or amount > 520:
            raise bad
        if words[2] in UNITS:
            return today + timedelta(days=amount * UNITS[words[2]])
        if words[2] in MONTH_UNITS:
            return months_on(today, amount)
        raise bad

    if len(words) == 1:
        word = words[0]
        iso = ISO_DATE.match(word)
        if iso:
            return _safe_date(int(iso[1]), int(iso[2]), int(iso[3]), typed)
        numeric = NUMERIC_DATE.match(word)
        if numeric:
            day, month = int(numeric[1]), int(numeric[2])
            if month > 12 and day <= 12:
                raise ParseError(
                    _("“{typed}” looks month-first. Dates are day first: {month}/{day}").format(
                        typed=typed, month=month, day=day
                    )
                    + (f"/{numeric[3]}" if numeric[3] else "")
                    + "."
                )
            if numeric[3] is None:
                return _without_year(day, month, today, typed)
            year = int(numeric[3]) + (2000 if len(numeric[3]) == 2 else 0)
            return _safe_date(year, month, day, typed)
        raise bad

    if len(words) in (2, 3):
        day_match, month_number = DAY.match(words[0]), _month(words[1])
        if day_match is None and _month(words[0]) and DAY.match(words[1]):
            raise ParseError(
                _("Write the day first: “{words} {words2}”, e.g. 15 Dec.").format(
                    words=words[1], words2=words[0]
                ),
            )
        if day_match is None or month_number is None:
            raise bad
        month = month_number
        day = int(day_match[1])
        if len(words) == 2:
            return _without_year(day, month, today, typed)
        if not words[2].isdigit() or len(words[2]) != 4:
            raise bad
        return _safe_date(int(words[2]), month, day, typed)
    raise bad


def parse_date_to_come(
    text: str, *, today: date, example: str | None = None, past_with_year: bool = False
) -> date:
    """A date from today on, for what can only lie ahead (a due date, a deadline, away
    until): `25/11` typed on 2 Dec is last week's, and refused as passed. With
    `past_with_year`, a past date written with its year (`1/11/2026`) is taken as meant."""
    day = parse_date(text, today=today)
    if day < today:
        named_year = parse_date(text, today=date(MAX_YEAR, 6, 1)) == day
        if past_with_year and named_year:
            return day
        hint = (
            _(" (or the full date with its year, if it really has passed)")
            if past_with_year
            else ""
        )
        raise ParseError(
            _("{date} has passed. Give a date from today on{hint}.").format(
                date=format_date(day), hint=hint
            ),
            example=example,
        )
    return day


TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$", re.IGNORECASE)


def parse_time(text: str) -> time:
    """A time of day: `10:00`, `14:30`, `10am`, `2:30pm`, `noon`."""
    typed = " ".join(text.split())
    lowered = typed.lower()
    if lowered in ("noon", "midday"):
        return time(12, 0)
    match = TIME.match(lowered)
    bad = ParseError(
        _("I can't read “{typed}” as a time. Try {time_examples}.").format(
            typed=typed[:40], time_examples=TIME_EXAMPLES
        )
    )
    if not match or (match[2] is None and match[3] is None):
        raise bad
    hour, minute = int(match[1]), int(match[2] or 0)
    meridiem = (match[3] or "").replace(".", "")
    if minute > 59:
        raise bad
    if meridiem:
        if not 1 <= hour <= 12:
            raise bad
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    elif hour > 23:
        raise bad
    return time(hour, minute)


def parse_title(text: str, *, what: str = "title", limit: int = 200) -> str:
    """A title or name as plain text: Slack's markup read as text, trimmed, not empty,
    not over the limit."""
    cleaned = " ".join(plain_text(clean_text(text)).split())
    if not cleaned:
        raise ParseError(_("The {what} is missing.").format(what=what))
    if len(cleaned) > limit:
        raise ParseError(
            _("That {what} is {count:,} characters long; keep it to {limit}.").format(
                what=what, count=len(cleaned), limit=limit
            )
        )
    return cleaned


MONEY = re.compile(
    r"^(?:nz)?\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*(k|m|thousand|million)?$",
    re.IGNORECASE,
)
MONEY_SCALE = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000}
MONEY_LIMIT_CENTS = 10_000_000_000_00  # ten billion dollars: a typo, not a contract


def parse_amount(text: str, *, example: str) -> int:
    """New Zealand dollars as cents: `$120,000`, `120000`, `120k`, `$1.5m`, `NZ$9,500.50`."""
    typed = text.strip().replace(" ", "")
    match = MONEY.match(typed.removesuffix("nzd").removesuffix("NZD"))
    if not match:
        shown = text.strip()[:40] or "nothing"
        raise ParseError(
            _(
                "“{shown}” is not an amount of money. Write it in New Zealand dollars, "
                "like $120,000 or 120k."
            ).format(shown=shown),
            example=example,
        )
    whole, fraction, scale = match.groups()
    cents = int(whole.replace(",", "")) * 100 + int((fraction or "").ljust(2, "0"))
    if scale:
        cents *= MONEY_SCALE[scale.lower()]
    if cents > MONEY_LIMIT_CENTS:
        raise ParseError(
            _("{text} is more than any trial's contract.").format(text=text.strip()[:40]),
            example=example,
        )
    return cents


def choice(text: str, options: dict[str, str], *, what: str, example: str) -> str:
    """One of a small vocabulary, with aliases; the error lists the choices."""
    key = fold(text).strip()
    if key in options:
        return options[key]
    allowed = ", ".join(sorted(set(options.values())))
    shown = text.strip()[:40] or "nothing"
    raise ParseError(
        _("“{shown}” is not a {what}. Choose one of: {allowed}.").format(
            shown=shown, what=what, allowed=allowed
        ),
        example=example,
    )


def local_datetime(day: date, at: time, tz: ZoneInfo) -> datetime:
    """A wall-clock time in a zone, refused if daylight saving skips it that day."""
    local = datetime.combine(day, at, tzinfo=tz)
    round_trip = local.astimezone(UTC).astimezone(tz)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ParseError(
            _(
                "{at:%H:%M} doesn't exist on {day:%a} {day2} {day:%b %Y}: the clocks "
                "go forward that night. Pick another time."
            ).format(at=at, day=day, day2=day.day)
        )
    return local


def split_date_time(tokens: list[Token], *, today: date) -> tuple[date, time]:
    """`15/12 10am`, `next friday 2:30 pm`: a date, then a time at the end."""
    example = "/meeting schedule 15/12 10am at Gore Library"
    if not tokens:
        raise ParseError(_("Say when: a date and a time."), example=example)
    for width in (2, 1):
        if len(tokens) > width:
            try:
                at = parse_time(join(tokens[-width:]))
            except ParseError:
                continue
            return parse_date(join(tokens[:-width]), today=today), at
    last = tokens[-1].text.lower()
    if ":" in last or last.endswith(("am", "pm")):
        parse_time(last)  # raises, saying what is wrong with the time
        raise ParseError(_("Say the date before the time."), example=example)
    raise ParseError(_("Say the time too, after the date."), example=example)


def take_reference(
    tokens: list[Token], keyword: str, kind: str
) -> tuple[list[Token], Reference | None]:
    """Find `<keyword> <reference>` (e.g. `from A-7`) anywhere and take it out.

    Only a keyword followed by a reference of that kind counts, so a title like
    "Transport from Kaikohe" keeps its words.
    """
    for index in range(len(tokens) - 1):
        word, ref = tokens[index], tokens[index + 1]
        match = REFERENCE.match(ref.text) if not ref.quoted else None
        if word.is_word(keyword) and match and match.group(1).upper() == kind:
            return tokens[:index] + tokens[index + 2 :], parse_reference(ref.text, kind)
    return tokens, None


PERIOD_EXAMPLES = "2013, 2013/14, H2 2026, Q3 2026, Term 2 2026, Jun 2026 or 30/6/2026"
HALF = re.compile(r"^(?:h([12])\s*(\d{4})|(\d{4})\s*h([12]))$")
QUARTER = re.compile(r"^(?:q([1-4])\s*(\d{4})|(\d{4})\s*q([1-4]))$")
TERM = re.compile(r"^term\s*([1-4])\s*(\d{4})$")
FINANCIAL = re.compile(r"^(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})$")


def parse_period(text: str, *, today: date | None = None) -> Period:
    """A period: a year, a July–June year, a half, quarter, school term, month or day. A day
    without its year (`15/11`) needs `today` and may be one that has passed."""
    typed = " ".join(text.split()).strip("()")
    lowered = typed.lower().replace(",", " ")
    lowered = " ".join(lowered.split())
    bad = ParseError(
        _("I can't read “{typed}” as a period. Try {period_examples}.").format(
            typed=typed[:40], period_examples=PERIOD_EXAMPLES
        )
    )
    if not lowered:
        raise ParseError(
            _("Say which period. Try {period_examples}.").format(period_examples=PERIOD_EXAMPLES)
        )

    def year_ok(year: int) -> int:
        if not 1990 <= year <= MAX_YEAR:
            raise bad
        return year

    if lowered.isdigit() and len(lowered) == 4:
        year = year_ok(int(lowered))
        return Period(str(year), date(year, 1, 1), date(year, 12, 31))
    if match := FINANCIAL.match(lowered):
        first = year_ok(int(match[1]))
        second = int(match[2]) if len(match[2]) == 4 else first // 100 * 100 + int(match[2])
        if second != first + 1:
            raise bad
        return Period(f"{first}/{str(second)[-2:]}", date(first, 7, 1), date(second, 6, 30))
    if match := HALF.match(lowered):
        half, year = (int(match[1]), int(match[2])) if match[1] else (int(match[4]), int(match[3]))
        year = year_ok(year)
        return Period(
            f"H{half} {year}",
            date(year, 1 if half == 1 else 7, 1),
            date(year, 6, 30) if half == 1 else date(year, 12, 31),
        )
    if match := QUARTER.match(lowered):
        quarter, year = (
            (int(match[1]), int(match[2])) if match[1] else (int(match[4]), int(match[3]))
        )
        year = year_ok(year)
        return Period(
            f"Q{quarter} {year}", date(year, 3 * quarter - 2, 1), month_end(year, 3 * quarter)
        )
    if match := TERM.match(lowered):
        term, year = int(match[1]), year_ok(int(match[2]))
        first, last = TERM_MONTHS[term]
        return Period(
            _("Term {term} {year}").format(term=term, year=year),
            date(year, first, 1),
            month_end(year, last),
        )
    words = lowered.split()
    if len(words) == 2 and _month(words[0]) and words[1].isdigit() and len(words[1]) == 4:
        month, year = _month(words[0]) or 1, year_ok(int(words[1]))
        return Period(
            f"{calendar.month_abbr[month]} {year}", date(year, month, 1), month_end(year, month)
        )
    try:
        day = parse_date(typed, today=today or date(MAX_YEAR, 6, 1))
    except ParseError:
        raise bad from None
    if today is None and day.year >= MAX_YEAR:  # a date without its year, and no today
        raise bad
    return Period(day.isoformat(), day, day)


def parse_number(text: str, *, what: str = "value") -> float:
    """`78`, `78%`, `1,234.5`, `-40`: a number, or a clear refusal."""
    cleaned = text.strip().rstrip("%").replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        raise ParseError(
            _("“{text}” is not a number; give the {what} as a number, e.g. 78 or 78%.").format(
                text=text.strip()[:20], what=what
            )
        ) from None
    if value != value or abs(value) > 1e12:  # NaN or absurd
        raise ParseError(
            _("“{text}” is not a usable {what}.").format(text=text.strip()[:20], what=what)
        )
    return value
