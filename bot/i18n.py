"""Babel catalogs, locale negotiation and date/time formatting per reader."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date as Day
from datetime import datetime, timedelta
from datetime import time as Clock
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import (
    format_date,
    format_time,
    format_timedelta,
    get_timezone_location,
    match_skeleton,
)
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
# Unicode first-strong isolate and pop directional isolate: keep Latin names and numbers
# from being reordered inside right-to-left text.
FSI, PDI = "\u2068", "\u2069"
# Right-to-left mark: a line whose first strong letter is not right-to-left (a line of
# isolated names, numbers and punctuation) would otherwise be laid out left to right.
RLM = "\u200f"
# Bidi embeddings, overrides, isolates and marks, and invisible characters (zero-width
# space, word joiner, invisible operators, byte order mark): in programme or user text they
# can reverse or hide what a reader sees. Zero-width (non-)joiners stay: scripts and emoji
# sequences need them, and they move nothing.
_CONTROLS = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# The first day of a month is an ordinal in some languages ("1er mai"); CLDR has no such
# day field, so the day pattern letter is replaced by the quoted ordinal for day 1 only.
_FIRST_OF_MONTH = {"fr": "'1er'"}


def clean(text: str, *, line_marks: bool = False) -> str:
    """Text without bidi and invisible controls, but for balanced FSI...PDI isolates (and,
    with ``line_marks``, the RLM ``directed`` puts before a line of isolates only)."""
    if not _CONTROLS.search(text):
        return text
    kept: set[int] = set()
    opened: list[int] = []
    for found in _CONTROLS.finditer(text):
        at = found.start()
        if line_marks and found.group() == RLM and (at == 0 or text[at - 1] == "\n"):
            end = text.find("\n", at)
            if _bare(text[at + 1 : end if end >= 0 else len(text)]):
                kept.add(at)
        # Our own isolates come in pairs; a lone one, or any other control, is not ours.
        elif found.group() == FSI:
            opened.append(found.start())
        elif found.group() == PDI and opened:
            kept.update((opened.pop(), found.start()))
    return _CONTROLS.sub(lambda found: found.group() if found.start() in kept else "", text)


def N_(message: str) -> str:
    """Mark a message for the catalogs (Babel extracts N_); it is translated where shown."""
    return message


def _compile(po_path: Path, code: str) -> Translations:
    """Compile a .po file in memory, so no build step is needed to run from a checkout."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=code)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


