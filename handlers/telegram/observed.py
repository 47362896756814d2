"""Counts and times every Telegram update for the metrics, as PTB processes it."""

from __future__ import annotations

import time
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import SimpleUpdateProcessor

from bot.metrics import Metrics


def kind_of(update: object) -> str:
    """The kind of an update, as the metrics label it."""
    if not isinstance(update, Update):
        return "other"
    if update.callback_query is not None:
        return "button"
    message = update.message or update.edited_message
    if message is not None:
        text = message.text or ""
        return "command" if text.startswith("/") else "message"
    if update.my_chat_member is not None:
        return "membership"
    return "other"


class ObservedUpdates(SimpleUpdateProcessor):
    """Processes updates as PTB's own processor does, counting each with its outcome."""

    def __init__(self, concurrency: int, metrics: Metrics) -> None:
        super().__init__(concurrency)
        self.metrics = metrics
        # Updates whose handler failed: the error handler names them before processing ends.
        self._failed: set[int] = set()

    def failed(self, update: object) -> None:
        """Mark an update as failed (called by the error handler)."""
        if isinstance(update, Update):
            self._failed.add(update.update_id)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the handlers, then count the update and how long it took."""
        started = time.monotonic()
        try:
            await coroutine
        finally:
            failed = isinstance(update, Update) and update.update_id in self._failed
            if isinstance(update, Update):
                self._failed.discard(update.update_id)
            self.metrics.update(kind_of(update), not failed, time.monotonic() - started)
