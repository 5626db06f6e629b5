"""Places and the anniversary day each keeps: the old provincial districts, not today's
regional councils (models/places.py cites its sources)."""

from __future__ import annotations

from datetime import date

import pytest

from models.demo import TRIALS
from models.places import REGIONS, anniversary_of, find_place, next_anniversary
from models.working_days import WorkingDays


@pytest.mark.parametrize(
    ("typed", "keeps"),
    [
        ("Bay of Plenty", "Auckland Anniversary Day"),  # no provincial day of its own
        ("Waikato", "Auckland Anniversary Day"),
        ("Gisborne", "Auckland Anniversary Day"),
        ("Northland", "Auckland Anniversary Day"),
        ("Horowhenua District", "Wellington Anniversary Day"),  # Manawatū-Whanganui's south
        ("horowhenua", "Wellington Anniversary Day"),
        ("Taumarunui", "Auckland Anniversary Day"),  # and its north, above the 39th parallel
        ("Tararua District", "Wellington Anniversary Day"),
        ("Westport", "Nelson Anniversary Day"),  # Buller was in Nelson province
        ("Greymouth", "Westland Anniversary Day"),
        ("Timaru", "South Canterbury Anniversary Day"),
        ("Christchurch City", "Canterbury Anniversary Day (Show Day)"),
        ("Gore District", "Southland Anniversary Day"),
        ("HAWKES BAY", "Hawke's Bay Anniversary Day"),
        ("Ranui", "Auckland Anniversary Day"),  # macrons optional
        ("Chatham Islands", "Chatham Islands Anniversary Day"),
    ],
)
def test_a_place_keeps_the_anniversary_of_its_old_province(typed: str, keeps: str) -> None:
    anniversary = anniversary_of(typed)
    assert anniversary is not None and anniversary.name == keeps


@pytest.mark.parametrize(
    ("region", "choice"),
    [
        ("Manawatū-Whanganui", "Horowhenua District"),
        ("Canterbury", "Timaru District"),
        ("West Coast", "Buller District"),
        ("Ruapehu District", "Taumarunui"),
    ],
)
def test_a_place_split_between_two_days_names_where_to_choose(region: str, choice: str) -> None:
    place = find_place(region)
    assert place is not None and place.anniversary is None and choice in place.choices
    assert all(find_place(option) is not None for option in place.choices)


def test_every_region_and_district_is_known_and_unknown_places_are_not() -> None:
    assert len(REGIONS) == 17  # the sixteen regions and the Chatham Islands
    districts = [d for _, (_, ds) in REGIONS.items() for d in ds]
    assert len(districts) == len(set(districts)) >= 66
    assert all(find_place(name) is not None for name in [*REGIONS, *districts])
    assert find_place("Atlantis") is None and find_place("") is None


def test_every_demo_trial_keeps_an_anniversary_day() -> None:
    kept = {t.name: anniversary_of(t.region) for t in TRIALS}
    assert all(kept.values()), [name for name, day in kept.items() if day is None]
    assert kept["Taumarunui"].name == "Auckland Anniversary Day"  # type: ignore[union-attr]
    assert kept["Horowhenua District"].name == "Wellington Anniversary Day"  # type: ignore[union-attr]
    assert kept["Gore District"].name == "Southland Anniversary Day"  # type: ignore[union-attr]


def test_the_next_anniversary_date_counts_today() -> None:
    southland = anniversary_of("Gore")
    assert southland is not None
    assert next_anniversary(southland, date(2026, 12, 2)) == date(2027, 3, 30)  # Easter Tuesday
    assert next_anniversary(southland, date(2027, 3, 30)) == date(2027, 3, 30)


@pytest.mark.parametrize(
    ("place", "day"),
    [
        ("Bay of Plenty", date(2027, 2, 1)),  # a region alone
        ("Horowhenua District", date(2027, 1, 25)),  # a district alone
        ("Taumarunui", date(2027, 2, 1)),  # a town
        ("Timaru", date(2027, 9, 27)),
    ],
)
def test_the_anniversary_is_not_a_working_day_there_and_is_elsewhere(place: str, day: date) -> None:
    assert not WorkingDays(place).is_working_day(day)
    assert WorkingDays("Otago").is_working_day(day)
