"""An in-memory, indexed snapshot of the programme that questions are answered from."""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from itertools import dropwhile, pairwise
from operator import itemgetter
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from babel import Locale
from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.assistant.clocks import Clock
from bot.assistant.lexicon import Lexicons
from bot.assistant.memo import kept
from bot.assistant.names import NameIndex, NameSkeletons
from bot.assistant.normalize import in_cyrillic, tokens
from bot.assistant.records import Contact, Event, Faq, Group, Leg, Place, Programme, R, record
from bot.store import models
from bot.store.models import Participant

_FUZZY_CUTOFF = 86
# Texts whose index words are kept, programme texts and message parts alike.
_INDEXED = 20_000
_FUZZY_MIN_LENGTH = 4
# How surely another form of a word said names an item ("pátios" for "pátio").
_OTHER_FORM = 0.9
T = TypeVar("T")


def text_in(texts: dict[str, str], language: str, default: str) -> str:
    """Return a translatable text in the reader's language, else the default, else any."""
    return texts.get(language) or texts.get(default) or next(iter(texts.values()), "")


# Where one sentence of an answer ends and the next begins.
# Not after an abbreviation such as "St." of St. Louis or "Dr." of a name, though a short
# word may end one ("In the Douglas Fir Room." is not "the Douglas Fir. Room").
SENTENCE_END = re.compile(
    r"(?<!\b(?:St|Dr|Mr|Ms|Mt|Ft|Jr|Sr|Lt|No|Nr|Co|Pt)\.)"
    r"(?<!\b(?:Mrs|Ave|Sgt|Col|Gen|Rev|Hon|Det|Gov|Sen|Rep|Maj|Inc|Ltd|Apt|Rte|Hwy)\.)"
    r"(?<!\b(?:Blvd|Capt|Prof|Supt|Insp|Dept|Bldg)\.)"
    r"(?<=[.!?؟。])\s+"
)
# A clock's abbreviation as written: "EST", "AKDT" (never the French "est").
_ZONE_WORD = re.compile(r"\b[A-Z]{3,5}\b")
# A clock time a piece of a list may open with ("08:30 CST in New Orleans").
_LEADING_TIME = re.compile(r"^\d{1,2}[:h.]\d{2}\s+")
# How an event's description says it was moved.
_MOVED = re.compile(r"\b(moved|rescheduled|postponed|brought forward)\b", re.IGNORECASE)
# Where a contact's role stops naming it and starts qualifying it: "Duty phone, day and night".
_ROLE_END = re.compile(r"[(,;:]")
# Words of a role that say whose or how senior, not what: "Group A", "lead".
_ROLE_QUALIFIERS = frozenset({"group", "groups", "lead", "senior", "chief", "deputy", "your"})
_QUARTER_HOUR = 15 * 60
# Days an event may have moved by and still be asked about on its old day.
_MOVED_WITHIN = 3
# Narrowed postings kept at most (words times groups).
# Terms naming a way of travelling or the programme, which an FAQ question may name as the
# setting of its topic ("Baggage on programme flights").
_SETTINGS = frozenset({"flight", "train", "bus", "programme", "group"})
_NARROWED = 50_000
# What an FAQ entry on the hotels' hours asks.
_CHECKING = frozenset({"checkin", "checkout"})
# Letters a name word has at least to be kept as typed, whatever script it might spell.
_NAME_LENGTH = 4
# A word of capitals in the programme's text: an acronym, three letters or more.
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{2,7}\b")
# Clauses of a list in a sentence ("Seattle A; Chicago B").
_CLAUSE_END = re.compile(r"(?<=[;؛])\s+")
# Commas, where a sentence may go on to another city's part; a state's code after one.
_COMMA = re.compile(r"(?<=[,،])\s+")
# A remark in brackets: "(Portland)", "(Dallas, 4th floor)".
_BRACKETED = re.compile(r"\([^)]*\)")
# A semicolon ending a clause, with the space French sets before it.
_CLAUSE_MARK = re.compile(r"[\s\u00a0\u202f]*[;؛]\s*$")
_STATE = re.compile(r"[A-Z]{2}\b")
# The most words a city's name has ("Salt Lake City").
_CITY_WORDS = 3
# A flight or train number: an airline's two-character code and up to four digits.
_JOURNEY_NUMBER = re.compile(r"\b([A-Z][A-Z0-9]|[0-9][A-Z]) ?(\d{1,4})\b")
# Numbers shown beside a journey in an agenda: the flight and its connection.
_NUMBERS_SHOWN = 2
# Glossary terms that make an event a step of a journey.
# How sure a word's reading as a title's or place's word is, short of its sound alone.
_SPELLED_THING = 0.9
# The longest a lobby call comes before the journey it gathers people for.
_CALL_LEAD = timedelta(hours=4)
_JOURNEY_TERMS = frozenset({"flight", "train", "station", "shuttle", "bus"})


# Kinds of event that are what a journey leads to, never the journey, whatever the title says.
_HELD_KINDS = frozenset({"meeting", "site-visit", "meal"})


def _journey_titled(lexicons: Lexicons, event: Event) -> bool:
    """Whether most of an event's titles name a way of travelling: "vols à main armée" (armed
    robbery) names no flight, as the other languages' titles show."""
    if event.kind in _HELD_KINDS:
        return False  # "Police Department - rail yard and cargo theft" is a meeting
    named = [bool(index_words(lexicons, title) & _JOURNEY_TERMS) for title in event.title.values()]
    return 2 * sum(named) >= len(named) > 0


def _calls_before(ordered: list[Event], travel: AbstractSet[str]) -> frozenset[str]:
    """Lobby calls: arrangements that end shortly before a journey of the same people on the
    same day ("Lobby call with luggage - Group B" at 12:15, the flight at 15:10)."""
    found = set()
    for n, event in enumerate(ordered):
        if event.kind != "logistics" or event.key in travel or event.status == "cancelled":
            continue
        day = event.start.astimezone(ZoneInfo(event.timezone)).date()
        for later in ordered[n + 1 :]:
            if later.start - event.end > _CALL_LEAD:
                break
            same_day = later.start.astimezone(ZoneInfo(later.timezone)).date() == day
            shared = not event.groups or not later.groups or set(event.groups) & set(later.groups)
            if later.key in travel and same_day and shared and later.start >= event.end:
                found.add(event.key)
                break
    return frozenset(found)


# Words (or glossary terms) of a description that says what to wear.
_CLOTHING = frozenset(
    {
        "attire",
        "dress",
        "dress code",
        "clothes",
        "clothing",
        "wear",
        "shoes",
        "boots",
        "jacket",
        "tie",
        "suit",
        "coat",
        "hat",
        "hats",
        "trousers",
        "skirt",
        "uniform",
    }
)


# The fewest consonants a word is matched by its sound in another script.
_SOUND_LETTERS = 4
# The fewest letters, vowels folded, a word with fewer consonants is matched by.
_LOOSE_LETTERS = 5
# The fewest letters of a short name's shape (consonants and vowel runs: "rala").
_SHAPE_LETTERS = 4


