"""The web process: Telegram updates by webhook (secret checked) and the health check."""

from __future__ import annotations

import asyncio
import json
import logging
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


def _message(**fields: object) -> dict[str, object]:
    user = {"id": 78, "is_bot": False, "first_name": "V", "language_code": "en"}
    chat = {"id": 78, "type": "private"}
    return {"message_id": 5, "date": 0, "chat": chat, "from": user, "text": "hi", **fields}


# Bodies that are JSON but not a Telegram update, or an update with a field of the wrong type.
NOT_UPDATES: list[object] = [
    [],
    [_update(3, "hi")],
    "an update",
    12,
    None,
    {},
    {"update_id": True},
    {"update_id": "3", "message": _message()},
    {"update_id": 3, "message": "hi"},
    {"update_id": 3, "message": [_message()]},
    {"update_id": 3, "message": _message(chat="78")},
    {"update_id": 3, "message": _message(chat={"id": "78", "type": "private"})},
    {"update_id": 3, "message": _message(text=5)},
    {"update_id": 3, "message": _message(date=10**30)},
    {"update_id": 3, "message": _message(entities="bot_command")},
    {"update_id": 3, "message": _message(entities=[{"type": "bold", "offset": "0"}])},
    {"update_id": 3, "message": _message(**{"from": [78]})},
    {"update_id": 3, "message": _message(reply_to_message="earlier")},
    {"update_id": 3, "edited_message": 7},
    {"update_id": 3, "callback_query": {"id": "c", "chat_instance": "i", "data": 7}},
    {"update_id": 3, "callback_query": {"id": 1, "chat_instance": "i", "from": "me"}},
    {"update_id": 3, "my_chat_member": "kicked"},
]
# Bodies that are not JSON at all: broken, not UTF-8, nested beyond any parser's depth.
NOT_JSON = [b'{"update_id": ', b"\xff\xfe\x00", b"[" * 200_000, b'{"update_id": 1e999}']


async def test_webhook_refuses_what_is_not_an_update_and_carries_on(
    served: tuple[str, FakeBotAPI], caplog: pytest.LogCaptureFixture
) -> None:
    """Malformed bodies with the right secret get 400, no traceback; a good update still works."""
    url, fake = served
    headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
    async with aiohttp.ClientSession() as client:
        for body in [json.dumps(b).encode() for b in NOT_UPDATES] + NOT_JSON:
            async with client.post(url + WEBHOOK_PATH, data=body, headers=headers) as response:
                assert response.status == 400, body[:80]
        mark = len(fake.sent)
        async with client.post(
            url + WEBHOOK_PATH, json=_update(4, "/today"), headers={SECRET_HEADER: SECRET}
        ) as response:
            assert response.status == 200
        reply = await fake.wait_for(lambda s: s.method == "sendMessage", since=mark)
    assert "Towards a More Safe and Secure World" in reply.text()
    assert [s for s in fake.sent[:mark] if s.method == "sendMessage"] == []
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    refusals = [r for r in caplog.records if r.name == "handlers.web"]
    assert len(refusals) == len(NOT_UPDATES) + len(NOT_JSON)
    assert all(r.levelno == logging.WARNING and "\n" not in r.getMessage() for r in refusals)
