"""Arabic and Russian typed in Latin letters, spelled back into the words of their lexicons.

Participants write "wein el fondo2" (Arabizi) or "chto u nas zavtra" (Russian translit).
Every lexicon file with a ``transliteration:`` table gets an index of all its words and
phrases by a comparison key made of that script's letters; a Latin word is spelled out
into the same letters (every reading its Latin spellings allow) and looked up there.
Adding a language is adding its table to its lexicon file: nothing here names a language.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bot.assistant.memo import kept
from bot.assistant.normalize import normalise, script_language

# Keys kept per lexicon word (each optional or doubled letter written or not).
_VARIANTS = 64
# Partial readings kept per position of a Latin word; only ones that can still become a
# lexicon key are kept at all, so this bound is rarely reached.
_BEAM = 64
# A reading's cost: one per spelling piece read ("s"+"h" costs more than "sh"), plus
# _RANK per place a spelling has down its letter's list (Latin "k" is ك before ق); a
# reading that takes a prefix off or is only close costs _DROP more.
_RANK = 10
_DROP = 100
# A possessive ending read off ("tayyaretna"): dearer than any prefix.
_OWNED = 2 * _DROP
# Latin vowels, which a one-letter reading may leave unwritten.
_VOWELS = re.compile("[aeiou]")
# Phrase readings tried per window of Latin words.
_PHRASE_READINGS = 64
_WINDOW = 3
# A fuzzy match must be close (one slip, a letter wrong, missing or extra, in five), begin
# with the same letter (slips are rarely first), and its key must be long enough that one
# slip does not turn it into another word.
_FUZZY_SCORE = 0.8
_FUZZY_MIN_KEY = 5
# A Latin word longer than this that a Latin-script lexicon knows but spells a word as long
# that marks another language ("win" as وين, not "hoy" as هي) is read so with no read word
# beside it.
_SHORT = 2
# A name word this long or shorter ("omar") is kept as a name only beside another.
_SHORT_NAME = 4
# An article written apart opens with a vowel ("el", "il"); it is read in a phrase with the
# word after it when that word has a digit ("el sa3a", not "el ghada" nor "el BCA").
_ARTICLE_VOWELS = frozenset("aeiu")
# No article or conjunction written apart is longer ("bil", "lil"): "leila" is no prefix.
_LONGEST_PREFIX = 3
# A prefix comes off a Latin word ("bil-fondo2") only if this much of a word is left.
_MIN_STEM = 3
# No lexicon word takes more Latin letters than this; longer strings are not read at all.
_LONGEST_LATIN = 24
# A question typed in chat is shorter; a longer text is left as it is, at no cost.
_MOST_WORDS = 40
# The fewest Latin words in a row, in a message written partly in another script, read as
# that script's language ("не спится. zavtra vo skolko sbor?").
_MIXED_RUN = 3
# How many different function words of one Latin-script language, making up what share of a
# message, show it is written in that language.
_FUNCTION_WORDS = 3
_FUNCTION_SHARE = 0.4
_CACHE_LIMIT = 20_000


def _append(key: str, letter: str, adjacent: bool) -> str:
    """Add a letter to a Latin-side key; a letter doubled back to back counts once ("nn")."""
    return key if adjacent and key.endswith(letter) else key + letter


@dataclass(frozen=True)
class Reading:
    """A lexicon word (or phrase) Latin words were read as, and how it was found."""

    words: tuple[str, ...]
    # Lower is a more literal reading (see _RANK and _DROP).
    cost: int
    # How much the Latin looks like the reading's usual romanisation (0-100).
    likeness: float
    fuzzy: bool = False


@dataclass
class Script:
    """One language's romanisation table and its lexicon indexed by comparison key."""

    code: str
    # Latin spelling -> (letter, extra cost) it may stand for, most usual first; "" is
    # "nothing" (a short vowel).
    units: dict[str, tuple[tuple[str, int], ...]]
    unwritten: frozenset[str]
    optional: frozenset[str]
    final: frozenset[str]
    initial: frozenset[str]
    silent: frozenset[str]
    primary: dict[str, str]
    stopwords: frozenset[str] = frozenset()
    # Words that mark the language ("وين", "شو"): read so alone, even as a known Latin word.
    markers: frozenset[str] = frozenset()
    longest: int = 1
    # An article whose consonant is said as the letter after it ("essebt" for "el sebt"):
    # the article in Latin, and the letters it becomes.
    article: str = ""
    assimilating: frozenset[str] = frozenset()
    words: dict[str, list[str]] = field(default_factory=dict)
    # Keys of words with a possessive ending ("tayyaretna"), each giving the word.
    owned: dict[str, list[str]] = field(default_factory=dict)
    entries: set[str] = field(default_factory=set)
    phrases: dict[tuple[str, ...], list[tuple[str, ...]]] = field(default_factory=dict)
    # The keys found at each place of a phrase: a window is tried only if its words fit.
    parts: list[set[str]] = field(default_factory=lambda: [set() for _ in range(_WINDOW)])
    prefixes: frozenset[str] = frozenset()
    viable: set[str] = field(default_factory=set)
    fuzzy: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    roman: dict[str, str] = field(default_factory=dict)
    _readings: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    _keys: dict[str, list[str]] = field(default_factory=dict)
    # Latin words and windows already read: a chat repeats its words.
    _read: dict[tuple[tuple[str, ...], bool], Reading | None] = field(default_factory=dict)
    _near: dict[str, Reading | None] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        code: str,
        table: Mapping[str, Any],
        phrases: Iterable[tuple[str, ...]],
        stopwords: Iterable[str],
    ) -> Script:
        """Compile a ``transliteration:`` table and index a language's phrases by key."""
        spelled: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        optional: set[str] = set()
        silent: set[str] = set()
        primary: dict[str, str] = {}
        for order, (raw, spellings) in enumerate(dict(table.get("letters", {})).items()):
            # Letters are folded as lexicon words are (أ to ا, ة to ه, й to и), so the
            # spellings of the variants join those of the letter the lexicon keeps.
            letter = normalise(str(raw))
            latin = [normalise(str(s)).replace(" ", "") for s in spellings]
            if not letter:
                continue
            if "" in latin:
                optional.add(letter)
            if not any(latin):
                silent.add(letter)
            primary.setdefault(letter, next((s for s in latin if s), ""))
            for rank, spelling in enumerate(s for s in latin if s):
                spelled[spelling].append((rank, order, letter))
        unwritten = frozenset(normalise(str(s)) for s in table.get("unwritten", []))
        units: dict[str, tuple[tuple[str, int], ...]] = {}
        for spelling in set(spelled) | unwritten:
            choices: dict[str, int] = {}
            for rank, _, letter in sorted(spelled.get(spelling, [])):
                choices.setdefault(letter, rank * _RANK)
            # Only a short vowel may stand for nothing: the script does not write it.
            if spelling in unwritten:
                choices[""] = 0
            units[spelling] = tuple(choices.items())
        script = cls(
            code=code,
            units=units,
            unwritten=unwritten,
            optional=frozenset(optional - silent),
            final=frozenset(normalise(str(s)) for s in table.get("optional_at_end", [])),
            initial=frozenset(normalise(str(s)) for s in table.get("kept_at_start", [])),
            silent=frozenset(silent),
            primary=primary,
            stopwords=frozenset(stopwords),
            markers=frozenset(normalise(str(m)) for m in table.get("markers", [])),
            longest=max((len(u) for u in units), default=1),
            article=normalise(str(table.get("article", ""))),
            assimilating=frozenset(normalise(str(a)) for a in table.get("assimilating", [])),
        )
        endings = {
            normalise(str(v)): normalise(str(k))
            for k, v in dict(table.get("suffix_endings", {})).items()
        }
        suffixes = tuple(s for s in map(normalise, map(str, table.get("possessive", []))) if s)
        script._index(phrases, table.get("strip_prefixes", []), suffixes, endings)
        return script

    def _index(
        self,
        phrases: Iterable[tuple[str, ...]],
        prefixes: Iterable[str],
        suffixes: tuple[str, ...] = (),
        endings: Mapping[str, str] | None = None,
    ) -> None:
        """Index every word (alone and inside phrases) and every short phrase by key; a
        word with a possessive ending ("tayyaretna", طيارتنا) is read as the word."""
        ordered = sorted(set(phrases))
        self.owned = self._owned([p[0] for p in ordered if len(p) == 1], suffixes, endings or {})
        words: dict[str, list[str]] = defaultdict(list)
        fuzzy: dict[tuple[str, int], set[str]] = defaultdict(set)
        for phrase in ordered:
            if len(phrase) == 1:
                self.entries.add(phrase[0])
            for word in phrase:
                self.roman[word] = "".join(self.primary.get(c, c) for c in word)
                for key in self.keys(word):
                    if word not in words[key]:
                        words[key].append(word)
                minimal = self.minimal(word)
                if minimal:
                    fuzzy[(minimal[0], len(minimal))].add(minimal)
            if 1 < len(phrase) <= _WINDOW:
                self._index_phrase(phrase)
        self.words = dict(words)
        self.fuzzy = {bucket: sorted(keys) for bucket, keys in fuzzy.items()}
        self.prefixes = frozenset(key for p in prefixes for key in self.keys(normalise(str(p))))
        # Every beginning of a key, bare or after a prefix: a partial reading that is none
        # of these is dropped early.
        keys = [*words, *self.owned, *self.prefixes]
        starts = {key[:end] for key in keys for end in range(len(key) + 1)}
        self.viable = starts | {p + start for p in self.prefixes for start in starts}

    def _owned(
        self, entries: list[str], suffixes: tuple[str, ...], endings: Mapping[str, str]
    ) -> dict[str, list[str]]:
        """Keys of the words with a possessive ending, each giving the word itself."""
        words: dict[str, list[str]] = defaultdict(list)
        for word in entries:
            if len(word) < _MIN_STEM or word in self.stopwords:
                continue
            stem = word[:-1] + endings[word[-1]] if word[-1] in endings else word
            for suffix in suffixes:
                for key in self.keys(stem + suffix):
                    if word not in words[key]:
                        words[key].append(word)
        return words

    def _index_phrase(self, phrase: tuple[str, ...]) -> None:
        """Index a phrase under every combination of its words' keys (bounded)."""
        options = [self.keys(word) for word in phrase]
        if not all(options):
            return
        for combination in itertools.islice(itertools.product(*options), _VARIANTS):
            spelled = self.phrases.setdefault(combination, [])
            if phrase not in spelled:
                spelled.append(phrase)
            for place, key in enumerate(combination):
                self.parts[place].add(key)

    def _droppable(self, word: str, position: int) -> bool:
        """Whether a lexicon word's letter may go unwritten in Latin at that position."""
        letter = word[position]
        if position == 0 and letter in self.initial:
            return False
        return letter in self.optional or (position == len(word) - 1 and letter in self.final)

    def keys(self, word: str) -> list[str]:
        """Every key of a lexicon word: each optional letter written or left out."""
        # A letter written twice in a row may also count once: Russian "программа" is typed
        # "programa" too, while Arabic "ممكن" has two letters where Latin "mumkin" has two.
        known = self._keys.get(word)
        if known is not None:
            return known
        # A state is a key and whether its last letter was written right before this one.
        states: dict[tuple[str, bool], None] = {("", False): None}
        for position, letter in enumerate(word):
            if letter in self.silent:
                states = dict.fromkeys((key, False) for key, _ in states)
                continue
            droppable = self._droppable(word, position)
            grown: dict[tuple[str, bool], None] = {}
            for key, adjacent in states:
                grown[(key + letter, True)] = None
                if adjacent and key.endswith(letter):
                    grown[(key, True)] = None
                if droppable:
                    grown[(key, False)] = None
            states = dict(itertools.islice(grown.items(), _VARIANTS))
        found = [key for key in dict.fromkeys(key for key, _ in states) if key]
        self._keys[word] = found
        return found

    def minimal(self, word: str) -> str:
        """The key of a lexicon word with every optional letter left out (for fuzzy matching)."""
        return "".join(
            letter
            for position, letter in enumerate(word)
            if letter not in self.silent and not self._droppable(word, position)
        )

    def readings(self, word: str) -> tuple[tuple[str, int], ...]:
        """Keys a Latin word may spell, each with its cost (see ``_DROP``)."""
        cached = self._readings.get(word)
        if cached is not None:
            return cached
        if len(word) > _LONGEST_LATIN:
            return ()
        # Partial readings by how much of the word they have read; a word may be cut into
        # spellings several ways ("jorke": j-o-r-k-e, not jo-r-k-e).
        reached: list[dict[tuple[str, bool], int]] = [{} for _ in range(len(word) + 1)]
        reached[0][("", False)] = 0
        for start, states in enumerate(reached[:-1]):
            if len(states) > _BEAM:
                states = dict(sorted(states.items(), key=lambda item: item[1])[:_BEAM])
            for end in range(start + 1, min(start + self.longest, len(word)) + 1):
                unit = word[start:end]
                if unit in self.units:
                    self._extend(states, unit, reached[end])
        found: dict[str, int] = {}
        for (key, _), cost in reached[-1].items():
            if key and cost < found.get(key, cost + 1):
                found[key] = cost
        result = tuple(sorted(found.items(), key=lambda item: item[1]))
        if len(self._readings) > _CACHE_LIMIT:
            self._readings.clear()
        self._readings[word] = result
        return result

    def _extend(
        self, states: dict[tuple[str, bool], int], unit: str, target: dict[tuple[str, bool], int]
    ) -> None:
        """Read one more spelling after each partial reading, keeping the viable ones."""
        for (key, adjacent), cost in states.items():
            for letter, extra in self.units[unit]:
                spent = cost + 1 + extra
                if letter:
                    state = (_append(key, letter, adjacent), True)
                    if state[0] not in self.viable:
                        continue
                else:
                    state = (key, False)
                if spent < target.get(state, spent + 1):
                    target[state] = spent

    def latin_minimal(self, word: str) -> str:
        """The most usual reading of a Latin word with optional letters left out."""
        key, adjacent = "", False
        i = 0
        while i < len(word):
            for size in range(min(self.longest, len(word) - i), 0, -1):
                choices = self.units.get(word[i : i + size])
                if choices is not None:
                    break
            else:
                return ""
            letter = choices[0][0] if all(c for c, _ in choices) else ""
            kept = bool(letter)
            if kept:
                key = _append(key, letter, adjacent)
            adjacent = kept
            i += size
        return key

    def weight(self, word: str) -> int:
        """How strongly a Latin word read in this script points to it."""
        # A digit of the table ("fondo2", "vstre4a") is written by no Latin-script language.
        return 2 if any(c.isdigit() and c in self.units for c in word) else 1

    def is_prefix(self, word: str) -> bool:
        """Whether a Latin word is an attached prefix written apart ("el", "w", "b"); one
        that spells a word as well ("il", يلا) is the prefix when it opens with a vowel, as an
        article does (not "fi"), and reads as the prefix as cheaply."""
        cost = self._prefix_cost(word) if len(word) <= _LONGEST_PREFIX else None
        if cost is None:
            return False
        found = self.word(word)
        return found is None or (len(word) == 2 and word[0] in "aeiou" and cost <= found.cost)

    def _prefix_cost(self, word: str) -> int | None:
        """The cost of reading a Latin word as a prefix, if it can be one."""
        return min((c for k, c in self.readings(word) if k in self.prefixes), default=None)

    def word(self, word: str, *, function: bool = False) -> Reading | None:
        """The lexicon word a Latin word spells exactly (a stopword only, with ``function``)."""
        # ``function`` is for Latin words a Latin-script lexicon knows ("a", "na", "in"):
        # they may be this script's function words, never its content words.
        return self._remember((word,), function, self._word)

    def _remember(
        self,
        words: tuple[str, ...],
        flag: bool,
        read: Callable[[tuple[str, ...], bool], Reading | None],
    ) -> Reading | None:
        """A reading from the cache, or read now and kept."""
        if (words, flag) in self._read:
            return self._read[(words, flag)]
        found = read(words, flag)
        if len(self._read) > _CACHE_LIMIT:
            self._read.clear()
        self._read[(words, flag)] = found
        return found

    def _word(self, words: tuple[str, ...], function: bool) -> Reading | None:
        """Read one Latin word exactly (see ``word``); "essebt" is read as "elsebt", the
        article said as the letter after it."""
        spoken = self.spelled_out(words[0])
        if spoken is not None and (found := self._written(spoken, function)) is not None:
            return found
        return self._written(words[0], function)

    def _written(self, word: str, function: bool) -> Reading | None:
        """Read one Latin word exactly as written."""
        # Per candidate: its cheapest reading, and the most letters any reading matched
        # (Latin "elotel" may write the و of الاوتيل, never a letter of التالي).
        cheapest: dict[str, tuple[int, int]] = {}
        fullest: dict[str, int] = defaultdict(int)
        for key, cost in self.readings(word):
            stems = [(key, cost)] + [
                (key[len(p) :], cost + _DROP)
                for p in self.prefixes
                if key.startswith(p) and len(key) - len(p) >= _MIN_STEM
            ]
            for stem, spent in stems:
                # A bare article or conjunction ("el", "w") is no word of its own, and one
                # letter read from a longer word ("new" as ن) says too little.
                # "Sho" is ش and its vowel: one letter is enough when the word's other
                # letters are vowels.
                if stem in self.prefixes or (len(stem) < 2 < len(_VOWELS.sub("", word))):
                    continue
                # A possessive ending read off ("tayyaretna" as طياره) is no evidence of the
                # script ("barcelona" spells بركلي and نا too), nor read with a prefix off.
                found = [(c, spent) for c in self.words.get(stem, ())]
                if stem == key:
                    found += [(c, spent + _OWNED) for c in self.owned.get(stem, ())]
                for candidate, paid in found:
                    if function and candidate not in self.stopwords:
                        continue
                    cheapest[candidate] = min(
                        cheapest.get(candidate, (paid, 0)), (paid, -len(stem))
                    )
                    fullest[candidate] = max(fullest[candidate], len(stem))
        if not cheapest:
            return None
        ranked = sorted((*cheapest[c], -fullest[c], c not in self.entries, c) for c in cheapest)
        top = ranked[0][:4]
        # Read more literally as an article ("el" as ال, not as على), it is no word.
        as_prefix = self._prefix_cost(word)
        if as_prefix is not None and as_prefix < top[0]:
            return None
        tied = [r[4] for r in ranked if r[:4] == top]
        likeness, best = max((self._like(word, c), c) for c in tied)
        return Reading((best,), top[0], likeness)

    def spelled_out(self, word: str) -> str | None:
        """ "Essebt", "ettalet": the word with its article written out ("elsebt"), when it
        opens with a vowel and a doubled letter the article is said as."""
        if not self.article or len(word) < _MIN_STEM + 2 or word[0] not in _ARTICLE_VOWELS:
            return None
        for letters in self.assimilating:
            if word[1:].startswith(letters * 2):
                return self.article + word[1 + len(letters) :]
        return None

    def _like(self, latin: str, word: str) -> float:
        """How much a Latin word looks like a lexicon word's usual romanisation (0-100)."""
        roman = self.roman.get(word)
        if roman is None:
            roman = " ".join(self.roman.get(w, w) for w in word.split())
        return fuzz.ratio(latin, roman)

    def phrase(self, window: list[str]) -> Reading | None:
        """The lexicon phrase a window of Latin words spells exactly."""
        return self._remember(tuple(window), True, self._phrase)

    def _phrase(self, window: tuple[str, ...], _: bool) -> Reading | None:
        """Read a window of Latin words as a phrase (see ``phrase``)."""
        options = []
        for place, latin in enumerate(window):
            fitting = [(k, c) for k, c in self.readings(latin) if k in self.parts[place]]
            if not fitting:
                return None
            options.append(fitting)
        combinations = itertools.islice(itertools.product(*options), _PHRASE_READINGS)
        found = [
            (sum(c for _, c in combo), phrase)
            for combo in combinations
            if (keys := tuple(k for k, _ in combo)) in self.phrases
            for phrase in self.phrases[keys]
        ]
        if not found:
            return None
        # Of phrases spelled as cheaply ("ba3d bukra": بعد بكرا or بعد باكر), the likeliest.
        cost = min(c for c, _ in found)
        latin = " ".join(window)
        # On a tie, the phrase indexed first, as before any other was spelled alike.
        scored = [(self._like(latin, " ".join(p)), p) for c, p in found if c == cost]
        likeness, phrase = max(scored, key=lambda pair: pair[0])
        return Reading(phrase, cost, likeness)

    def near(self, word: str) -> Reading | None:
        """The lexicon word closest to a Latin word's usual reading, if close enough."""
        return kept(self._near, word, lambda: self._nearest(word), _CACHE_LIMIT)

    def _nearest(self, word: str) -> Reading | None:
        key = self.latin_minimal(word) if len(word) <= _LONGEST_LATIN else ""
        if len(key) < _FUZZY_MIN_KEY:
            return None
        choices = [
            k
            for size in range(len(key) - 1, len(key) + 2)
            for k in self.fuzzy.get((key[0], size), ())
        ]
        match = process.extractOne(
            key, choices, scorer=Levenshtein.normalized_similarity, score_cutoff=_FUZZY_SCORE
        )
        if match is None:
            return None
        candidates = [w for w in self.words.get(match[0], ()) if self.minimal(w) == match[0]]
        if not candidates:
            return None
        likeness, best = max((self._like(word, w), w) for w in candidates)
        return Reading((best,), _DROP, likeness, fuzzy=True)


