"""Every catalog complete, every plural form filled, placeholders equal to the msgid."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from bot.assistant.lexicon import LEXICON_DIR
from bot.yamlio import load_yaml
from tests.conftest import ROOT

LOCALES = ROOT / "locales"
LANGUAGES = ["en", "es", "fr", "ar", "ru", "pt"]
_PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _catalog(code: str):
    with (LOCALES / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=code)


def _template_ids() -> set[object]:
    with (LOCALES / "messages.pot").open("rb") as handle:
        return {
            (m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle) if m.id
        }


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalog_is_complete(code: str) -> None:
    """No message is missing, untranslated or fuzzy; every plural form is filled."""
    catalog = _catalog(code)
    ids = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}
    assert ids == _template_ids()
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if isinstance(message.id, tuple):
            assert len(strings) == catalog.num_plurals, message.id
        assert all(s.strip() for s in strings), f"{code}: untranslated {message.id!r}"


# The scripts a catalog's translations may not contain: a string pasted into the wrong
# catalog shows Arabic to an English reader.
_FOREIGN = {
    "en": "[\u0600-\u06ff\u0400-\u04ff]",
    "es": "[\u0600-\u06ff\u0400-\u04ff]",
    "fr": "[\u0600-\u06ff\u0400-\u04ff]",
    "pt": "[\u0600-\u06ff\u0400-\u04ff]",
    "ru": "[\u0600-\u06ff]",
    "ar": "[\u0400-\u04ff]",
}


@pytest.mark.parametrize("code", LANGUAGES)
def test_translations_are_in_their_own_language(code: str) -> None:
    """English is the source: its catalog repeats each msgid; no catalog holds another script."""
    foreign = re.compile(_FOREIGN[code])
    for message in _catalog(code):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if code == "en":
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            assert strings[0] == ids[0] and strings[-1] == ids[-1], message.id
        ids_text = " ".join(message.id if isinstance(message.id, tuple) else (message.id,))
        for text in strings:
            # Language names in their own script ("العربية" in a menu) are the exception.
            if foreign.search(text) and not foreign.search(ids_text):
                assert message.context == "language", (code, message.id, text)


@pytest.mark.parametrize("code", LANGUAGES)
def test_placeholders_match_the_msgid(code: str) -> None:
    """A translation names exactly the placeholders of its msgid ({n} optional in plurals)."""
    for message in _catalog(code):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = set().union(*(set(_PLACEHOLDER.findall(i)) for i in ids))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            found = set(_PLACEHOLDER.findall(text))
            if isinstance(message.id, tuple):
                # A plural form may say its number in words (Arabic dual: "نشاطان").
                assert expected - {"n"} <= found <= expected, (code, message.id, text)
            else:
                assert found == expected, (code, message.id, text)


def test_template_matches_the_source(tmp_path: Path) -> None:
    """messages.pot holds exactly the strings the code asks for (no stale, none missing)."""
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "--no-location",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with fresh.open("rb") as handle:
        extracted = {
            (m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle) if m.id
        }
    assert extracted == _template_ids()


def test_every_catalog_has_a_lexicon() -> None:
    """A language is a catalog plus a lexicon file; neither comes without the other."""
    catalogs = {p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/messages.po")}
    lexicons = {p.stem for p in LEXICON_DIR.glob("*.yaml")}
    assert catalogs == lexicons == set(LANGUAGES)


def test_the_english_catalog_says_what_the_code_says() -> None:
    """English is the source language: every msgstr is its msgid (or the plural msgid)."""
    for message in _catalog("en"):
        if not message.id:
            continue
        if isinstance(message.id, str):
            assert message.string == message.id, message.id
        else:
            assert message.string[0] == message.id[0], message.id
            assert all(s == message.id[1] for s in message.string[1:]), message.id


def _glossary(code: str) -> dict[str, Any]:
    return load_yaml((LOCALES / code / "glossary.yaml").read_text(encoding="utf-8"))


def _avoided(word: str, text: str) -> bool:
    """Whether a whole word (or, written "stem*", any word starting so) is in the text."""
    stem = word.endswith("*")
    pattern = re.escape(word.rstrip("*").casefold()) + ("" if stem else r"(?!\w)")
    return re.search(rf"(?<!\w){pattern}", text.casefold()) is not None


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_catalogs_use_the_glossary_terms(code: str) -> None:
    """Each concept has one term: every message about it uses it, none the words it replaces."""
    english = _glossary("en")["concepts"]
    glossary = _glossary(code)
    assert glossary["language"] == code
    concepts = glossary["concepts"]
    assert set(english) <= set(concepts), set(english) - set(concepts)
    for message in _catalog(code):
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for name, concept in concepts.items():
            for text in strings:
                for proper in concept.get("names", []):
                    text = text.replace(proper, "")
                text = re.sub(r"/\w+", "", text)
                for word in concept.get("avoid", []):
                    assert not _avoided(word, text), (code, name, word, text)
            match = english.get(name, {}).get("match")
            if match and re.search(match, re.sub(r"/\w+", "", msgid), re.IGNORECASE):
                forms = [f.casefold() for f in concept["forms"]]
                for text in strings:
                    assert any(f in text.casefold() for f in forms), (code, name, text)
