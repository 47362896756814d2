"""Import and export times of a large programme as a spreadsheet, beside the same as YAML.

Generates a programme (about 2,000 events and 10,000 participants; the generator of
bench/answers.py), writes it as a workbook and as YAML, then times, as medians of
``--runs`` runs: reading and validating each file; a first import of each into a fresh
SQLite store (read, validate, write, commit); a re-import that changes nothing; and an
export of the store as a workbook.

    python bench/programme.py [--participants 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from answers import generate  # noqa: E402

from bot.clock import FixedClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.programme.exporter import export_programme  # noqa: E402
from bot.programme.importer import import_programme  # noqa: E402
from bot.programme.schema import load_text, validate  # noqa: E402
from bot.programme.workbook import read_workbook, write_workbook  # noqa: E402
from bot.services import Services, services  # noqa: E402

# 21 days of 5 events for everyone and 9 per group (10 groups): 1,995 events.
COMMON_PER_DAY, GROUP_PER_DAY = 5, 9


def median(work: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """The median wall time of ``work`` over ``runs`` runs, and its last result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


async def amedian(work: Callable[[], Awaitable[Any]], runs: int) -> float:
    """The median wall time of an awaitable's runs."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def _import(app: Services, load: Callable[[], Any]) -> None:
    doc = load()
    async with app.sessions.begin() as session:
        await import_programme(session, doc, invite_secret="bench", now=app.clock.now())


async def _export(app: Services) -> bytes:
    async with app.sessions() as session:
        raw = await export_programme(session)
    return write_workbook(validate(raw, "<store>"))


async def _first_import(url: str, load: Callable[[], Any], runs: int) -> float:
    """A first import into an empty store, each run in a store of its own."""
    times = []
    for run in range(runs):
        settings = Settings(database_url=f"{url}-{run}.sqlite3")
        async with services(settings, FixedClock(datetime(2025, 3, 1, tzinfo=UTC))) as app:
            started = time.perf_counter()
            await _import(app, load)
            times.append(time.perf_counter() - started)
    return statistics.median(times)


async def run(args: argparse.Namespace) -> None:
    """Generate, write both files, then measure."""
    raw = generate(args.participants, 7, common_per_day=COMMON_PER_DAY, group_per_day=GROUP_PER_DAY)
    raw["participants"] = [
        dict(p, invite_code=f"CODE-{i:06d}") for i, p in enumerate(raw["participants"])
    ]
    doc = validate(raw, "generated")
    started = time.perf_counter()
    book = write_workbook(doc)
    written = time.perf_counter() - started
    text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    print(
        f"programme: {len(doc.events)} events, {len(doc.participants)} participants, "
        f"{len(doc.places)} places; workbook {len(book) / 2**20:.2f} MB (written in "
        f"{written:.2f} s), YAML {len(text.encode()) / 2**20:.2f} MB"
    )
    runs = args.runs
    read_xlsx, _ = median(lambda: read_workbook(book, "generated.xlsx"), runs)
    read_yaml, _ = median(lambda: load_text(text, "generated.yaml"), runs)
    print(
        f"read and validate: workbook {read_xlsx:.2f} s, YAML {read_yaml:.2f} s "
        f"(ratio {read_xlsx / read_yaml:.1f})"
    )
    with tempfile.TemporaryDirectory() as tmp:
        base = f"sqlite+aiosqlite:///{tmp}/bench"
        first_xlsx = await _first_import(base + "-x", lambda: read_workbook(book, "g.xlsx"), runs)
        first_yaml = await _first_import(base + "-y", lambda: load_text(text, "g.yaml"), runs)
        print(
            f"first import (read, validate, store, commit): workbook {first_xlsx:.2f} s, "
            f"YAML {first_yaml:.2f} s"
        )
        settings = Settings(database_url=f"{base}-x-0.sqlite3")
        async with services(settings, FixedClock(datetime(2025, 3, 1, tzinfo=UTC))) as app:
            again_xlsx = await amedian(
                lambda: _import(app, lambda: read_workbook(book, "g.xlsx")), runs
            )
            again_yaml = await amedian(
                lambda: _import(app, lambda: load_text(text, "g.yaml")), runs
            )
            export = await amedian(lambda: _export(app), runs)
    print(f"re-import, nothing changed: workbook {again_xlsx:.2f} s, YAML {again_yaml:.2f} s")
    print(f"export as a workbook (store, validate, write): {export:.2f} s")
    print(f"medians of {runs} runs")


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
