"""The sender's pace at the wire, on virtual time: Telegram's limits, RetryAfter, slow requests."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from telegram.constants import ParseMode
from telegram.ext import Defaults, ExtBot

from bot.config import Settings
from bot.delivery.drain import DeliveryPolicy, Drainer
from bot.delivery.outbox import Message, enqueue
from bot.delivery.pace import Gate, Limits, SharedGate
from bot.services import Services
from bot.store.models import Outgoing
from handlers.telegram.sender import TelegramSender
from tests.fake_telegram import TOKEN, FakeBotAPI
from tests.split_layout import busiest_second
from tests.virtual_time import CountingRequest, VirtualTime

START = datetime.fromisoformat("2024-05-06T12:00-04:00")
TELEGRAM = (30, 1, 20)  # in all a second, per chat a second, per group chat a minute


class CountedGate(SharedGate):
    """The shared gate, its database round trips counted as work time must wait for."""

    timer: VirtualTime

    async def _read(self) -> None:
        self.timer.busy += 1
        try:
            await super()._read()
        finally:
            self.timer.busy -= 1

    async def pause(self, seconds: float) -> float:
        """Pause, time standing still until the pause is stored."""
        self.timer.busy += 1
        try:
            return await super().pause(seconds)
        finally:
            self.timer.busy -= 1


@dataclass
class Line:
    """A fake Bot API enforcing Telegram's limits, on the same virtual time as the senders."""

    app: Services
    fake: FakeBotAPI
    time: VirtualTime
    bots: list[ExtBot]  # type: ignore[type-arg]

    def drainer(self, policy: DeliveryPolicy, gate: Gate | None = None) -> Drainer:
        """A sender as `python -m bot send` builds it (with its own gate: another process)."""
        if gate is None and self.app.engine.dialect.name == "postgresql":
            gate = CountedGate(self.app.sessions, policy.limits, self.time)
        elif gate is None:
            gate = Gate(policy.limits, self.time)
        return Drainer(
            self.app.sessions,
            TelegramSender(self.bots[0]),
            self.time.clock(),
            policy,
            gate,
            self.time,
        )

    async def queue(self, messages: list[Message]) -> None:
        """Put messages in the outbox now."""
        async with self.app.sessions.begin() as session:
            await enqueue(session, messages, self.time.clock().now())

    async def send_all(self, drainers: list[Drainer], count: int) -> None:
        """Run the senders until ``count`` messages have arrived, then stop them."""
        stop = asyncio.Event()

        def seen(_: object) -> None:
            if len(self.fake.calls("sendMessage")) >= count:
                stop.set()

        self.fake.listeners.append(seen)
        await asyncio.wait_for(
            asyncio.gather(*(d.run(stop, idle=0.5) for d in drainers)), timeout=120
        )

    def rate(self) -> float:
        """Messages a second from the first arrival to the last."""
        times = [t for t, _ in self.fake.arrivals]
        return (len(times) - 1) / (max(times) - min(times))

    def worst_second(self) -> int:
        """The most messages that arrived within any one second."""
        return busiest_second(sorted(t for t, _ in self.fake.arrivals))


@pytest.fixture
async def line(app: Services) -> AsyncIterator[Line]:
    """An empty outbox, a fake enforcing Telegram's limits, and virtual time running."""
    time = VirtualTime(START)
    fake = FakeBotAPI()
    fake.clock = time.now
    fake.sleep = time.sleep
    fake.limits = TELEGRAM
    time.held = lambda: fake.hanging
    time.watch(app.engine)
    base = await fake.start()
    bot = ExtBot(
        TOKEN,
        base_url=base,
        # The sender's own send_timeout, on virtual time, gives up on a hanging call; a
        # wall-clock timeout would turn a slow answer on a busy machine into a resend.
        request=CountingRequest(time, read_timeout=60.0),
        defaults=Defaults(parse_mode=ParseMode.HTML),
    )
    ticking = asyncio.create_task(time.run())
    try:
        async with bot:
            yield Line(app, fake, time, [bot])
    finally:
        ticking.cancel()
        await fake.stop()


def broadcast(
    n: int, *, chat: int | None = None, text: str = "The bus leaves at 8:15."
) -> list[Message]:
    """One urgent message per recipient (or ``n`` to one chat)."""
    return [
        Message(
            f"broadcast:{chat}:{i}",
            "broadcast",
            f"R{i}",
            chat if chat is not None else 5000 + i,
            "en",
            text,
            "America/New_York",
            urgent=True,
        )
        for i in range(n)
    ]


