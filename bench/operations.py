"""What a /metrics scrape, a /readyz check and a purge cost on a large outbox, in process.

Fills a fresh SQLite store (or DATABASE_URL) with the fixture programme and N outbox rows
of every kind and status, then times the store's part of a scrape (the figures read at
each scrape, and the text rendered), the readiness checks without platforms, and a purge
dry run and the purge itself, and prints medians.

    python bench/operations.py [--rows 100000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from bot.clock import FixedClock
from bot.config import Settings
from bot.health import readiness
from bot.privacy import purge
from bot.services import import_file, services
from bot.store.models import DeliveryStatus, MessageKind, Outgoing

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime.fromisoformat("2024-06-30T12:00+00:00")


def _rows(count: int) -> list[dict[str, object]]:
    kinds, statuses = list(MessageKind), list(DeliveryStatus)
    return [
        {
            "dedupe_key": f"bench:{n}",
            "kind": kinds[n % len(kinds)],
            "participant_key": f"P{n % 12 + 1:02d}",
            "chat_id": 1000 + n % 12,
            "language": "en",
            "text": "An agenda of a day, about as long as a real one. " * 8,
            "timezone": "America/New_York",
            "urgent": False,
            "status": statuses[n % len(statuses)],
            "attempts": 1,
            "not_before": NOW - timedelta(seconds=n % 3600),
            "created_at": NOW - timedelta(days=1),
        }
        for n in range(count)
    ]


async def _median(repeat: int, work: Callable[[], Awaitable[None]]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        await work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


async def main(rows: int, repeat: int) -> None:
    """Fill the store, then time each operation."""
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder))
        async with services(settings, FixedClock(NOW)) as app:
            await import_file(app, ROOT / "tests" / "data" / "programme-2024.yaml")
            batch = _rows(rows)
            async with app.sessions.begin() as session:
                for start in range(0, rows, 5000):
                    await session.execute(insert(Outgoing), batch[start : start + 5000])

            async def scrape() -> None:
                await app.metrics.refresh(app.sessions, NOW)
                app.metrics.exposition()

            async def ready() -> None:
                await readiness(app.engine, app.sessions, {}, app.limits(), NOW)

            async def dry_run() -> None:
                async with app.sessions.begin() as session:
                    await purge(session, NOW, timedelta(days=30), dry_run=True)

            print(f"outbox rows: {rows}")
            print(f"/metrics scrape (store figures + text): {await _median(repeat, scrape):.1f} ms")
            print(f"/readyz (store, sweeps, outbox lag):   {await _median(repeat, ready):.1f} ms")
            print(f"purge --dry-run:                       {await _median(repeat, dry_run):.1f} ms")
            started = time.perf_counter()
            async with app.sessions.begin() as session:
                done = await purge(session, NOW, timedelta(days=30), dry_run=False)
            took = (time.perf_counter() - started) * 1000
            print(f"purge (once, {done.total()} rows changed):     {took:.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    asyncio.run(main(args.rows, args.repeat))
