"""Prometheus metrics of one process, with the store's figures read at each scrape."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.operations import Accounts, Backlog, Sweep, accounts, backlog, outbox_totals, sweeps
from bot.store.models import DeliveryStatus

if TYPE_CHECKING:
    from bot.delivery.outbox import Outcome
    from bot.store.models import Outgoing

log = logging.getLogger(__name__)
# Answers take milliseconds; a slow store or platform makes them take seconds.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class SendOutcome:
    """Label values of bot_sends_total."""

    DELIVERED = "delivered"
    RETRIED = "retried"
    RATE_LIMITED = "rate_limited"  # Telegram answered 429
    BLOCKED = "blocked"
    FAILED = "failed"


@dataclass(frozen=True)
class StoreFigures:
    """What the store said at the last scrape."""

    backlog: list[Backlog]
    totals: dict[tuple[str, str], int]
    sweeps: list[Sweep]
    accounts: Accounts


class _StoreCollector:
    """Exposes the figures read from the store just before the scrape."""

    def __init__(self) -> None:
        self.figures: StoreFigures | None = None

    def collect(self) -> Iterator[Metric]:
        """The store's metric families (only ``bot_store_up`` when the store did not answer)."""
        up = GaugeMetricFamily("bot_store_up", "Whether the store answered this scrape.")
        up.add_metric([], 0.0 if self.figures is None else 1.0)
        yield up
        figures = self.figures
        if figures is None:
            return
        pending = GaugeMetricFamily(
            "bot_outbox_pending", "Outbox messages waiting to be sent, by kind.", labels=["kind"]
        )
        age = GaugeMetricFamily(
            "bot_outbox_oldest_due_age_seconds",
            "How long the oldest due message of each kind has waited.",
            labels=["kind"],
        )
        for b in figures.backlog:
            pending.add_metric([b.kind], b.pending)
            age.add_metric([b.kind], b.oldest_due_age)
        messages = GaugeMetricFamily(
            "bot_outbox_messages",
            "Outbox messages by kind and status (sent, pending, failed, blocked).",
            labels=["kind", "status"],
        )
        for (kind, status), count in sorted(figures.totals.items()):
            messages.add_metric([kind, status], count)
        runs = CounterMetricFamily(
            "bot_sweep_runs", "Scheduled sweeps run to the end, by sweep.", labels=["sweep"]
        )
        last = GaugeMetricFamily(
            "bot_sweep_last_success_timestamp_seconds",
            "When each sweep last ran to the end (Unix time).",
            labels=["sweep"],
        )
        for s in figures.sweeps:
            runs.add_metric([s.name], s.runs)
            last.add_metric([s.name], s.last_success_at.timestamp())
        linked = GaugeMetricFamily(
            "bot_participants_linked", "Participants with a linked Telegram account."
        )
        linked.add_metric([], figures.accounts.linked)
        unreachable = GaugeMetricFamily(
            "bot_participants_unreachable", "Linked participants who blocked the bot."
        )
        unreachable.add_metric([], figures.accounts.unreachable)
        yield from (pending, age, messages, runs, last, linked, unreachable)


class Metrics:
    """The metrics of one process, in a registry of its own."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.registry = CollectorRegistry()
        self.updates = Counter(
            "bot_updates",
            "Telegram updates handled, by kind and outcome (ok, error).",
            ["kind", "outcome"],
            registry=self.registry,
        )
        self.answer_seconds = Histogram(
            "bot_answer_seconds",
            "Time from receiving a Telegram update to the end of its handling, by kind.",
            ["kind"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.not_understood = Counter(
            "bot_questions_not_understood",
            "Questions the assistant did not understand.",
            registry=self.registry,
        )
        self.sends = Counter(
            "bot_sends",
            "Outbox send attempts by outcome (delivered, retried, rate_limited, blocked, failed).",
            ["outcome"],
            registry=self.registry,
        )
        self._paused_until: datetime | None = None
        Gauge(
            "bot_send_pause_seconds",
            "Seconds this sender still waits after Telegram's last 429.",
            registry=self.registry,
        ).set_function(self._pause_left)
        self._store = _StoreCollector()
        self.registry.register(self._store)

    def _pause_left(self) -> float:
        if self._paused_until is None:
            return 0.0
        return max(0.0, (self._paused_until - self.clock.now()).total_seconds())

    def update(self, kind: str, ok: bool, seconds: float) -> None:
        """One update handled."""
        self.updates.labels(kind, "ok" if ok else "error").inc()
        self.answer_seconds.labels(kind).observe(seconds)

    def handled(self, rows: Sequence[Outgoing], outcomes: Sequence[Outcome]) -> None:
        """Count a batch of the outbox sender (a DeliveryObserver)."""
        attempts = {row.id: row.attempts for row in rows}
        for o in outcomes:
            outcome = _send_outcome(o, attempts.get(o.row_id, 0))
            if outcome is None:
                continue
            self.sends.labels(outcome).inc()
            later = o.not_before if outcome == SendOutcome.RATE_LIMITED else None
            if later is not None and (self._paused_until is None or later > self._paused_until):
                self._paused_until = later

    async def refresh(self, sessions: async_sessionmaker[AsyncSession], now: datetime) -> None:
        """Read the store's figures for the next scrape; on failure, report the store down."""
        try:
            async with sessions() as session:
                self._store.figures = StoreFigures(
                    backlog=await backlog(session, now),
                    totals=await outbox_totals(session),
                    sweeps=await sweeps(session),
                    accounts=await accounts(session),
                )
        except Exception:  # a scrape must answer even when the store does not
            log.warning("metrics: the store did not answer", exc_info=True)
            self._store.figures = None

    def exposition(self) -> tuple[bytes, str]:
        """The text format of every metric, and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


def _send_outcome(o: Outcome, attempts_before: int) -> str | None:
    """What a row's outcome counts as; None for a row held back without trying."""
    by_status = {
        DeliveryStatus.SENT: SendOutcome.DELIVERED,
        DeliveryStatus.BLOCKED: SendOutcome.BLOCKED,
        DeliveryStatus.FAILED: SendOutcome.FAILED,
    }
    if o.status in by_status:
        return by_status[DeliveryStatus(o.status)]
    if o.error is None:
        return None  # quiet hours, or the chat's one-a-second pace
    # Telegram's 429 is not a failed attempt: the count stays; a network error counts.
    return SendOutcome.RATE_LIMITED if o.attempts == attempts_before else SendOutcome.RETRIED