# Words ``start:end`` of a message and what they were read as (None: left as typed).
Span = tuple[int, int, Reading | None]


class Transliterator:
    """Decides whether a Latin-letter message is typed Arabic, Russian... and spells it back."""

    def __init__(
        self,
        tables: Mapping[str, Mapping[str, Any]],
        phrases: Mapping[str, set[tuple[str, ...]]],
        stopwords: Mapping[str, set[str]],
        everyday: Mapping[str, set[str]] | None = None,
        terms: AbstractSet[str] = frozenset(),
    ) -> None:
        """Index each language with a table; learn the words of the others (``terms``: Latin
        words the glossary names things by in every language, "bus", "hotel")."""
        everyday = everyday or {}
        self.terms = terms
        self.scripts = tuple(
            Script.build(
                code,
                tables[code],
                phrases.get(code, set()) | {(w,) for w in stopwords.get(code, ())},
                stopwords.get(code, ()),
            )
            for code in sorted(tables)
        )
        latin = [code for code in {*phrases, *stopwords, *everyday} if code not in tables]
        # The reading at a place depends only on the words from there on: messages share them.
        self._readings: dict[tuple[str, tuple[str, ...]], tuple[Reading | None, int]] = {}
        self._names: AbstractSet[str] = frozenset()
        self._acronyms: AbstractSet[str] = frozenset()
        # Words of the Latin-script lexicons are read as another script's function words
        # only ("na", "a", "po"), never as its content words ("hotel", "in" as اين).
        self.known_stop = {w for code in latin for w in stopwords.get(code, ()) if w.isascii()}
        # Each Latin-script language's own function words: several of one language in a
        # message ("on ... ou pour ... au") write that language.
        self._function_words = [
            frozenset(w for w in stopwords.get(code, ()) if w.isascii()) for code in sorted(latin)
        ]
        self.standalone = self.known_stop | {
            p[0] for code in latin for p in phrases.get(code, ()) if len(p) == 1 and p[0].isascii()
        }
        self.standalone |= {w for code in latin for w in everyday.get(code, ()) if w.isascii()}
        # Any word of those lexicons, even one only seen inside a phrase ("fi" of "wi fi"),
        # is no evidence that a message is transliterated.
        self.known = self.standalone | {
            w for code in latin for phrase in phrases.get(code, ()) for w in phrase if w.isascii()
        }
        # Phrases of those lexicons ("wi fi") stay as they are, whatever their words spell.
        self.latin_phrases = {
            phrase
            for code in latin
            for phrase in phrases.get(code, ())
            if len(phrase) > 1 and all(w.isascii() for w in phrase)
        }

    def _unknown(self, word: str) -> bool:
        """Whether a word is no word of any Latin-script lexicon, nor a name, nor a number."""
        return (
            word not in self.known
            and word not in self._names
            and word not in self._acronyms
            and not word.isdigit()
        )

    def restore(
        self,
        words: list[str],
        hint: str | None = None,
        names: AbstractSet[str] = frozenset(),
        acronyms: AbstractSet[str] = frozenset(),
    ) -> list[str]:
        """Return the words with transliterated ones spelled in their script, else unchanged;
        ``names`` (the programme's people) and ``acronyms`` (its "NOAA") count as words of a
        Latin-script lexicon, an acronym however short."""
        if names is not self._names or acronyms is not self._acronyms:
            # Readings at a place depend on which words are known: a new roster, new readings.
            self._names = names
            self._acronyms = acronyms
            self._readings.clear()
        if all(w.isascii() for w in words):
            return self._restore(words, hint)
        return self._restore_runs(words)

    def _restore_runs(self, words: list[str]) -> list[str]:
        """A message partly in Cyrillic or Arabic: its runs of Latin words read in that script."""
        code = script_language(" ".join(words))
        if code not in {script.code for script in self.scripts}:
            return words
        out: list[str] = []
        run: list[str] = []
        for word in [*words, None]:
            if word is not None and word.isascii():
                run.append(word)
                continue
            out.extend(self._restore(run, code) if len(run) >= _MIXED_RUN else run)
            run = []
            if word is not None:
                out.append(word)
        return out

    def _restore(self, words: list[str], hint: str | None) -> list[str]:
        # ``hint`` is the reader's language: a Russian speaker's Latin message is read as
        # Russian even with some English words in it; anyone else's only when it is mostly
        # words no Latin-script lexicon knows.
        if not self.scripts or not 0 < len(words) <= _MOST_WORDS:
            return words
        if not all(w.isascii() for w in words):
            return words
        unknown = sum(1 for w in words if self._unknown(w))
        if not unknown:
            return words
        written = self._written_latin(words)
        best: tuple[tuple[bool, int, bool, float], Script, list[Span]] | None = None
        for script in self.scripts:
            hinted = script.code == hint
            spans = self._spans(script, words)
            evidence, against, likeness = self._weigh(script, spans, words)
            if hinted:
                # Exact readings must stand up to the Latin words left unexplained; a
                # message of unknown words alone may be read fuzzily.
                sure = (evidence >= 1 and evidence >= against) or unknown == len(words)
            else:
                # Anyone else's message must be mostly words no Latin lexicon knows, read, and
                # not held together by one Latin language's function words.
                sure = evidence > against and 2 * evidence > unknown and not written
            # The reader's own script, once any of its words is read exactly: a Russian
            # speaker's "skol'ko ... na sim karte" is Russian, whatever Arabizi its letters spell.
            rank = (hinted and evidence >= 1, evidence, hinted, likeness)
            if sure and (best is None or rank > best[0]):
                best = (rank, script, spans)
        if best is None:
            return words
        (_, evidence, _, _), script, spans = best
        if not evidence:
            # Nothing was read literally: only close misspellings ("sevodnya?") are read,
            # never a word with a prefix taken off, which a random string often spells.
            spans = [(start, end, None) for start, end, _ in spans]
        return self._write(script, spans, words)

    def _written_latin(self, words: list[str]) -> bool:
        """Whether three or more different function words of one Latin-script language make
        up a good share of the message ("on sonne ou pour entrer au SANE ?")."""
        present = set(words)
        return any(
            len(found := present & own) >= _FUNCTION_WORDS
            and _FUNCTION_SHARE * len(words) <= sum(w in found for w in words)
            for own in self._function_words
        )

    def _write(self, script: Script, spans: list[Span], words: list[str]) -> list[str]:
        """The message's words with each span's reading; close misspellings read too."""
        spans = [
            (s, e, script.near(words[s]) if r is None and self._unknown(words[s]) else r)
            for s, e, r in spans
        ]
        out: list[str] = []
        named = self._named_at(words)
        for n, (start, end, reading) in enumerate(spans):
            if named.intersection(range(start, end)):
                out.extend(words[start:end])
            elif reading is not None and self._anchored(script, spans, n, words):
                out.extend(reading.words)
            elif end - start == 1 and script.is_prefix(words[start]):
                # A stray article or conjunction ("el code") would make the message look
                # Spanish or French; it means nothing alone.
                continue
            else:
                out.extend(words[start:end])
        return out

    def _named_at(self, words: list[str]) -> set[int]:
        """Where a programme person's name is written ("Ali Al-Ubaidi"): kept as a name, not
        read as words ("ubaidi" as بدي); a short name word only beside another."""
        found: set[int] = set()
        for i, word in enumerate(words):
            if word in self._acronyms:
                found.add(i)
                continue
            if word not in self._names:
                continue
            near = range(max(0, i - 2), min(len(words), i + 3))
            beside = {j for j in near if j != i and words[j] in self._names}
            if beside or len(word) > _SHORT_NAME:
                found |= {i, *beside}
        return found

    def _weigh(self, script: Script, spans: list[Span], words: list[str]) -> tuple[int, int, float]:
        """Evidence for a script, the Latin-lexicon words it leaves unexplained, its likeness."""
        # Evidence is unknown words read literally (no prefix taken off, nothing fuzzy).
        evidence = against = 0
        likeness = 0.0
        for n, (start, end, reading) in enumerate(spans):
            if reading is not None and self._anchored(script, spans, n, words):
                likeness += reading.likeness
                if reading.cost < _DROP:
                    evidence += sum(script.weight(w) for w in words[start:end] if self._unknown(w))
                elif reading.cost >= _OWNED:
                    # A Latin word read only with a possessive ending off ("barcelona" as
                    # بركلي and نا) is still that word.
                    against += sum(1 for w in words[start:end] if w in self.known)
            elif not (end - start == 1 and script.is_prefix(words[start])):
                against += sum(1 for w in words[start:end] if w in self.known)
        return evidence, against, likeness

    def _spans(self, script: Script, words: list[str]) -> list[Span]:
        """Read every word (or window of words) of a message exactly in one script."""
        spans: list[Span] = []
        i = 0
        while i < len(words):
            reading, size = self._at(script, words, i)
            spans.append((i, i + size, reading))
            i += size
        return spans

    def _anchored(self, script: Script, spans: list[Span], n: int, words: list[str]) -> bool:
        """A word Latin lexicons know ("a", "po") is read alone only beside a word read too,
        unless it is read as a longer word that marks the language ("win" as وين)."""
        start, end, reading = spans[n]
        if end - start > 1 or self._unknown(words[start]):
            return True
        if (
            reading is not None
            and reading.words[0] in script.markers
            and min(len(words[start]), len(reading.words[0])) > _SHORT
        ):
            return True
        # A neighbour read only with a possessive ending off vouches for nothing.
        return any(
            reading is not None and reading.cost < _OWNED and (e - s > 1 or self._unknown(words[s]))
            for s, e, reading in (self._beside(script, spans, n, step, words) for step in (-1, 1))
        )

    def _beside(
        self, script: Script, spans: list[Span], n: int, step: int, words: list[str]
    ) -> Span:
        """The span next to span ``n`` that way, past a bare article ("win el FBI")."""
        m = n + step
        while 0 <= m < len(spans):
            s, e, reading = spans[m]
            if not (reading is None and e - s == 1 and script.is_prefix(words[s])):
                return spans[m]
            m += step
        return (0, 0, None)

    def _at(self, script: Script, words: list[str], i: int) -> tuple[Reading | None, int]:
        """The longest reading starting at word ``i``: a phrase, a glued prefix, a word."""
        window = words[i : i + _WINDOW]
        return kept(
            self._readings,
            (script.code, tuple(window)),
            lambda: self._read_at(script, window),
            _CACHE_LIMIT,
        )

    def _article_before(self, script: Script, window: list[str], i: int) -> bool:
        """Whether a window's word is an article written apart ("el", "il") before an unknown
        word with a digit ("el sa3a", not "el BCA" nor "LA emta")."""
        if i + 1 >= len(window) or window[i][0] not in _ARTICLE_VOWELS:
            return False
        after = window[i + 1]
        digit = any(c.isdigit() for c in after)
        return digit and self._unknown(after) and script.is_prefix(window[i])

    def _glued(self, script: Script, window: list[str]) -> tuple[list[str], list[int]]:
        """The window with each bare article joined to the unknown word after it and each
        article said as the next letter written out, and how many typed words each takes."""
        joined: list[str] = []
        taken: list[int] = []
        i = 0
        while i < len(window):
            if self._article_before(script, window, i):
                joined.append(window[i] + window[i + 1])
                taken.append(2)
                i += 2
            else:
                # "Nhar essebt" is the phrase "nhar el sebt".
                spoken = script.spelled_out(window[i]) if self._unknown(window[i]) else None
                joined.append(spoken or window[i])
                taken.append(1)
                i += 1
        return joined, taken

    @staticmethod
    def _misread(script: Script, words: list[str], found: Reading) -> bool:
        """Whether a phrase reads words that are something else: an article written apart
        ("el yom" is اليوم, not اول يوم), or function words as cheap one by one ("eli fi" is
        اللي في, "that in", not الواي فاي)."""
        if script.is_prefix(words[0]) and found.words[0] not in script.prefixes:
            return True
        if all(w in script.stopwords for w in found.words):
            # "min howa" is the phrase من هو, function words too.
            return False
        apart = [script.word(w, function=True) for w in words]
        return all(r is not None for r in apart) and sum(r.cost for r in apart if r) <= found.cost

    def _read_at(self, script: Script, words: list[str]) -> tuple[Reading | None, int]:
        window = list(itertools.takewhile(lambda w: not w.isdigit(), words))
        if not window:
            return None, 1
        for size in range(len(window), 1, -1):
            if tuple(window[:size]) in self.latin_phrases:
                return None, size
        # An article written apart is read with its word in a phrase too ("el sa3a kam").
        joined, taken = self._glued(script, window)
        for size in range(len(joined), 1, -1):
            if any(self._unknown(w) for w in joined[:size]):
                found = script.phrase(joined[:size])
                if found and not self._misread(script, joined[:size], found):
                    return found, sum(taken[:size])
        # An article or conjunction written apart belongs to the next word ("el fondo2").
        glued = 1
        while (
            glued < len(window)
            and self._unknown(window[glued])
            and script.is_prefix(window[glued - 1])
        ):
            glued += 1
        for size in range(glued, 1, -1):
            found = script.word("".join(window[:size]))
            if found:
                return found, size
        # A word of a Latin-script lexicon may only be a function word ("na", "a", "po"); a
        # thing the glossary names ("el bus", not "po" for an officer) is that thing, whatever
        # function word it spells.
        first = window[0]
        if first in self.terms and len(first) > _SHORT:
            return None, 1
        return script.word(first, function=not self._unknown(first)), 1
