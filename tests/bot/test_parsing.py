"""The one parser: examples from SPEC §3, and properties over any text (hypothesis)."""

from __future__ import annotations

import contextlib
from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import ParseError
from ui.parsing import (
    Mention,
    Reference,
    fold,
    parse_date,
    parse_date_to_come,
    parse_mention,
    parse_reference,
    parse_time,
    parse_title,
    split_keywords,
    tokenize,
)

TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-15", date(2026, 12, 15)),
        ("15/12/2026", date(2026, 12, 15)),
        ("15/12/26", date(2026, 12, 15)),
        ("15/12", date(2026, 12, 15)),
        ("23/11", date(2026, 11, 23)),  # today counts as "on or after today"
        ("22/11", date(2026, 11, 22)),  # yesterday: this year's (a caller may refuse it)
        ("25 Aug", date(2026, 8, 25)),  # within about three months: this year's
        ("20/8", date(2027, 8, 20)),  # further back than that: next year's
        ("15 Dec", date(2026, 12, 15)),
        ("15th December", date(2026, 12, 15)),
        ("15 December 2026", date(2026, 12, 15)),
        ("1 March 2011", date(2011, 3, 1)),  # only a date with a year can be in the past
        ("29/2", date(2028, 2, 29)),
        ("today", TODAY),
        ("Tomorrow", date(2026, 11, 24)),
        ("friday", date(2026, 11, 27)),
        ("next friday", date(2026, 11, 27)),
        ("monday", date(2026, 11, 30)),  # the next such day *after* today
        ("FRI", date(2026, 11, 27)),
        ("in 2 weeks", date(2026, 12, 7)),
        ("in 3 days", date(2026, 11, 26)),
        ("in a month", date(2026, 12, 23)),
    ],
)
def test_new_zealand_dates(typed: str, expected: date) -> None:
    assert parse_date(typed, today=TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("12/15/2026", "day first"),
        ("Dec 15", "day first"),
        ("31/2/2027", "February has 28 days"),
        ("31/4", "no 31 April"),
        ("15/13", "no month 13"),
        ("someday", "can't read"),
        ("", "missing"),
        ("in many weeks", "can't read"),
        ("15 Dec 3000", "not a year"),
    ],
)
def test_bad_dates_say_what_is_wrong(typed: str, says: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_date(typed, today=TODAY)
    assert says in str(raised.value)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("10:00", time(10)),
        ("10am", time(10)),
        ("2:30pm", time(14, 30)),
        ("2:30 pm", time(14, 30)),
        ("14:30", time(14, 30)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("noon", time(12)),
    ],
)
def test_times(typed: str, expected: time) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["25:00", "13pm", "10:75", "10", "half past ten"])
def test_bad_times(typed: str) -> None:
    with pytest.raises(ParseError, match="as a time"):
        parse_time(typed)


@pytest.mark.parametrize("typed", ["T-12", "t12", "T12", "t-12", "T-012"])
def test_references_any_case_with_or_without_hyphen(typed: str) -> None:
    assert parse_reference(typed, "T") == Reference("T", 12)


def test_a_reference_of_the_wrong_kind_says_what_it_is() -> None:
    with pytest.raises(ParseError, match="M-5 is a meeting; this needs a task reference like T-12"):
        parse_reference("m5", "T")


def test_mentions_escaped_and_plain() -> None:
    assert parse_mention("<@U123|hemi>") == Mention("U123", "hemi")
    assert parse_mention("<@U123>") == Mention("U123", None)
    assert parse_mention("@hemi") == Mention(None, "hemi")
    with pytest.raises(ParseError, match="is not a person"):
        parse_mention("hemi")


def test_tokens_keep_quoted_titles_and_slack_entities_whole() -> None:
    tokens = tokenize("add <@U1|Hemi W> iwi “Hokonui Rūnanga” as chair &amp; more")
    assert [t.text for t in tokens] == [
        "add",
        "<@U1|Hemi W>",
        "iwi",
        "Hokonui Rūnanga",
        "as",
        "chair",
        "&",
        "more",
    ]
    assert tokens[3].quoted


def test_keywords_split_but_quoted_keywords_stay_in_the_title() -> None:
    head, found = split_keywords(
        tokenize('"Review due dates" owner @hemi due friday'), {"owner", "due"}
    )
    assert [t.text for t in head] == ["Review due dates"]
    assert [t.text for t in found["owner"]] == ["@hemi"]
    assert [t.text for t in found["due"]] == ["friday"]


def test_unclosed_quote_is_a_clear_error() -> None:
    with pytest.raises(ParseError, match="quote is not closed"):
        tokenize('add "Hire a truancy officer')


def test_titles_are_trimmed_and_limited() -> None:
    assert parse_title("  Breakfast   club  ") == "Breakfast club"
    with pytest.raises(ParseError, match="2,000 characters long; keep it to 200"):
        parse_title("x" * 2000)


