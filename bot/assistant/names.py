"""Names compared across scripts by their consonant skeleton: "Santos", "Сантос", "سانتوس"."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from itertools import pairwise

from rapidfuzz import fuzz

from bot.assistant.memo import kept

# Latin spellings folded to one letter per sound class before vowels are dropped. Order matters:
# longer spellings first. Other scripts are first spelled in Latin by their lexicon's
# ``name_letters`` table, so adding a script needs no code.
_LATIN = (
    # English "igh" is a vowel ("Raleigh", "Wright"): Роли, Райт.
    ("igh", "i"),
    ("sch", "s"),
    ("tch", "s"),
    ("dzh", "j"),
    # Kh, h, х and خ are all silent: Cyrillic writes Latin h as х ("Оклахома"), and a
    # Khaled is as often Халед as Khaled.
    ("kh", "h"),
    ("zh", "j"),
    ("dj", "j"),
    ("sh", "s"),
    ("ch", "s"),
    ("ts", "s"),
    # German "tz" is the same sound, Cyrillic ц ("Hertzberg", "Херцберг").
    ("tz", "s"),
    ("th", "t"),
    ("ph", "f"),
    ("ck", "k"),
    ("qu", "k"),
    ("gu", "k"),
    ("ce", "se"),
    ("ci", "si"),
    ("cy", "sy"),
)
_CLASSES = str.maketrans(
    {
        "p": "b",
        "v": "f",
        "d": "t",
        "z": "s",
        "x": "s",
        "c": "k",
        "q": "k",
        "g": "k",
        "ç": "s",
    }
)
# Vowels folded to three, and "j" into the class of "g", for spellings compared letter by letter:
# "Youssef" and "يوسف" (iusf), "Giorgi" and "جيورجي" (jiurji) are one name spelled loosely.
_VOWELS = str.maketrans({"y": "i", "e": "i", "o": "u", "w": "u", "j": "k"})
# Letters of other scripts for a sound Latin spells with an h.
_BREATHED = frozenset("حх")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_DROPPED = re.compile(r"[aeiouywh]")
_VOWELLED = re.compile(r"[aeiou]")
# Words whose skeletons are kept at most: enough for every word of a busy day's messages.
_REMEMBERED = 100_000


# The longest particle of a name ("al", "ben", "de"), written apart or joined.
_PARTICLE = 3


class NameSkeletons:
    """Spell a word of any known script as the consonant classes of its sound."""

    def __init__(
        self, letters: Mapping[str, str], endings: Mapping[str, str] | None = None
    ) -> None:
        # Each script letter to its Latin spelling (one table merged from every lexicon).
        self.table = str.maketrans(dict(letters))
        # A letter spelled otherwise at a word's end (Arabic's ta marbuta, written ه).
        self.endings = dict(endings or {})
        # Skeletons and loose spellings already made: messages repeat their words.
        self._known: dict[str, str] = {}
        self._loose: dict[str, str] = {}

    def latin(self, word: str) -> str:
        """A word of another script spelled in Latin letters, letter by letter."""
        return self._ending(word).translate(self.table)

    def _ending(self, word: str) -> str:
        """A word with its last letter spelled as a name ends ("رانيه" -> "راني" + "a")."""
        end = self.endings.get(word[-1:]) if len(word) > 2 else None
        return word[:-1] + end if end is not None else word

    def of(self, word: str) -> str:
        """The consonant skeleton of a normalised word ("oliveira" -> "lfr")."""
        return kept(self._known, word, lambda: self._spell(word), _REMEMBERED)

    def _spell(self, word: str) -> str:
        skeleton = _DROPPED.sub("", self._classed(word))
        return re.sub(r"(.)\1+", r"\1", skeleton)

    def _classed(self, word: str) -> str:
        """A word in Latin letters, each spelling folded to its sound's class."""
        latin = self._ending(word).translate(self.table)
        for spelling, sound in _LATIN:
            latin = latin.replace(spelling, sound)
        return "".join(c for c in latin.translate(_CLASSES) if c.isascii() and c.isalpha())

    def shape(self, word: str) -> str:
        """A word's consonant classes with each run of vowels as one ("rala" for Raleigh and
        Роли), for short names whose consonants alone say too little."""
        vowelled = re.sub(r"[aeiouyw]", "a", self._classed(word).replace("h", ""))
        return re.sub(r"(.)\1+", r"\1", vowelled)

    def loose(self, words: str) -> str:
        """Words spelled by sound with their vowels kept but folded ("iusif" for Youssef)."""
        return kept(self._loose, words, lambda: self._loosen(words), _REMEMBERED)

    def _loosen(self, words: str) -> str:
        return " ".join(
            re.sub(r"(.)\1+", r"\1", self._classed(w).translate(_VOWELS)) for w in words.split()
        )