def defaults(senders: int = 1) -> DeliveryPolicy:
    """The policy `python -m bot send` uses with no DELIVERY_* variable but DELIVERY_SENDERS."""
    return DeliveryPolicy(rate=Settings(delivery_senders=senders).sender_rate)


async def _statuses(app: Services) -> Counter[str]:
    async with app.sessions() as session:
        return Counter(await session.scalars(select(Outgoing.status)))


async def test_defaults_stay_under_telegrams_limits_near_full_speed(line: Line) -> None:
    """640 messages, a long one in parts, ten to one group: no 429, at least 95 % of 30/s."""
    long_text = "\n".join(f"Line {i}: the bus leaves at 8:15." for i in range(400))
    messages = [
        *broadcast(640),
        replace(broadcast(1)[0], dedupe_key="long", chat_id=7777, text=long_text),
    ]
    messages += [
        replace(m, dedupe_key=f"group-{i}") for i, m in enumerate(broadcast(10, chat=-100))
    ]
    await line.queue(messages)
    parts = -(-len(long_text) // 4096)
    await line.send_all([line.drainer(defaults())], 640 + parts + 10)
    assert line.fake.responses["sendMessage:429"] == 0
    assert line.worst_second() <= 30
    solo = [t for t, chat in line.fake.arrivals if chat > 0 and chat != 7777]
    assert len(solo) == 640 and 639 / (max(solo) - min(solo)) >= 0.95 * 30
    group = sorted(t for t, chat in line.fake.arrivals if chat == -100)
    assert all(b - a >= 3.0 for a, b in itertools.pairwise(group))  # 20 a minute
    parts_at = sorted(t for t, chat in line.fake.arrivals if chat == 7777)
    assert len(parts_at) == parts >= 2 and all(
        b - a >= 1.0 for a, b in itertools.pairwise(parts_at)
    )
    assert await _statuses(line.app) == Counter({"sent": 651})


async def test_a_429_stops_every_worker_until_its_wait_has_passed(line: Line) -> None:
    """Two drainers of one process set too fast: after a 429 nothing goes before retry_after."""
    line.fake.flood_wait = 3
    await line.queue(broadcast(300))
    fast = DeliveryPolicy(rate=45)
    gate = line.drainer(fast).gate
    await line.send_all([line.drainer(fast, gate), line.drainer(fast, gate)], 300)
    assert line.fake.responses["sendMessage:429"] >= 1  # the limit was really hit
    assert line.fake.inside_flood == 0
    counts = Counter(chat for _, chat in line.fake.arrivals)
    assert len(counts) == 300 and set(counts.values()) == {1}


async def test_a_429_reaches_the_other_sender_processes(line: Line) -> None:
    """Two processes set too fast: the other learns of a pause within its refresh (PostgreSQL)."""
    if line.app.engine.dialect.name != "postgresql":
        pytest.skip("several sender processes need PostgreSQL")
    line.fake.flood_wait = 3
    await line.queue(broadcast(300))
    fast = DeliveryPolicy(rate=45)
    senders = [line.drainer(fast), line.drainer(fast)]
    await line.send_all(senders, 300)
    assert line.fake.responses["sendMessage:429"] >= 1
    pauses = line.fake.responses["sendMessage:429"] - line.fake.inside_flood
    # Each pause may be met by what the other sender sends before it reads the row again.
    refresh = senders[1].gate.refresh  # type: ignore[attr-defined]
    assert line.fake.inside_flood <= pauses * (45 * refresh + 1)
    counts = Counter(chat for _, chat in line.fake.arrivals)
    assert len(counts) == 300 and set(counts.values()) == {1}


async def test_a_pause_written_by_another_process_stops_this_one(line: Line) -> None:
    """A pause in the row stops a sender that never got a 429 itself (PostgreSQL)."""
    if line.app.engine.dialect.name != "postgresql":
        pytest.skip("several sender processes need PostgreSQL")
    other = line.drainer(defaults())
    this = line.drainer(defaults())
    until = await other.gate.pause(10)
    await line.queue(broadcast(5))
    await line.send_all([this], 5)
    assert min(t for t, _ in line.fake.arrivals) >= until
    assert this.gate.paused_until() == until


async def test_a_429_stops_a_sender_with_many_messages_in_flight(line: Line) -> None:
    """One sender, 32 at once, told to wait: no send lands inside the wait."""
    line.fake.flood_wait = 5
    line.fake.limits = (10, 1, 20)  # a stricter platform than the policy expects
    await line.queue(broadcast(120))
    await line.send_all([line.drainer(defaults())], 120)
    assert line.fake.responses["sendMessage:429"] >= 1
    assert line.fake.inside_flood == 0
    assert await _statuses(line.app) == Counter({"sent": 120})


async def test_a_slow_request_delays_only_its_own_message(line: Line) -> None:
    """5 % of requests hang until the client gives up: the rest keep their pace."""
    line.fake.chaos = (0.05, ("timeout",))
    line.fake.timeout_delay = 60  # longer than the sender waits for an answer
    await line.queue(broadcast(640))
    policy = replace(defaults(), backoff=0.5, send_timeout=10, unknown_delay=0.5)
    await line.send_all([line.drainer(policy)], 640)
    assert line.fake.responses["sendMessage:hang"] >= 10
    solo = sorted(t for t, _ in line.fake.arrivals)
    # Without hangs, 640 messages at 29/s take 22 s; a hang costs its own message 10 s more
    # (its retry may hang again: the chaos is per request).
    assert solo[-1] - solo[0] <= 640 / 29 + 10 * max(line.fake.hung.values()) + 5
    counts = Counter(chat for _, chat in line.fake.arrivals)
    assert len(counts) == 640 and set(counts.values()) == {1}


async def test_the_limits_hold_across_two_senders(line: Line) -> None:
    """Two sender processes (DELIVERY_SENDERS=2) keep the rate and each chat's gap (PostgreSQL)."""
    if line.app.engine.dialect.name != "postgresql":
        pytest.skip("several senders need PostgreSQL")
    # A second message to each of the first 32 chats, next in line: another sender's batch.
    first = broadcast(400)
    again = [replace(m, dedupe_key=f"again-{i}") for i, m in enumerate(first[:32])]
    await line.queue([*first[:32], *again, *first[32:]])
    await line.send_all([line.drainer(defaults(2)), line.drainer(defaults(2))], 432)
    assert line.fake.responses["sendMessage:429"] == 0
    assert line.worst_second() <= 30 and line.rate() >= 0.95 * 30 * 0.95
    by_chat: dict[int, list[float]] = {}
    for t, chat in line.fake.arrivals:
        by_chat.setdefault(chat, []).append(t)
    assert sorted(len(times) for times in by_chat.values()) == [1] * 368 + [2] * 32
    assert all(b - a >= 1.0 for times in by_chat.values() for a, b in itertools.pairwise(times))


def test_limits_default_to_a_margin_under_telegrams() -> None:
    """The default pace is under each of Telegram's limits and at least 95 % of them."""
    limits = Limits(Settings().delivery_rate)
    assert 0.95 * 30 <= limits.rate < 30
    assert 1.0 < limits.gap(5) <= 1 / 0.95 and 3.0 < limits.gap(-5) <= 3 / 0.95


async def test_only_messages_whose_answer_was_lost_arrive_twice(line: Line) -> None:
    """30 sends carried out with their answers lost: those 30 arrive twice, after at least the
    unknown-outcome delay, and nothing else does; nothing is lost."""
    line.fake.lose("sendMessage", times=30)
    line.fake.timeout_delay = 60  # longer than the sender waits for an answer
    line.fake.chaos = (0.05, ("500",))  # answered failures: sent again, never twice
    await line.queue(broadcast(640))
    policy = defaults()
    await line.send_all([line.drainer(policy)], 640 + 30)
    by_chat: dict[int, list[float]] = {}
    for t, chat in line.fake.arrivals:
        by_chat.setdefault(chat, []).append(t)
    assert len(by_chat) == 640
    twice = [times for times in by_chat.values() if len(times) == 2]
    assert len(twice) == 30 and all(len(times) <= 2 for times in by_chat.values())
    assert all(b - a >= policy.unknown_delay for a, b in twice), min(b - a for a, b in twice)
    assert line.fake.responses["sendMessage:500"] >= 10
    assert await _statuses(line.app) == Counter({"sent": 640})


async def test_a_row_whose_lease_ends_while_it_waits_is_not_sent_by_this_sender(
    line: Line,
) -> None:
    """Rows that wait for their slot past their lease are left to the next claim: each
    message still arrives exactly once."""
    await line.queue(broadcast(60))
    slow = DeliveryPolicy(rate=5, lease=timedelta(seconds=2))
    await line.send_all([line.drainer(slow)], 60)
    counts = Counter(chat for _, chat in line.fake.arrivals)
    assert len(counts) == 60 and set(counts.values()) == {1}
    assert await _statuses(line.app) == Counter({"sent": 60})
