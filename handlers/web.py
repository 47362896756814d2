"""HTTP entry point: the Telegram webhook (secret token checked) and a health check."""

from __future__ import annotations

import hmac
import json
import logging
import time
from typing import TYPE_CHECKING

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from telegram.ext import Application

from bot.store.database import ping
from handlers.slack import inbound
from handlers.telegram.inbound import NotAnUpdate, parse_update

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
    signing_secret = app.settings.slack_signing_secret.get_secret_value()

    async def telegram_webhook(request: web.Request) -> web.Response:
        if application is None:
            return web.Response(status=404, text="Telegram is not configured")
        given = request.headers.get(SECRET_HEADER, "")
        if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
            return web.Response(status=403, text="forbidden")
        try:
            # UnicodeDecodeError is a ValueError; absurd nesting exhausts the parser's stack.
            update = parse_update(json.loads((await request.read()).decode()), application.bot)
        except (ValueError, RecursionError) as exc:
            kind = str(exc) if isinstance(exc, NotAnUpdate) else f"not JSON: {type(exc).__name__}"
            log.warning("telegram webhook: refused a body that is not an update (%s)", kind)
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
        body = await request.read()
        # Bolt parses a body before it checks the signature, and fails on what it cannot
        # parse; so the signature is checked here first, then the shape, then Bolt's turn.
        if not inbound.signed(
            signing_secret,
            body,
            request.headers.get(inbound.TIMESTAMP_HEADER, ""),
            request.headers.get(inbound.SIGNATURE_HEADER, ""),
            time.time(),
        ):
            log.warning("slack events: refused a request without a valid signature")
            return web.Response(status=401, text="unauthorized")
        content_type = request.headers.get("Content-Type", "").split(";")[0] or None
        try:
            text, _ = inbound.parse(body, content_type)
        except inbound.Malformed as exc:
            log.warning("slack events: refused a signed request (%s)", exc)
            return web.Response(status=400, text="not a Slack request")
        bolt_request = AsyncBoltRequest(
            body=text, query=request.query_string, headers=dict(request.headers)
        )
        # Bolt checks the signature again, and acknowledges before its listeners do their work.
        return await to_aiohttp_response(await slack.async_dispatch(bolt_request))

    web_app = web.Application(client_max_size=1024 * 1024)
    web_app.router.add_post(WEBHOOK_PATH, telegram_webhook)
    web_app.router.add_post(SLACK_PATH, slack_events)
    web_app.router.add_get("/healthz", healthz)
    return web_app
