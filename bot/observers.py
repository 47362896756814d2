"""What the outbox sender tells an observer (metrics) about the rows it handled."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.delivery.outbox import Outcome
    from bot.store.models import Outgoing


class DeliveryObserver(Protocol):
    """Told of each batch once its outcomes are recorded."""

    def handled(self, rows: Sequence[Outgoing], outcomes: Sequence[Outcome]) -> None:
        """The claimed rows (as claimed) and what became of each."""
        ...


class NoObserver:
    """Observes nothing."""

    def handled(self, rows: Sequence[Outgoing], outcomes: Sequence[Outcome]) -> None:
        """Do nothing."""
