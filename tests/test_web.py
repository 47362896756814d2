"""The web process: Telegram updates by webhook (secret checked) and the health check."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot.config import Settings
from bot.services import Services, import_file, services
from handlers.telegram.app import webhook
from handlers.web import SECRET_HEADER, WEBHOOK_PATH, build_web_app
from tests.conftest import FIXTURE
from tests.fake_telegram import TOKEN, FakeBotAPI

SECRET = "s3cret-token-for-tests"


@pytest.fixture
async def served(database_url: str, tmp_path: Path) -> AsyncIterator[tuple[str, FakeBotAPI]]:
    """`serve`'s web app on a loopback port, the bot behind it talking to a fake Bot API."""
    fake = FakeBotAPI()
    base = await fake.start()
    settings = Settings(
        database_url=database_url,
        data_dir=tmp_path,
        telegram_bot_token=TOKEN,
        telegram_base_url=base,
        telegram_webhook_url="https://bot.example.org",
        telegram_webhook_secret=SECRET,
    )
    app: Services
    async with services(settings) as app:
        await import_file(app, FIXTURE)
        async with webhook(app) as application:
            runner = web.AppRunner(build_web_app(app, application, SECRET))
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            try:
                yield f"http://127.0.0.1:{port}", fake
            finally:
                await runner.cleanup()
    await fake.stop()


def _update(update_id: int, text: str) -> dict[str, object]:
    user = {"id": 77, "is_bot": False, "first_name": "U", "language_code": "en"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 77, "type": "private"},
            "from": user,
            "text": text,
        },
    }


async def test_webhook_updates_are_answered_and_need_the_secret(
    served: tuple[str, FakeBotAPI],
) -> None:
    """The right secret gets an answer; a wrong or missing one gets 403 and nothing else."""
    url, fake = served
    assert fake.calls("setWebhook")[0].params["secret_token"] == SECRET
    async with aiohttp.ClientSession() as client:
        for headers in ({}, {SECRET_HEADER: "wrong"}):
            async with client.post(
                url + WEBHOOK_PATH, json=_update(1, "hi"), headers=headers
            ) as response:
                assert response.status == 403
        assert fake.calls("sendMessage") == []
        async with client.post(
            url + WEBHOOK_PATH, json=_update(2, "/today"), headers={SECRET_HEADER: SECRET}
        ) as response:
            assert response.status == 200
        for _ in range(200):
            if fake.calls("sendMessage"):
                break
            await asyncio.sleep(0.05)
        reply = fake.calls("sendMessage")[0].text()
        assert "Towards a More Safe and Secure World" in reply  # a stranger: public only
        async with client.get(url + "/healthz") as response:
            assert response.status == 200 and (await response.json())["ok"] is True
