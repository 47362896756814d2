"""The split layout on PostgreSQL: web + two senders + clock against a fake Bot API that
enforces Telegram's limits, one sender killed with SIGKILL part way through a broadcast.

    python bench/split.py --database-url postgresql+asyncpg://... [--participants 600]
                          [--again 30] [--lease 5] [--answer-delay 0.05]

Every participant gets one broadcast, and the first ``--again`` of them a second message
right behind it (so the two senders meet on the same chats). Both senders run on their
defaults with DELIVERY_SENDERS=2, the fake answering each message ``--answer-delay`` seconds
after taking it; when a third of the messages have arrived, the first sender is killed; the
other takes over its claimed rows once their lease (DELIVERY_LEASE_SECONDS) ends. Printed:
messages, elapsed time, rate and its share of Telegram's 30/s, 429 responses, sends inside
a RetryAfter wait, the busiest second, the shortest gap between two messages to one chat,
duplicates (with the rows the senders held claimed at the kill: the bound) and losses.
The tests run the same layout (tests/split_layout.py) and assert on these figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on the path, and bench/telegram.py would hide
# the python-telegram-bot package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, select, update  # noqa: E402

from bench import answers  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.programme.importer import import_programme  # noqa: E402
from bot.programme.schema import validate  # noqa: E402
from bot.services import Services, services  # noqa: E402
from bot.store.models import Outgoing, Participant  # noqa: E402
from tests import split_layout  # noqa: E402
from tests.fake_telegram import FakeBotAPI  # noqa: E402


async def prepare(app: Services, participants: int) -> list[tuple[str, int]]:
    """Import a programme (over before today: the clock queues nothing of its own), link
    everyone; return their keys and chat ids."""
    doc = validate(answers.generate(participants, 7, common_per_day=3, group_per_day=2), "split")
    async with app.sessions.begin() as session:
        await session.execute(delete(Outgoing))
        await import_programme(session, doc, invite_secret="b", now=app.clock.now())
        await session.execute(
            update(Participant).values(telegram_user_id=Participant.position + 10_000_000)
        )
        people = list(await session.scalars(select(Participant).order_by(Participant.position)))
    return [(p.key, p.position + 10_000_000) for p in people]


async def run(args: argparse.Namespace) -> None:
    """Run the layout, kill a sender, wait for every message, print the figures."""
    async with services(Settings(database_url=args.database_url), SystemClock()) as app:
        people = await prepare(app, args.participants)
        messages = split_layout.broadcast(people, args.again, "split")
        fake = FakeBotAPI()
        fake.limits = split_layout.TELEGRAM_LIMITS
        fake.answer_delay = args.answer_delay
        await fake.start()
        env = split_layout.layout_env(dict(os.environ), args.database_url, args.lease)
        with tempfile.TemporaryDirectory() as logs:
            layout = split_layout.Layout(fake, env, Path(logs))
            try:
                await layout.start(senders=2)
                expected = await split_layout.queue(app, messages, datetime.now(UTC))
                kill = await split_layout.run_with_kill(app, layout, expected, len(expected) // 3)
            finally:
                await layout.stop()
                await fake.closing()
                await fake.stop()
    report(split_layout.Figures.of(fake, expected), kill, args.lease)


def report(figures: split_layout.Figures, kill: split_layout.Kill, lease: float) -> None:
    """Print the figures of one run."""
    # The killed sender's rows wait out their lease: the rate counts the time without it (and
    # after the kill one sender goes on alone, at its half of the rate).
    rate = (figures.sends - 1) / max(figures.elapsed - lease, 1e-9)
    print(
        f"split layout (web, clock, 2 senders, one killed -9): {len(figures.expected)} "
        f"messages, {figures.sends} sends in {figures.elapsed:.1f} s; rate outside the lease "
        f"wait {rate:.1f}/s ({rate / 30:.1%} of Telegram's 30/s); 429 responses: "
        f"{figures.refused}; sent inside a RetryAfter wait: {figures.inside_flood}; busiest "
        f"second: {figures.busiest_second}; shortest gap to one chat: "
        f"{figures.shortest_gap:.2f} s; duplicates: {figures.duplicates} (rows claimed by the "
        f"two senders at the kill: {len(kill.held)}); lost: {len(figures.lost)}"
    )


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL URL (asyncpg)")
    parser.add_argument("--participants", type=int, default=600)
    parser.add_argument("--again", type=int, default=30)
    parser.add_argument("--lease", type=float, default=5)
    parser.add_argument("--answer-delay", type=float, default=0.05)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