class Translator:
    """All language-dependent rendering for one reader language."""

    def __init__(self, code: str, translations: Translations) -> None:
        self.code = code
        self.locale = Locale.parse(code)
        self.rtl = self.locale.text_direction == "rtl"
        self._t = translations
        # Skeletons resolve to patterns once per language, not once per call.
        skeletons = self.locale.datetime_skeletons
        self._day_pattern = skeletons[match_skeleton("MMMMEd", skeletons) or "MMMMEd"]
        self._time_pattern = skeletons[match_skeleton("Hm", skeletons) or "Hm"]
        # Running text spells the weekday and month in full ("Wednesday", not "Wed").
        self._day_month_pattern = str(skeletons[match_skeleton("MMMMd", skeletons) or "MMMMd"])
        # Programme times repeat in every agenda; Babel formatting is the costly part of one.
        self.day = lru_cache(maxsize=4096)(self._day)  # type: ignore[method-assign]
        self.time = lru_cache(maxsize=16384)(self._time)  # type: ignore[method-assign]
        self.span = lru_cache(maxsize=16384)(self._span)  # type: ignore[method-assign]
        self.date = lru_cache(maxsize=4096)(self._date)  # type: ignore[method-assign]
        self.number = lru_cache(maxsize=1024)(self._number)  # type: ignore[method-assign]
        # A time of day or a date reads the same whatever instant and zone it came from.
        self._clock = lru_cache(maxsize=2048)(self._format_clock)
        self._calendar_day = lru_cache(maxsize=1024)(self._format_day)
        self._running_date = lru_cache(maxsize=1024)(self._format_date)
        self._city = lru_cache(maxsize=256)(self._zone_city)

    def gettext(self, message: str, **values: Any) -> str:
        """Translate a message and fill its ``{placeholders}``."""
        text = self._t.gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: Any) -> str:
        """Translate a message with plural forms; ``{n}`` is always available."""
        return self._t.ngettext(singular, plural, n).format(n=self.number(n), **values)

    def number(self, n: float) -> str:
        """A count written the language's way (digit grouping, decimal sign; cached)."""
        return self._number(n)

    def _number(self, n: float) -> str:
        return format_decimal(n, locale=self.locale)

    def duration(self, delta: timedelta) -> str:
        """A time left the language's way, to the minute, in its two largest units
        ("1 hour and 45 minutes")."""
        minutes = max(round(delta.total_seconds() / 60), 1)
        days, rest = divmod(minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        parts = [
            # Hours are the catalog's: "بمقدار ساعتين", not Babel's nominative "ساعتان".
            self.ngettext("{n} hour", "{n} hours", amount)
            if unit == "hours"
            else format_timedelta(timedelta(**{unit: amount}), threshold=1, locale=self.locale)
            for unit, amount in (("days", days), ("hours", hours), ("minutes", minutes))
            if amount
        ]
        return self.join(parts[:2])

    def join(self, items: list[str]) -> str:
        """A list of items the language's way ("A, B and C", "A وB")."""
        return format_list(items, locale=self.locale) if items else ""

    def pgettext(self, context: str, message: str, **values: Any) -> str:
        """Translate a message in a context (button labels)."""
        text = self._t.pgettext(context, message)
        return text.format(**values) if values else text

    def isolate(self, text: str) -> str:
        """Wrap Latin names and numbers so they keep their order inside RTL text."""
        # The controls of the name go first: the isolates around it must stay the only ones.
        return f"{FSI}{clean(text)}{PDI}" if self.rtl and text else text

    def directed(self, text: str) -> str:
        """In right-to-left text, mark each line of isolates only to read right to left."""
        return directed(text) if self.rtl else text

    def day(self, instant: datetime, timezone: str) -> str:
        """Format the local date of an instant, e.g. 'Thu, May 2' (cached per instance)."""
        return self._day(instant, timezone)

    def date(self, instant: datetime, timezone: str) -> str:
        """The local date for running text, weekday and month in full (cached per instance)."""
        return self._date(instant, timezone)

    def _date(self, instant: datetime, timezone: str) -> str:
        return self._running_date(instant.astimezone(ZoneInfo(timezone)).date())

    def _format_date(self, day: Day) -> str:
        pattern = self._day_month_pattern
        if day.day == 1 and self.code in _FIRST_OF_MONTH:
            pattern = re.sub(r"(?<![d'])d(?!d)", _FIRST_OF_MONTH[self.code], pattern)
        return self.pgettext(
            "date in a sentence",
            "{weekday}, {day_month}",
            weekday=format_date(day, "EEEE", locale=self.locale),
            day_month=format_date(day, pattern, locale=self.locale),
        )

    def time(self, instant: datetime, timezone: str) -> str:
        """Format the local time of an instant in a zone (cached); ranges use ``span``."""
        return self._time(instant, timezone)

    def _day(self, instant: datetime, timezone: str) -> str:
        return self._calendar_day(instant.astimezone(ZoneInfo(timezone)).date())

    def _format_day(self, day: Day) -> str:
        return format_date(day, self._day_pattern, locale=self.locale)

    def _time(self, instant: datetime, timezone: str) -> str:
        local = instant.astimezone(ZoneInfo(timezone))
        return self._clock(local.hour, local.minute)

    def _format_clock(self, hour: int, minute: int) -> str:
        return format_time(Clock(hour, minute), self._time_pattern, locale=self.locale)

    def span(
        self, start: datetime, end: datetime, timezone: str, reader_timezone: str | None = None
    ) -> str:
        """A time range in the event's own zone, labelled when the reader is elsewhere (cached)."""
        return self._span(start, end, timezone, reader_timezone)

    def _span(
        self, start: datetime, end: datetime, timezone: str, reader_timezone: str | None = None
    ) -> str:
        """A time range in the event's own zone. When the reader is in another zone, one label
        after the range names the event's city, then the range in the reader's own time."""
        local = self.gettext(
            "{start}–{end}",
            start=self.isolate(self._time(start, timezone)),
            end=self.isolate(self._time(end, timezone)),
        )
        here = start.astimezone(ZoneInfo(timezone))
        if not reader_timezone or not _differ(here, reader_timezone):
            return local
        own = self.gettext(
            "{start}–{end}",
            start=self.isolate(self._time(start, reader_timezone)),
            end=self.isolate(self._time(end, reader_timezone)),
        )
        if here.date() != start.astimezone(ZoneInfo(reader_timezone)).date():
            # 08:00 in Singapore on Tuesday is 14:00 on Monday in Honolulu.
            own = self.gettext("{day}, {time}", day=self.day(start, reader_timezone), time=own)
        return self.gettext(
            "{span} ({city} time; {own} where you are)",
            span=local,
            city=self.isolate(self._city(timezone)),
            own=own,
        )

    def journey(self, start: datetime, end: datetime, timezone: str, arrival: str) -> str:
        """A journey's times: leaving in the zone left, arriving in the zone reached."""
        return self.gettext(
            "{start} ({city} time) – {end} ({arrival_city} time)",
            start=self.isolate(self._time(start, timezone)),
            city=self.isolate(self._city(timezone)),
            end=self.isolate(self._time(end, arrival)),
            arrival_city=self.isolate(self._city(arrival)),
        )

    def clock_name(
        self, timezone: str, territory: str | None = None, city: str | None = None
    ) -> str:
        """A clock's name in this language: its country's, else the city's own, else its
        zone's city."""
        if territory is not None:
            return self.locale.territories.get(territory) or territory
        return city or self._city(timezone)

    def _zone_city(self, timezone: str) -> str:
        return get_timezone_location(ZoneInfo(timezone), locale=self.locale, return_city=True)

    def language_name(self, code: str) -> str:
        """Return a language's own name (for menus), e.g. 'español'."""
        return Locale.parse(code).get_display_name(code) or code

    def language_label(self, code: str) -> str:
        """Return a language's name in this translator's language, e.g. 'Spanish' in English."""
        try:
            return Locale.parse(code).get_display_name(self.code) or code
        except (ValueError, TypeError, UnknownLocaleError):
            return code


class I18n:
    """Every catalog under ``locales/``, loaded once per process."""

    def __init__(self, directory: Path = LOCALES_DIR, default: str = "en") -> None:
        self.directory = directory
        self.default = default
        self._translators: dict[str, Translator] = {}
        for po_path in sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            code = po_path.parent.parent.name
            self._translators[code] = Translator(code, _compile(po_path, code))
        if default not in self._translators:
            self._translators[default] = Translator(default, Translations())

    @property
    def languages(self) -> tuple[str, ...]:
        """Return the codes of every language with a catalog."""
        return tuple(self._translators)

    def negotiate(self, *preferences: str | None) -> str:
        """Return the first supported language among the preferences (full or base code)."""
        for preference in preferences:
            if not preference:
                continue
            code = preference.replace("-", "_")
            for candidate in (code, code.split("_")[0].lower()):
                if candidate in self._translators:
                    return candidate
        return self.default

    def translator(self, *preferences: str | None) -> Translator:
        """Return the translator for the best-supported of the preferences."""
        return self._translators[self.negotiate(*preferences)]


def offset_label(offset: timedelta) -> str:
    """A UTC offset as written beside a zone: "UTC-4", "UTC+5:30"."""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def directed(text: str) -> str:
    """Right-to-left text with an RLM before each line made only of isolates and neutrals.

    Such a line has no letter of its own to set its direction (rule P2 of UAX #9 skips
    isolates), so it would be laid out left to right; a line of plain Latin text (a note
    the programme gives in English only) keeps its own direction."""
    return "\n".join(
        RLM + line if line.strip() and _bare(line) else line for line in text.split("\n")
    )


def _bare(line: str) -> bool:
    """Whether a line has no strong letter outside isolates (and no mark of its own)."""
    depth = 0
    for char in line:
        if char in "\u2066\u2067\u2068":
            depth += 1
        elif char == PDI:
            depth = max(depth - 1, 0)
        elif depth == 0 and unicodedata.bidirectional(char) in ("L", "R", "AL"):
            return False
    return True


def _differ(local: datetime, other_timezone: str) -> bool:
    """Whether a clock in another zone shows another time at that instant."""
    return local.utcoffset() != local.astimezone(ZoneInfo(other_timezone)).utcoffset()