class EntityIndex:
    """Inverted index of items by normalised words, weighted by rarity, with typo tolerance."""

    def __init__(
        self,
        documents: dict[str, set[str]],
        skeletons: NameSkeletons | None = None,
        variants: Callable[[str], Iterable[str]] = lambda word: (),
        common: Callable[[str], bool] = lambda word: False,
        initials: AbstractSet[str] = frozenset(),
        shapes: bool = False,
    ) -> None:
        postings = _postings(documents.items())
        total = max(len(documents), 1)
        self.postings = dict(postings)
        # Each item's place in key order: ties sort by it, as integers, not by comparing keys.
        self._order = {item: i for i, item in enumerate(sorted(documents))}
        self.idf = {w: math.log(1 + total / len(items)) for w, items in postings.items()}
        # Initials ("ARTCC") match as spelled: no typo or sound of another word reads as them.
        self.vocabulary = [w for w in postings if w not in initials]
        self._fuzzy: dict[str, tuple[str, float] | None] = {}
        # Latin words by their sound, for the same name written in Arabic or Cyrillic letters
        # ("كارتر" is "Carter"); a sound two words share stands for neither.
        self.skeletons = skeletons
        # Other spellings of a word in another script ("لشارلستون" without its "to").
        self.variants = variants
        # Everyday words ("prêts", "знаете") match exactly or not at all: no typo or sound
        # of a title is read into them.
        self.common = common
        self._sounds, self._loosely, self._shapes = self._by_sound(skeletons, shapes)
        # Items by the stems of their words in other scripts, for another case of the same
        # word ("патруле" finds "патруль", "морскому" both "морского" and "морском").
        stemmed: dict[str, set[str]] = defaultdict(set)
        by_stem: dict[str, set[str]] = defaultdict(set)
        for word in self.vocabulary:
            if not word.isascii():
                for stem in variants(word):
                    by_stem[stem].update(postings[word])
                    if stem not in postings:
                        stemmed[stem].update(postings[word])
        self._by_stem = dict(by_stem)
        self._stemmed = dict(stemmed)
        self._forms: dict[str, frozenset[str]] = {}
        self._narrowed: dict[tuple[int, frozenset[str] | None], frozenset[str]] = {}
        self._ordered: dict[tuple[int, frozenset[str] | None], list[str]] = {}
        self.idf.update({w: math.log(1 + total / len(items)) for w, items in stemmed.items()})

    def _by_sound(
        self, skeletons: NameSkeletons | None, shapes: bool
    ) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
        """Latin words by their sound, their loose spelling and (with ``shapes``) their shape;
        a key two words share stands for neither."""
        sounds: dict[str, set[str]] = defaultdict(set)
        # A name of vowels and glides ("Loyola", "لويولا") has too few consonants to sound
        # alike by: it is read by its whole spelling, vowels folded.
        loosely: dict[str, set[str]] = defaultdict(set)
        # Short names (a city's "Raleigh", Роли) by consonants and vowel runs.
        shaped: dict[str, set[str]] = defaultdict(set)
        for word in self.vocabulary if skeletons is not None else ():
            if not word.isascii():
                continue
            if len(sound := skeletons.of(word)) >= _SOUND_LETTERS:
                sounds[sound].add(word)
            elif len(loose := skeletons.loose(word)) >= _LOOSE_LETTERS:
                loosely[loose].add(word)
            if shapes and len(shape := skeletons.shape(word)) >= _SHAPE_LETTERS:
                shaped[shape].add(word)
        return tuple(  # type: ignore[return-value]
            {key: next(iter(w)) for key, w in found.items() if len(w) == 1}
            for found in (sounds, loosely, shaped)
        )

    def resolve(self, word: str) -> tuple[str, float] | None:
        """Return the indexed word a query word stands for and how sure that is."""
        if word in self.postings:
            return word, 1.0
        if word in self._fuzzy:
            return self._fuzzy[word]
        if self.common(word):
            # Only its plural or singular ("hour", "hours"): -s in most languages here.
            other = word[:-1] if word.endswith("s") else word + "s"
            return (other, 0.9) if other in self.postings else None
        if len(self._fuzzy) > 50_000:
            self._fuzzy.clear()  # a bound: typos are endless, the vocabulary is not
        self._fuzzy[word] = found = self._closest(word)
        return found

    def _closest(self, word: str) -> tuple[str, float] | None:
        """The indexed word nearest a typo, or sounding alike in another script."""
        if not word.isascii():
            spellings = (word, *self.variants(word))
            for spelling in spellings:
                if spelling in self.postings or spelling in self._stemmed:
                    return spelling, 0.9
            for spelling in spellings if self.skeletons is not None else ():
                same = self._sounds.get(self.skeletons.of(spelling))  # type: ignore[union-attr]
                if same:
                    return same, 0.8
            for spelling in spellings if self._loosely else ():
                same = self._loosely.get(self.skeletons.loose(spelling))  # type: ignore[union-attr]
                if same:
                    return same, 0.8
            for spelling in spellings if self._shapes else ():
                same = self._shapes.get(self.skeletons.shape(spelling))  # type: ignore[union-attr]
                if same:
                    return same, 0.8
            return None
        if len(word) < _FUZZY_MIN_LENGTH or not self.vocabulary:
            return None
        match = process.extractOne(
            word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF
        )
        # A letter more than a short word is another word ("carne" is no "care").
        if match and len(word) > len(match[0]) <= _FUZZY_MIN_LENGTH:
            return None
        return (match[0], match[1] / 100 * 0.8) if match else None

    def search(
        self,
        words: Iterable[str],
        allowed: frozenset[str] | None = None,
        *,
        floor: float = 0.0,
        share: float = 0.0,
    ) -> list[tuple[str, float]]:
        """Return (item, score) pairs, best first; a score is the summed rarity of matched words.

        Items scoring below both ``floor`` and ``share`` of the best are left out.
        """
        matched = self._matched(words)
        if not matched:
            return []
        # The word on most items ("meeting") is on hundreds; the rarer ones name the few
        # items that can rank. Those are scored first, each summing its words in the same
        # order (the common word first), so that equal matches tie exactly.
        matched.sort(key=lambda pair: len(pair[1]), reverse=True)
        common, items = matched[0]
        rare = matched[1:]
        if not rare:
            # One word: its items, equal, in key order.
            return [(item, common) for item in self._in_order(items, allowed)]
        candidates: set[str] = set()
        for _, found in rare:
            candidates.update(self._narrow(found, allowed))
        scores: dict[str, float] = {}
        for item in candidates:
            score = common if item in items else 0.0
            for weight, found in rare:
                if item in found:
                    score += weight
            scores[item] = score
        best = max(scores.values(), default=0.0)
        alone: AbstractSet[str] | None = None
        if common > best:
            # Items with the common word alone would be the best, if there are any.
            alone = self._narrow(items, allowed) - candidates
            best = common if alone else best
        # "The meeting with the FBI": every event is a meeting; only the FBI's are ranked.
        bound = min(floor, best * share) if floor or share else 0.0
        if common >= bound:
            if alone is None:
                alone = self._narrow(items, allowed) - candidates
            scores.update(dict.fromkeys(alone, common))
        if bound:
            scores = {item: score for item, score in scores.items() if score >= bound}
        # Ties go by key, so that an answer never depends on the order of a set: sorted by
        # key, then (a stable sort) by score.
        ranked = [(item, scores[item]) for item in sorted(scores, key=self._order.__getitem__)]
        ranked.sort(key=itemgetter(1), reverse=True)
        return ranked

    def _matched(self, words: Iterable[str]) -> list[tuple[float, AbstractSet[str]]]:
        """Each word's weight and items, for the words the index knows."""
        matched: list[tuple[float, AbstractSet[str]]] = []
        for word in sorted(set(words)):
            resolved = self.resolve(word)
            if resolved is None:
                continue
            indexed, certainty = resolved
            found = self.postings.get(indexed) or self._stemmed[indexed]
            matched.append((self.idf[indexed] * certainty, found))
            # Another form of the word ("ferroviários", "инженерные") names its items too,
            # a little less surely than the form said.
            others = self._other_forms(indexed)
            if others:
                matched.append((self.idf[indexed] * certainty * _OTHER_FORM, others))
        return matched

    def _other_forms(self, word: str) -> frozenset[str]:
        """Items with another form of an indexed word, not with the word itself: its plural or
        singular, or in other scripts another word of its stem."""
        if word in self._forms:
            return self._forms[word]
        found: set[str] = set()
        if word.isascii():
            for other in (word + "s", word[:-1] if word.endswith("s") else ""):
                if len(other) > _FUZZY_MIN_LENGTH:
                    found.update(self.postings.get(other, ()))
        else:
            for stem in (word, *self.variants(word)):
                found.update(self._by_stem.get(stem, ()))
        own = self.postings.get(word) or self._stemmed.get(word, set())
        self._forms[word] = forms = frozenset(found - own)
        return forms

    def _narrow(self, items: AbstractSet[str], allowed: frozenset[str] | None) -> AbstractSet[str]:
        """The items one may see: a group's share of a word's items, kept once computed."""
        if allowed is None:
            return items
        # A frozenset keeps its hash: the key costs a lookup, the intersection hundreds.
        return kept(
            self._narrowed, (id(items), allowed), lambda: frozenset(items & allowed), _NARROWED
        )

    def _in_order(self, items: AbstractSet[str], allowed: frozenset[str] | None) -> list[str]:
        """The items one may see in key order, kept once sorted."""
        return kept(
            self._ordered,
            (id(items), allowed),
            lambda: sorted(self._narrow(items, allowed), key=self._order.__getitem__),
            _NARROWED,
        )


def _rejoined(
    clauses: list[str], keep: list[bool], unjoined: Callable[[str], str] = str
) -> list[str]:
    """Some clauses of a sentence as one: its label ("Wi-Fi: ") kept, its end restored;
    ``unjoined`` takes what joined a later clause to the one before ("and") off its start."""
    pieces: list[str] = []
    for clause, wanted in zip(clauses, keep, strict=True):
        if wanted:
            pieces.append(clause)
        elif (
            pieces and (mark := _CLAUSE_MARK.search(clause)) and not _CLAUSE_MARK.search(pieces[-1])
        ):
            # "Denver MST and Anchorage AKST; Washington ..." keeps the semicolon after "MST".
            pieces[-1] = pieces[-1].rstrip() + mark.group()
    text = " ".join(pieces)
    label, colon, _ = clauses[0].partition(": ")
    if not keep[0]:
        text = unjoined(text)
        # The sentence now starts with what was a later clause.
        text = f"{label}: {text}" if colon else text[:1].upper() + text[1:]
    if not keep[-1]:
        end = clauses[-1][-1:]
        # French sets a space before a semicolon: "à pièces ;" ends "à pièces.".
        text = text.rstrip(",،;؛ \u00a0\u202f") + (end if end in ".!?؟。" else "")
    return [text]


def index_words(lexicons: Lexicons, *texts: str | None, bare: bool = False) -> set[str]:
    """Return the words an item is found by: its own words plus canonical glossary terms
    (and, when ``bare``, its words without an attached prefix)."""
    key = (texts, bare)
    return set(kept(lexicons.indexed, key, lambda: _index_words(lexicons, texts, bare), _INDEXED))


