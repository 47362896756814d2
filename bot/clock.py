"""Injectable clocks: every "now" in the domain comes from one of these."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that can tell the current instant."""

    def now(self) -> datetime:
        """Return the current instant, timezone-aware."""
        ...


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant; a naive value is taken as UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        """Return the current UTC instant."""
        return datetime.now(UTC)


class FixedClock:
    """A clock stopped at one instant (``--now``, tests)."""

    def __init__(self, instant: datetime) -> None:
        self.instant = instant

    def now(self) -> datetime:
        """Return the fixed instant."""
        return self.instant


class StartedClock:
    """A clock that starts at a given instant and then advances in real time (``BOT_NOW``)."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self._origin = time.monotonic()

    def now(self) -> datetime:
        """Return the start instant plus the real time elapsed since creation."""

        return self.start + timedelta(seconds=time.monotonic() - self._origin)


def clock_from(bot_now: str | None) -> Clock:
    """Return the clock the environment asks for."""
    return StartedClock(parse_instant(bot_now)) if bot_now else SystemClock()
