"""Delivery at scale: agenda composition for 10,000 participants and one broadcast to
all of them through a fake Bot API that enforces a rate limit.

    python bench/delivery.py [--participants 10000] [--limit 300] [--short-limit 30]
                             [--database-url URL]

At the first limit the sender is paced at 97% of it; at 30/s the fake enforces Telegram's
limits (30 a second, one a second per chat, 20 a minute per group; 429 with a wait during
which every send is refused again) and the sender runs on its defaults. Printed: agenda
composition and enqueue time, then per run the achieved rate as a share of the limit, the
429 responses and the sends that landed inside a RetryAfter wait.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on the path, and bench/telegram.py would hide
# the python-telegram-bot package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, select, update  # noqa: E402

from bench import answers  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.delivery.compose import Recipient, agenda_messages  # noqa: E402
from bot.delivery.outbox import Message, enqueue  # noqa: E402
from bot.programme.importer import import_programme  # noqa: E402
from bot.programme.schema import validate  # noqa: E402
from bot.services import Services, services  # noqa: E402
from bot.store.models import Outgoing, Participant  # noqa: E402
from tests.fake_telegram import TOKEN, FakeBotAPI  # noqa: E402

MORNING = datetime.fromisoformat("2025-03-04T07:05-05:00")


async def run(args: argparse.Namespace) -> None:
    """Import, link everyone, compose agendas, then broadcast at two rate limits."""
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{tmp}/delivery.sqlite3"
        clock = FixedClock(MORNING)
        async with services(Settings(database_url=url), clock) as app:
            doc = validate(
                answers.generate(args.participants, 7, common_per_day=3, group_per_day=2),
                "generated",
            )
            async with app.sessions.begin() as session:
                await session.execute(delete(Outgoing))
                await import_programme(session, doc, invite_secret="b", now=clock.now())
                await session.execute(
                    update(Participant).values(telegram_user_id=Participant.position + 10_000_000)
                )
            async with app.sessions() as session:
                answerer = await app.assistant.answerer(session)
                assert answerer is not None
                people = [Recipient.of(p) for p in await session.scalars(select(Participant))]
            knowledge = answerer.knowledge
            timings = []
            for _ in range(3):
                started = time.perf_counter()
                agendas = agenda_messages(
                    knowledge, answerer, app.i18n, people, clock.now(), set(), set()
                )
                timings.append(time.perf_counter() - started)
            started = time.perf_counter()
            async with app.sessions.begin() as session:
                added = await enqueue(session, agendas, clock.now())
            stored = time.perf_counter() - started
            print(
                f"agenda composition: {len(agendas)} agendas for {len(people)} participants "
                f"in {sorted(timings)[1]:.2f} s (median of 3); enqueued {added} in "
                f"{stored:.2f} s"
            )
            async with app.sessions.begin() as session:
                await session.execute(delete(Outgoing))
            for limit, count in (
                (args.limit, len(people)),
                (args.short_limit, args.short_limit * 20),
            ):
                await broadcast(app, url, people[:count], limit, clock)


async def broadcast(
    app: Services, url: str, people: list[Recipient], limit: int, clock: FixedClock
) -> None:
    """Enqueue one message per participant and drain it against a rate-limited fake."""
    fake = FakeBotAPI()
    at_telegrams = limit == 30
    if at_telegrams:
        # Telegram's own limits, the sender on its defaults (no DELIVERY_RATE).
        fake.limits = (30, 1, 20)
    else:
        fake.rate_limit = limit
    base = await fake.start()
    tag = f"b{limit}"
    async with app.sessions.begin() as session:
        await enqueue(
            session,
            [
                Message(
                    f"broadcast:{tag}:{r.key}",
                    "broadcast",
                    r.key,
                    r.chat_id,
                    r.language,
                    "The bus leaves at 8:15 from the hotel entrance.",
                    "America/New_York",
                )
                for r in people
            ],
            clock.now(),
        )
    # The sender is its own process, as in production (`python -m bot send`).
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": base,
        "BOT_NOW": clock.now().isoformat(),
        **({} if at_telegrams else {"DELIVERY_RATE": str(limit * 0.97)}),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    done = asyncio.Event()
    first: list[float] = []

    def seen(_: object) -> None:
        if not first:
            first.append(time.perf_counter())
        if len(fake.sent) >= len(people):
            done.set()

    fake.listeners.append(seen)
    sender = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "send", env=env, cwd=ROOT
    )
    await done.wait()
    elapsed = time.perf_counter() - first[0]
    sender.send_signal(signal.SIGTERM)
    await sender.wait()
    await fake.stop()
    rate = (len(people) - 1) / elapsed  # from the first message to the last
    print(
        f"broadcast at a {limit}/s limit: {len(people)} messages in {elapsed:.1f} s = "
        f"{rate:.1f}/s ({rate / limit:.1%} of the limit), "
        f"429 responses: {fake.responses.get('sendMessage:429', 0)}, "
        f"sent inside a RetryAfter wait: {fake.inside_flood}"
    )


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--short-limit", type=int, default=30)
    parser.add_argument("--database-url")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
