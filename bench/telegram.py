"""Telegram throughput and latency: one bot process against a fake Bot API on loopback.

Imports a generated programme (bench/answers.py) into a fresh SQLite store, starts
`python -m bot run` as a separate process with TELEGRAM_BASE_URL pointing at a fake Bot API
served here, links a set of participants through /start, then keeps a number of users
asking questions in six languages (each asks again when answered) and prints the
sustained rate of updates answered per second and the latency from the update being
offered to the reply being received.

    python bench/telegram.py [--users 200] [--concurrency 64] [--seconds 15]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on the path, and bench/telegram.py would hide
# the python-telegram-bot package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bench import answers  # noqa: E402
from tests.fake_telegram import TOKEN, FakeBotAPI, Sent  # noqa: E402

# Questions answered by exactly one text message (no venue pin, no contact card).
TEXT_ONLY = {
    "en": [
        "What's on today?",
        "What do we have tomorrow?",
        "/today",
        "/tomorrow",
        "/week",
        "What's on Thursday?",
        "What's the wifi password?",
    ],
    "es": ["¿Qué hay hoy?", "¿Qué tenemos mañana?", "¿Qué hay el jueves?"],
    "fr": ["Qu'est-ce qu'on fait aujourd'hui ?", "Quel est le programme de demain ?"],
    "ar": ["ما هو برنامج اليوم؟", "ما هو برنامج الغد؟"],
    "ru": ["Что у нас сегодня?", "Что у нас завтра?"],
    "pt": ["O que temos hoje?", "O que temos amanhã?"],
}


async def run(args: argparse.Namespace) -> None:
    """Start the bot, link users, then measure a closed loop of questions."""
    rng = random.Random(args.seed)
    fake = FakeBotAPI()
    base = await fake.start()
    waiting: dict[int, asyncio.Future[float]] = {}

    def on_sent(sent: Sent) -> None:
        future = waiting.pop(sent.chat_id or 0, None) if sent.method == "sendMessage" else None
        if future is not None and not future.done():
            future.set_result(time.perf_counter())

    fake.listeners.append(on_sent)
    with tempfile.TemporaryDirectory() as tmp:
        programme = Path(tmp) / "programme.yaml"
        # A realistic density: each participant has four or five items a day.
        generated = answers.generate(
            args.participants, args.seed, common_per_day=3, group_per_day=2
        )
        programme.write_text(yaml.safe_dump(generated))
        env = {
            **os.environ,
            "DATABASE_URL": args.database_url or f"sqlite:///{tmp}/bench.sqlite3",
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": base,
            "BOT_NOW": "2025-03-04T05:30-05:00",  # before the agenda: replies only
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        importer = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "import",
            str(programme),
            env=env,
            cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL,
        )
        if await importer.wait() != 0:
            raise SystemExit("the generated programme did not import")
        profile = ["-m", "cProfile", "-o", args.profile] if args.profile else []
        bot = await asyncio.create_subprocess_exec(
            sys.executable, *profile, "-m", "bot", "run", env=env, cwd=ROOT
        )
        try:
            await _measure(args, rng, fake, waiting)
        finally:
            bot.terminate()
            await bot.wait()
            await fake.stop()


async def _ask(
    fake: FakeBotAPI, waiting: dict[int, asyncio.Future[float]], user: int, text: str, language: str
) -> float:
    """Offer one update and return the seconds until its reply arrived."""
    future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
    waiting[user] = future
    offered = time.perf_counter()
    await fake.push_message(user, text, language=language)
    return await asyncio.wait_for(future, 60) - offered


async def _measure(
    args: argparse.Namespace,
    rng: random.Random,
    fake: FakeBotAPI,
    waiting: dict[int, asyncio.Future[float]],
) -> None:
    users = list(range(1, args.users + 1))
    # The first reply also proves the bot is up (it may take a few seconds to start).
    await _ask(fake, waiting, users[0], f"/start CODE{0:06d}", "en")
    links = await asyncio.gather(
        *(_ask(fake, waiting, user, f"/start CODE{user - 1:06d}", "en") for user in users[1:])
    )
    print(f"linked {len(users)} users (link latency p50 {statistics.median(links) * 1000:.1f} ms)")

    latencies: list[float] = []
    stop_at = time.perf_counter() + args.seconds
    warm_until = time.perf_counter() + 2.0

    async def user_loop(user: int) -> None:
        while time.perf_counter() < stop_at:
            if args.mix == "text":
                language = rng.choice(list(TEXT_ONLY))
                text = rng.choice(TEXT_ONLY[language])
            else:
                language, text = answers.question(rng)
            latency = await _ask(fake, waiting, user, text, language)
            if time.perf_counter() > warm_until:
                latencies.append(latency)

    idle = users[:]
    rng.shuffle(idle)
    started = time.perf_counter()
    await asyncio.gather(*(user_loop(u) for u in idle[: args.concurrency]))
    elapsed = time.perf_counter() - max(started, warm_until)
    ms = [v * 1000 for v in latencies]
    print(
        f"closed loop ({args.mix} mix): {args.concurrency} users asking at once for "
        f"{args.seconds} s (first 2 s not counted)"
    )
    print(f"sustained: {len(ms) / elapsed:.0f} updates/s answered ({len(ms)} replies)")
    print(
        f"latency offered -> reply received: p50 {answers.percentile(ms, 0.5):.1f} ms, "
        f"p90 {answers.percentile(ms, 0.9):.1f} ms, p99 {answers.percentile(ms, 0.99):.1f} ms"
    )
    print(f"fake Bot API responses: {dict(sorted(fake.responses.items()))}")


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--profile", help="run the bot under cProfile, writing stats here")
    parser.add_argument("--database-url", help="an empty database to use instead of a SQLite file")
    parser.add_argument(
        "--mix",
        choices=("text", "full"),
        default="text",
        help="text: questions answered by one message; full: venues and contact cards too",
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
