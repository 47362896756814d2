"""Whole processes: `run` pushes agendas and notices; `send` survives kill -9."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bot.delivery.outbox import Message, enqueue
from bot.services import Services, import_file
from bot.store.models import Participant
from bot.yamlio import load_yaml
from tests import split_layout
from tests.conftest import FIXTURE, ROOT
from tests.fake_telegram import TOKEN, FakeBotAPI
from tests.subprocesses import terminated


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    """A fake Bot API on loopback."""
    server = FakeBotAPI()
    await server.start()
    yield server
    await server.stop()


async def _linked(app: Services) -> None:
    await import_file(app, FIXTURE)
    async with app.sessions.begin() as session:
        for person in await session.scalars(select(Participant)):
            person.telegram_user_id = 1000 + int(person.key[1:])


async def _start(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def _until(condition: Callable[[], bool], seconds: float) -> None:
    """Wait for something the processes do, polling the fake's record."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.1)


async def test_run_sends_the_agenda_and_notices_an_import(
    app: Services,
    fake: FakeBotAPI,
    subprocess_env: dict[str, str],
    tmp_path: Path,
) -> None:
    """One `run` process: everyone's agenda at 07:00, then a notice after an edited import."""
    await _linked(app)
    env = {
        **subprocess_env,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": fake.base_url,
        "BOT_NOW": "2024-05-02T07:00:30-04:00",
        # The windows are settings: a short one here, the same code path as the default.
        "CHANGE_COALESCE_SECONDS": "1",
        "SWEEP_INTERVAL_SECONDS": "0.5",
    }
    bot = await _start(env, "run")
    booted = asyncio.get_running_loop().time()
    try:
        await _until(lambda: len({s.chat_id for s in fake.calls("sendMessage")}) == 12, 60)
        assert all("FBI" in s.text() for s in fake.calls("sendMessage"))
        doc = load_yaml(FIXTURE.read_text(encoding="utf-8"))
        next(e for e in doc["events"] if e["key"] == "fbi-tcos")["start"] = "2024-05-02 11:00"
        next(e for e in doc["events"] if e["key"] == "fbi-tcos")["end"] = "2024-05-02 13:00"
        edited = tmp_path / "edited.yaml"
        edited.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        # The importing process's clock agrees with the running bot's, as real clocks do.
        elapsed = asyncio.get_running_loop().time() - booted
        moment = datetime.fromisoformat(env["BOT_NOW"]) + timedelta(seconds=elapsed)
        importer = await _start({**env, "BOT_NOW": moment.isoformat()}, "import", str(edited))
        assert await importer.wait() == 0
        await _until(lambda: len(fake.calls("sendMessage")) >= 24, 60)
        notices = fake.calls("sendMessage")[12:]
        assert {s.chat_id for s in notices} == {1000 + i for i in range(1, 13)}
        assert all("11:00" in s.text() for s in notices)
    finally:
        await fake.closing()
        await terminated(bot)


