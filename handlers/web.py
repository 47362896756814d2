"""HTTP entry point: the Telegram webhook (secret token checked) and a health check."""

from __future__ import annotations

import hmac
import logging
from typing import TYPE_CHECKING

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from telegram import Update
from telegram.ext import Application

from bot.store.database import ping

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram/webhook"
SLACK_PATH = "/slack/events"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def build_web_app(
    app: Services,
    application: Application | None,  # type: ignore[type-arg]
    secret: str,
    slack: AsyncApp | None = None,
) -> web.Application:
    """Return the aiohttp application: Telegram webhook, Slack events and /healthz."""

    async def telegram_webhook(request: web.Request) -> web.Response:
        if application is None:
            return web.Response(status=404, text="Telegram is not configured")
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

    async def slack_events(request: web.Request) -> web.Response:
        if slack is None:
            return web.Response(status=404, text="Slack is not configured")
        # Bolt checks the signature and timestamp, answers 401 when they are wrong, and
        # acknowledges before its listeners do their work.
        return await to_aiohttp_response(await slack.async_dispatch(await to_bolt_request(request)))

    web_app = web.Application(client_max_size=1024 * 1024)
    web_app.router.add_post(WEBHOOK_PATH, telegram_webhook)
    web_app.router.add_post(SLACK_PATH, slack_events)
    web_app.router.add_get("/healthz", healthz)
    return web_app
