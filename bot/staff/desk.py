"""The staff desk port: how chat handlers tell the staff console there is news."""

from __future__ import annotations

from typing import Protocol


class StaffDesk(Protocol):
    """The staff console, as participants' channels see it."""

    @property
    def enabled(self) -> bool:
        """Whether staff can be reached (questions can be relayed)."""
        ...

    def nudge(self) -> None:
        """Something for staff happened (a question, an answer): sync now, not later."""
        ...

    def incident(self, kind: str) -> None:
        """A chat update failed; ``kind`` names the error (never a message text)."""
        ...

    def guessing(self, wrong_codes: int) -> None:
        """Code checking paused after ``wrong_codes`` wrong codes from everyone (never a code)."""
        ...


class NoDesk:
    """No staff console configured: nothing is relayed."""

    @property
    def enabled(self) -> bool:
        """Staff cannot be reached through the bot."""
        return False

    def nudge(self) -> None:
        """Nothing to wake."""

    def incident(self, kind: str) -> None:
        """Failures are in the log only."""

    def guessing(self, wrong_codes: int) -> None:
        """The pause is in the log only."""
