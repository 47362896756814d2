"""Text to meaning: intents, the day asked about, the words naming things, the language."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from bot.assistant.knowledge import english_name
from bot.assistant.lexicon import Hit, Lexicons, Scan
from bot.assistant.normalize import script_language, tokens
from bot.commands import Command, find

# A command may name the bot ("/today@ProgrammeBot") and carry words after it.
_COMMAND = re.compile(r"^/([A-Za-z_]+)(?:@\w+)?(?:\s.*)?$", re.DOTALL)
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|er|eme|e|o|a|го|е)?$")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_SUFFIXED_DAY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|er|eme|ieme)$")
_GLUED_DAY = re.compile(r"^(\d{1,2})(\D+)$")
_ACRONYM = re.compile(r"\b[A-Z]{3,4}\b")
_PUNCTUATED = re.compile(r"[!,.;:?¡¿…]+$")
_SLASH_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?\b")


@dataclass(frozen=True)
class Understanding:
    """What a message asks, before it is matched against the programme."""

    language: str
    intents: frozenset[str] = frozenset()
    # A slash command (one nobody answers when its name is unknown); None for words.
    command: Command | None = None
    day: date | None = None
    # How many days from ``day`` the message covers: two for "this weekend" on a Saturday.
    days: int = 1
    # The day was named by its number ("the 7th", "7 May"): that number is no time of day.
    numbered: bool = False
    part: str | None = None
    words: tuple[str, ...] = ()
    target_language: str | None = None
    mentions: frozenset[str] = field(default_factory=frozenset)
    # The message opened with a greeting ("hi!", "buenas tardes"), now dropped.
    greeted: bool = False
    # Content words the lexicons did not know (names, typos, other topics).
    unknown: tuple[str, ...] = ()
    # The single words that read as another topic ("weather", "match"), which a programme may
    # still use in a title ("baseball game").
    offtopic: tuple[str, ...] = ()
    # A phrase of another topic ("know a good restaurant?"), whatever the programme's titles say.
    offtopic_phrase: bool = False
    # Terms said by the words that name another topic ("bolsa de valores": the stock exchange).
    offtopic_terms: tuple[str, ...] = ()
    # The words that sounded an alarm ("hospital", "pompiers"), which may name a visit.
    alarms: tuple[str, ...] = ()
    # Every word of the message as read, in order, function words too ("en La Paz"); a term's
    # words are its canonical ones ("بهاواي" is "honolulu").
    said: tuple[str, ...] = ()

    def has(self, *intents: str) -> bool:
        """Return whether any of the intents was recognised."""
        return not self.intents.isdisjoint(intents)


class Understander:
    """Deterministic understanding from lexicons; dateparser only as a last resort for dates."""

    def __init__(self, lexicons: Lexicons) -> None:
        self.lexicons = lexicons

    def detect_language(self, scan: Scan, text: str, fallback: str) -> str:
        """Guess the language of a message from its script and lexicon hits."""
        by_script = script_language(text)
        if by_script in self.lexicons.languages:
            return by_script
        counts: Counter[str] = Counter()
        for _start, _end, hit in scan.hits:
            counts[hit.lang] += 1
        if not counts:
            return fallback
        best = max(counts.values())
        leaders = [code for code, n in counts.items() if n == best]
        return fallback if fallback in leaders else sorted(leaders)[0]

    def understand(
        self,
        text: str,
        *,
        today: date,
        fallback_language: str,
        span: tuple[date, date],
        names: AbstractSet[str] = frozenset(),
        small_hours: bool = False,
        vocabulary: AbstractSet[str] = frozenset(),
        acronyms: AbstractSet[str] = frozenset(),
    ) -> Understanding:
        """Return the meaning of a message for a reader whose local date is ``today``
        (``names``: words of the programme's people, never read as another script, nor are
        its ``acronyms``;
        ``small_hours``: it is the middle of the night, when "tomorrow" is the day ahead;
        ``vocabulary``: the programme's own words, never read as a slip for a date word)."""
        stripped = text.strip()
        match = _COMMAND.match(stripped)
        if match:
            name = match.group(1).lower()
            return Understanding(language=fallback_language, command=find(name) or Command(name))
        # Transliteration: Arabic or Russian typed in Latin letters ("wein el fondo2",
        # "chto u nas zavtra") is spelled back into its script so the lexicons know it.
        # Greetings typed in Latin letters ("dobroe utro") go before spelling back, the
        # others ("sabah el kheir" read as Arabic) after.
        words, greeted = self._without_greetings(stripped, tokens(stripped))
        words = self.lexicons.translit.restore(words, fallback_language, names, acronyms)
        if not greeted:
            words, greeted = self._without_greetings(stripped, words)
        words = self.lexicons.mistyped_days(self.lexicons.expand(words), vocabulary)
        scan = self.lexicons.scan(words)
        # "Just landed at SAT": a code of the programme's, typed in capitals, is no day.
        coded = {w.casefold() for w in _ACRONYM.findall(stripped)} & vocabulary
        if coded:
            _uncode(scan, coded)
        language = self.detect_language(scan, stripped, fallback_language)
        own = (language, "en")
        # A function word of the message's language is not another language's intent: the
        # Portuguese "ou" ("or") is no French "où" ("where").
        stops = self.lexicons.stops[language]
        intents = frozenset(
            str(hit.value)
            for start, end, hit in scan.hits
            if hit.category == "intent"
            and (hit.lang == language or not stops.issuperset(scan.words[start:end]))
            and not self._means_or(scan.words, start, end, language)
        )
        # "Still awake, what's on tomorrow?" at 00:40 asks about the day about to begin.
        woken = today - timedelta(days=1) if small_hours else today
        day, numbered = self._day(scan, own, today, woken, span, stripped, language)
        if day is not None and any(h.value == "eve" for h in _hits(scan, "date", own)):
            # "В ночь на 20-е" is the night from the 19th: the day before the one named.
            day -= timedelta(days=1)
        weekend = day is not None and any(h.value == "weekend" for h in _hits(scan, "date", own))
        paired = False
        if not numbered and day is not None and (pair := self._weekday_pair(scan, language)):
            # "Anything on Sunday or Monday?": both days, from the first.
            ahead = (pair - day.weekday()) % 7
            day, paired = day + timedelta(days=ahead - 7 if ahead else 0), True
        parts = _hits(scan, "part", own)
        if day is not None and day != today:
            # "Clocks change tonight? The lobby call tomorrow?": tonight's evening is today's,
            # not a part of the day asked about.
            tonight = {
                (s, e) for s, e, h in scan.hits if h.category == "date" and h.value == "today"
            }
            parts = [h for s, e, h in scan.hits if h in parts and (s, e) not in tonight]
        if "whole" in intents:
            # "The full schedule today, something this evening too?": the whole day's.
            intents, parts = intents | {"schedule"}, []
        if "also" in intents and "schedule" in intents and day is not None:
            # "Friday, what's up? Anything in the evening too?": the day, evening and all.
            parts = []
        words_out: list[str] = [w for _, w in scan.free]
        mentions: set[str] = set()
        for hit in scan.of("term"):
            words_out.extend(_words_of(str(hit.value)))
            mentions.add(str(hit.value))
        languages = _hits(scan, "language", own)
        for hit in languages:
            words_out.extend(_words_of(english_name(str(hit.value))))
        return Understanding(
            language=language,
            intents=intents,
            day=day,
            numbered=numbered,
            days=2 if (weekend and day is not None and day.weekday() == 5) or paired else 1,
            # "Morning or afternoon?" asks about the whole day.
            part=str(parts[0].value) if len({h.value for h in parts}) == 1 else None,
            words=tuple(dict.fromkeys(words_out)),
            target_language=str(languages[0].value) if languages else None,
            mentions=frozenset(mentions),
            greeted=greeted,
            unknown=tuple(w for _, w in scan.free if self._content(w)),
            offtopic=tuple(
                scan.words[start]
                for start, end, hit in scan.hits
                if hit.category == "intent" and hit.value == "offtopic" and end == start + 1
            ),
            offtopic_phrase=any(
                hit.category == "intent" and hit.value == "offtopic" and end > start + 1
                for start, end, hit in scan.hits
            ),
            offtopic_terms=_offtopic_terms(scan),
            alarms=tuple(
                word
                for start, end, hit in scan.hits
                if hit.category == "intent" and hit.value == "emergency"
                for word in scan.words[start:end]
            ),
            said=_said(scan),
        )

    def _content(self, word: str) -> bool:
        """Whether an unrecognised word carries content, unlike a number or an everyday word."""
        if word.isdigit() or _ORDINAL.match(word):
            return False
        before, after = self.lexicons.day_markers
        return word not in before and word not in after and not self.lexicons.is_everyday(word)

    def _without_greetings(self, text: str, words: list[str]) -> tuple[list[str], bool]:
        """Drop the greetings a message opens with; say whether there were any."""
        dropped = 0
        while size := self.lexicons.greeting_at(words[dropped:]):
            phrase = words[dropped : dropped + size]
            # "Morning!" greets; "morning schedule?" asks about the morning.
            if self.lexicons.is_dated(phrase) and not _punctuated_after(text, dropped + size):
                break
            dropped += size
        return words[dropped:], dropped > 0

    def _day(
        self,
        scan: Scan,
        own: tuple[str, ...],
        today: date,
        woken: date,
        span: tuple[date, date],
        text: str,
        language: str,
    ) -> tuple[date | None, bool]:
        """The day a message names, and whether it was named by its number (``woken``: the
        day the reader last woke on, from which "tomorrow" counts)."""
        relative = {str(h.value) for h in _hits(scan, "date", own)}
        # "Flying out tomorrow: the plan for the first day?" asks the programme's first day.
        if relative & {"first_day", "last_day"} and not span[0] <= today <= span[1]:
            # "The 21st, the first day of meetings?": the date said is the day asked, as "the
            # first day" would be (what is on it, not whether it is the first).
            explicit = self._explicit_date(scan, own, today, span, text, language)
            if explicit is not None:
                return explicit, False
            return self._named_day(scan, own, today, span, language, relative), False
        if relative & {"day_after_tomorrow", "tomorrow", "yesterday"} and not (
            span[0] <= today <= span[1]
        ):
            # "Flying out tomorrow: the plan for Monday the 22nd?" before the programme: the
            # programme's date said is the day asked, not the day of the journey there.
            explicit = self._explicit_date(scan, own, today, span, text, language)
            if explicit is not None and span[0] <= explicit <= span[1]:
                return explicit, True
        if "day_after_tomorrow" in relative:
            return woken + timedelta(days=2), False
        if "tomorrow" in relative:
            return woken + timedelta(days=1), False
        if "yesterday" in relative:
            return woken - timedelta(days=1), False
        explicit = self._explicit_date(scan, own, today, span, text, language)
        if explicit is not None and not self._weekday_after(scan, language, explicit):
            return explicit, True
        return self._named_day(scan, own, today, span, language, relative), False

    def _means_or(self, words: list[str], start: int, end: int, language: str) -> bool:
        """Whether a word read as a question word is "or" there ("un costume ou c'est plus
        relax ?"): between two words, the one after not one a question goes on with."""
        if end - start != 1 or not 0 < start < len(words) - 1:
            return False
        followers = self.lexicons.or_words[language].get(words[start])
        return followers is not None and words[end] not in followers

    @staticmethod
    def _weekday_after(scan: Scan, language: str, explicit: date) -> bool:
        """ "Landing on the 7th, what time is Tuesday's orientation?": another weekday named
        after the date asks of that weekday; the date was the statement's."""
        day = str(explicit.day)
        said = next(
            (
                i
                for i, w in enumerate(scan.words)
                if w.lstrip("0").startswith(day) and not w.lstrip("0")[len(day) :][:1].isdigit()
            ),
            None,
        )
        return said is not None and any(
            start > said and int(hit.value) != explicit.weekday()
            for start, _, hit in scan.hits
            if hit.category == "weekday" and hit.lang == language
        )

    def _weekday_pair(self, scan: Scan, language: str) -> int | None:
        """The first of two weekdays said side by side that follow each other, if any."""
        found = [
            (start, end, int(hit.value))
            for start, end, hit in scan.hits
            if hit.category == "weekday" and hit.lang == language
        ]
        if len(found) != 2:
            return None
        (_, end, first), (start, _, second) = found
        joined = start - end <= 1 and all(
            w in self.lexicons.stops[language] for w in scan.words[end:start]
        )
        return first if joined and second == (first + 1) % 7 else None

    def _named_day(
        self,
        scan: Scan,
        own: tuple[str, ...],
        today: date,
        span: tuple[date, date],
        language: str,
        relative: set[str],
    ) -> date | None:
        """The day a message names by a weekday or a word ("today", "the last day")."""
        # An English weekday that is a word of the message's language ("mon frère") is not one.
        stops = self.lexicons.stops[language]
        weekdays = [
            hit
            for start, end, hit in scan.hits
            if hit.category == "weekday"
            and (hit.lang == language or not stops.issuperset(scan.words[start:end]))
        ]
        mine = [h for h in weekdays if h.lang in own]
        # "Hoy, ¿la segunda parte?": another language's weekday ("segunda") beside "today" in
        # the message's own is a word of its own.
        weekdays = mine or ([] if "today" in relative else weekdays)
        if "weekend" in relative and {int(h.value) for h in weekdays} <= {5, 6}:
            # "The weekend, what do we have Saturday and Sunday?": from the coming Saturday.
            weekdays = []
        # "The last day", "the first day": of the programme, unless today is named within it
        # ("today is our last day in Portland"); before it starts, "flying out tonight; what
        # happens on the first day?" asks the first.
        if "today" not in relative or not span[0] <= today <= span[1]:
            if "last_day" in relative:
                return span[1]
            if "first_day" in relative:
                return span[0]
        if weekdays:
            # "Sunday is the flight, I know. What about Monday?": the last day named is asked.
            target = int(weekdays[-1].value)
            ahead = (target - today.weekday()) % 7
            if ahead == 0 and "next" in relative:
                ahead = 7
            found = today + timedelta(days=ahead)
            if found < span[0]:
                # Before the programme, "what's on Monday?" asks about its first Monday.
                found = span[0] + timedelta(days=(target - span[0].weekday()) % 7)
            return found
        if "today" in relative:
            return today
        if "weekend" in relative:
            # The coming Saturday, or today on a weekend day.
            return today + timedelta(days=max(0, 5 - today.weekday()))
        return None

    def _explicit_date(
        self,
        scan: Scan,
        own: tuple[str, ...],
        today: date,
        span: tuple[date, date],
        text: str,
        language: str,
    ) -> date | None:
        iso = _ISO_DATE.search(text)
        if iso:
            return _safe_date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        allowed = set(_hits(scan, "month", own))
        for start, end, hit in scan.hits:
            if hit not in allowed:
                continue
            for position in (start - 1, start - 2, end, end + 1):
                if 0 <= position < len(scan.words):
                    number = _ORDINAL.match(scan.words[position])
                    if number:
                        return _in_span(int(number.group(1)), int(hit.value), today, span)
        slash = _SLASH_DATE.search(text)
        if slash:
            first, second = int(slash.group(1)), int(slash.group(2))
            # Month first only in English, the way U.S. staff write dates.
            month, day = (first, second) if language == "en" else (second, first)
            if slash.group(3):
                year = int(slash.group(3))
                return _safe_date(year + 2000 if year < 100 else year, month, day)
            found = _in_span(day, month, today, span)
            # "The 7.30 lobby call": a dotted pair outside the programme is a time of day.
            dotted = "." in slash.group(0)
            if found is None or not dotted or span[0] <= found <= span[1]:
                return found
        numbered = [_day_in_span(n, today, span) for n in self._days_of_month(scan.words)]
        if numbered:
            # "Landing on the 18th: what's the plan for the 19th?": a day of the programme.
            inside = [d for d in numbered if d is not None and span[0] <= d <= span[1]]
            return (inside or numbered)[0]
        if any(ch.isdigit() for ch in text) and not scan.of("intent"):
            # "Is the 7.30 lobby call the new time?": a guess outside the programme is a time.
            guess = _dateparser_fallback(text, language, today)
            return guess if guess and span[0] <= guess <= span[1] else None
        return None

    def _days_of_month(self, words: list[str]) -> list[int]:
        """The days of the month said without their month: "the 15th", "el 15", "15-го"."""
        found = []
        before, after = self.lexicons.day_markers
        for i, word in enumerate(words):
            suffixed = _SUFFIXED_DAY.match(word)
            # "The 7.30 lobby call" says a time: its minutes follow.
            timed = i + 1 < len(words) and len(words[i + 1]) == 2 and words[i + 1].isdigit()
            # "The 24 hour line" says how long, "the 1st one" which of several.
            timed = timed or (i + 1 < len(words) and words[i + 1] in self.lexicons.durations)
            bare = (
                word.isdigit()
                and len(word) <= 2
                and not timed
                and (
                    (i > 0 and words[i - 1] in before)
                    # "Na noite de 5": a marker of two words.
                    or (i > 1 and f"{words[i - 2]} {words[i - 1]}" in before)
                    or (i + 1 < len(words) and words[i + 1] in after)
                )
            )
            # "11е": a marker said after the number, typed onto it.
            glued = _GLUED_DAY.match(word)
            if suffixed is None and glued and glued.group(2) in after:
                suffixed = glued
            if suffixed is not None and timed:
                continue
            number = int(suffixed.group(1)) if suffixed else int(word) if bare else 0
            if 1 <= number <= 31:
                found.append(number)
        return found


def _uncode(scan: Scan, coded: AbstractSet[str]) -> None:
    """Read the programme's codes a scan took for date words ("SAT") as words of their own."""
    dates = [
        (start, end)
        for start, end, hit in scan.hits
        if hit.category in ("date", "weekday") and all(w in coded for w in scan.words[start:end])
    ]
    if not dates:
        return
    scan.hits = [h for h in scan.hits if (h[0], h[1]) not in dates]
    scan.free = sorted([*scan.free, *((start, scan.words[start]) for start, _ in dates)])


def _punctuated_after(text: str, count: int) -> bool:
    """Return whether the ``count``-th word of a text is followed by punctuation or an emoji."""
    seen = 0
    pieces = text.split()
    for n, piece in enumerate(pieces):
        seen += len(tokens(piece))
        if seen >= count:
            after = pieces[n + 1] if n + 1 < len(pieces) else ""
            # "morning :)" greets as surely as "morning!".
            return (
                bool(_PUNCTUATED.search(piece))
                or seen > count
                or (bool(after) and not tokens(after))
            )
    return False


def _hits(scan: Scan, category: str, own: tuple[str, ...]) -> list[Hit]:
    """Hits of a category in the message's language (or English), else in any language.

    Dates are read in the message's language first: "mar" or "sex" mean different
    things elsewhere.
    """
    return scan.of(category, own) or scan.of(category)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _in_span(day: int, month: int, today: date, span: tuple[date, date]) -> date | None:
    """Pick the year that puts a day and month inside the programme, else nearest to today."""
    candidates = [
        d
        for year in (today.year - 1, today.year, today.year + 1)
        if (d := _safe_date(year, month, day))
    ]
    if not candidates:
        return None
    inside = [d for d in candidates if span[0] <= d <= span[1]]
    return min(inside or candidates, key=lambda d: abs((d - today).days))


def _day_in_span(day: int, today: date, span: tuple[date, date]) -> date | None:
    """The date with that day number inside the programme nearest to today, else this month's."""
    months = {(today.year, today.month)}
    cursor = span[0].replace(day=1)
    while cursor <= span[1]:
        months.add((cursor.year, cursor.month))
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    candidates = [d for y, m in months if (d := _safe_date(y, m, day))]
    inside = [d for d in candidates if span[0] <= d <= span[1]]
    if not candidates:
        return None
    return min(inside or candidates, key=lambda d: abs((d - today).days))


def _dateparser_fallback(text: str, language: str, today: date) -> date | None:
    """Let dateparser try formats the rules do not know; it is slow, so it comes last."""
    try:
        import dateparser

        parsed = dateparser.parse(
            text,
            languages=[language],
            settings={
                "RELATIVE_BASE": datetime(today.year, today.month, today.day, 12),
                "PREFER_DATES_FROM": "future",
                "STRICT_PARSING": False,
            },
        )
    except Exception:  # dateparser raises many kinds on odd input; a miss is fine here
        return None
    return parsed.date() if parsed else None


@lru_cache(maxsize=4096)
def _words_of(term: str) -> tuple[str, ...]:
    """The words of a glossary term or language name (a few hundred, read in every message)."""
    return tuple(tokens(term))


def _offtopic_terms(scan: Scan) -> tuple[str, ...]:
    """The terms that words read as another topic also say ("биржа": the stock exchange)."""
    spans = {
        (start, end)
        for start, end, hit in scan.hits
        if hit.category == "intent" and hit.value == "offtopic"
    }
    return tuple(
        str(hit.value)
        for start, end, hit in scan.hits
        if hit.category == "term" and (start, end) in spans
    )


def _said(scan: Scan) -> tuple[str, ...]:
    """The words of a message in order, each term's span as its canonical words."""
    terms = {start: (end, hit) for start, end, hit in scan.hits if hit.category == "term"}
    out: list[str] = []
    i = 0
    while i < len(scan.words):
        if i in terms:
            end, hit = terms[i]
            out.extend(_words_of(str(hit.value)))
            i = max(end, i + 1)
        else:
            out.append(scan.words[i])
            i += 1
    return tuple(out)
