"""Names compared across scripts by their consonant skeleton: "Santos", "Сантос", "سانتوس"."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

# Latin spellings folded to one letter per sound class before vowels are dropped. Order matters:
# longer spellings first. Other scripts are first spelled in Latin by their lexicon's
# ``name_letters`` table, so adding a script needs no code.
_LATIN = (
    ("sch", "s"),
    ("tch", "s"),
    ("dzh", "j"),
    ("kh", "k"),
    ("zh", "j"),
    ("dj", "j"),
    ("sh", "s"),
    ("ch", "s"),
    ("ts", "s"),
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
_DROPPED = re.compile(r"[aeiouywh]")


class NameSkeletons:
    """Spell a word of any known script as the consonant classes of its sound."""

    def __init__(self, letters: Mapping[str, str]) -> None:
        # Each script letter to its Latin spelling (one table merged from every lexicon).
        self.table = str.maketrans(dict(letters))

    def of(self, word: str) -> str:
        """The consonant skeleton of a normalised word ("oliveira" -> "lfr")."""
        latin = word.translate(self.table)
        for spelling, sound in _LATIN:
            latin = latin.replace(spelling, sound)
        skeleton = _DROPPED.sub("", latin.translate(_CLASSES))
        skeleton = "".join(c for c in skeleton if c.isascii() and c.isalpha())
        return re.sub(r"(.)\1+", r"\1", skeleton)


class NameIndex:
    """Who a message names, by skeleton: two words of one name, or one long distinctive one."""

    # A lone name word this long (in consonants) is distinctive enough on its own.
    LONE = 4

    def __init__(self, skeletons: NameSkeletons, names: Mapping[str, Iterable[str]]) -> None:
        self.skeletons = skeletons
        self.index: dict[str, set[str]] = defaultdict(set)
        for key, words in names.items():
            for word in words:
                if len(sound := skeletons.of(word)) >= 2:
                    self.index[sound].add(key)

    def named(self, words: Iterable[str]) -> set[str]:
        """Keys whose names the words spell out."""
        matched: dict[str, set[str]] = defaultdict(set)
        for word in words:
            sound = self.skeletons.of(word)
            for key in self.index.get(sound, ()):
                matched[key].add(sound)
        return {
            key
            for key, sounds in matched.items()
            if len(sounds) >= 2 or any(len(s) >= self.LONE for s in sounds)
        }
