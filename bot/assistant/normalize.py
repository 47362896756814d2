"""Text normalisation shared by questions, lexicons and indexed programme text."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Arabic letter variants folded to one form; tatweel and Arabic punctuation dropped.
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        # Persian letters Gulf and Iraqi Arabic write for its own sounds ("باچر", "گال").
        "چ": "ك",
        "گ": "ق",
        "پ": "ب",
        "ڤ": "ف",
        "ـ": None,
        "،": " ",
        "؛": " ",
        "؟": " ",
    }
)
_ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_MAX_CHARS = 1000
# An apostrophe inside a Latin word of three letters or more: Russian typed in Latin marks a
# soft sign with it ("dal'she", "ehat'"), which belongs to the word before a consonant.
# English contractions ("what's", "can't") and French elisions ("jusqu'", "aujourd'hui")
# keep it as a break.
_SOFT_SIGN = re.compile(r"(?<![^\W\d_])([^\W\d_]{3,})['’ʼ]([^\W\d_]*)", re.UNICODE)
_CONTRACTIONS = frozenset({"s", "t", "d", "m", "ll", "re", "ve"})
_VOWELS = frozenset("aeiouy")
_ELIDED = frozenset({"jusqu", "lorsqu", "puisqu", "quoiqu", "aujourd", "presqu", "quelqu"})


# A message is read in pieces and whole, each several times: folding it is done once.
@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Fold case, accents, Arabic letter forms and digits; keep words separated by spaces."""
    text = unicodedata.normalize("NFKC", text[:_MAX_CHARS]).casefold()
    text = text.translate(_ARABIC_FOLD).translate(_ARABIC_INDIC)
    text = _SOFT_SIGN.sub(_soft_sign, text)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFD", text)
        # Dropping combining marks removes Latin accents, Arabic harakat and Cyrillic breves
        # alike.
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", text).replace("_", " ").strip()


def _soft_sign(match: re.Match[str]) -> str:
    """A Latin word with an apostrophe inside: one word, unless a contraction or elision."""
    stem, rest = match.group(1), match.group(2)
    if not stem.isascii() or stem in _ELIDED or rest in _CONTRACTIONS:
        return match.group(0)
    # Before a vowel the sign splits a word whose parts are read better apart ("sud'yami").
    if rest[:1] in _VOWELS:
        return match.group(0)
    return stem + rest


def tokens(text: str) -> list[str]:
    """Return the normalised words of a text."""
    return normalise(text).split()


def in_cyrillic(text: str) -> bool:
    """Whether a text has Cyrillic letters (a script that writes every vowel)."""
    return bool(_CYRILLIC.search(text))


def script_language(text: str) -> str | None:
    """Return a language implied by the script alone (Arabic, Cyrillic), if any."""
    if _ARABIC.search(text):
        return "ar"
    if _CYRILLIC.search(text):
        return "ru"
    return None
