"""Values computed once and kept, in tables with a bound."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def kept(table: dict[K, V], key: K, compute: Callable[[], V], bound: int) -> V:
    """The value kept under a key, else computed now and kept; a full table starts over."""
    if key in table:
        return table[key]
    if len(table) >= bound:
        # Messages are endless, their words are not: starting over is rare and cheap.
        table.clear()
    value = table[key] = compute()
    return value
