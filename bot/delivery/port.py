"""The Sender port: what the outbox needs from a chat platform, and how sending can fail."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol


class SendError(Exception):
    """A message could not be delivered this time."""


class RetryLater(SendError):
    """The platform asks to slow down: nothing may be sent for ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"rate limited for {seconds:g} s")
        self.seconds = seconds


class Unreachable(SendError):
    """The recipient blocked the bot or never started it; retrying cannot help."""


class Rejected(SendError):
    """The platform refused the message itself (bad request); retrying cannot help."""


class Transient(SendError):
    """A network error, a timeout or a server error: worth another try later."""


class Unknown(Transient):
    """The request went out and no answer came back: the platform may have the message, and
    another try can deliver it twice."""


async def unpaced() -> None:
    """No pacing: for a sender used outside the outbox."""


class Sender(Protocol):
    """Sends one text message to one chat; returns the platform's message id."""

    async def send(
        self,
        chat_id: int,
        text: str,
        buttons: list[list[str]] | None = None,
        pace: Callable[[], Awaitable[None]] = unpaced,
    ) -> int:
        """Deliver the text (with [label, data] buttons, one per row) or raise a SendError.

        ``pace`` is awaited before every call to the platform (a long text is several).
        """
        ...
