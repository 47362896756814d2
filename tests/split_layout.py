"""The split layout on PostgreSQL, run for real: `serve`, `clock` and several `send` processes
against a fake Bot API that enforces Telegram's limits, one sender killed with SIGKILL part way.

Shared by the process test and ``bench/split.py``: the test asserts on the figures, the
benchmark prints them.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import socket
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import aiohttp
from sqlalchemy import select

from bot.delivery.outbox import Message, enqueue
from bot.services import Services
from bot.store.models import DeliveryStatus, Outgoing
from tests.fake_telegram import TOKEN, FakeBotAPI
from tests.subprocesses import terminated

ROOT = Path(__file__).resolve().parent.parent
# Telegram's limits: 30 messages a second in all, one a second per chat, 20 a minute per group.
TELEGRAM_LIMITS = (30, 1, 20)


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def broadcast(people: list[tuple[str, int]], again: int, tag: str) -> list[Message]:
    """One urgent message to each (key, chat id), and a second one to the first ``again`` right
    behind their first (so senders meet on the same chats); each text is unique."""

    def message(key: str, chat_id: int, n: str) -> Message:
        return Message(
            f"broadcast:{tag}-{n}:{key}",
            "broadcast",
            key,
            chat_id,
            "en",
            f"Bus at 8:15 ({n} {key}).",
            "America/New_York",
            urgent=True,
        )

    firsts = [message(key, chat, "first") for key, chat in people]
    seconds = [message(key, chat, "again") for key, chat in people[:again]]
    return firsts[:again] + seconds + firsts[again:]


async def queue(app: Services, messages: list[Message], now: datetime) -> list[str]:
    """Put the messages in the outbox, due at ``now``; return their texts."""
    async with app.sessions.begin() as session:
        await enqueue(session, messages, now)
    return [m.text for m in messages]


async def claimed_texts(app: Services) -> set[str]:
    """Texts of the rows claimed and not yet recorded: what a dead sender may have sent."""
    async with app.sessions() as session:
        found = await session.scalars(
            select(Outgoing.text).where(
                Outgoing.status == DeliveryStatus.PENDING, Outgoing.claimed_until.is_not(None)
            )
        )
        return set(found)


@dataclass
class Layout:
    """The processes of one split deployment, each with its own health port and log."""

    fake: FakeBotAPI
    env: dict[str, str]
    logs: Path
    senders: list[str] = field(default_factory=list)
    processes: dict[str, asyncio.subprocess.Process] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    # Processes that answered /healthz, and those killed on purpose.
    healthy: dict[str, bool] = field(default_factory=dict)
    killed: set[str] = field(default_factory=set)

    async def start(self, senders: int) -> None:
        """Start `serve`, `clock` and ``senders`` `send` processes; return once all are up."""
        self.senders = [f"sender{n}" for n in range(1, senders + 1)]
        for name in ("web", "clock", *self.senders):
            command = {"web": "serve", "clock": "clock"}.get(name, "send")
            port = free_port()
            env = {
                **self.env,
                "DELIVERY_SENDERS": str(senders),
                # Each process calls the fake under its own name: the record tells them apart.
                "TELEGRAM_BASE_URL": self.fake.base_for(name),
                **({"PORT": str(port)} if name == "web" else {"METRICS_PORT": str(port)}),
            }
            self.ports[name] = port
            with (self.logs / f"{name}.log").open("wb") as log:
                self.processes[name] = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", command, env=env, cwd=ROOT,
                    stdout=asyncio.subprocess.DEVNULL, stderr=log,
                )  # fmt: skip
        for name in self.processes:
            await self.until(lambda name=name: self.healthy.get(name, False), 120, self.probe)

    async def probe(self) -> None:
        """Ask each process not yet known healthy for /healthz."""
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as http:
            for name, port in self.ports.items():
                if self.healthy.get(name):
                    continue
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                        self.healthy[name] = response.status == 200
                except (aiohttp.ClientError, TimeoutError):
                    pass

    def sends(self) -> list[str]:
        """Texts of every sendMessage the fake accepted or refused, in order."""
        return [str(s.params.get("text")) for s in self.fake.calls("sendMessage")]

    def sent_by(self, name: str) -> int:
        """How many sendMessage calls came from one process."""
        return sum(1 for s in self.fake.calls("sendMessage") if s.via == name)

    async def until(
        self,
        condition: Callable[[], bool],
        seconds: float,
        poll: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """Wait for something the processes do, failing with their logs if one dies first."""
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            if poll is not None:
                await poll()
            if condition():
                return
            dead = [n for n, p in self.processes.items() if p.returncode is not None]
            dead = [n for n in dead if n not in self.killed]
            if dead or asyncio.get_running_loop().time() > deadline:
                raise AssertionError(
                    f"timed out or died ({', '.join(dead) or 'none died'}):\n{self.tail()}"
                )
            await asyncio.sleep(0.1)

    async def kill(self, name: str) -> None:
        """SIGKILL one process and wait until it is gone."""
        process = self.processes[name]
        self.killed.add(name)
        os.kill(process.pid, signal.SIGKILL)
        await process.wait()

    def alive(self) -> list[str]:
        """Processes still running."""
        return [n for n, p in self.processes.items() if p.returncode is None]

    async def stop(self) -> None:
        """SIGTERM every process still running and wait for them."""
        await asyncio.gather(*(terminated(p) for p in self.processes.values()))

    def tail(self, lines: int = 15) -> str:
        """The last lines of each process's log."""
        parts = []
        for name in self.processes:
            text = (self.logs / f"{name}.log").read_text(encoding="utf-8", errors="replace")
            parts.append(f"--- {name}\n" + "\n".join(text.splitlines()[-lines:]))
        return "\n".join(parts)


