"""Babel catalogs, locale negotiation and date/time formatting per reader."""

from __future__ import annotations

import io
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import (
    format_datetime,
    get_timezone_location,
    match_skeleton,
)
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
# Unicode first-strong isolate and pop directional isolate: keep Latin names and numbers
# from being reordered inside right-to-left text.
FSI, PDI = "\u2068", "\u2069"
# Bidi embeddings, overrides, isolates and marks, and invisible characters (zero-width
# space, word joiner, invisible operators, byte order mark): in programme or user text they
# can reverse or hide what a reader sees. Zero-width (non-)joiners stay: scripts and emoji
# sequences need them, and they move nothing.
_CONTROLS = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def clean(text: str) -> str:
    """Text without bidi and invisible controls, but for balanced FSI...PDI isolates."""
    if not _CONTROLS.search(text):
        return text
    kept: set[int] = set()
    opened: list[int] = []
    for found in _CONTROLS.finditer(text):
        # Our own isolates come in pairs; a lone one, or any other control, is not ours.
        if found.group() == FSI:
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
        # Programme times repeat in every agenda; Babel formatting is the costly part of one.
        self.day = lru_cache(maxsize=4096)(self._day)  # type: ignore[method-assign]
        self.time = lru_cache(maxsize=16384)(self._time)  # type: ignore[method-assign]
        self.span = lru_cache(maxsize=16384)(self._span)  # type: ignore[method-assign]

    def gettext(self, message: str, **values: Any) -> str:
        """Translate a message and fill its ``{placeholders}``."""
        text = self._t.gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: Any) -> str:
        """Translate a message with plural forms; ``{n}`` is always available."""
        return self._t.ngettext(singular, plural, n).format(n=n, **values)

    def pgettext(self, context: str, message: str, **values: Any) -> str:
        """Translate a message in a context (button labels)."""
        text = self._t.pgettext(context, message)
        return text.format(**values) if values else text

    def isolate(self, text: str) -> str:
        """Wrap Latin names and numbers so they keep their order inside RTL text."""
        # The controls of the name go first: the isolates around it must stay the only ones.
        return f"{FSI}{clean(text)}{PDI}" if self.rtl and text else text

    def day(self, instant: datetime, timezone: str) -> str:
        """Format the local date of an instant, e.g. 'Thu, May 2' (cached per instance)."""
        return self._day(instant, timezone)

    def time(self, instant: datetime, timezone: str) -> str:
        """Format the local time of an instant in a zone (cached); ranges use ``span``."""
        return self._time(instant, timezone)

    def _day(self, instant: datetime, timezone: str) -> str:
        local = instant.astimezone(ZoneInfo(timezone))
        return format_datetime(local, self._day_pattern, locale=self.locale)

    def _time(self, instant: datetime, timezone: str) -> str:
        local = instant.astimezone(ZoneInfo(timezone))
        return format_datetime(local, self._time_pattern, locale=self.locale)

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
        city = get_timezone_location(ZoneInfo(timezone), locale=self.locale, return_city=True)
        return self.gettext(
            "{span} ({city} time; {own} where you are)",
            span=local,
            city=self.isolate(city),
            own=own,
        )

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


def _differ(local: datetime, other_timezone: str) -> bool:
    """Whether a clock in another zone shows another time at that instant."""
    return local.utcoffset() != local.astimezone(ZoneInfo(other_timezone)).utcoffset()
