"""The fact checks of questions.yaml, exactly as its header defines them."""

from __future__ import annotations

import re
from typing import Any

_ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Bidi isolates and marks, and the no-break spaces CLDR puts in times.
_INVISIBLE = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f\u061c"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2009"), " ")


def clean(reply: str) -> str:
    """Fold digits to Latin and drop invisible direction marks, for matching."""
    return reply.translate(_ARABIC_INDIC).translate(_INVISIBLE).translate(_SPACES).casefold()


def time_pattern(value: str) -> re.Pattern[str]:
    """Match a 24-hour time in 24-hour or 12-hour renderings (14:00, 2:00 PM, 14 h 00)."""
    hours, minutes = (int(x) for x in value.split(":"))
    twelve = hours % 12 or 12
    suffix = r"(?:p\.?\s?m\.?)" if hours >= 12 else r"(?:a\.?\s?m\.?)"
    return re.compile(
        rf"(?<!\d)(?:0?{hours}\s?(?::|h)\s?{minutes:02d}(?!\d)"
        rf"|0?{twelve}:{minutes:02d}\s?{suffix})"
    )


def fact_present(reply: str, fact: Any) -> bool:
    """Return whether one ``expect`` or ``absent`` fact appears in a reply."""
    text = clean(reply)
    if isinstance(fact, dict) and "time" in fact:
        return bool(time_pattern(str(fact["time"])).search(text))
    return clean(str(fact)) in text


def problems(question: dict[str, Any], reply: str) -> list[str]:
    """Return what a reply gets wrong for one question (empty when it is right)."""
    found = []
    for fact in question.get("expect", []):
        if not fact_present(reply, fact):
            found.append(f"missing {fact!r}")
    for fact in question.get("absent", []):
        if fact_present(reply, fact):
            found.append(f"must not contain {fact!r}")
    return found
