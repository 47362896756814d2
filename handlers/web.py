"""HTTP entry point: the Telegram webhook (secret token checked), calendar feeds, health."""

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

from bot.calendars.feeds import Feed, RateLimited
from bot.calendars.links import PATH as CALENDAR_PATH
from bot.calendars.links import links
from bot.store.database import ping
from handlers.slack import inbound
from handlers.telegram.inbound import NotAnUpdate, parse_update

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram/webhook"
SLACK_PATH = "/slack/events"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# A feed's address is a secret: no search engine, referrer or shared cache gets it.
_FEED_HEADERS = {
    "Cache-Control": "private, no-cache",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}


def _not_found() -> web.Response:
    """The one answer to a wrong, revoked or malformed token: nothing tells them apart."""
    return web.Response(status=404, text="not found", headers=_FEED_HEADERS)


def _unchanged(request: web.Request, feed: Feed) -> bool:
    """Whether the caller's copy is current (If-None-Match wins over If-Modified-Since)."""
    tags = request.if_none_match
    if tags is not None:
        return any(tag.value == "*" or f'"{tag.value}"' == feed.etag for tag in tags)
    since = request.if_modified_since
    return (
        since is not None
        and feed.last_modified is not None
        and feed.last_modified.replace(microsecond=0) <= since
    )


def _feed_response(request: web.Request, feed: Feed) -> web.Response:
    headers = {**_FEED_HEADERS, "ETag": feed.etag}
    response = (
        web.Response(status=304, headers=headers)
        if _unchanged(request, feed)
        else web.Response(
            body=feed.body,
            content_type="text/calendar",
            charset="utf-8",
            headers={**headers, "Content-Disposition": 'inline; filename="programme.ics"'},
        )
    )
    if feed.last_modified is not None:
        response.last_modified = feed.last_modified
    return response


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
    add_calendar_routes(web_app, app)
    web_app.router.add_post(WEBHOOK_PATH, telegram_webhook)
    web_app.router.add_post(SLACK_PATH, slack_events)
    web_app.router.add_get("/healthz", healthz)
    return web_app


def add_calendar_routes(web_app: web.Application, app: Services) -> None:
    """Serve the calendar feeds and the redirect that subscribes a calendar app to one."""

    async def calendar_feed(request: web.Request) -> web.Response:
        try:
            feed = await app.calendars.feed(request.match_info["token"], app.clock.now())
        except RateLimited as exc:
            return web.Response(
                status=429,
                text="too many requests",
                headers={**_FEED_HEADERS, "Retry-After": str(int(exc.retry_after))},
            )
        return _not_found() if feed is None else _feed_response(request, feed)

    async def calendar_subscribe(request: web.Request) -> web.Response:
        # Calendar apps subscribe to webcal:// addresses, which chat buttons cannot open.
        token = request.match_info["token"]
        if not await app.calendars.opens(token):
            return _not_found()
        base = app.settings.public_url or f"{request.scheme}://{request.host}"
        raise web.HTTPFound(links(base, token).webcal, headers=_FEED_HEADERS)

    web_app.router.add_get(CALENDAR_PATH + "{token}.ics", calendar_feed)
    web_app.router.add_get(CALENDAR_PATH + "{token}/subscribe", calendar_subscribe)
