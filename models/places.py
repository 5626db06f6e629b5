"""New Zealand's places and the provincial anniversary day each keeps.

Anniversary days follow the provincial districts as they stood when the provinces were
abolished in 1876 (plus Southland, South Canterbury, Northland and the Chatham Islands),
not today's regional councils: Employment New Zealand, "Regional anniversary days"
(employment.govt.nz/leave-and-holidays/public-holidays/public-holidays-and-anniversary-dates);
Te Ara, "Public holidays: provincial anniversary days" (teara.govt.nz). So the Bay of
Plenty, Waikato and Gisborne keep Auckland's day; Buller keeps Nelson's; Manawatū-Whanganui
keeps Wellington's except its north (Taumarunui and the upper Ruapehu District, north of
the 39th parallel, keep Auckland's); Tararua District keeps Wellington's (its mayor, RNZ,
19 January 2026); Canterbury keeps Show Day in the north and centre and South Canterbury's
day in Timaru, Mackenzie and Waimate.

A region that keeps one day names it; a region or district split between two names the
places to choose from. The dates themselves come from the `holidays` package.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import holidays

from models.text import fold


@dataclass(frozen=True)
class Anniversary:
    name: str  # as people say it: "Southland Anniversary Day"
    subdivision: str  # the `holidays` subdivision whose calendar holds its dates


AUCKLAND = Anniversary("Auckland Anniversary Day", "AUK")
WELLINGTON = Anniversary("Wellington Anniversary Day", "WGN")
NELSON = Anniversary("Nelson Anniversary Day", "NSN")
TARANAKI = Anniversary("Taranaki Anniversary Day", "TKI")
HAWKES_BAY = Anniversary("Hawke's Bay Anniversary Day", "HKB")
MARLBOROUGH = Anniversary("Marlborough Anniversary Day", "MBH")
CANTERBURY = Anniversary("Canterbury Anniversary Day (Show Day)", "CAN")
SOUTH_CANTERBURY = Anniversary("South Canterbury Anniversary Day", "South Canterbury")
WESTLAND = Anniversary("Westland Anniversary Day", "WTC")
OTAGO = Anniversary("Otago Anniversary Day", "OTA")
SOUTHLAND = Anniversary("Southland Anniversary Day", "STL")
CHATHAMS = Anniversary("Chatham Islands Anniversary Day", "CIT")


@dataclass(frozen=True)
class Place:
    name: str  # "Gore District"
    region: str  # "Southland"
    anniversary: Anniversary | None  # None: split, and `choices` says between which places
    choices: tuple[str, ...] = ()
    district: str | None = None  # for a town

    @property
    def where(self) -> str:
        """`Gore District, Southland`; `Gore, Gore District, Southland`; `Southland`."""
        parts = dict.fromkeys(p for p in (self.name, self.district, self.region) if p)
        return ", ".join(parts)


SPLIT = None
# Regions, each with its districts (territorial authorities) and the anniversary each keeps.
REGIONS: dict[str, tuple[Anniversary | None, dict[str, Anniversary | None]]] = {
    "Northland": (
        AUCKLAND,
        {
            "Far North District": AUCKLAND,
            "Whangārei District": AUCKLAND,
            "Kaipara District": AUCKLAND,
        },
    ),
    "Auckland": (AUCKLAND, {}),
    "Waikato": (
        AUCKLAND,
        {
            name: AUCKLAND
            for name in (
                "Thames-Coromandel District",
                "Hauraki District",
                "Waikato District",
                "Matamata-Piako District",
                "Hamilton City",
                "Waipā District",
                "Ōtorohanga District",
                "South Waikato District",
                "Waitomo District",
                "Taupō District",
            )
        },
    ),
    "Bay of Plenty": (
        AUCKLAND,
        {
            name: AUCKLAND
            for name in (
                "Western Bay of Plenty District",
                "Tauranga City",
                "Rotorua District",
                "Whakatāne District",
                "Kawerau District",
                "Ōpōtiki District",
            )
        },
    ),
    "Gisborne": (AUCKLAND, {"Gisborne District": AUCKLAND}),
    "Hawke's Bay": (
        HAWKES_BAY,
        {
            name: HAWKES_BAY
            for name in (
                "Wairoa District",
                "Hastings District",
                "Napier City",
                "Central Hawke's Bay District",
            )
        },
    ),
    "Taranaki": (
        TARANAKI,
        {
            name: TARANAKI
            for name in ("New Plymouth District", "Stratford District", "South Taranaki District")
        },
    ),
    "Manawatū-Whanganui": (
        SPLIT,
        {
            "Ruapehu District": SPLIT,
            "Whanganui District": WELLINGTON,
            "Rangitīkei District": WELLINGTON,
            "Manawatū District": WELLINGTON,
            "Palmerston North City": WELLINGTON,
            "Tararua District": WELLINGTON,
            "Horowhenua District": WELLINGTON,
        },
    ),
    "Wellington": (
        WELLINGTON,
        {
            name: WELLINGTON
            for name in (
                "Kāpiti Coast District",
                "Porirua City",
                "Upper Hutt City",
                "Hutt City",
                "Wellington City",
                "Masterton District",
                "Carterton District",
                "South Wairarapa District",
            )
        },
    ),
    "Tasman": (NELSON, {"Tasman District": NELSON}),
    "Nelson": (NELSON, {"Nelson City": NELSON}),
    "Marlborough": (MARLBOROUGH, {"Marlborough District": MARLBOROUGH}),
    "West Coast": (
        SPLIT,
        {"Buller District": NELSON, "Grey District": WESTLAND, "Westland District": WESTLAND},
    ),
    "Canterbury": (
        SPLIT,
        {
            "Kaikōura District": CANTERBURY,
            "Hurunui District": CANTERBURY,
            "Waimakariri District": CANTERBURY,
            "Christchurch City": CANTERBURY,
            "Selwyn District": CANTERBURY,
            "Ashburton District": CANTERBURY,
            "Timaru District": SOUTH_CANTERBURY,
            "Mackenzie District": SOUTH_CANTERBURY,
            "Waimate District": SOUTH_CANTERBURY,
        },
    ),
    "Otago": (
        OTAGO,
        {
            name: OTAGO
            for name in (
                "Waitaki District",
                "Central Otago District",
                "Queenstown-Lakes District",
                "Dunedin City",
                "Clutha District",
            )
        },
    ),
    "Southland": (
        SOUTHLAND,
        {name: SOUTHLAND for name in ("Southland District", "Gore District", "Invercargill City")},
    ),
    "Chatham Islands": (CHATHAMS, {"Chatham Islands Territory": CHATHAMS}),
}

# Towns and suburbs people name instead of their district, the trials' towns among them.
TOWNS: dict[str, tuple[str, Anniversary | None]] = {
    "Kaikohe": ("Far North District", None),
    "Whangārei": ("Whangārei District", None),
    "Rānui": ("Auckland", None),
    "Hamilton": ("Hamilton City", None),
    "Tokoroa": ("South Waikato District", None),
    "Te Kūiti": ("Waitomo District", None),
    "Huntly": ("Waikato District", None),
    "Taupō": ("Taupō District", None),
    "Tauranga": ("Tauranga City", None),
    "Rotorua": ("Rotorua District", None),
    "Whakatāne": ("Whakatāne District", None),
    "Kawerau": ("Kawerau District", None),
    "Gisborne": ("Gisborne District", None),
    "Napier": ("Napier City", None),
    "Hastings": ("Hastings District", None),
    "Hāwera": ("South Taranaki District", None),
    "New Plymouth": ("New Plymouth District", None),
    "Taumarunui": ("Ruapehu District", AUCKLAND),
    "Ōwhango": ("Ruapehu District", AUCKLAND),
    "Ohakune": ("Ruapehu District", WELLINGTON),
    "Raetihi": ("Ruapehu District", WELLINGTON),
    "National Park": ("Ruapehu District", WELLINGTON),
    "Waiouru": ("Ruapehu District", WELLINGTON),
    "Whanganui": ("Whanganui District", None),
    "Palmerston North": ("Palmerston North City", None),
    "Dannevirke": ("Tararua District", None),
    "Levin": ("Horowhenua District", None),
    "Porirua": ("Porirua City", None),
    "Masterton": ("Masterton District", None),
    "Wairarapa": ("Masterton District", None),
    "Lower Hutt": ("Hutt City", None),
    "Wellington": ("Wellington City", None),
    "Nelson": ("Nelson City", None),
    "Blenheim": ("Marlborough District", None),
    "Westport": ("Buller District", None),
    "Greymouth": ("Grey District", None),
    "Hokitika": ("Westland District", None),
    "Christchurch": ("Christchurch City", None),
    "Timaru": ("Timaru District", None),
    "Oamaru": ("Waitaki District", None),
    "Dunedin": ("Dunedin City", None),
    "South Dunedin": ("Dunedin City", None),
    "Queenstown": ("Queenstown-Lakes District", None),
    "Gore": ("Gore District", None),
    "Invercargill": ("Invercargill City", None),
}
SUFFIXES = (" district", " city", " region", " township", " territory")


@lru_cache(maxsize=1)
def _places() -> dict[str, Place]:
    places: dict[str, Place] = {}
    for region, (keeps, districts) in REGIONS.items():
        places[_key(region)] = Place(region, region, keeps, tuple(districts) if not keeps else ())
        for district, anniversary in districts.items():
            towns = tuple(t for t, (d, _) in TOWNS.items() if d == district)
            place = Place(district, region, anniversary, towns if anniversary is None else ())
            places.setdefault(_key(district), place)
    region_of = {d: r for r, (_, districts) in REGIONS.items() for d in districts}
    for town, (district, anniversary) in TOWNS.items():
        region = region_of.get(district, district)
        keeps = anniversary or places[_key(district)].anniversary
        places.setdefault(_key(town), Place(town, region, keeps, district=district))
    for key, place in list(places.items()):  # "Gore" finds Gore District, "Hutt" Hutt City
        for suffix in SUFFIXES:
            if key.endswith(suffix):
                places.setdefault(key.removesuffix(suffix), place)
    return places


def _key(text: str) -> str:
    """`Hawke’s Bay`, `hawkes bay` and `HAWKE'S BAY` alike; `Manawatu Whanganui` too."""
    words = fold(text).replace("-", " ").replace("'", "").replace("’", "").replace(",", " ")
    return " ".join(words.split())


def find_place(text: str | None) -> Place | None:
    """A region, district or town by name, ignoring case, macrons and a trailing
    "District"/"City"; None if it is not a New Zealand place we know."""
    if not text:
        return None
    key = _key(text)
    places = _places()
    found = places.get(key)
    if found is None:
        for suffix in SUFFIXES:
            found = found or places.get(key.removesuffix(suffix))
    return found


def anniversary_of(text: str | None) -> Anniversary | None:
    """The anniversary day a trial's place keeps; None if unknown or split."""
    place = find_place(text)
    return place.anniversary if place else None


@lru_cache(maxsize=256)
def anniversary_date(anniversary: Anniversary, year: int) -> date:
    """The day the anniversary is observed in a year, from the `holidays` package."""
    observed = holidays.country_holidays("NZ", subdiv=anniversary.subdivision, years=year)
    return next(day for day, name in sorted(observed.items()) if "Anniversary" in name)


def next_anniversary(anniversary: Anniversary, today: date) -> date:
    """Its next observed date, today counting."""
    this_year = anniversary_date(anniversary, today.year)
    return this_year if this_year >= today else anniversary_date(anniversary, today.year + 1)
