"""`python -m bot broadcast`: the Slack console's broadcast from the terminal, then at the wire."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from telegram.ext import ExtBot

from bot.cli import main
from bot.clock import FixedClock
from bot.config import Settings
from bot.delivery.drain import DeliveryPolicy, Drainer
from bot.services import services
from bot.store.models import Campaign, Outgoing, Participant
from handlers.telegram.request import AiohttpRequest
from handlers.telegram.sender import TelegramSender
from tests.conftest import FIXTURE
from tests.fake_telegram import TOKEN, FakeBotAPI

NOW = "2024-05-02T10:00-04:00"


@pytest.fixture
def env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The command line on the test database: the fixture imported, eight people linked, one
    of them blocked the bot."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BOT_NOW", NOW)
    assert main(["import", str(FIXTURE)]) == 0

    async def link() -> None:
        engine = create_async_engine(database_url)
        async with async_sessionmaker(engine).begin() as session:
            for n in range(1, 9):
                await session.execute(
                    update(Participant)
                    .where(Participant.key == f"P{n:02d}")
                    .values(telegram_user_id=1000 + n, unreachable=n == 2)
                )
        await engine.dispose()

    asyncio.run(link())
    return database_url


async def _count(url: str, what: type) -> int:
    engine: AsyncEngine = create_async_engine(url)
    async with async_sessionmaker(engine)() as session:
        found = await session.scalar(select(func.count()).select_from(what))
    await engine.dispose()
    return int(found or 0)


def test_a_dry_run_counts_per_language_and_names_who_is_not_reachable(
    env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Group B: counts per language, the unlinked and the blocked named; nothing stored."""
    capsys.readouterr()
    assert main(["broadcast", "--groups", "B", "--text", "Bus at 8:15.", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Audience: 4 participant(s), 2 reachable." in out
    assert "  es: 1" in out and "  ar: 1" in out and "  ru: 1" in out
    assert "not linked (1): P11" in out and "blocked the bot (1): P02" in out
    assert "Dry run: nothing was sent." in out
    assert asyncio.run(_count(env, Campaign)) == 0
    assert asyncio.run(_count(env, Outgoing)) == 0


def test_bad_input_is_refused_and_nothing_is_stored(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown group, participant or language, or no default text: refused, exit 2."""
    bad_language = tmp_path / "bad.yaml"
    bad_language.write_text("en: Hello\nxx: ???\n", encoding="utf-8")
    no_default = tmp_path / "no-default.yaml"
    no_default.write_text("es: Hola\n", encoding="utf-8")
    for argv, reason in (
        (["--groups", "Z", "--text", "Hi"], "unknown groups: Z"),
        (["--participants", "P01,P99", "--text", "Hi"], "unknown participants: P99"),
        (["--everyone", "--file", str(bad_language)], "unknown language(s): xx"),
        (["--everyone", "--file", str(no_default)], "no text in the default language (en)"),
        (["--everyone", "--file", str(tmp_path / "missing.yaml")], "No such file"),
    ):
        capsys.readouterr()
        assert main(["broadcast", *argv]) == 2
        assert reason in capsys.readouterr().err
    assert asyncio.run(_count(env, Campaign)) == 0


def test_a_later_broadcast_is_scheduled(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--at in the future: scheduled, nothing in the outbox yet."""
    capsys.readouterr()
    at = "2024-05-03T08:00-04:00"
    assert main(["broadcast", "--everyone", "--text", "Tomorrow", "--at", at]) == 0
    assert "scheduled for 2024-05-03T08:00:00-04:00" in capsys.readouterr().out
    assert asyncio.run(_count(env, Outgoing)) == 0


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    """A fake Bot API on loopback."""
    api = FakeBotAPI()
    await api.start()
    yield api
    await api.stop()


async def test_a_broadcast_with_translations_arrives_in_each_language(
    env: str, tmp_path: Path, fake: FakeBotAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    """--file with translations, --ack, --urgent: each reachable person gets their language,
    a “Got it” button, through quiet hours; the others get nothing."""
    texts = tmp_path / "bus.yaml"
    texts.write_text(
        "en: The bus leaves at 8:15.\nes: El autobús sale a las 8:15.\nfr: Le bus part à 8 h 15.\n",
        encoding="utf-8",
    )
    argv = ["broadcast", "--participants", "P01,P02,P04,P11,P12", "--file", str(texts)]
    assert await asyncio.to_thread(main, [*argv, "--ack", "--urgent"]) == 0
    assert "queued: 2 message(s)" in capsys.readouterr().out
    bot = ExtBot(TOKEN, base_url=fake.base_url, request=AiohttpRequest())
    night = FixedClock(datetime.fromisoformat("2024-05-02T23:30-04:00"))  # quiet hours
    async with services(Settings(database_url=env), night) as app, bot:
        drainer = Drainer(app.sessions, TelegramSender(bot), app.clock, DeliveryPolicy(rate=0))
        while await drainer.drain_once():
            pass
    sent = {s.chat_id: s for s in fake.calls("sendMessage")}
    assert set(sent) == {1001, 1004}  # P02 blocked the bot, P11 and P12 are not linked
    assert "El autobús sale a las 8:15." in sent[1001].text()
    assert "Le bus part à 8 h 15." in sent[1004].text()
    assert "callback_data" in str(sent[1001].params.get("reply_markup"))