async def test_kill_minus_nine_mid_broadcast_loses_nothing(
    app: Services, fake: FakeBotAPI, subprocess_env: dict[str, str]
) -> None:
    """SIGKILL a sender half way; after a restart everyone has the message, and copies
    beyond one are limited to what was in flight."""
    await _linked(app)
    people = 300
    messages = [
        Message(
            f"broadcast:k1:R{i}",
            "broadcast",
            f"R{i}",
            5000 + i,
            "en",
            f"Update {i}",
            "America/New_York",
            urgent=True,
        )
        for i in range(people)
    ]
    async with app.sessions.begin() as session:
        await enqueue(session, messages, app.clock.now())
    fake.delay = 0.01
    env = {
        **subprocess_env,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": fake.base_url,
        "DELIVERY_RATE": "100",
        "DELIVERY_LEASE_SECONDS": "2",
    }
    sender = await _start(env, "send")
    await _until(lambda: len(fake.calls("sendMessage")) >= people // 3, 60)
    os.kill(sender.pid, signal.SIGKILL)
    await sender.wait()
    killed_at = len(fake.calls("sendMessage"))
    assert killed_at < people
    sender = await _start(env, "send")
    try:
        await _until(lambda: len({s.chat_id for s in fake.calls("sendMessage")}) == people, 90)
    finally:
        await terminated(sender)
    counts = Counter(s.chat_id for s in fake.calls("sendMessage"))
    assert set(counts) == {5000 + i for i in range(people)}
    duplicates = sum(n - 1 for n in counts.values())
    assert duplicates <= 32  # one claimed batch at most


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_split_layout_survives_a_sender_killed_mid_batch(
    app: Services, subprocess_env: dict[str, str], database_url: str, tmp_path: Path
) -> None:
    """`serve`, `clock` and two `send` processes on PostgreSQL against a fake that enforces
    Telegram's limits, one sender killed -9 mid-batch: every message arrives, only what the
    senders held claimed at the kill arrives twice, and the limits hold across both senders."""
    await import_file(app, FIXTURE)
    fake = FakeBotAPI()
    fake.limits = split_layout.TELEGRAM_LIMITS
    # Answers take a moment, as Telegram's do: the killed sender has calls on the wire.
    fake.answer_delay = 0.1
    await fake.start()
    # Senders on their defaults (29 a second in all, shared by DELIVERY_SENDERS=2); the lease
    # is short so the dead sender's rows are taken over soon, and long enough that no live
    # sender's row is ever taken from it.
    env = split_layout.layout_env(subprocess_env, database_url, lease=10)
    layout = split_layout.Layout(fake, env, tmp_path)
    people = [(f"S{i:03d}", 7000 + i) for i in range(240)]
    try:
        await layout.start(senders=2)
        # Queued once every process is up; the clock's own sweeps find nothing due (the
        # programme is over), so the outbox holds this broadcast alone.
        messages = split_layout.broadcast(people, again=20, tag="split")
        expected = await split_layout.queue(app, messages, datetime.now(UTC))
        kill = await split_layout.run_with_kill(
            app, layout, expected, kill_after=len(expected) // 3, each_sent=10, patience=300
        )
        survivors = layout.alive()
    finally:
        await layout.stop()
        await fake.closing()
        await fake.stop()
    figures = split_layout.Figures.of(fake, expected)
    # Web, clock and the other sender ran to the end; the victim had sent, and held rows.
    assert survivors == ["web", "clock", "sender2"], layout.tail()
    assert kill.sent_before["sender1"] >= 10
    assert kill.held, "the sender was killed with nothing claimed"
    assert not figures.lost
    # Nothing arrives twice but what was claimed at the kill, and the dead sender sent first.
    assert set(figures.duplicated) <= kill.held
    assert figures.duplicates <= len(kill.held)
    for text in figures.duplicated:
        first = next(s for s in fake.calls("sendMessage") if s.params.get("text") == text)
        assert first.via == "sender1"
    # Telegram's limits held across both senders: no 429, no send in a wait, no second with
    # more than 30, no chat written to twice within a second.
    assert figures.refused == 0, layout.tail()
    assert figures.inside_flood == 0
    assert figures.busiest_second <= split_layout.TELEGRAM_LIMITS[0]
    assert figures.shortest_gap >= 1.0
    # Both senders sent, and the survivor took over the dead one's rows.
    assert layout.sent_by("sender2") > kill.sent_before["sender2"]
    assert layout.sent_by("sender1") == kill.sent_before["sender1"]


async def test_a_task_that_ignores_cancelling_does_not_keep_a_stopped_command_alive() -> None:
    """Leftover tasks are cancelled with a grace; one that outlives it is named and left behind."""
    script = """
import asyncio
from bot import cli

async def stubborn() -> None:
    while True:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            pass

async def main() -> None:
    asyncio.ensure_future(stubborn())
    asyncio.ensure_future(asyncio.sleep(3600))
    await asyncio.sleep(0)
    stuck = await cli._cancel_leftovers(0.2)
    assert len(stuck) == 1, stuck
    cli._exit_now(stuck, 3)

asyncio.run(main())
"""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, cwd=ROOT, stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 3, err.decode()
    assert "did not stop" in err.decode() and "stubborn" in err.decode()
