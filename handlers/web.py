"""HTTP entry point: the Telegram webhook (secret token checked) and a health check."""

from __future__ import annotations

import hmac
import logging
from typing import TYPE_CHECKING

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.store.database import ping

if TYPE_CHECKING:
    from bot.cli import Services

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def build_web_app(
    app: Services,
    application: Application,  # type: ignore[type-arg]
    secret: str,
) -> web.Application:
    """Return the aiohttp application serving the webhook and /healthz."""

    async def telegram_webhook(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
            return web.Response(status=403, text="forbidden")
        try:
            data = await request.json()
            update = Update.de_json(data, application.bot)
        except (ValueError, TypeError, KeyError):
            return web.Response(status=400, text="not a Telegram update")
        await application.update_queue.put(update)
        return web.Response(text="ok")

    async def healthz(_: web.Request) -> web.Response:
        try:
            await ping(app.engine)
        except Exception:  # any database failure makes the process unhealthy
            log.exception("health check: database unavailable")
            return web.json_response({"ok": False, "database": "unavailable"}, status=503)
        return web.json_response({"ok": True})

    web_app = web.Application(client_max_size=1024 * 1024)
    web_app.router.add_post(WEBHOOK_PATH, telegram_webhook)
    web_app.router.add_get("/healthz", healthz)
    return web_app