def test_fold_ignores_case_and_macrons() -> None:
    assert fold("Rānui") == fold("RANUI") == "ranui"
    assert fold("Ngāti Whakaue") == "ngati whakaue"


# ----- properties: any text gives a value or our own ParseError, nothing else --------

any_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
date_like = st.one_of(
    any_text,
    st.from_regex(r"\A\d{1,4}[/.\-]\d{1,3}([/.\-]\d{1,5})?\Z"),
    st.from_regex(r"\A(in |next )?\w{1,12}( \w{1,12})?\Z"),
    st.tuples(
        st.integers(-5, 40),
        st.sampled_from(["Jan", "feb", "March", "Dec", "x"]),
        st.integers(1990, 3000),
    ).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
)


@given(date_like, st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_parse_date_returns_a_date_or_a_parse_error(text: str, today: date) -> None:
    try:
        result = parse_date(text, today=today)
    except ParseError as error:
        assert error.message
    else:
        assert isinstance(result, date)


@pytest.mark.parametrize(
    ("typed", "today", "expected"),
    [
        ("1/12", date(2026, 12, 2), date(2026, 12, 1)),  # the issue's `/group away until 1/12`
        ("25/11", date(2026, 12, 2), date(2026, 11, 25)),  # and `/meeting schedule 25/11`
        ("25/12", date(2027, 1, 15), date(2026, 12, 25)),  # last year's, three weeks ago
        ("15/1", date(2026, 12, 2), date(2027, 1, 15)),  # ahead, across the new year
    ],
)
def test_dates_without_a_year_around_the_new_year(typed: str, today: date, expected: date) -> None:
    assert parse_date(typed, today=today) == expected


def test_a_passed_date_is_refused_where_only_the_future_makes_sense() -> None:
    with pytest.raises(ParseError, match=r"Tue 1 Dec 2026 has passed"):
        parse_date_to_come("1/12", today=date(2026, 12, 2))
    assert parse_date_to_come("2/12", today=date(2026, 12, 2)) == date(2026, 12, 2)


days_of_the_year = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@given(days_of_the_year, days_of_the_year, st.sampled_from(["{d}/{m}", "{d} {b}", "{d}-{m}"]))
def test_a_date_without_its_year_is_the_recent_past_or_the_next_to_come(
    day: date, today: date, form: str
) -> None:
    typed = form.format(d=day.day, m=day.month, b=f"{day:%b}")
    result = parse_date(typed, today=today)
    assert (result.day, result.month) == (day.day, day.month)
    if result < today:  # passed: within about three months, and never a year back
        assert (today - result).days <= 92
    else:  # to come: the first such date on or after today, more than 92 days after the last
        assert (result - today).days < 366 * (4 if (day.month, day.day) == (2, 29) else 1)
        if (day.month, day.day) != (2, 29):
            assert result.replace(year=result.year - 1) < today - timedelta(days=92)


@given(days_of_the_year, days_of_the_year)
def test_a_date_to_come_is_never_before_today(day: date, today: date) -> None:
    try:
        result = parse_date_to_come(f"{day.day}/{day.month}", today=today)
    except ParseError as error:
        assert "has passed" in error.message
    else:
        assert result >= today


@given(st.one_of(any_text, st.from_regex(r"\A\d{1,3}([:.]\d{1,3})?\s?(am|pm|a\.m\.)?\Z")))
def test_parse_time_returns_a_time_or_a_parse_error(text: str) -> None:
    try:
        assert isinstance(parse_time(text), time)
    except ParseError as error:
        assert error.message


@given(any_text)
def test_tokenize_and_mentions_never_fail_otherwise(text: str) -> None:
    try:
        tokens = tokenize(text)
    except ParseError:
        return
    for token in tokens:
        assert token.text == token.text.strip() or token.quoted
        with contextlib.suppress(ParseError):
            parse_mention(token.text)


@given(st.one_of(any_text, st.from_regex(r"\A[TMADItmadi]-?\d{0,12}\Z")), st.sampled_from("TMADI"))
def test_parse_reference_returns_a_reference_or_a_parse_error(text: str, kind: str) -> None:
    try:
        reference = parse_reference(text, kind)
    except ParseError as error:
        assert error.message
    else:
        assert reference.kind == kind and reference.number > 0


@given(any_text)
def test_parse_title_is_clean_or_refused(text: str) -> None:
    try:
        title = parse_title(text)
    except ParseError:
        return
    assert 0 < len(title) <= 200
    assert not any(ch in title for ch in "\x00\x07\t\r")


def test_a_due_date_in_the_past_needs_its_year() -> None:
    today = date(2026, 12, 2)
    with pytest.raises(ParseError, match=r"Wed 25 Nov 2026 has passed.*full date with its year"):
        parse_date_to_come("25/11", today=today, past_with_year=True)
    assert parse_date_to_come("25/11/2026", today=today, past_with_year=True) == date(2026, 11, 25)
    with pytest.raises(ParseError, match="has passed"):
        parse_date_to_come("25/11/2026", today=today)