def layout_env(base: dict[str, str], database_url: str, lease: float) -> dict[str, str]:
    """The environment every process of the layout shares (on the system clock, as in
    production: processes started one after another agree on the time)."""
    env = {k: v for k, v in base.items() if k != "BOT_NOW"}
    env.update(
        DATABASE_URL=database_url,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_WEBHOOK_SECRET="split-secret",
        DELIVERY_LEASE_SECONDS=str(lease),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


@dataclass
class Figures:
    """What the fake Bot API saw of one run."""

    expected: list[str]
    sends: int
    duplicated: dict[str, int]  # text -> copies beyond the first
    lost: set[str]
    refused: int  # 429 responses
    inside_flood: int  # sends made during a RetryAfter wait
    busiest_second: int  # most accepted sends within any one second
    shortest_gap: float  # shortest time between two accepted sends to one chat
    elapsed: float  # from the first accepted send to the last

    @property
    def duplicates(self) -> int:
        """Copies beyond one, in all."""
        return sum(self.duplicated.values())

    @classmethod
    def of(cls, fake: FakeBotAPI, expected: list[str]) -> Figures:
        """Count the fake's record against the texts expected once each."""
        texts = [str(s.params.get("text")) for s in fake.calls("sendMessage")]
        counts = Counter(texts)
        times = sorted(t for t, _ in fake.arrivals)
        by_chat: dict[int, list[float]] = {}
        for t, chat in fake.arrivals:
            by_chat.setdefault(chat, []).append(t)
        gaps = [b - a for ts in by_chat.values() for a, b in itertools.pairwise(sorted(ts))]
        return cls(
            expected=expected,
            sends=len(texts),
            duplicated={t: n - 1 for t, n in counts.items() if n > 1},
            lost=set(expected) - set(counts),
            refused=fake.responses.get("sendMessage:429", 0),
            inside_flood=fake.inside_flood,
            busiest_second=busiest_second(times),
            shortest_gap=min(gaps, default=float("inf")),
            elapsed=times[-1] - times[0] if times else 0.0,
        )


def busiest_second(times: list[float]) -> int:
    """The most of these sorted moments within any one second."""
    worst, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= 1.0:
            start += 1
        worst = max(worst, end - start + 1)
    return worst


@dataclass
class Kill:
    """What the store and the fake held when a sender was killed."""

    name: str
    held: set[str]  # texts of rows claimed by any sender, read once the killed one was gone
    sent_before: dict[str, int]  # sendMessage calls per sender before the kill


async def run_with_kill(
    app: Services,
    layout: Layout,
    expected: list[str],
    kill_after: int,
    each_sent: int = 1,
    patience: float = 600,
) -> Kill:
    """Wait until ``kill_after`` messages went out, each sender having sent ``each_sent``; kill
    the first sender; wait until every expected text has arrived; stop the layout."""
    victim = layout.senders[0]
    await layout.until(
        lambda: (
            len(layout.sends()) >= kill_after
            and all(layout.sent_by(n) >= each_sent for n in layout.senders)
        ),
        patience,
    )
    await layout.kill(victim)
    # Read after the kill: the dead sender's claims can no longer change.
    held = await claimed_texts(app)
    before = {n: layout.sent_by(n) for n in layout.senders}
    await layout.until(lambda: set(layout.sends()) >= set(expected), patience)
    return Kill(victim, held, before)
