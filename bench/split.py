"""The split layout on PostgreSQL: web + two senders + clock against a fake Bot API that
enforces Telegram's limits, one sender killed with SIGKILL part way through a broadcast.

    python bench/split.py --database-url postgresql+asyncpg://... [--participants 600]
                          [--again 30] [--lease 5]

Every participant gets one broadcast, and the first ``--again`` of them a second message
right behind it (so the two senders meet on the same chats). Both senders run on their
defaults with DELIVERY_SENDERS=2; when a third of the messages have arrived, the first
sender is killed; the other takes over its claimed rows once their lease
(DELIVERY_LEASE_SECONDS) ends. Printed: messages, elapsed time, rate and its share of
Telegram's 30/s, 429 responses, sends inside a RetryAfter wait, the busiest second, the
shortest gap between two messages to one chat, duplicates (with what the killed sender held
claimed by the senders at the kill: the bound) and losses.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import signal
import socket
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on the path, and bench/telegram.py would hide
# the python-telegram-bot package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, func, select, update  # noqa: E402

from bench import answers  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.delivery.outbox import Message, enqueue  # noqa: E402
from bot.programme.importer import import_programme  # noqa: E402
from bot.programme.schema import validate  # noqa: E402
from bot.services import Services, services  # noqa: E402
from bot.store.models import DeliveryStatus, Outgoing, Participant  # noqa: E402
from tests.fake_telegram import TOKEN, FakeBotAPI  # noqa: E402

# Outside the generated programme's dates: the clock process queues no agenda of its own.
NOW = datetime.fromisoformat("2024-12-02T15:00+00:00")


async def prepare(app: Services, participants: int, again: int) -> list[str]:
    """Import a programme, link everyone, queue the broadcast; return the texts expected."""
    doc = validate(answers.generate(participants, 7, common_per_day=3, group_per_day=2), "split")
    async with app.sessions.begin() as session:
        await session.execute(delete(Outgoing))
        await import_programme(session, doc, invite_secret="b", now=NOW)
        await session.execute(
            update(Participant).values(telegram_user_id=Participant.position + 10_000_000)
        )
        people = list(await session.scalars(select(Participant).order_by(Participant.position)))
    def message(person: Participant, n: str) -> Message:
        return Message(
            f"broadcast:split-{n}:{person.key}",
            "broadcast",
            person.key,
            person.position + 10_000_000,
            "en",
            f"Bus at 8:15 ({n} {person.key}).",
            "America/New_York",
            urgent=True,
        )

    firsts = [message(p, "first") for p in people]
    # The second messages come right behind the first ones: another sender claims them.
    ordered = firsts[:again] + [message(p, "again") for p in people[:again]] + firsts[again:]
    async with app.sessions.begin() as session:
        await enqueue(session, ordered, NOW)
    return [m.text for m in ordered]


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def start(env: dict[str, str], command: str) -> asyncio.subprocess.Process:
    """Start one `python -m bot` process of the layout."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", command, env=env, cwd=ROOT
    )


async def claimed(app: Services) -> int:
    """Rows claimed and not yet recorded: what a sender killed now may have on the wire."""
    async with app.sessions() as session:
        found = await session.scalar(
            select(func.count()).where(
                Outgoing.status == DeliveryStatus.PENDING, Outgoing.claimed_until.is_not(None)
            )
        )
    return int(found or 0)


def worst_second(times: list[float]) -> int:
    """The most arrivals within any one second."""
    times = sorted(times)
    worst, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= 1.0:
            start += 1
        worst = max(worst, end - start + 1)
    return worst


async def run(args: argparse.Namespace) -> None:
    """Run the layout, kill a sender, wait for every message, print the figures."""
    async with services(Settings(database_url=args.database_url), FixedClock(NOW)) as app:
        expected = await prepare(app, args.participants, args.again)
        fake = FakeBotAPI()
        fake.limits = (30, 1, 20)
        base = await fake.start()
        env = {
            **os.environ,
            "DATABASE_URL": args.database_url,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": base,
            "TELEGRAM_WEBHOOK_SECRET": "bench-secret",
            "PORT": str(free_port()),
            "BOT_NOW": NOW.isoformat(),
            "DELIVERY_SENDERS": "2",
            "DELIVERY_LEASE_SECONDS": str(args.lease),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        processes = [await start(env, "serve"), await start(env, "clock")]
        senders = [await start(env, "send"), await start(env, "send")]
        processes += senders
        delivered = set()
        started = 0.0
        held = 0
        try:
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                texts = [s.params.get("text") for s in fake.calls("sendMessage")]
                delivered = set(texts)
                if texts and not started:
                    started = time.perf_counter()
                if not held and len(texts) >= len(expected) // 3:
                    held = await claimed(app)
                    os.kill(senders[0].pid, signal.SIGKILL)
                    await senders[0].wait()
                if delivered >= set(expected):
                    break
                await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - started
        finally:
            for process in processes:
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
            await asyncio.gather(*(p.wait() for p in processes))
            await fake.closing()
            await fake.stop()
    report(fake, expected, elapsed, held, args.lease)


def report(fake: FakeBotAPI, expected: list[str], elapsed: float, held: int, lease: int) -> None:
    """Print the figures of one run."""
    sends = fake.calls("sendMessage")
    counts = Counter(s.params.get("text") for s in sends)
    duplicates = sum(n - 1 for n in counts.values())
    lost = len(set(expected) - set(counts))
    times = [t for t, _ in fake.arrivals]
    by_chat: dict[int, list[float]] = {}
    for t, chat in fake.arrivals:
        by_chat.setdefault(chat, []).append(t)
    gaps = [b - a for ts in by_chat.values() for a, b in itertools.pairwise(sorted(ts))]
    # The killed sender's rows wait out their lease: the rate counts the time without it (and
    # after the kill one sender goes on alone, at its half of the rate).
    rate = (len(sends) - 1) / max(elapsed - lease, 1e-9)
    print(
        f"split layout (web, clock, 2 senders, one killed -9): {len(expected)} messages, "
        f"{len(sends)} sends in {elapsed:.1f} s; rate outside the lease wait {rate:.1f}/s "
        f"({rate / 30:.1%} of Telegram's 30/s); 429 responses: "
        f"{fake.responses.get('sendMessage:429', 0)}; sent inside a RetryAfter wait: "
        f"{fake.inside_flood}; busiest second: {worst_second(times)}; shortest gap to one "
        f"chat: {min(gaps, default=float('nan')):.2f} s; duplicates: {duplicates} (rows claimed "
        f"by the two senders at the kill: {held}); lost: {lost}"
    )


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL URL (asyncpg)")
    parser.add_argument("--participants", type=int, default=600)
    parser.add_argument("--again", type=int, default=30)
    parser.add_argument("--lease", type=int, default=5)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
