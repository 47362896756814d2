"""Calendar feed figures on a large generated programme, in process.

Generates the programme of bench/answers.py (2,100 events in six cities and four zones, 10
groups, 21 days; 200 participants), imports it into a fresh SQLite store, and prints:
publishing the calendar entries (first sync, and after an import that moves one event);
feed generation for one participant, rendered from the published entries, and with the
entries read from the store first; then over HTTP on loopback: a full fetch, a 304, and
the 404 of a wrong token against that of a revoked one.

    python bench/feeds.py [--participants 200] [--rounds 60] [--seed 7]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
# bench/ holds scripts named like packages (telegram.py): it is no place to import from.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bot.calendars.feeds import Buckets  # noqa: E402
from bot.calendars.links import participant_owner  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.programme.importer import import_programme  # noqa: E402
from bot.programme.schema import validate  # noqa: E402
from bot.services import Services, services  # noqa: E402
from handlers.web import build_web_app  # noqa: E402


def _generator() -> Callable[..., dict[str, Any]]:
    """The programme generator of bench/answers.py (bench/ is no package)."""
    spec = importlib.util.spec_from_file_location("bench_answers", ROOT / "bench" / "answers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate  # type: ignore[no-any-return]


def median_ms(values: list[float]) -> str:
    """The median and the 90th percentile of durations in seconds, as milliseconds."""
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return f"median {statistics.median(values) * 1000:.2f} ms, p90 {p90 * 1000:.2f} ms"


async def timed(work: Callable[[], Awaitable[Any]], rounds: int) -> list[float]:
    """Durations of ``rounds`` runs of the work."""
    found = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        await work()
        found.append(time.perf_counter() - t0)
    return found


async def _import(app: Services, doc: dict[str, Any]) -> None:
    async with app.sessions.begin() as session:
        await import_programme(
            session, validate(doc, "generated"), invite_secret="bench", now=app.clock.now()
        )


async def _http(app: Services, keys: list[str], tokens: list[str], rounds: int) -> None:
    """Fetches through the web app: 200, 304, and wrong against revoked tokens."""
    runner = web.AppRunner(build_web_app(app, None, ""))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    base = f"http://127.0.0.1:{port}/calendar/"
    try:
        async with aiohttp.ClientSession() as client:
            tags: dict[str, str] = {}
            size = 0

            async def full() -> None:
                nonlocal size
                token = tokens[len(tags) % len(tokens)]
                async with client.get(f"{base}{token}.ics") as response:
                    assert response.status == 200
                    size = len(await response.read())
                    tags[token] = response.headers["ETag"]

            async def unchanged() -> None:
                token = random.choice(tokens)
                async with client.get(
                    f"{base}{token}.ics", headers={"If-None-Match": tags[token]}
                ) as response:
                    assert response.status == 304

            for _ in range(len(tokens)):
                await full()
            whole = median_ms(await timed(full, rounds))
            print(f"HTTP 200, whole feed ({size / 1024:.0f} KiB): {whole}")
            print(f"HTTP 304, If-None-Match: {median_ms(await timed(unchanged, rounds))}")
            revoked = tokens[0]
            await app.calendars.token(participant_owner(keys[0]), app.clock.now(), reset=True)
            wrong = "A" * len(revoked)

            def missing(token: str) -> Callable[[], Awaitable[None]]:
                async def fetch() -> None:
                    async with client.get(f"{base}{token}.ics") as response:
                        assert response.status == 404

                return fetch

            # Interleaved, so that drift of the machine weighs on both alike.
            wrongs: list[float] = []
            revokeds: list[float] = []
            for _ in range(rounds * 4):
                wrongs += await timed(missing(wrong), 1)
                revokeds += await timed(missing(revoked), 1)
            ratio = statistics.median(revokeds) / statistics.median(wrongs)
            print(f"HTTP 404, wrong token: {median_ms(wrongs)}")
            print(f"HTTP 404, revoked token: {median_ms(revokeds)} (ratio of medians {ratio:.3f})")
    finally:
        await runner.cleanup()


async def run(args: argparse.Namespace) -> None:
    """Generate, import, publish, then measure."""
    random.seed(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", public_url="https://b.example"
        )
        now = datetime(2025, 2, 20, tzinfo=ZoneInfo("UTC"))
        async with services(settings, FixedClock(now)) as app:
            doc = _generator()(args.participants, args.seed)
            await _import(app, doc)
            t0 = time.perf_counter()
            await app.calendars.sync(now)
            first_sync = time.perf_counter() - t0
            print(
                f"programme: {len(doc['events'])} events, {len(doc['participants'])} participants; "
                f"first publication of the entries {first_sync * 1000:.0f} ms"
            )
            feeds = app.calendars
            feeds.buckets = Buckets(burst=10**9)  # the bench fetches far faster than a calendar
            keys = [p["key"] for p in doc["participants"]]
            tokens = [await feeds.token(participant_owner(k), now) for k in keys]
            rng = random.Random(args.seed)

            async def rendered() -> None:
                feeds._feeds.clear()  # render again from the published entries
                assert await feeds.feed(rng.choice(tokens), now) is not None

            async def cold() -> None:
                feeds._entries = None  # read the entries from the store too
                await rendered()

            async def cached() -> None:
                assert await feeds.feed(rng.choice(tokens), now) is not None

            await rendered()
            feed = await feeds.feed(tokens[0], now)
            assert feed is not None
            items = feed.body.count(b"BEGIN:VEVENT")
            print(
                f"one participant's feed: {items} items, {len(feed.body) / 1024:.0f} KiB "
                f"(of {len(feeds._entries[1]) if feeds._entries else 0} published entries)"
            )
            warm = median_ms(await timed(rendered, args.rounds))
            print(f"feed generation, entries in memory: {warm}")
            stored = median_ms(await timed(cold, args.rounds))
            print(f"feed generation, entries read from the store: {stored}")
            print(f"feed served from the cache: {median_ms(await timed(cached, args.rounds))}")
            event = doc["events"][len(doc["events"]) // 2]
            start = datetime.fromisoformat(str(event["start"]))
            event["start"] = str(start + timedelta(minutes=30))[:16]
            event["end"] = str(datetime.fromisoformat(str(event["end"])) + timedelta(minutes=30))[
                :16
            ]
            await _import(app, doc)
            app.assistant.invalidate()
            t0 = time.perf_counter()
            await feeds.sync(now + timedelta(hours=1))
            moved = (time.perf_counter() - t0) * 1000
            print(f"publication after an import that moves one event: {moved:.0f} ms")
            await _http(app, keys, tokens, args.rounds)


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