def _index_words(lexicons: Lexicons, texts: tuple[str | None, ...], bare: bool) -> frozenset[str]:
    """The words of ``index_words``, computed."""
    found: set[str] = set()
    for text in texts:
        if not text:
            continue
        words = tokens(text)
        scan = lexicons.scan(words)
        found.update(w for w in words if w not in lexicons.stopwords)
        if bare:
            # "والطعام" in an FAQ question is found by "الطعام" too.
            found.update(b for w in words if not w.isascii() for b in lexicons.bare(w))
        for _, _, hit in scan.hits:
            if hit.category == "term":
                found.update(tokens(str(hit.value)))
            elif hit.category == "language":
                found.update(tokens(english_name(str(hit.value))))
    return frozenset(found)


def acronyms(lexicons: Lexicons, *texts: str | None) -> set[str]:
    """Initials of long names, as people write them ("BCA", "UNODC")."""
    found = set()
    for text in texts:
        words = [w for w in tokens(text or "") if w not in lexicons.stopwords and w.isalpha()]
        if len(words) >= 3:
            found.add("".join(w[0] for w in words))
        # A name inside a longer title: "MLK" of "Martin Luther King Jr. Day of Service", and,
        # without the city it opens with, "ARTCC" of "Denver Air Route Traffic Control Center".
        for run in _CAPITALISED_RUN.findall(text or ""):
            initials = "".join(w[0] for w in tokens(run) if w.isalpha())
            if len(initials) >= _INITIALS:
                found.add(initials)
            found.update(initials[i:] for i in range(1, len(initials) - _TRIMMED_INITIALS + 1))
    return found


def _only(initials: dict[str, set[str]], words: dict[str, set[str]]) -> frozenset[str]:
    """The initials that are no word of any item's own ("ARTCC", not "ICE")."""
    spelled = {w for found in words.values() for w in found}
    return frozenset(w for found in initials.values() for w in found if w not in spelled)


def _paired_names(skeletons: NameSkeletons, texts: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Pairs of Latin words in names by the sound of the two together, where only one pair
    has it ("Red Rocks": r-t-r-k-s)."""
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for text in texts:
        # Capitalised words of a name, not the words of a title around it ("and transfer").
        for first, second in pairwise(_NAME_WORD.findall(text)):
            pair = (first.lower(), second.lower())
            if first and second and pair[0].isascii() and pair[1].isascii():
                sound = skeletons.of("".join(pair))
                if len(sound) >= _PAIR_SOUND:
                    found[sound].add(pair)
    return {sound: next(iter(pairs)) for sound, pairs in found.items() if len(pairs) == 1}


def _postings(documents: Iterable[tuple[str, set[str]]]) -> dict[str, set[str]]:
    """The keys of the documents each word is in."""
    found: dict[str, set[str]] = defaultdict(set)
    for key, words in documents:
        for word in words:
            found[word].add(key)
    return found


def taken_words(*indexes: EntityIndex) -> frozenset[str]:
    """Every word that names an event, place, contact or city."""
    return frozenset(w for index in indexes for w in index.postings)


def english_name(code: str) -> str:
    """Return a language's English name in lower case, as roles use it ('French interpreter')."""
    return (Locale.parse(code).get_display_name("en") or code).lower()


@dataclass(frozen=True)
class Snapshot:
    """The store's programme at one revision."""

    programme: Programme
    groups: dict[str, Group]
    places: dict[str, Place]
    legs: list[Leg]
    contacts: list[Contact]
    events: list[Event]
    faq: list[Faq]
    aliases: dict[tuple[str, str], list[str]]
    # Roster names by key: only to recognise when someone asks about another participant.
    people: dict[str, str] = field(default_factory=dict)


def _memo(
    table: dict[tuple[str | None, date], T],
    group: str | None,
    day: date,
    compute: Callable[[str | None, date], T],
) -> T:
    """A value by group and day, computed once: the snapshot never changes."""
    key = (group, day)
    if key not in table:
        table[key] = compute(group, day)
    return table[key]


# A word of a text, captured when it is capitalised, else an empty match that breaks a pair.
_NAME_WORD = re.compile(r"\b([A-Z][a-z]+)\b|\S+")
# The fewest consonants two words of a name spelled together in another script must sound.
_PAIR_SOUND = 5
# The fewest initials of a name inside a title that are taken for it; of its end, once
# the words it opens with are left out (shorter ones would name too many things).
_INITIALS = 3
_TRIMMED_INITIALS = 4
# Capitalised words in a row, none an abbreviation ("Jr.").
_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+(?!\.))+\b(?!\.)")
# A clock time written in a description ("08:20", "8h20").
_CLOCK = re.compile(r"(?<![\d:])([01]?\d|2[0-3])[:h]([0-5]\d)(?![\d:])")
# How long before an event a time in its description can be the call to leave for it.
_CALL_AHEAD = 180