class NameIndex:
    """Who a message names, by skeleton: two words of one name, or one long distinctive one."""

    # A lone name word this long (in consonants) is distinctive enough on its own.
    LONE = 4
    # How alike (0-100) a lone word in the name's own script must be spelled: a typo of the
    # name, not another word with its consonants ("maintenu" is not Montaño).
    SPELLED = 70
    # How alike a Cyrillic word spelled in Latin letters and a Latin name must be.
    CYRILLIC = 60
    # How alike a word of a script without short vowels, spelled in Latin letters, and a Latin
    # name must be.
    ABJAD = 45
    # How alike a Latin word must be to a Latin name word it shares consonants with, to count
    # beside another ("mudou sozinho" is no Ahmed Hussein; "Huseyn" is Hussein).
    LATIN = 55
    # How alike a short name (two consonants) and its Cyrillic spelling must be.
    LETTERED = 90
    # How alike two words of another script, spelled in Latin letters, and two words of a
    # name must be.
    WHOLE = 80
    # How alike a lone Cyrillic word and a short name must be spelled loosely, vowels folded
    # ("Татьяной" is Tatiana).
    LOOSE = 90
    # The same for a script without short vowels, whose words more often spell a name loosely.
    ABJAD_LOOSE = 95
    # The fewest letters of a lone word so compared.
    LOOSE_LETTERS = 4

    def __init__(
        self,
        skeletons: NameSkeletons,
        names: Mapping[str, Iterable[str]],
        variants: Callable[[str], Iterable[str]] = lambda word: (),
    ) -> None:
        self.skeletons = skeletons
        # Other spellings of a word to try, such as without an attached article ("العمراني").
        self.variants = variants
        self.index: dict[str, set[str]] = defaultdict(set)
        # The name words behind each skeleton, by key.
        self.spellings: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        # Two words of each name as written, in order ("rania haddad"), by the sound of the
        # first: a name in another script is compared with them letter by letter, however
        # short the second's consonants.
        self.pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key, words in names.items():
            words = list(words)
            for word in words:
                if len(sound := skeletons.of(word)) >= 2:
                    self.index[sound].add(key)
                    self.spellings[sound][key].add(word)
            for n, (first, second) in enumerate(pairwise(words)):
                self.pairs[skeletons.of(first)].append((f"{first} {second}", key))
                # "نور الراوي" is Noor Al-Rawi: a particle written joined to the word after it.
                if len(second) <= _PARTICLE and n + 2 < len(words):
                    joined = f"{first} {second}{words[n + 2]}"
                    self.pairs[skeletons.of(first)].append((joined, key))

    def sounds(self, word: str) -> set[str]:
        """The skeletons a message word may stand for."""
        found = {self.skeletons.of(word)}
        if not word.isascii():
            found.update(self.skeletons.of(v) for v in self.variants(word))
        return found

    def named(self, words: Iterable[str]) -> set[str]:
        """Keys whose names the words spell out."""
        words = list(words)
        matched: dict[str, set[str]] = defaultdict(set)
        # The words each key's sounds came from: two sounds of one word ("بيطلع", b-t-l and
        # t-l, "and it leaves") are not a first and a last name.
        sources: dict[str, set[str]] = defaultdict(set)
        lone: set[str] = set()
        # "خالد بن سعيد" is Khalid Bensaid: a name's particle ("ben", "abd", "de") written
        # apart or joined.
        joined = [a + b for a, b in pairwise(words) if len(a) <= 3]
        for n, word in enumerate((*words, *joined)):
            for sound in self.sounds(word):
                keys = self.index.get(sound, set())
                if word.isascii():
                    keys = {key for key in keys if self._latin_alike(word, sound, key)}
                for key in keys:
                    matched[key].add(sound)
                    sources[key].add(word)
                # One name word in another script ("ياسمين"): enough when it names one only,
                # and is spelled about as long ("заселились" is no Salas); two words joined
                # only count beside another word of the name.
                lonely = n < len(words) and not word.isascii() and len(keys) == 1
                # A short name ("Наоми", "نادية") only when spelled letter for letter.
                lonely = lonely and (len(sound) >= 3 or self._spelled_out(word, sound, keys))
                if lonely and self._alike(word, sound, next(iter(keys))):
                    lone |= keys
        return (
            lone
            | self.spelled_whole(words)
            | {
                key
                for key, sounds in matched.items()
                if (len(sounds) >= 2 and len(sources[key]) >= 2)
                or any(len(s) >= self.LONE and self._spelled(key, s, words) for s in sounds)
            }
        )

    def _latin_alike(self, word: str, sound: str, key: str) -> bool:
        """Whether a Latin word is spelled at least loosely like a Latin name word of that
        sound (a name in another script is judged by its sound)."""
        return any(
            not name.isascii() or fuzz.ratio(word, name) >= self.LATIN
            for name in self.spellings[sound][key]
        )

    def spelled_whole(self, words: list[str]) -> set[str]:
        """Keys whose name two words of another script spell letter by letter ("رانيا حداد"
        is Rania Haddad, though "Haddad" has too few consonants to tell by its sound)."""
        found: set[str] = set()
        for first, second in pairwise(words):
            if first.isascii() or second.isascii():
                continue
            spelled = f"{self.skeletons.latin(first)} {self.skeletons.latin(second)}"
            loose = self.skeletons.loose(spelled)
            # Only names whose first word sounds like the first: a roster of thousands stays
            # fast.
            # Arabic writes a "g" with its "j" ("جيورجي" is Giorgi).
            sounds = self.sounds(first)
            sounds |= {sound.replace("j", "k") for sound in sounds}
            for sound in sounds:
                for name, key in self.pairs.get(sound, ()):
                    if fuzz.ratio(spelled, name, score_cutoff=self.WHOLE) or fuzz.ratio(
                        loose, self.skeletons.loose(name), score_cutoff=self.WHOLE
                    ):
                        found.add(key)
        return found

    def _spelled_out(self, word: str, sound: str, keys: set[str]) -> bool:
        """Whether a word writes a short name's every letter ("Наоми" is Naomi), or all but
        its short vowels and a case's ending ("نادية", "Татьяной")."""
        names = {name for key in keys for name in self.spellings[sound][key]}
        cyrillic = bool(_CYRILLIC.search(word))
        if cyrillic:
            latin = self.skeletons.latin(word)
            if any(fuzz.ratio(latin, name) >= self.LETTERED for name in names):
                return True
        if len(word) < self.LOOSE_LETTERS:
            return False
        loose = self.skeletons.loose(word)
        forms = [loose]
        if cyrillic:
            # A case's ending of one or two letters ("Татьяной") is no letter of the name.
            # Not of a short word: "дикой" ("wild") less its ending is no Diego.
            forms += [loose[:-n] for n in _ENDINGS if len(loose) - n > self.LOOSE_LETTERS]
        # Arabic leaves short vowels out, so many of its words spell some name loosely
        # ("حرارتي", "my temperature", and Harthi): only a name spelled whole counts.
        least = self.LOOSE if cyrillic else self.ABJAD_LOOSE
        return any(
            name.isascii() and fuzz.ratio(form, self.skeletons.loose(name)) >= least
            for name in names
            for form in forms
        )

    def _alike(self, word: str, sound: str, key: str) -> bool:
        """Whether a word has a name word's sound as itself or with a short ending dropped
        ("Саласу"), and is about as long as the name ("старыми" is not Chowdhury)."""
        # A form with a prefix taken off must still be a word of its own: "كلمت" ("word of")
        # less its "ك" is no Almeida.
        forms = [
            word,
            *(v for v in self.variants(word) if len(v) >= max(len(word) - 2, _LONE_STRIPPED)),
        ]
        if not any(self.skeletons.of(form) == sound for form in forms):
            return False
        names = self.spellings[sound][key]
        if not any(self._sounds_alike(word, name) for name in names):
            return False
        # Nor much shorter: "سفري" ("my trip") is no Echeverría, though both fold to s-f-r.
        return any(len(name) <= 2 * len(word) <= 2 * (len(name) + 3) for name in names)

    def _sounds_alike(self, word: str, name: str) -> bool:
        """Whether a word of another script may spell a Latin name: a breathed h is kept
        ("لاصطحابنا" is no Esteban), and Cyrillic, which writes vowels, spells it closely
        ("дороге" is no Tarek, though both fold to the same consonants)."""
        if not _breath_kept(word, name):
            return False
        # Arabic writes a foreign name's long vowels ("ناتاليا"); a word with none is a
        # word of the language ("ندخل", "we go in"), not Natalia. An alif before the first
        # consonant of a name that starts with one is a verb's prefix ("اقدر", "I can"), no
        # vowel of Hector's.
        latin = self.skeletons.latin(word)
        if name[:1] not in "aeiou" and latin[:1] == "a":
            latin = latin[1:]
        if not _CYRILLIC.search(word) and name.isascii() and not _VOWELLED.search(latin):
            return False
        if _CYRILLIC.search(word) and name.isascii():
            return fuzz.ratio(self.skeletons.latin(word), name) >= self.CYRILLIC
        if name.isascii():
            # Letter by letter, Arabic spells a name at least loosely ("عبدالله", bdallh, is
            # Abdallah; "وبيطلع", "and it leaves", is not, though both fold to b-t-l).
            forms = (word, *self.variants(word))
            return any(fuzz.ratio(self.skeletons.latin(form), name) >= self.ABJAD for form in forms)
        return True

    def _spelled(self, key: str, sound: str, words: list[str]) -> bool:
        """Whether a message word spells the key's name word of that skeleton closely, when
        both are in one script (another script's spelling is judged by sound alone)."""
        for word in words:
            if sound not in self.sounds(word):
                continue
            for name in self.spellings[sound][key]:
                if word.isascii() != name.isascii():
                    if self._sounds_alike(word, name):
                        return True
                elif fuzz.ratio(word, name) >= self.SPELLED:
                    return True
        return False

    def touched(self, words: Iterable[str]) -> set[str]:
        """Keys sharing any name word with the message, however short."""
        return {
            key
            for word in words
            for sound in self.sounds(word)
            for key in self.index.get(sound, ())
        }


# How many last letters of a word may be a case's ending.
_ENDINGS = (1, 2)
# The fewest letters a lone word keeps once a prefix is taken off.
_LONE_STRIPPED = 4


def _breath_kept(word: str, name: str) -> bool:
    """Whether a breathed h of another script ("ح", "х") is in the Latin name too (Hassan,
    Mikhail): "لاصطحابنا" is no Esteban, though both fold to the same consonants."""
    return not (_BREATHED.intersection(word) and name.isascii() and "h" not in name)
