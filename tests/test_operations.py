"""Operations: /metrics as the bot is driven, /readyz as its parts fail, against the fakes."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.delivery.drain import DeliveryPolicy, Drainer
from bot.delivery.outbox import Message, enqueue
from bot.services import Services, import_file
from bot.store.models import MessageKind
from handlers.telegram.app import build_sender
from schedules.sweeps import agenda_sweep, change_sweep
from tests.conftest import FIXTURE, ROOT
from tests.test_slack import Console, _console

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
async def console(database_url: str, tmp_path: Path) -> AsyncIterator[Console]:
    """The bot with Telegram, Slack and the web app (health, metrics) on the fixture."""
    async for built in _console(database_url, tmp_path, FIXTURE):
        yield built


def _base(c: Console) -> str:
    return c.client.url.rsplit("/slack/", 1)[0]


async def scrape(c: Console) -> Samples:
    """Every sample of /metrics, parsed with the client library's own parser."""
    async with aiohttp.ClientSession() as client, client.get(_base(c) + "/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        text = await response.text()
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    """One sample's value; 0 when the series does not exist yet."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def until(c: Console, ready: Callable[[Samples], bool]) -> Samples:
    """Scrape until the condition holds: updates are counted once PTB is done with them."""
    for _ in range(200):
        samples = await scrape(c)
        if ready(samples):
            return samples
        await asyncio.sleep(0.02)
    raise AssertionError("the metrics never reached the expected values")


async def ready(c: Console) -> tuple[int, dict[str, Any]]:
    """The status and body of /readyz."""
    async with aiohttp.ClientSession() as client, client.get(_base(c) + "/readyz") as response:
        return response.status, await response.json()


def message(key: str, n: int, chat: int) -> Message:
    """A broadcast-like outbox message to one chat."""
    return Message(
        dedupe_key=f"test:{key}:{n}",
        kind=MessageKind.BROADCAST,
        participant_key=key,
        chat_id=chat,
        language="en",
        text=f"message {n}",
        timezone="America/New_York",
    )


async def test_metrics_follow_updates_sends_sweeps_and_accounts(console: Console) -> None:
    """Updates, misunderstood questions, sends by outcome, the 429 pause, outbox and sweeps."""
    c = console
    before = await scrape(c)
    assert value(before, "bot_store_up") == 1
    assert value(before, "bot_participants_linked") == 0
    await c.tg.link(1011, "P11")
    await c.tg.say(1011, "/today")
    await c.tg.say(1011, "zqxv wplk brrt")
    samples = await until(
        c, lambda s: value(s, "bot_updates_total", kind="command", outcome="ok") >= 2
    )
    assert value(samples, "bot_updates_total", kind="message", outcome="ok") == 1
    assert value(samples, "bot_questions_not_understood_total") == 1
    assert value(samples, "bot_answer_seconds_count", kind="command") == 2
    assert value(samples, "bot_participants_linked") == 1

    # The agenda sweep queues P11's agenda: the outbox and the sweep record say so.
    await c.sweep(agenda_sweep)
    c.clock.instant += timedelta(seconds=120)
    samples = await scrape(c)
    assert value(samples, "bot_outbox_pending", kind="agenda") == 1
    assert value(samples, "bot_outbox_oldest_due_age_seconds", kind="agenda") == 120
    assert value(samples, "bot_sweep_runs_total", sweep="agenda_sweep") == 1
    assert value(
        samples, "bot_sweep_last_success_timestamp_seconds", sweep="agenda_sweep"
    ) == pytest.approx((c.clock.instant - timedelta(seconds=120)).timestamp())

    # 429, then a 500, then delivered; a 400 fails; a 403 blocks.
    bot, sender = build_sender(c.app)
    policy = DeliveryPolicy(rate=1000, per_chat_interval=0, backoff=2, pause_margin=0)

    def drainer_() -> Drainer:
        return Drainer(c.app.sessions, sender, c.clock, policy, observer=c.app.metrics)

    drainer = drainer_()
    fake = c.tg.fake
    async with bot:
        fake.fail("sendMessage", 429, retry_after=7)
        assert await drainer.drain_once() == 1
        samples = await scrape(c)
        assert value(samples, "bot_sends_total", outcome="rate_limited") == 1
        assert value(samples, "bot_send_pause_seconds") == pytest.approx(7, abs=0.5)
        c.clock.instant += timedelta(seconds=8)
        assert value(await scrape(c), "bot_send_pause_seconds") == 0
        # The pause has passed on the test's clock; a new sender need not wait it out in real time.
        drainer = drainer_()
        fake.fail("sendMessage", 500)
        assert await drainer.drain_once() == 1
        c.clock.instant += timedelta(seconds=3)
        assert await drainer.drain_once() == 1
        async with c.app.sessions.begin() as session:
            await enqueue(session, [message("P11", 1, 1011)], c.clock.now())
        fake.fail("sendMessage", 400)
        assert await drainer.drain_once() == 1
        async with c.app.sessions.begin() as session:
            await enqueue(session, [message("P11", 2, 1011)], c.clock.now())
        fake.fail("sendMessage", 403)
        assert await drainer.drain_once() == 1
    samples = await scrape(c)
    sends = {
        outcome: value(samples, "bot_sends_total", outcome=outcome)
        for outcome in ("delivered", "retried", "rate_limited", "blocked", "failed")
    }
    assert sends == {"delivered": 1, "retried": 1, "rate_limited": 1, "blocked": 1, "failed": 1}
    assert value(samples, "bot_outbox_pending", kind="agenda") == 0
    assert value(samples, "bot_outbox_messages", kind="agenda", status="sent") == 1
    assert value(samples, "bot_outbox_messages", kind="broadcast", status="failed") == 1
    assert value(samples, "bot_outbox_messages", kind="broadcast", status="blocked") == 1
    assert value(samples, "bot_participants_unreachable") == 1
    # Every series the shipped dashboard queries is one the bot exposes.
    dashboard = (ROOT / "docs" / "grafana-dashboard.json").read_text(encoding="utf-8")
    queried = set(re.findall(r"bot_[a-z_]+", dashboard))
    assert queried and queried <= {name for name, _ in samples}


async def test_readiness_follows_sweeps_sender_telegram_and_slack(console: Console) -> None:
    """Unready until the sweeps ran; then unready when the sender lags, Slack or Telegram fail."""
    c = console
    status, body = await ready(c)
    assert status == 503
    assert body["checks"]["agenda_sweep"] == {"ok": False, "detail": "never ran"}
    assert body["checks"]["telegram"]["ok"] and body["checks"]["slack"]["ok"]
    await c.sweep(agenda_sweep)
    await c.sweep(change_sweep)
    status, body = await ready(c)
    assert status == 200, body
    assert set(body["checks"]) == {
        "store",
        "telegram",
        "slack",
        "agenda_sweep",
        "change_sweep",
        "outbox",
    }

    # A message due for longer than the threshold: the sender is behind.
    async with c.app.sessions.begin() as session:
        await enqueue(session, [message("P11", 1, 1011)], c.clock.now() - timedelta(seconds=301))
    status, body = await ready(c)
    assert status == 503 and body["checks"]["outbox"]["ok"] is False
    await c.drain()
    assert (await ready(c))[0] == 200

    # Sweeps that stopped running.
    c.clock.instant += timedelta(seconds=301)
    status, body = await ready(c)
    assert status == 503 and body["checks"]["change_sweep"]["ok"] is False
    await c.sweep(agenda_sweep)
    await c.sweep(change_sweep)
    assert (await ready(c))[0] == 200

    c.slack.errors["auth.test"] = "invalid_auth"
    status, body = await ready(c)
    assert status == 503 and body["checks"]["slack"] == {"ok": False, "detail": "SlackApiError"}
    del c.slack.errors["auth.test"]

    await c.tg.fake.stop()
    status, body = await ready(c)
    assert status == 503
    assert body["checks"]["telegram"]["ok"] is False
    assert body["checks"]["store"]["ok"] and body["checks"]["slack"]["ok"]
    async with aiohttp.ClientSession() as client, client.get(_base(c) + "/healthz") as response:
        assert response.status == 200  # the cheap check asks the store only


async def test_the_clock_serves_its_health_and_metrics_on_metrics_port(
    app: Services, subprocess_env: dict[str, str]
) -> None:
    """`clock` with METRICS_PORT: ready once its sweeps ran, and their runs are counted."""
    await import_file(app, FIXTURE)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**subprocess_env, "METRICS_PORT": str(port), "BOT_NOW": "2024-05-01T07:30-04:00"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "clock",
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    status, body, text = 0, {}, ""
    try:
        async with aiohttp.ClientSession() as client:
            for _ in range(600):
                try:
                    async with client.get(base + "/readyz") as response:
                        status, body = response.status, await response.json()
                except aiohttp.ClientConnectionError:
                    status = 0  # not serving yet
                if status == 200:
                    break
                await asyncio.sleep(0.05)
            async with client.get(base + "/metrics") as response:
                text = await response.text()
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = await process.communicate()
    assert status == 200, (body, err.decode(errors="replace")[-2000:])
    assert set(body["checks"]) == {"store", "agenda_sweep", "change_sweep", "outbox"}
    runs = {
        s.labels["sweep"]: s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "bot_sweep_runs_total"
    }
    assert runs["agenda_sweep"] >= 1 and runs["change_sweep"] >= 1
    assert process.returncode == 0
