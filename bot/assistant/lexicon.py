"""Per-language lexicons and the multilingual glossary, compiled into one phrase table."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.assistant.clocks import WorldClocks
from bot.assistant.memo import kept
from bot.assistant.normalize import tokens
from bot.assistant.translit import Transliterator
from bot.yamlio import load_yaml

LEXICON_DIR = Path(__file__).with_name("lexicons")
GLOSSARY = Path(__file__).with_name("glossary.yaml")
_MAX_PHRASE = 6
# Letters a stem keeps at least, so that a short word's stem does not match unrelated words.
_STEM_LENGTH = 5
# The letters of a phrase's first word that any form of it keeps, to find it by.
_HEAD = 3
# Words whose stemmed hits are kept at most: a day's chat, not an unbounded dictionary.
_REMEMBERED = 50_000


# The sounds an elided word ("l'", "j'", "qu'") stands before.
_ELIDED = frozenset("aeiouyh")
# Days a phrase may end on and still name: "toca mañana" is tomorrow's programme.
_SAID_DAYS = frozenset({"today", "tomorrow", "day_after_tomorrow"})
# What phrases may end on such a day ask of it: the programme, a change, the hotel, the dress.
_DATED_ASKS = frozenset({"schedule", "moved", "hotel", "dress"})


@dataclass(frozen=True)
class Hit:
    """What a phrase means in one language: a category and a value."""

    lang: str
    category: str  # intent, date, weekday, month, part, term, language, stop, marker
    value: str | int


@dataclass
class Scan:
    """A question cut into recognised phrases and leftover words."""

    words: list[str]
    hits: list[tuple[int, int, Hit]] = field(default_factory=list)
    free: list[tuple[int, str]] = field(default_factory=list)

    def of(self, category: str, languages: tuple[str, ...] | None = None) -> list[Hit]:
        """Return the hits of a category, optionally only from some languages."""
        return [
            hit
            for _, _, hit in self.hits
            if hit.category == category and (languages is None or hit.lang in languages)
        ]


# An hour of the clock alone, as "9" or "9h", which a half hour may follow.
_HOUR = re.compile(r"^([01]?\d|2[0-4])h?$")
# A date word is read through a slip in typing it ("tomorow", "thursdy") from this length,
# and through two slips ("tommorow", "wendesday") from the longer one.
_SLIP_LENGTH = 6
_TWO_SLIPS_LENGTH = 8
_VOWELS = frozenset("aeiou")


def _inflected(word: str, other: str) -> bool:
    """Whether two Latin words differ only in a final vowel ("quinto", "quinta")."""
    return (
        len(word) == len(other)
        and word[:-1] == other[:-1]
        and word[-1] in _VOWELS
        and other[-1] in _VOWELS
    )


class Lexicons:
    """Every lexicon file plus the glossary; adding a language is adding a file."""

    def __init__(self, directory: Path = LEXICON_DIR, glossary: Path = GLOSSARY) -> None:
        self.table: dict[tuple[str, ...], list[Hit]] = defaultdict(list)
        self._singles: dict[str, list[Hit]] = {}
        self._stems_of: dict[str, str] = {}
        self._bares: dict[str, tuple[str, ...]] = {}
        self._all_stems: dict[str, tuple[str, ...]] = {}
        # The words each text is found by, kept: programme texts are read again with every question.
        self.indexed: dict[tuple[Any, ...], frozenset[str]] = {}
        self.stopwords: set[str] = set()
        # One-word names of days and months ("tomorrow", "mercredi", "завтра").
        self.day_words: set[str] = set()
        self._slips: dict[str, str] = {}
        # Openers ("hi", "buenas tardes", "доброе утро") read as nothing at a message's start.
        self.greetings: set[tuple[str, ...]] = set()
        # Words before ("the 15th", "el 15") and after ("15 числа") a bare day of the month.
        self.day_markers: tuple[set[str], set[str]] = (set(), set())
        # Words after a number that make it a length of time, not a day ("the 24 hour line").
        self.durations: set[str] = set()
        # Chat shorthand spelled out before reading ("q" -> "que", "aprem" -> "apres midi").
        self.abbreviations: dict[str, list[str]] = {}
        # Elided articles and pronouns typed without their apostrophe ("lhotel", "jai").
        # Elided articles and pronouns by language, and the words they may be glued to.
        self.elisions: dict[str, set[str]] = defaultdict(set)
        self._elidable: dict[str, frozenset[str]] = {}
        self._shorthand_of: dict[str, str] = {}
        self._shorthands: dict[str, set[str]] = defaultdict(set)
        # Words for half an hour before ("half past 7") and after ("9 y media") an hour.
        self.half_hours: tuple[set[tuple[str, ...]], set[tuple[str, ...]]] = (set(), set())
        # Each language's phrases, stopwords and everyday words, for telling transliterated
        # Arabic or Russian from Latin-script languages and spelling it back.
        self.phrases: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        self.stops: dict[str, set[str]] = defaultdict(set)
        self.everyday: dict[str, set[str]] = defaultdict(set)
        # "And" of each language, written apart ("and", "et") or joined to its word ("و").
        self.conjunctions: set[str] = set()
        self.joined_conjunctions: set[str] = set()
        # "And" as a language's speakers type it in Latin letters ("i" for и): a word of that
        # language's messages only, never of others' (English "I").
        self.typed_conjunctions: dict[str, set[str]] = defaultdict(set)
        # A word typed for "or" and for a question word ("ou" for "où"), by language, with the
        # words a question goes on with after it ("où est", "où on dort"): between two other
        # words it is "or" ("costume ou cravate", "Miami ou déjà Porto Rico").
        self.or_words: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
        # Things carried in ("my phone") and words asking leave ("can I"), read beside a
        # message's meaning without taking its words.
        self.devices: set[tuple[str, ...]] = set()
        self.leave: set[tuple[str, ...]] = set()
        self.returns: set[tuple[str, ...]] = set()
        # A word for going back that says going in ("on rentre par quelle porte ?").
        self.entering: set[tuple[str, ...]] = set()
        # Words saying an event was called off ("cancelado", "annulé").
        self.cancels: set[tuple[str, ...]] = set()
        self._phrase_heads: dict[int, dict[str, list[tuple[str, ...]]]] = {}
        self.ways: set[tuple[str, ...]] = set()
        # Words that set what follows them apart ("all hotels except the Citizen"): a sentence
        # is about the places it names before them.
        self.exceptions: set[tuple[str, ...]] = set()
        tables: dict[str, dict[str, Any]] = {}
        prefixes: set[str] = set()
        suffixes: set[str] = set()
        restored: dict[str, str] = {}
        # Letters of other scripts spelled in Latin, to compare names across scripts.
        self.name_letters: dict[str, str] = {}
        # Letters read otherwise at a name's end ("رانيه", Rania: the final ه is an "a").
        self.name_endings: dict[str, str] = {}
        # A word's last letter as a suffix rewrites it ("طيارتنا" is "طياره" + "نا").
        self.suffix_endings: dict[str, str] = {}
        # Each language's word for the documents a note may ask for, by glossary term.
        self.documents: dict[str, dict[str, str]] = {}
        codes = []
        for path in sorted(directory.glob("*.yaml")):
            data = load_yaml(path.read_text(encoding="utf-8"))
            code = str(data["code"])
            codes.append(code)
            self._load_language(code, data)
            self.documents[code] = {
                str(k): str(v) for k, v in (data.get("documents") or {}).items()
            }
            prefixes.update(tokens(" ".join(data.get("strip_prefixes", []))))
            suffixes.update(tokens(" ".join(data.get("strip_suffixes", []))))
            restored.update(
                {
                    " ".join(tokens(str(k))): " ".join(tokens(str(v)))
                    for k, v in (data.get("restore_prefixes") or {}).items()
                }
            )
            self.name_endings.update(
                {str(k): str(v) for k, v in (data.get("name_endings") or {}).items()}
            )
            self.name_letters.update(
                {str(k): str(v) for k, v in (data.get("name_letters") or {}).items()}
            )
            self.suffix_endings.update(
                {
                    " ".join(tokens(str(k))): " ".join(tokens(str(v)))
                    for k, v in (data.get("suffix_endings") or {}).items()
                }
            )
            if "transliteration" in data:
                tables[code] = {
                    **data["transliteration"],
                    "strip_prefixes": data.get("strip_prefixes", []),
                    "suffix_endings": data.get("suffix_endings") or {},
                    "markers": data.get("markers", []),
                }
        self.languages = tuple(codes)
        self.prefixes = tuple(sorted(prefixes, key=len, reverse=True))
        self.suffixes = tuple(sorted(suffixes, key=len, reverse=True))
        # Prefixes that swallow the article of the word they join ("للمطار" is "ل" + "المطار").
        self.restored = restored
        for entry in load_yaml(glossary.read_text(encoding="utf-8")):
            canonical = entry["canonical"]
            for code, phrases in entry.items():
                if code != "canonical":
                    self._add(code, "term", canonical, phrases)
        self._add_stems()
        self.table = dict(self.table)
        terms = {
            key[0]
            for key, hits in self.table.items()
            if len(key) == 1 and key[0].isascii() and any(h.category == "term" for h in hits)
        }
        # A Latin-script language's chat shorthand ("gd mrng", "2day") is its own, not Arabizi.
        chat = {
            code: self.everyday[code] | self._shorthands[code]
            for code in self.languages
            if code not in tables
        }
        self.translit = Transliterator(tables, self.phrases, self.stops, chat, terms)
        # "Lassurance" is "l assurance" because "assurance" is French; "madd" is no "m add".
        for code in self.elisions:
            self._elidable[code] = frozenset(
                w
                for key, hits in self.table.items()
                if any(h.lang == code for h in hits)
                for w in key
            ) | frozenset(self.everyday[code])
        self._common = frozenset().union(*self.everyday.values())
        # Shorthand of one language that is a word of another ("end" for endereço in Portuguese,
        # an English word) would rewrite that language's messages: it is left out.
        self.abbreviations = {
            short: long
            for short, long in self.abbreviations.items()
            if not self._word_elsewhere(short, self._shorthand_of[short])
        }

    @cached_property
    def clocks(self) -> WorldClocks:
        """The world's cities and countries by name in every language, built on first use."""
        return WorldClocks(
            self.languages,
            self.stems,
            self._plain_word,
        )

    def _plain_word(self, word: str) -> bool:
        """Whether a word is a common one of some language, not a name of something."""
        return (
            word in self.stopwords
            or word in self._common
            or any(hit.category != "term" for hit in self.table.get((word,), ()))
        )

    def _add_stems(self) -> None:
        """Index the stem of each word in another script under its hits, so another case of
        it finds them ("программе" is "программа"); the forms of one stem pool their hits."""
        stems: dict[tuple[str, ...], list[Hit]] = defaultdict(list)
        for key, hits in list(self.table.items()):
            if len(key) != 1 or key[0].isascii():
                continue
            word = key[0]
            for suffix in self.suffixes:
                stem = word[: -len(suffix)]
                if not word.endswith(suffix) or len(stem) < _STEM_LENGTH:
                    continue
                if (stem,) not in self.table:
                    stems[(stem,)].extend(h for h in hits if h not in stems[(stem,)])
        self.table.update(stems)
        # "С береговой охраной" is "береговая охрана": a phrase in another script is found in
        # any case of its words, by their stems together, when no phrase matches as written.
        inflected: dict[tuple[str, ...], list[Hit]] = defaultdict(list)
        for key, hits in self.table.items():
            if len(key) > 1 and not any(w.isascii() for w in key):
                stemmed = tuple(self._stem(w) for w in key)
                if stemmed != key:
                    inflected[stemmed].extend(h for h in hits if h not in inflected[stemmed])
        self.inflected = dict(inflected)
        # How many words the longest phrase starting with a word spans: most words start none,
        # and a message's every position is tried.
        self._reach = _reach(self.table)
        self._inflected_reach = _reach(self.inflected)

    def _stem(self, word: str) -> str:
        """A word without its longest listed ending that leaves a stem long enough to tell."""
        return kept(self._stems_of, word, lambda: self._stripped(word), _REMEMBERED)

    def _stripped(self, word: str) -> str:
        for suffix in self.suffixes:
            if word.endswith(suffix) and len(word) - len(suffix) >= _STEM_LENGTH:
                return word[: -len(suffix)]
        return word

    def _add(self, code: str, category: str, value: str | int, phrases: list[Any]) -> None:
        for phrase in _strings(code, phrases):
            key = tuple(tokens(str(phrase)))[:_MAX_PHRASE]
            hit = Hit(code, category, value)
            if key and hit not in self.table[key]:
                self.table[key].append(hit)
            if key:
                self.phrases[code].add(key)

    def _add_day_words(self, code: str, phrases: list[Any]) -> None:
        """Keep the one-word names of days and months that a slip in typing may garble."""
        for phrase in _strings(code, phrases):
            words = tokens(str(phrase))
            if len(words) == 1 and len(words[0]) >= _SLIP_LENGTH and words[0].isalpha():
                self.day_words.add(words[0])

    def _load_words(self, code: str, data: dict[str, Any]) -> None:
        """Stop-words, greetings, day-of-month markers and chat abbreviations."""
        for word in _strings(code, data.get("stopwords", [])):
            self.stopwords.update(tokens(word))
            self.stops[code].update(tokens(word))
        for word in _strings(code, data.get("everyday", [])):
            self.everyday[code].update(tokens(word))
        markers = data.get("day_of_month", {})
        for side, found in zip(("before", "after"), self.day_markers, strict=True):
            for word in _strings(code, markers.get(side, [])):
                # A marker of two words ("noite de") is kept whole: "de" alone marks no day.
                found.add(" ".join(tokens(word)))
        for word in _strings(code, markers.get("durations", [])):
            self.durations.update(tokens(word))
        for phrase in _strings(code, data.get("greetings", [])):
            if key := tuple(tokens(str(phrase)))[:_MAX_PHRASE]:
                self.greetings.add(key)
        half = data.get("half_hour", {})
        for side, found_phrases in zip(("before", "after"), self.half_hours, strict=True):
            found_phrases.update(tuple(tokens(p)) for p in _strings(code, half.get(side, [])))
        self.elisions[code].update(str(e) for e in data.get("elisions", []))
        self.conjunctions.update(str(c) for c in data.get("conjunctions") or [])
        self.joined_conjunctions.update(str(c) for c in data.get("joined_conjunctions") or [])
        self.typed_conjunctions[code].update(str(c) for c in data.get("typed_conjunctions") or [])
        for word, followers in (data.get("or_words") or {}).items():
            self.or_words[code][str(word)] = frozenset(
                w for f in _strings(code, followers) for w in tokens(f)
            )
        for name, found_set in (
            ("devices", self.devices),
            ("leave", self.leave),
            ("returns", self.returns),
            ("entering", self.entering),
            ("cancels", self.cancels),
            ("ways", self.ways),
            ("exceptions", self.exceptions),
        ):
            found_set.update(tuple(tokens(p)) for p in _strings(code, data.get(name, [])))
        for short, long in (data.get("abbreviations") or {}).items():
            self.abbreviations[str(short)] = tokens(str(long))
            self._shorthand_of[str(short)] = code
            self._shorthands[code].add(str(short))

    def _load_language(self, code: str, data: dict[str, Any]) -> None:
        self._add(code, "marker", code, data.get("markers", []))
        self._load_words(code, data)
        for name, phrases in data.get("intents", {}).items():
            self._add(code, "intent", name, phrases)
        for name, phrases in data.get("dates", {}).items():
            self._add(code, "date", name, phrases)
            self._add_day_words(code, phrases)
        for index, names in enumerate(data.get("weekdays", [])):
            self._add(code, "weekday", index, names)
            self._add_day_words(code, names)
        for index, names in enumerate(data.get("months", [])):
            self._add(code, "month", index + 1, names)
            self._add_day_words(code, names)
        for name, phrases in data.get("parts", {}).items():
            self._add(code, "part", name, phrases)
        for canonical, phrases in data.get("terms", {}).items():
            self._add(code, "term", canonical, phrases)
        for target, phrases in data.get("language_names", {}).items():
            self._add(code, "language", target, phrases)

    def _single(self, word: str) -> list[Hit]:
        """Hits of one word, trying it without attached prefixes and suffixes.

        Arabic attaches articles, prepositions and possessives to words ("بالفندق" is "in the
        hotel", "فندقنا" "our hotel"); the lexicons list the bare words.
        """
        found = self.table.get((word,))
        if found:
            return found
        return kept(self._singles, word, lambda: self._stemmed(word), _REMEMBERED)

    def _stemmed(self, word: str) -> list[Hit]:
        for stem in self.stems(word):
            found = self.table.get((stem,))
            if found:
                return found
        return []

    def back(self, words: tuple[str, ...]) -> bool:
        """Whether a message speaks of going back ("the bus back"), not of going in."""
        return self.says(words, self.returns) and not self.says(words, self.entering)

    def says(self, words: tuple[str, ...], phrases: set[tuple[str, ...]]) -> bool:
        """Whether a message's words hold one of the phrases: a word with a prefix attached
        ("بالتلفون") or another ending ("телефоном") counts as the word."""
        forms = [{w, *self.bare(w)} for w in words]
        # Only phrases whose first word starts as a form of the message does can match.
        index = self._phrase_heads.get(id(phrases))
        if index is None:
            index = defaultdict(list)
            for phrase in phrases:
                index[phrase[0][:_HEAD]].append(phrase)
            self._phrase_heads[id(phrases)] = index
        heads = {f[:_HEAD] for found in forms for f in found}
        for phrase in (p for head in heads for p in index.get(head, ())):
            size = len(phrase)
            for i in range(len(words) - size + 1):
                if all(_alike(p, forms[i + n]) for n, p in enumerate(phrase)):
                    return True
        return False

    def bare(self, word: str) -> tuple[str, ...]:
        """The word without an attached prefix ("والطعام" is "الطعام" and "طعام")."""
        return kept(self._bares, word, lambda: tuple(self._unprefixed(word)), _REMEMBERED)

    def _unprefixed(self, word: str) -> list[str]:
        found = [
            word[len(p) :] for p in self.prefixes if word.startswith(p) and len(word) - len(p) >= 2
        ]
        found.extend(
            article + word[len(p) :]
            for p, article in self.restored.items()
            if word.startswith(p) and len(word) - len(p) >= 2
        )
        return found

    def stems(self, word: str) -> tuple[str, ...]:
        """The word without an attached prefix, suffix, or both, longest affixes first."""
        return kept(self._all_stems, word, lambda: tuple(self._affixless(word)), _REMEMBERED)

    def _affixless(self, word: str) -> Iterator[str]:
        bare = self.bare(word)
        yield from bare
        for base in (word, *bare):
            for suffix in self.suffixes:
                if base.endswith(suffix) and len(base) - len(suffix) >= 3:
                    stem = base[: -len(suffix)]
                    yield stem
                    for written, ending in self.suffix_endings.items():
                        if stem.endswith(written):
                            yield stem[: -len(written)] + ending

    def _word_elsewhere(self, word: str, code: str) -> bool:
        """Whether a word belongs to another language than ``code``."""
        return any(
            (word,) in self.phrases[other]
            or word in self.stops[other]
            or word in self.everyday[other]
            for other in self.languages
            if other != code and word not in self._shorthands[other]
        )

    def is_plural(self, word: str) -> bool:
        """Whether a Latin word is a known word with a plural ending ("cards", "passes")."""
        known = self.translit.known
        return word.isascii() and (
            (word.endswith("s") and word[:-1] in known)
            or (word.endswith("es") and word[:-2] in known)
        )

    def is_everyday(self, word: str) -> bool:
        """Whether a word is an everyday word of some language: common, yet no topic."""
        return word in self._common

    def expand(self, words: list[str]) -> list[str]:
        """Spell out chat shorthand, elisions typed without their apostrophe ("lassurance" is
        "l assurance") and half hours ("9 y media" is "9 30")."""
        if any(w in self.abbreviations for w in words):
            words = [part for i, w in enumerate(words) for part in self._spelled_out(words, i)]
        if self.elisions:
            words = [part for w in words for part in self._elided(w)]
        if not any(_HOUR.match(w) for w in words):
            return words
        return self._half_hours(words)

    def _spelled_out(self, words: list[str], i: int) -> list[str]:
        """A word's shorthand spelled out, unless the words after it already say the rest
        (French "c" is "c est", but "c'est" is typed "c est" already)."""
        full = self.abbreviations.get(words[i], [words[i]])
        rest = full[1:]
        if rest and words[i + 1 : i + 1 + len(rest)] == rest:
            return full[:1]
        return full

    def mistyped_days(self, words: list[str], known: AbstractSet[str]) -> list[str]:
        """Names of days and months typed with a slip ("tommorow", "wensday", "demian")
        spelled right; a word of any lexicon, or of ``known`` (the programme's), is kept."""
        return [
            kept(self._slips, w, lambda w=w: self._slipped(w), _REMEMBERED)
            if len(w) >= _SLIP_LENGTH and w.isalpha() and w not in known
            else w
            for w in words
        ]

    def _slipped(self, word: str) -> str:
        """The one name of a day or month a word no lexicon knows is a slip for, else itself."""
        if word in self.translit.known or word in self.stopwords or self._single(word):
            return word
        slips = 2 if len(word) >= _TWO_SLIPS_LENGTH else 1
        found = process.extract(
            word, self.day_words, scorer=OSA.distance, score_cutoff=slips, limit=4
        )
        # "Quinto" (fifth) is no slip for "quinta" (Thursday): a word's ending is its own.
        nearest = [
            str(name)
            for name, distance, _ in found
            if distance == found[0][1] and not _inflected(word, str(name))
        ]
        # "Субботк" is субботу or суббота, Saturday either way; "tuesdy" is not Thursday, and
        # a word as near to two days says neither.
        meanings = {
            frozenset((h.category, h.value) for h in self.table.get((n,), ())) for n in nearest
        }
        return nearest[0] if len(meanings) == 1 else word

    def _elided(self, word: str) -> list[str]:
        """A word no lexicon knows that is an elided article or pronoun and a known word."""
        known = self.translit.known
        if word in known or not word.isascii():
            return [word]
        for code, elisions in self.elisions.items():
            for elision in elisions:
                rest = word[len(elision) :]
                if (
                    word.startswith(elision)
                    and len(rest) > 2
                    and rest[0] in _ELIDED
                    and rest in known
                    and rest in self._elidable[code]
                ):
                    return [elision, rest]
        return [word]

    def _half_hours(self, words: list[str]) -> list[str]:
        """Write an hour and its half as the hour and 30 minutes."""
        before, after = self.half_hours
        out: list[str] = []
        i = 0
        while i < len(words):
            size = next((n for n in (3, 2, 1) if tuple(words[i : i + n]) in before), 0)
            if size and i + size < len(words) and _HOUR.match(words[i + size]):
                out += [words[i + size], "30"]
                i += size + 1
                continue
            out.append(words[i])
            if _HOUR.match(words[i]):
                size = next((n for n in (3, 2, 1) if tuple(words[i + 1 : i + 1 + n]) in after), 0)
                if size:
                    out.append("30")
                    i += size
            i += 1
        return out

    def greeting_at(self, words: list[str]) -> int:
        """Return how many leading words form a greeting (0 when none does)."""
        for size in range(min(_MAX_PHRASE, len(words)), 0, -1):
            if tuple(words[:size]) in self.greetings:
                return size
        return 0

    def is_dated(self, words: list[str]) -> bool:
        """Return whether a phrase also names a day or a part of one ("morning")."""
        return any(h.category in ("date", "part") for h in self.table.get(tuple(words), []))

    def scan(self, words: list[str]) -> Scan:
        """Match the longest known phrase at each position; keep the rest as free words."""
        result = Scan(words)
        i, n = 0, len(words)
        while i < n:
            size, found = self._phrase_at(words, i)
            if found and not self._overtaken(words, i, size, found):
                result.hits.extend((i, i + size, hit) for hit in found)
                result.hits.extend(self._day_closing(words, i, size, found))
                i += size
                continue
            found = self._single(words[i])
            if found:
                result.hits.extend((i, i + 1, hit) for hit in found)
            # A recognised word is used through its meaning (a canonical term, a language),
            # never also as itself, so one word cannot count twice.
            if not found and words[i] not in self.stopwords:
                result.free.append((i, words[i]))
            i += 1
        return result

    def _day_closing(
        self, words: list[str], i: int, size: int, found: list[Hit]
    ) -> list[tuple[int, int, Hit]]:
        """The day a phrase ends on ("¿qué nos toca mañana?", "sigue mañana?"): said as well
        as the phrase, which would otherwise swallow it."""
        # A term's words ("the same day") name no day of their own, nor does "anything else
        # today?", which asks what comes next.
        if not all(h.category == "intent" and h.value in _DATED_ASKS for h in found):
            return []
        for j in range(i + 1, i + size):
            piece = tuple(words[j : i + size])
            hits = self.table.get(piece) if len(piece) > 1 else self._single(piece[0])
            days = [h for h in hits or () if h.category == "date" and h.value in _SAID_DAYS]
            if days:
                return [(j, i + size, hit) for hit in days]
        return []

    def _phrase_at(self, words: list[str], i: int) -> tuple[int, list[Hit]]:
        """The longest phrase of two words or more starting at a position."""
        for size in range(min(self._reach.get(words[i], 0), len(words) - i), 1, -1):
            found = self.table.get(tuple(words[i : i + size]))
            if found:
                return size, found
        if words[i].isascii():
            return 0, []
        size, found = self._prefixed_phrase_at(words, i)
        if found or not self.inflected:
            return size, found
        reach = self._inflected_reach.get(self._stem(words[i]), 0)
        for size in range(min(reach, len(words) - i), 1, -1):
            piece = words[i : i + size]
            if any(w.isascii() for w in piece):
                continue
            found = self.inflected.get(tuple(self._stem(w) for w in piece))
            if found:
                return size, found
        return 0, []

    def _prefixed_phrase_at(self, words: list[str], i: int) -> tuple[int, list[Hit]]:
        """ "والساعة كام" is "and" + "الساعة كام", "فكانساس سيتي" "in" + "Kansas City": a
        phrase whose first word carries a joined "and", or a name with a preposition
        ("لمين بيحكي", "to whom do I talk", is no "مين بيحكي", "who speaks")."""
        anded = {words[i][len(c) :] for c in self.joined_conjunctions if words[i].startswith(c)}
        firsts = [(f, self._reach.get(f, 0)) for f in self.bare(words[i])]
        top = max((reach for _, reach in firsts), default=0)
        for size in range(min(top, len(words) - i), 1, -1):
            for first, reach in firsts:
                if reach < size:
                    continue
                found = self.table.get((first, *words[i + 1 : i + size]))
                if first not in anded:
                    found = [hit for hit in found or () if hit.category == "term"]
                if found:
                    return size, found
        return 0, []

    def _overtaken(self, words: list[str], i: int, size: int, found: list[Hit]) -> bool:
        """Whether a phrase starting inside this one reaches further and says more: a longer
        one, or a date ("et après-demain" is "and" + "the day after tomorrow")."""
        dated = any(h.category == "date" for h in found)
        for j in range(i + 1, i + size):
            other, hits = self._phrase_at(words, j)
            if j + other > i + size and (
                other > size or (not dated and any(h.category == "date" for h in hits))
            ):
                return True
        return False


def _reach(table: dict[tuple[str, ...], list[Hit]]) -> dict[str, int]:
    """For each first word of a phrase of two words or more, the longest such phrase's size."""
    reach: dict[str, int] = {}
    for key in table:
        if len(key) > 1:
            reach[key[0]] = max(reach.get(key[0], 0), len(key))
    return reach


def _alike(word: str, forms: set[str]) -> bool:
    """Whether a phrase's word is one of a message word's forms, or its stem of five letters
    or more begins one ("телефон", "телефоном")."""
    if word in forms:
        return True
    stem = word[: max(_STEM_LENGTH, len(word) - 2)]
    return len(word) >= _STEM_LENGTH and any(f.startswith(stem) for f in forms)


def _strings(code: str, phrases: list[Any]) -> list[str]:
    """A lexicon list, refusing what YAML read as something else (bare on/no are booleans)."""
    wrong = [p for p in phrases if not isinstance(p, str | int) or isinstance(p, bool)]
    if wrong:
        raise ValueError(f"lexicon {code}: quote these phrases: {wrong!r}")
    return [str(p) for p in phrases]