class Knowledge:
    """A snapshot plus the indexes and day tables the assistant looks things up in."""

    def __init__(self, snapshot: Snapshot, lexicons: Lexicons) -> None:
        self.snapshot = snapshot
        self._lexicons = lexicons
        sounds = NameSkeletons(lexicons.name_letters, lexicons.name_endings)
        self.programme = snapshot.programme
        self.places = snapshot.places
        self.contacts = {c.key: c for c in snapshot.contacts}
        self.events = {e.key: e for e in snapshot.events}
        self.faq = {f.key: f for f in snapshot.faq}
        self.ordered = sorted(snapshot.events, key=lambda e: (e.start, e.position))
        # Steps of a journey: travel itself, and what a title says leads to it ("lobby
        # departure to the airport", "bus to the Amtrak station").
        travel = frozenset(
            e.key for e in snapshot.events if e.kind == "travel" or _journey_titled(lexicons, e)
        )
        self.journeys = travel | _calls_before(self.ordered, travel)
        # Gatherings in the lobby for anything, a visit as well as a flight ("Lobby call for
        # Space Center Houston", "Encuentro en el vestíbulo").
        self.gatherings = frozenset(
            e.key
            for e in snapshot.events
            if e.key not in travel and "lobby" in index_words(lexicons, *e.title.values())
        )
        # Events whose description sets a meeting in the lobby ("Meet in the hotel lobby at
        # 10:40"): lobby calls too.
        self.called = frozenset(
            e.key
            for e in snapshot.events
            if e.key not in travel and "lobby" in index_words(lexicons, *e.description.values())
        )
        # Events by the words of their descriptions ("badges at the hospitality desk"), for
        # what only a description says.
        self.described: dict[str, frozenset[str]] = {
            word: frozenset(keys)
            for word, keys in _postings(
                (e.key, index_words(lexicons, *e.description.values())) for e in snapshot.events
            ).items()
        }
        self._starts = [e.start for e in self.ordered]
        self.by_day: dict[date, list[Event]] = defaultdict(list)
        # The same, with each key beside its event: a day's filter reads no attribute.
        self._keyed_days: dict[date, list[tuple[str, Event]]] = defaultdict(list)
        for event in self.ordered:
            day = event.start.astimezone(ZoneInfo(event.timezone)).date()
            self.by_day[day].append(event)
            self._keyed_days[day].append((event.key, event))
        # Events held in a zone where nobody sleeps (a call with Vienna or Singapore) fall on
        # the reader's own date, which may be the day before or after theirs.
        slept = {self.programme.timezone} | {
            self.places[leg.hotel_key].timezone
            for leg in snapshot.legs
            if leg.hotel_key in self.places
        }
        self._far = frozenset(e.key for e in snapshot.events if e.timezone not in slept)
        self._far_days: dict[date, list[tuple[str, Event]]] = defaultdict(list)
        for event in self.ordered:
            if event.key in self._far:
                day = event.start.astimezone(ZoneInfo(event.timezone)).date()
                for offset in (-1, 0, 1):
                    self._far_days[day + timedelta(days=offset)].append((event.key, event))
        self._reader_days: dict[tuple[str, str | None], tuple[date, str]] = {}
        self._local_days: dict[tuple[str | None, int], tuple[date, str]] = {}
        # Event keys per group: the audience test becomes a set lookup.
        everyone = frozenset(e.key for e in snapshot.events if not e.groups)
        self._audience: dict[str | None, frozenset[str]] = {None: everyone}
        for group in snapshot.groups:
            self._audience[group] = everyone | {e.key for e in snapshot.events if group in e.groups}
        aliases = snapshot.aliases

        def place_texts(place: Place | None) -> list[str | None]:
            if place is None:
                return []
            return [place.name, place.city, *aliases.get(("place", place.key), [])]

        event_words = {
            e.key: index_words(
                lexicons,
                *e.title.values(),
                e.kind,
                *aliases.get(("event", e.key), []),
                *place_texts(self.places.get(e.place_key or "")),
            )
            for e in snapshot.events
        }
        event_initials = {
            e.key: acronyms(lexicons, *e.title.values(), *place_texts(self.places.get(e.place_key)))
            for e in snapshot.events
        }
        self.event_index = EntityIndex(
            {key: words | event_initials[key] for key, words in event_words.items()},
            sounds,
            lexicons.stems,
            lexicons.is_everyday,
            _only(event_initials, event_words),
        )
        place_words = {
            p.key: index_words(lexicons, *place_texts(p), p.kind) for p in self.places.values()
        }
        place_initials = {p.key: acronyms(lexicons, p.name) for p in self.places.values()}
        # Two short words of a name, spelled together in another script ("ريد روكس").
        self._skeletons = sounds
        self._pairs = _paired_names(
            sounds,
            [
                *(t for e in snapshot.events for t in e.title.values()),
                *(p.name for p in self.places.values()),
                *(a for (kind, _), texts in aliases.items() if kind != "contact" for a in texts),
            ],
        )
        self.place_index = EntityIndex(
            {key: words | place_initials[key] for key, words in place_words.items()},
            sounds,
            lexicons.stems,
            lexicons.is_everyday,
            _only(place_initials, place_words),
        )
        self.contact_index = EntityIndex(
            {
                c.key: index_words(
                    lexicons,
                    c.name,
                    *c.role.values(),
                    c.kind,
                    *aliases.get(("contact", c.key), []),
                )
                for c in snapshot.contacts
            },
            sounds,
            lexicons.stems,
            lexicons.is_everyday,
        )
        # The names a contact goes by (its name and each alias), not what its role says of it.
        self.contact_own_names = {
            c.key: [
                frozenset(index_words(lexicons, name))
                for name in (c.name, *aliases.get(("contact", c.key), []))
            ]
            for c in snapshot.contacts
        }
        self.faq_index = EntityIndex(
            {f.key: index_words(lexicons, *f.question.values(), bare=True) for f in snapshot.faq}
        )
        # Answers name what questions leave out ("the Wi-Fi password" answers with the network).
        self.faq_answers = EntityIndex(
            {f.key: index_words(lexicons, *f.answer.values()) for f in snapshot.faq}
        )
        # Legs by the words of their city ("new york"), for "the hotel in New York".
        self.city_index = EntityIndex(
            {str(n): index_words(lexicons, leg.city) for n, leg in enumerate(snapshot.legs)},
            sounds,
            lexicons.stems,
            lexicons.is_everyday,
            shapes=True,
        )
        self._things = taken_words(
            self.event_index, self.place_index, self.contact_index, self.city_index
        )
        # Words of what is held, not of free time ("free afternoon: pack your bags").
        self._held_words = frozenset(
            word
            for word, keys in self.event_index.postings.items()
            if any(self.events[key].kind != "free" for key in keys if key in self.events)
        )
        self.people = self._people(snapshot.people, lexicons)
        self._clocks = lexicons.clocks
        self.names = NameIndex(
            sounds,
            {key: tokens(name) for key, name in snapshot.people.items()},
            lexicons.stems,
        )
        # Contacts by name too, so that "يوسف المترجم" picks Youssef among the interpreters.
        self.contact_name_words = frozenset(w for c in snapshot.contacts for w in tokens(c.name))
        # Events whose description says what to wear ("Jacket and tie in the courtroom").
        self.dressed = frozenset(
            e.key
            for e in snapshot.events
            if index_words(lexicons, *e.description.values()) & _CLOTHING
        )
        # People's names in Latin letters, long enough not to be a function word ("ana"): a
        # message naming "Amira" or "Ferreira" is not Arabic typed in Latin letters.
        self.latin_names = frozenset(
            w
            for w in (*self.people, *self.contact_name_words)
            if w.isascii() and w.isalpha() and len(w) >= _NAME_LENGTH
            if (w,) not in lexicons.table
        )
        # "el NOAA" in a message typed in Latin letters keeps the name, not Arabic read from
        # its letters.
        self.acronyms = frozenset(
            w
            for w in _acronyms(
                *(t for e in snapshot.events for t in e.title.values()),
                *(p.name for p in snapshot.places.values()),
                *(a for texts in snapshot.aliases.values() for a in texts),
            )
            if (w,) not in lexicons.table
        )
        # Every word of the programme's events, places, cities and people: none is a slip in
        # typing a date ("Augusta" is no "August").
        self.vocabulary = frozenset(
            (
                *self.event_index.postings,
                *self.place_index.postings,
                *self.city_index.postings,
                *self.people,
                *self.contact_name_words,
            )
        )
        self.contact_names = NameIndex(
            sounds, {c.key: tokens(c.name) for c in snapshot.contacts}, lexicons.stems
        )
        # Legs, zones and events by group and day, filled as asked: the snapshot never changes.
        self._legs_on: dict[tuple[str | None, date], Leg | None] = {}
        self._zones_on: dict[tuple[str | None, date], str] = {}
        self._morning_zones: dict[tuple[str | None, date], str] = {}
        self._arrivals: dict[tuple[str, str | None], str | None] = {}
        self._calls: dict[tuple[str, str], str | None] = {}
        self._named_contacts: dict[str, list[Contact]] = {}
        self._day_events: dict[tuple[str | None, date], list[Event]] = {}
        self._noted: dict[str, set[str]] = {}
        self._clocks_said: dict[tuple[str, ...], tuple[Clock, ...]] = {}
        self._timed: dict[str, tuple[tuple[str, tuple[int, ...]], ...]] = {}
        # What names each leg in a sentence, for FAQ answers that go city by city.
        self._leg_words = self._leg_names()
        # The legs each contact's role names by city ("Coach company in Seattle and Miami").
        self.role_legs = {
            c.key: frozenset(self._legs_named(" ".join(c.role.values()))) for c in snapshot.contacts
        }
        # "..., Group B in Spokane", "..., grupo B en Spokane": a comma before a word and the
        # part of a group's name that tells it from the others starts another group's clause.
        marks = [set(g.name.split("(")[0].split()) for g in snapshot.groups.values()]
        shared = set.intersection(*marks) if marks else set()
        own = sorted({re.escape(w) for m in marks for w in m - shared}, key=len, reverse=True)
        either = "|".join(own)
        self._group_list = (
            re.compile(r"(?<=[,،])\s+(?=[^\W\d_]+\s+(?:" + either + r")\b)")
            if len(marks) > 1 and own
            else None
        )
        self._group_marks = (
            re.compile(r"(?:^|[,:;،؛]\s+)[^\W\d_]+\s+(" + either + r")\b")
            if self._group_list
            else None
        )
        # Each city's own name, without its qualifier: "Los Angeles (San Pedro)" is named by
        # "Los Angeles".
        self._city_cores = {
            leg: frozenset(index_words(lexicons, re.sub(r"\([^)]*\)", " ", leg.city.split(",")[0])))
            for leg in snapshot.legs
        }
        # The first word of each city's name, and the last of a longer one that no lexicon has.
        names = [tokens(leg.city.split(",")[0]) for leg in snapshot.legs]
        self._city_ends = (
            frozenset(n[0] for n in names if n),
            frozenset(n[-1] for n in names if len(n) > 1 and (n[-1],) not in lexicons.table),
        )
        # "And" before a word: "Denver MST and Anchorage AKST" may be two cities' parts.
        apart = "|".join(re.escape(c) for c in sorted(lexicons.conjunctions, key=len, reverse=True))
        joined = "".join(re.escape(c) for c in sorted(lexicons.joined_conjunctions))
        self._and = re.compile(
            "|".join(
                ([rf"\s+(?=(?:{apart})\s)"] if apart else [])
                + ([rf"\s+(?=[{joined}]\w)"] if joined else [])
            )
            or r"(?!)"
        )
        self._joined_and = re.compile(rf"^[{joined}](?=\w)") if joined else None
        self._faq_legs: dict[str, set[Leg]] = {}
        self._faq_intents: dict[str, frozenset[str]] = {}
        self._faq_cities: dict[str, set[Leg]] = {}
        self._faq_contacts: dict[str, list[Contact]] = {}
        self._faq_words: dict[tuple[str, str], set[str]] = {}
        self._faq_terms: dict[tuple[str, str], frozenset[str]] = {}

    def _people(self, people: dict[str, str], lexicons: Lexicons) -> dict[str, set[str]]:
        """Participants by their distinctive name words: none that also name a thing or a word."""
        taken = self._things
        found: dict[str, set[str]] = defaultdict(set)
        for key, name in people.items():
            for w in tokens(name):
                common = w in taken or w in lexicons.stopwords or (w,) in lexicons.table
                if len(w) >= 3 and not common:
                    found[w].add(key)
        return dict(found)

    def named_people(
        self, words: Iterable[str], asker: str | None, unknown: Iterable[str] = ()
    ) -> list[str]:
        """Return the keys of other participants a message names, in any script."""
        words = tuple(words)
        hits = [(w, key) for w in words for key in self.people.get(w, ())]
        # "Back in Lima now": one word of a name that is also a city or country of the world
        # is the place, unless another word of the same name is said with it.
        said = Counter(key for _, key in hits)
        named = {key for w, key in hits if said[key] > 1 or not self.clocks_named((w,))}
        # Unknown words may spell a name in another script ("Мария Сантос").
        # A word that sounds like a title's or a place's ("каналу", the Canal Walk) is that.
        spelled = [
            w
            for w in unknown
            if w not in self._things
            and not self._sounds_like_thing(w)
            and not self._lexicons.is_plural(w)
        ]
        named |= self.names.named(spelled)
        # A whole name spelled in two words ("جيورجي بيريدزه") is a name, whatever a word of
        # it sounds like.
        named |= self.names.spelled_whole([w for w in unknown if w not in self._things])
        return sorted(named - {asker})

    def spelled_pairs(self, words: Sequence[str]) -> list[tuple[int, tuple[str, str]]]:
        """Where two words in another script spell two words of a name together ("ريد روكس"
        is Red Rocks), by the position of the first."""
        return [
            (i, pair)
            for i, (a, b) in enumerate(pairwise(words))
            if not a.isascii()
            and not b.isascii()
            and (pair := self._pairs.get(self._skeletons.of(a + b))) is not None
        ]

    def _sounds_like_thing(self, word: str) -> bool:
        """Whether a word in another script is an event's, place's or city's word."""
        if word.isascii():
            return False
        found = [
            hit
            for index in (self.event_index, self.place_index, self.city_index)
            if (hit := index.resolve(word)) is not None
        ]
        # Heard only by its sound ("беридзе" and "partidas" both fold to b-r-t-s): a
        # participant's name it spells more closely is what it is (Beridze). Only Cyrillic
        # writes every vowel, so only there is spelling a fair judge.
        sure = any(score >= _SPELLED_THING for _, score in found)
        if not found or sure or not in_cyrillic(word):
            return bool(found)
        latin = self.names.skeletons.latin(word)
        spellings = self.names.spellings
        name = max(
            (
                fuzz.ratio(latin, spelled)
                for sound in self.names.sounds(word)
                if sound in spellings
                for words in spellings[sound].values()
                for spelled in words
            ),
            default=0.0,
        )
        return name <= max(fuzz.ratio(latin, thing) for thing, _ in found)

    def legs_in(
        self, words: Iterable[str], group: str | None, *, others: bool = False
    ) -> list[Leg]:
        """Return the group's legs in a city the words name, in date order (with ``others``,
        the other groups' legs there instead)."""
        legs = self.snapshot.legs
        words = set(words)
        found = self.city_index.search(words)
        top = found[0][1] if found else 0.0
        # "Between El Paso and Washington": every city named, not only the best match; of
        # cities named whole, only those ("San Antonio" is not San Diego).
        hits = [legs[int(n)] for n, score in found if score >= max(1.0, top * 0.3)]
        whole = [leg for leg in hits if (own := self._city_cores[leg]) and own <= words]
        hits = whole or hits
        mine = [
            leg for leg in hits if (not leg.groups or (group and group in leg.groups)) != others
        ]
        return sorted(mine, key=lambda leg: leg.date_from)

    @cached_property
    def _hotel_words(self) -> frozenset[str]:
        """Every word of the programme's hotels' names."""
        return frozenset(
            w
            for leg in self.snapshot.legs
            if leg.hotel_key in self.places
            for w in tokens(self.places[leg.hotel_key].name)
        )

    @cached_property
    def dress_faq(self) -> list[str]:
        """The FAQ entries whose question is about clothes in some language ("Dress code",
        "Cold weather and warm clothes")."""
        return [
            key
            for key, entry in self.faq.items()
            if any(
                hit.value in ("dress", "dress code")
                for text in entry.question.values()
                for _, _, hit in self._lexicons.scan(tokens(text)).hits
            )
        ]

    def faq_topics(self, terms: Iterable[str], *, titles: bool = False) -> set[str]:
        """The FAQ entries whose question names a recognised term that no city uses, nor any
        event title unless ``titles`` ("per diem", "laundry")."""
        found: set[str] = set()
        postings = self.faq_index.postings
        events = frozenset() if titles else self._held_words
        for term in terms:
            words = term.split()
            if not all(w in postings for w in words):
                continue
            # "Currency exchange" is not named by the "Exchange Program office" alone.
            if all(w in events for w in words) or any(w in self.city_index.postings for w in words):
                continue
            found.update(set.intersection(*(postings[w] for w in words)))
        return found

    def titled_keys(self, words: Iterable[str]) -> set[str]:
        """The keys of the events any of the words (or one without its attached prefix) is
        found in the title, aliases or place of."""
        postings = self.event_index.postings
        return set().union(
            *(postings.get(x, ()) for w in words for x in (w, *self._lexicons.bare(w)))
        )

    def titled_by(self, event: Event, words: Iterable[str]) -> bool:
        """Whether any of the words (or one without its attached prefix) is found in an
        event's title, aliases or place."""
        postings = self.event_index.postings
        return any(
            event.key in postings.get(x, ()) for w in words for x in (w, *self._lexicons.bare(w))
        )

    def moved_from(self, event: Event, day: date) -> bool:
        """Whether an event held a day or three from another says that day in its description
        ("MOVED from Thursday 15 March"): asked on that day, it is still the one meant."""
        held = event.start.astimezone(ZoneInfo(event.timezone)).date()
        if not event.description or not 0 < abs((held - day).days) <= _MOVED_WITHIN:
            return False
        text = text_in(event.description, "en", self.programme.default_language)
        # The day's number beside its month or weekday ("Thursday 15 March", "March 15th"),
        # never a clock time ("19:10").
        names = f"(?:{day.strftime('%A')}|{day.strftime('%B')})"
        number = rf"(?<![\d:]){day.day}(?:st|nd|rd|th)?(?![\d:])"
        said = rf"{names}\W{{1,3}}{number}|{number}\W{{1,3}}(?:of\W)?{names}"
        return re.search(said, text) is not None

    @property
    def lexicons(self) -> Lexicons:
        """The phrase tables messages are read with."""
        return self._lexicons

    def was_moved(self, event: Event) -> bool:
        """Whether an event's description says it was moved ("MOVED from Tuesday")."""
        text = text_in(event.description or {}, "en", self.programme.default_language)
        return _MOVED.search(text) is not None

    def contacts_in(self, event: Event) -> list[Contact]:
        """The contacts an event's description names in full ("Kendra Larsen meets the group at
        baggage claim")."""
        return kept(self._named_contacts, event.key, lambda: self._contacts_in(event), _NARROWED)

    def _contacts_in(self, event: Event) -> list[Contact]:
        said = {w for text in (event.description or {}).values() for w in tokens(text)}
        return [
            c
            for c in self.contacts.values()
            if c.kind != "emergency" and (named := tokens(c.name)) and said.issuperset(named)
        ]

    def notes_name(self, event: Event, term: str) -> bool:
        """Whether an event's description or its place's notes name a term ("passcode")."""
        return self._names(event.key, term, event.description or {}, event.place_key)

    def hotel_notes_name(self, leg: Leg, term: str) -> bool:
        """Whether a leg's hotel's notes name a term ("wifi", "password")."""
        return self._names(f"hotel:{leg.hotel_key}", term, {}, leg.hotel_key)

    def hotel_lines(self, leg: Leg, key: str, language: str, asked: AbstractSet[str]) -> list[str]:
        """The sentences of a leg's hotel's notes on what both a message and an FAQ entry's
        question name ("Laundry": "Free self-service laundry on the 2nd floor.")."""
        place = self.places.get(leg.hotel_key or "")
        if place is None or not place.notes:
            return []
        terms = [
            t
            for t in self._question_terms(key, language) & asked
            if not any(w in self.city_index.postings for w in t.split())
        ]
        if not terms:
            return []
        text = text_in(place.notes, language, self.programme.default_language)
        return [
            sentence
            for sentence in SENTENCE_END.split(text)
            if any(set(t.split()) <= index_words(self._lexicons, sentence) for t in terms)
        ]

    def _names(self, key: str, term: str, own: dict[str, str], place_key: str | None) -> bool:
        """Whether texts (``own`` and the place's notes), indexed once under ``key``, hold
        every word of a term."""
        words = self._noted.get(key)
        if words is None:
            place = self.places.get(place_key or "")
            texts = [*own.values(), *(place.notes if place else {}).values()]
            words = self._noted[key] = index_words(self._lexicons, *texts)
        return all(w in words for w in term.split())

    @cached_property
    def checkin_faq(self) -> str | None:
        """The FAQ entry on the hotels' check-in and check-out times, by its question's words."""
        return next((key for key in self.faq if self.faq_intents(key) & _CHECKING), None)

    def faq_intents(self, key: str) -> frozenset[str]:
        """What an FAQ entry's question asks in any of its languages ("What to bring to
        Anchorage": bring)."""
        return kept(
            self._faq_intents,
            key,
            lambda: frozenset(
                str(hit.value)
                for text in self.faq[key].question.values()
                for hit in self._lexicons.scan(tokens(text)).of("intent")
            ),
            _NARROWED,
        )

    @cached_property
    def transfer_faq(self) -> str | None:
        """The FAQ entry on the way from the airport on arrival, by its question's words."""
        for key, entry in self.faq.items():
            for text in entry.question.values():
                scan = self._lexicons.scan(tokens(text))
                if any(hit.value == "transfer" for hit in scan.of("term")):
                    return key
        return None

    def faq_search(
        self, words: Iterable[str], known: Iterable[str] = ()
    ) -> list[tuple[str, float]]:
        """FAQ entries by their questions' words, and half as much by their answers'.

        ``known`` words (glossary terms such as "wifi") count once more than plain words
        ("code"): they were recognised as a topic.
        """
        # Numbers ("the 12th") name days, not questions.
        words = [w for w in words if not w.isdigit()]
        scores: dict[str, float] = defaultdict(float)
        for key, score in self.faq_index.search(words):
            scores[key] += score
        for key, score in self.faq_answers.search(words):
            scores[key] += score / 2
        for key, score in self.faq_index.search(known):
            scores[key] += score / 2
        return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))

    def _question(self, key: str, language: str) -> str:
        """An FAQ entry's question in one language, else in the programme's default."""
        question = self.faq[key].question
        return question.get(language) or question.get(self.programme.default_language) or ""

    def faq_words(self, key: str, language: str) -> set[str]:
        """The words an FAQ entry's question is found by in one language (else the default)."""
        return kept(
            self._faq_words,
            (key, language),
            lambda: index_words(self._lexicons, self._question(key, language)),
            _NARROWED,
        )

    def faq_named_whole(self, key: str, language: str, terms: AbstractSet[str]) -> bool:
        """Whether recognised terms name every topic of an FAQ entry's question in the reader's
        language ("bags" names "Luggage allowance"; "passport" names "Lost passport" in part)."""
        wanted = kept(
            self._faq_terms, (key, language), lambda: self._question_terms(key, language), _NARROWED
        )
        # "Luggage on the flights and the train" is about luggage: the ways of travelling it
        # names are where, not what ("two bags on tomorrow's flight?").
        return bool(wanted) and (wanted - _SETTINGS or wanted) <= terms

    def _question_terms(self, key: str, language: str) -> frozenset[str]:
        scan = self._lexicons.scan(tokens(self._question(key, language)))
        return frozenset(str(hit.value) for hit in scan.of("term"))

    def faq_legs(self, key: str) -> set[Leg]:
        """The legs an FAQ entry's question names by city or hotel ("Wi-Fi at the Hermitage")."""
        texts = self.faq[key].question.values()
        return kept(
            self._faq_legs,
            key,
            lambda: {leg for text in texts for leg in self._legs_named(text)},
            _NARROWED,
        )

    def faq_cities(self, key: str) -> set[Leg]:
        """The legs an FAQ entry's question or answer names by city or hotel."""
        entry = self.faq[key]
        texts = [*entry.question.values(), *entry.answer.values()]
        return kept(
            self._faq_cities,
            key,
            lambda: {leg for text in texts for leg in self._legs_named(text)},
            _NARROWED,
        )

    def faq_contacts(self, key: str) -> list[Contact]:
        """The contacts an FAQ answer sends the reader to by role ("if it stops working,
        contact your programme officer")."""
        return kept(self._faq_contacts, key, lambda: self._roles_in(key), _NARROWED)

    def _roles_in(self, key: str) -> list[Contact]:
        language = self.programme.default_language
        answer = f" {' '.join(tokens(text_in(self.faq[key].answer, language, language)))} "
        cities = self.city_index.postings
        found = []
        for contact in self.contacts.values():
            # "Group A programme officer (Atlanta)" is a programme officer: the role less its
            # group, city and rank, two words at least ("Emergency" alone is any emergency).
            head = _ROLE_END.split(text_in(contact.role, language, language), maxsplit=1)[0]
            words = [
                w
                for w in tokens(head)
                if len(w) > 1 and w not in _ROLE_QUALIFIERS and w not in cities
            ]
            if len(words) >= 2 and f" {' '.join(words)} " in answer:
                found.append(contact)
        return found

    def city_words(self, leg: Leg) -> set[str]:
        """The words a leg's city is named by."""
        return index_words(self._lexicons, leg.city)

    def about_legs(self, text: str, legs: Iterable[Leg]) -> str:
        """A text's sentences and clauses about the legs (by city or hotel), and those about
        no leg.

        "Seattle: password A. Chicago: password B." gives only Chicago's to a group in Chicago,
        and so does "Wi-Fi: Seattle A; Chicago B."; a text that names none of the legs is given
        whole.
        """
        wanted = set(legs)
        sentences = [
            [self._excepting(clause, wanted) for clause in self._clauses(sentence)]
            for sentence in SENTENCE_END.split(text)
        ]
        named = [
            [
                self._legs_told(self._before_exception(self._without_and(clause)))
                for clause in clauses
            ]
            for clauses in sentences
        ]
        # Whether the text names the legs at all, in its exceptions too.
        told = any(self._legs_told(c) & wanted for clauses in sentences for c in clauses)
        if sum(map(len, sentences)) < 2 or not told:
            return text
        kept = []
        for clauses, names in zip(sentences, named, strict=True):
            keep = [not n or bool(n & wanted) for n in names]
            if all(keep):
                kept.extend(clauses)
            elif any(keep):
                kept.extend(_rejoined(clauses, keep, self._without_and))
        return " ".join(kept)

    def _excepting(self, clause: str, wanted: set[Leg]) -> str:
        """A clause without the exceptions it makes of other legs ("laundry at your own cost,
        except the free machines at the Peachtree Lantern" to a group in Tucson)."""
        before = self._before_exception(clause)
        if before == clause or self._legs_told(clause[len(before) :]) & wanted:
            return clause
        cut = before.rstrip(" ,;:-–(،؛")
        end = clause.rstrip()[-1:]
        return cut + end if end in ".!?" else cut

    def _before_exception(self, text: str) -> str:
        """A clause up to its first word of exception: "check-in 15:00 at all hotels except
        the Citizen Hotel (16:00)" is about every hotel."""
        raw = text.split()
        for n in range(1, len(raw)):
            ahead = tuple(w for r in raw[n : n + 4] for w in tokens(r))
            if any(ahead[: len(p)] == p for p in self._lexicons.exceptions):
                return " ".join(raw[:n])
        return text

    def group_by_group(self, text: str) -> bool:
        """Whether a text goes group by group ("Group A in Milwaukee 09:00, Group B ...")."""
        if self._group_marks is None:
            return False
        # Two groups at least: "Concourse C" alone is a terminal's.
        return len(set(self._group_marks.findall(text))) > 1

    def _clauses(self, sentence: str) -> list[str]:
        """A sentence's clauses: split at semicolons, and at commas before a group's name
        ("Group A in Milwaukee 09:00, Group B in Spokane 07:00") or a city's."""
        return [
            piece
            for clause in _CLAUSE_END.split(sentence)
            for part in (self._group_list.split(clause) if self._group_list else [clause])
            for piece in self._by_city(part)
        ]

    def _by_city(self, clause: str) -> list[str]:
        """A clause split at each comma or "and" that starts another city's part ("Columbus
        EST, Kansas City CST", "Denver MST and Anchorage AKST"), not one in a list of cities
        ("in Washington, Louisville and Boise") nor in an address ("Washington, DC")."""
        parts = self._split_before_city(_COMMA.split(clause))
        return [piece for part in parts for piece in self._split_before_city(self._and.split(part))]

    def _split_before_city(self, pieces: list[str]) -> list[str]:
        """Pieces of a clause joined again, except where one starts another city's part."""
        parts = pieces[:1]
        for n, piece in enumerate(pieces[1:], 1):
            after = pieces[n + 1] if n + 1 < len(pieces) else ""
            before = parts[-1]
            # The part before names a city of its own: "Group A in the Belmont Room, Nashville
            # 11:00" is one group's part, not two cities'.
            lead = self._without_and(piece)
            # "07:00 EST in Savannah, 08:30 CST in New Orleans": each time is a city's part.
            timed = bool(_LEADING_TIME.match(lead.lstrip())) and self._leads_with_zone(lead)
            # "(Miami 3rd floor, Washington basement), USD 3 a wash": a list of places in
            # brackets is the sentence's, whose rest goes on after it ("(EST->EDT, CST->CDT)"
            # is each clock's).
            bracketed = before.count("(") > before.count(")") and not self._leads_with_zone(lead)
            if (
                (self._leads_with_city(lead) or self._leads_with_zone(lead))
                and not bracketed
                and not _STATE.match(after)
                and (timed or not self._ends_with_city(before))
                and (timed or not self._names_only(before))
                and self._legs_told(self._without_and(before))
            ):
                parts.append(piece)
            else:
                parts[-1] = f"{before} {piece}"
        return parts

    def _names_only(self, piece: str) -> bool:
        """Whether a piece holds nothing but names of the programme's cities or hotels
        ("l'Aldermere (Washington), le Willamette Crossing (Portland)"): a list whose
        predicate comes after it."""
        cities = [city for city, _ in self._leg_words.values() if city]
        for word in tokens(_BRACKETED.sub(" ", self._without_and(piece))):
            if word in self._lexicons.stopwords or word in self._hotel_words:
                continue
            # "Hotels in Washington, Kansas City and New York: password ..." lists cities.
            if any(h.value == "hotel" for h in self._lexicons.table.get((word,), ())):
                continue
            if not any(index_words(self._lexicons, word) & city for city in cities):
                return False
        return True

    def _without_and(self, piece: str) -> str:
        """A piece without the "and" it starts with ("و" of "ودنفر" too)."""
        first, _, rest = piece.partition(" ")
        if first.lower() in self._lexicons.conjunctions:
            return rest
        return self._joined_and.sub("", piece) if self._joined_and else piece

    def _leads_with_city(self, text: str) -> bool:
        """Whether a piece starts with a city's name ("Kansas City CST ...", "à Santa Fe"), or
        ends one another language starts otherwise ("La Nouvelle-Orléans")."""
        heads, tails = self._city_ends
        words = list(
            dropwhile(lambda w: w in self._lexicons.stopwords and w not in heads, tokens(text))
        )
        if not words:
            return False
        if words[0] in heads or (len(words) > 1 and words[1] in tails):
            return True
        # A city another language names otherwise ("Хьюстон", "سانت لويس"), by the glossary.
        return any(
            self._legs_named(" ".join(words[:size])) - self._legs_named(" ".join(words[1:size]))
            for size in range(1, _CITY_WORDS)
        )

    def _ends_with_city(self, text: str) -> bool:
        """Whether a piece ends with a city's or a hotel's name itself ("... in Washington,",
        "the Juniper Row Hotel, the Lantern Hall Hotel and ..." lists them), a remark in
        brackets after it aside ("in the Tabor Peak Hotel (Denver, 3rd floor) and ...")."""
        text = _BRACKETED.sub(" ", text).rstrip()
        if not text.rstrip(",، ")[-1:].isalpha():
            return False
        words = tokens(text)
        if any(w in hotel for w in words[-_CITY_WORDS:] for _, hotel in self._leg_words.values()):
            return True
        for size in range(1, _CITY_WORDS + 1):
            tail = index_words(self._lexicons, " ".join(words[-size:]))
            # The last word is the city's: "Denver MST" names Denver, but does not end with it.
            rest = index_words(self._lexicons, " ".join(words[-size:-1]))
            if any(
                city and city <= tail and not city <= rest for city, _ in self._leg_words.values()
            ):
                return True
        return False

    def _leads_with_zone(self, text: str) -> bool:
        """Whether a piece starts with the abbreviation of a leg's clock ("CDT becomes CST"),
        after the time it gives, if any ("08:30 CST in New Orleans")."""
        first = _ZONE_WORD.match(_LEADING_TIME.sub("", text.lstrip(" -–—"), count=1))
        return first is not None and first.group().lower() in self._zone_legs

    def _legs_told(self, sentence: str) -> set[Leg]:
        """The legs a sentence names, by city or hotel or by the abbreviation of their clock
        ("EDT becomes EST, CDT becomes CST" goes city by city; French "est" is no EST)."""
        zones = self._zone_legs
        told = {leg for word in _ZONE_WORD.findall(sentence) for leg in zones.get(word.lower(), ())}
        return self._legs_named(sentence) | told

    @cached_property
    def _zone_legs(self) -> dict[str, frozenset[Leg]]:
        """The legs each clock abbreviation their city keeps during the programme names."""
        first, last = self.programme.start, self.programme.end
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        found: dict[str, set[Leg]] = defaultdict(set)
        for leg in self.snapshot.legs:
            zone = ZoneInfo(self.leg_timezone(leg))
            for day in days:
                name = datetime(day.year, day.month, day.day, 12, tzinfo=zone).tzname() or ""
                # "+03" names no clock a reader would write.
                if name.isalpha():
                    found[name.lower()].add(leg)
        return {name: frozenset(legs) for name, legs in found.items()}

    def _legs_named(self, sentence: str) -> set[Leg]:
        """The legs a sentence names by their city's words or a word only their hotel has."""
        words = index_words(self._lexicons, sentence)
        raw = set(tokens(sentence))
        return {
            leg
            for leg, (city, hotel) in self._leg_words.items()
            if (city and city <= words) or hotel & raw
        }

    def _leg_names(self) -> dict[Leg, tuple[frozenset[str], frozenset[str]]]:
        """Each leg's city words (without the state) and the words only its hotel's name has."""
        hotels = {
            leg: {
                w
                for w in tokens(self.places[leg.hotel_key].name)
                if (w,) not in self._lexicons.table and w not in self._lexicons.stopwords
            }
            if leg.hotel_key in self.places
            else set()
            for leg in self.snapshot.legs
        }
        return {
            leg: (
                frozenset(index_words(self._lexicons, leg.city.split(",")[0])),
                frozenset(
                    w
                    for w in own
                    if not any(w in hotels[o] for o in hotels if o.hotel_key != leg.hotel_key)
                ),
            )
            for leg, own in hotels.items()
        }

    def next_leg(self, group: str | None, day: date) -> Leg | None:
        """The group's first leg starting after a day: where it moves next."""
        later = [
            leg
            for leg in self.snapshot.legs
            if leg.date_from > day and (not leg.groups or (group and group in leg.groups))
        ]
        return min(later, key=lambda leg: leg.date_from, default=None)

    # ---- the participant's own view ----

    def leg_on(self, group: str | None, day: date) -> Leg | None:
        """Return the leg a group is on that day (a group's own leg before everyone's)."""
        return _memo(self._legs_on, group, day, self._leg_on)

    def _leg_on(self, group: str | None, day: date) -> Leg | None:
        best: Leg | None = None
        for leg in self.snapshot.legs:
            if leg.date_from <= day <= leg.date_to:
                if group and group in leg.groups:
                    return leg
                if not leg.groups and best is None:
                    best = leg
        return best

    def stays(self, group: str | None) -> list[Leg]:
        """The group's legs with a hotel, in date order."""
        return sorted(
            (
                leg
                for leg in self.snapshot.legs
                if (not leg.groups or (group and group in leg.groups))
                and leg.hotel_key in self.places
            ),
            key=lambda leg: leg.date_from,
        )

    def nearest_leg(self, group: str | None, day: date) -> Leg | None:
        """Return the leg on that day, else the closest leg of that group."""
        leg = self.leg_on(group, day)
        if leg is not None:
            return leg
        candidates = [
            leg for leg in self.snapshot.legs if not leg.groups or (group and group in leg.groups)
        ]
        return min(
            candidates,
            key=lambda leg: min(abs((leg.date_from - day).days), abs((leg.date_to - day).days)),
            default=None,
        )

    def timezone_on(self, group: str | None, day: date) -> str:
        """Return the timezone of the city a group is in that day."""
        return _memo(self._zones_on, group, day, self._timezone_on)

    def _timezone_on(self, group: str | None, day: date) -> str:
        leg = self.nearest_leg(group, day)
        return self.leg_timezone(leg) if leg else self.programme.timezone

    def leg_timezone(self, leg: Leg) -> str:
        """Return the timezone of a leg's city (its hotel's)."""
        hotel = self.places.get(leg.hotel_key or "")
        return (hotel.timezone if hotel and hotel.timezone else None) or self.programme.timezone

    def morning_timezone(self, group: str | None, day: date) -> str:
        """Return the timezone of where a group wakes up that day (last night's city)."""
        return _memo(self._morning_zones, group, day, self._morning_timezone)

    def _morning_timezone(self, group: str | None, day: date) -> str:
        slept = self.leg_on(group, day - timedelta(days=1))
        hotel = self.places.get(slept.hotel_key or "") if slept else None
        if hotel is not None and hotel.timezone:
            return hotel.timezone
        return self.timezone_on(group, day)

    def clocks_named(self, words: Iterable[str]) -> list[Clock]:
        """The world's cities and countries a message names, other than the programme's own
        places ("Paris" is no clock where a hotel is called the Paris)."""
        said = tuple(words)
        return list(
            kept(
                self._clocks_said,
                said,
                lambda: tuple(self._clocks.named(said, self._things)),
                _INDEXED,
            )
        )

    @cached_property
    def _host_country(self) -> str | None:
        """The country the programme is held in, by its timezone."""
        return self._clocks.country(Clock(self.programme.timezone))

    def countries_named(self, words: Iterable[str]) -> frozenset[str]:
        """The names, in every language, of other countries than the programme's that a
        message names by a city of theirs ("Tijuana": "mexico", "mexique", "المكسيك")."""
        found: set[str] = set()
        for clock in self.clocks_named(words):
            country = self._clocks.country(clock)
            if country is not None and country != self._host_country:
                found |= self._clocks.country_words(country)
        return frozenset(found)

    def home_clock(self, participant: Participant | None) -> Clock | None:
        """The clock of the country a participant comes from, when it keeps one."""
        return self._clocks.home(participant.country if participant else None)

    def call_before(self, event: Event, language: str) -> str | None:
        """The sentence of an event's description that sets a time before it starts: "the
        coach leaves the lobby at 08:20" for a visit at 09:00."""
        key = (event.key, language)
        if key not in self._calls:
            self._calls[key] = self._call_before(event, language)
        return self._calls[key]

    def gathering_before(self, event: Event) -> Event | None:
        """The lobby call that gathers a journey's people shortly before it, the same day."""
        n = bisect_left(self._starts, event.start)
        day = event.start.astimezone(ZoneInfo(event.timezone)).date()
        for call in reversed(self.ordered[max(0, n - 8) : n]):
            if event.start - call.end > _CALL_LEAD:
                break
            shared = not call.groups or not event.groups or set(call.groups) & set(event.groups)
            if (
                call.kind == "logistics"
                and (call.key in self.gatherings or call.key in self.journeys)
                and call.status != "cancelled"
                and shared
                and call.end <= event.start
                and call.start.astimezone(ZoneInfo(call.timezone)).date() == day
            ):
                return call
        return None

    def journey_numbers(self, event: Event) -> list[str]:
        """A journey's flight or train numbers, as its description gives them ("TW 2265")."""
        if event.key not in self.journeys or not event.description:
            return []
        text = text_in(event.description, self.programme.default_language, "en")
        found = dict.fromkeys(" ".join(m.groups()) for m in _JOURNEY_NUMBER.finditer(text))
        return list(found)[:_NUMBERS_SHOWN]

    def called_at(self, event: Event, times: AbstractSet[tuple[int, int]]) -> bool:
        """Whether the call to leave for an event is at one of the times of day said ("the
        coach tomorrow at 8:30": the visit at 9:30 it leaves for)."""
        call = self.call_before(event, self.programme.default_language)
        return call is not None and any(
            (int(hour), int(minute)) in times for hour, minute in _CLOCK.findall(call)
        )

    def _call_before(self, event: Event, language: str) -> str | None:
        # A venue's notes may say it too ("the programme van leaves the hotel at 08:15"); a
        # hotel's times are its own (breakfast, check-out).
        place = self.places.get(event.place_key or "")
        venue = place is not None and place.kind != "hotel"
        texts = [event.description, place.notes if place and venue else None]
        start = event.start.astimezone(ZoneInfo(event.timezone))
        begins = start.hour * 60 + start.minute
        for translations in texts:
            if not translations:
                continue
            text = text_in(translations, language, self.programme.default_language)
            for sentence, minutes in self._timed_sentences(text):
                if any(0 < begins - m <= _CALL_AHEAD for m in minutes):
                    return sentence
        return None

    def _timed_sentences(self, text: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """A text's sentences that give clock times, with the minutes of the day they say
        (kept: venues share their notes)."""
        return kept(self._timed, text, lambda: self._sentences_timed(text), _INDEXED)

    def _sentences_timed(self, text: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
        found = []
        for sentence in SENTENCE_END.split(text):
            times = _CLOCK.findall(sentence)
            # "Group A in Nashville 11:00, Group B in Salt Lake City 10:00": each group's own
            # clock for a call at noon in Washington, no time to leave before it.
            if times and not self.group_by_group(sentence):
                minutes = tuple(int(hour) * 60 + int(minute) for hour, minute in times)
                found.append((sentence.strip(), minutes))
        return tuple(found)

    def arrival_timezone(self, event: Event, group: str | None) -> str | None:
        """The zone a journey ends in, when it crosses into another one (a flight west)."""
        key = (event.key, group)
        if key not in self._arrivals:
            self._arrivals[key] = self._arrival_timezone(event, group)
        return self._arrivals[key]

    def _arrival_timezone(self, event: Event, group: str | None) -> str | None:
        if event.key not in self.journeys:
            return None
        if group is None and len(event.groups) == 1:
            group = event.groups[0]
        home = ZoneInfo(event.timezone)
        start_day = event.start.astimezone(home).date()
        if utc_offset(event.start, self.morning_timezone(group, start_day)) != utc_offset(
            event.start, event.timezone
        ):
            return None
        zone = self.timezone_on(group, event.end.astimezone(home).date())
        if utc_offset(event.end, zone) == utc_offset(event.end, event.timezone):
            return None
        # Only the day's last step in the zone left ends in the new city: the bus to the
        # airport ends where it began.
        mine = self._audience.get(group, self._audience[None])
        for other in self.by_day.get(start_day, ()):
            if (
                other.start > event.start
                and other.key in mine
                and other.key in self.journeys
                and utc_offset(other.start, other.timezone)
                == utc_offset(other.start, event.timezone)
            ):
                return None
        return zone

    def present_timezone(self, group: str | None, now: datetime) -> str:
        """Return the timezone a group is in at an instant (on a travel day, the one left until
        the journey of the day is over)."""
        day, _ = self.local_today(group, now)
        morning = self.morning_timezone(group, day)
        later = self.timezone_on(group, day)
        if later == morning:
            return morning
        mine = self._audience.get(group, self._audience[None])
        landed = any(
            key in mine and key in self.journeys and e.status != "cancelled" and e.end <= now
            for key, e in self._keyed_days.get(day, ())
        )
        return later if landed else morning

    def local_today(self, group: str | None, now: datetime) -> tuple[date, str]:
        """Return the participant's local date and timezone at an instant."""
        # Every zone's offset is a whole number of quarter hours: so is every local midnight,
        # and the answer holds for the quarter hour.
        key = (group, int(now.timestamp()) // _QUARTER_HOUR)
        return kept(self._local_days, key, lambda: self._local_today(group, now), _NARROWED)

    def _local_today(self, group: str | None, now: datetime) -> tuple[date, str]:
        # The city depends on the date, the date on the city: of the cities whose date agrees
        # with them, the earliest date is where one still is (at 22:00 in Seattle before a
        # flight east, it is already tomorrow in Chicago, yet one is in Seattle).
        around = now.astimezone(ZoneInfo(self.programme.timezone)).date()
        agreed = []
        for offset in (-1, 0, 1):
            zone = self.timezone_on(group, around + timedelta(days=offset))
            day = now.astimezone(ZoneInfo(zone)).date()
            if self.timezone_on(group, day) == zone:
                agreed.append((day, zone))
        if agreed:
            return min(agreed)
        # Past midnight before a flight west (00:30 in Santa Fe, the day one flies to
        # Honolulu): one is still in the city left, on the day of leaving it.
        for offset in (-1, 0, 1):
            day = around + timedelta(days=offset)
            zone = self.timezone_on(group, day - timedelta(days=1))
            if now.astimezone(ZoneInfo(zone)).date() == day:
                return day, zone
        zone = self.timezone_on(group, around)
        return now.astimezone(ZoneInfo(zone)).date(), zone

    def audience(self, participant: Participant | None) -> frozenset[str]:
        """Return the keys of the events on a participant's own schedule."""
        group = participant.group_key if participant else None
        return self._audience.get(group, self._audience[None])

    def is_for(self, event: Event, participant: Participant | None) -> bool:
        """Return whether an event is on a participant's own schedule."""
        return event.key in self.audience(participant)

    def day_events(self, participant: Participant | None, day: date) -> list[Event]:
        """Return a participant's events on a local date."""
        group = participant.group_key if participant else None
        key = (group, day)
        if key not in self._day_events:
            mine = self.audience(participant)
            events = [
                e for k, e in self._keyed_days.get(day, ()) if k in mine and k not in self._far
            ]
            far = [
                e
                for k, e in self._far_days.get(day, ())
                if k in mine and self.reader_day(e, group)[0] == day
            ]
            if far:
                events = sorted([*events, *far], key=lambda e: (e.start, e.position))
            self._day_events[key] = events
        return list(self._day_events[key])

    def reader_day(self, event: Event, group: str | None) -> tuple[date, str]:
        """The date and zone a group reads an event in: its own, or where the group is
        for an event held in a zone where nobody sleeps."""
        return kept(
            self._reader_days, (event.key, group), lambda: self._reader_day(event, group), _NARROWED
        )

    def _reader_day(self, event: Event, group: str | None) -> tuple[date, str]:
        if event.key in self._far:
            return self.local_today(group, event.start)
        day = event.start.astimezone(ZoneInfo(event.timezone)).date()
        return day, self.timezone_on(group, day)

    def upcoming(self, participant: Participant | None, now: datetime) -> Iterator[Event]:
        """Yield a participant's events starting at or after an instant, in order."""
        mine = self.audience(participant)
        for event in self.ordered[bisect_left(self._starts, now) :]:
            if event.key in mine:
                yield event

    def ongoing(self, participant: Participant | None, now: datetime) -> list[Event]:
        """Return a participant's events in progress at an instant."""
        mine = self.audience(participant)
        start = bisect_left(self._starts, now)
        # Events last hours, not days: those that started in the last day are enough.
        since = bisect_left(self._starts, now - timedelta(days=1))
        return [e for e in self.ordered[since:start] if e.end > now and e.key in mine]


async def load_snapshot(session: AsyncSession) -> Snapshot | None:
    """Read the whole programme in a handful of queries, as plain records."""
    programme = await session.scalar(select(models.Programme))
    if programme is None:
        return None
    aliases: dict[tuple[str, str], list[str]] = defaultdict(list)
    for alias in await session.scalars(select(models.Alias).order_by(models.Alias.position)):
        aliases[(alias.target_type, alias.target_key)].append(alias.text)

    async def rows(kind: type[R], table: Any, *order: Any) -> list[R]:
        return [record(kind, row) for row in await session.scalars(select(table).order_by(*order))]

    groups = await rows(Group, models.Group, models.Group.position)
    places = await rows(Place, models.Place, models.Place.position)
    return Snapshot(
        programme=record(Programme, programme),
        groups={g.key: g for g in groups},
        places={p.key: p for p in places},
        legs=await rows(Leg, models.Leg, models.Leg.position),
        contacts=await rows(Contact, models.Contact, models.Contact.position),
        events=await rows(Event, models.Event, models.Event.start, models.Event.position),
        faq=await rows(Faq, models.Faq, models.Faq.position),
        aliases=dict(aliases),
        people={
            key: name
            for key, name in await session.execute(
                select(models.Participant.key, models.Participant.name)
            )
        },
    )


def utc_offset(instant: datetime, zone: str) -> timedelta:
    """The offset from UTC of a zone at an instant."""
    return instant.astimezone(ZoneInfo(zone)).utcoffset() or timedelta()


def _acronyms(*texts: str) -> frozenset[str]:
    """The acronyms of some texts ("NOAA", "CBP"), folded."""
    return frozenset(w.casefold() for text in texts for w in _ACRONYM.findall(text))
