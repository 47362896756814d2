"""Builds the python-telegram-bot Application and runs it with long polling."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults, ExtBot

from bot.commands import menu
from handlers.telegram import chat
from handlers.telegram.observed import ObservedUpdates
from handlers.telegram.request import AiohttpRequest
from handlers.telegram.sender import TelegramSender

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
# The readiness check of this adapter: getMe answers.
PROBE = "telegram"


def build_application(app: Services, *, concurrency: int = 16) -> Application:  # type: ignore[type-arg]
    """Return the PTB application for the configured token and Bot API base URL."""
    settings = app.settings
    assert settings.telegram_bot_token is not None
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        # Replies are not throttled overall (each answers a message); groups keep Telegram's
        # 20 per minute, and RetryAfter is honoured by retrying after the given delay.
        .rate_limiter(AIORateLimiter(overall_max_rate=0, group_max_rate=20, max_retries=3))
        .concurrent_updates(ObservedUpdates(concurrency, app.metrics))
        .request(AiohttpRequest(connection_pool_size=32))
        # Long polling holds its connection for the poll timeout plus a margin.
        .get_updates_request(AiohttpRequest(connection_pool_size=1, read_timeout=30.0))
    )
    if settings.telegram_base_url:
        base = settings.telegram_base_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(base.replace("/bot", "/file/bot"))
    application = builder.build()
    application.bot_data["services"] = app
    chat.register(application)
    return application


@asynccontextmanager
async def webhook(app: Services) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run the application fed by a webhook (no polling) for the duration of the block."""
    application = build_application(app)
    async with application:
        await announce_commands(application)
        await application.start()
        settings = app.settings
        if settings.telegram_webhook_url:
            await application.bot.set_webhook(
                settings.telegram_webhook_url.rstrip("/") + "/telegram/webhook",
                secret_token=settings.telegram_webhook_secret.get_secret_value(),
                allowed_updates=Update.ALL_TYPES,
            )
        app.probes[PROBE] = application.bot.get_me
        try:
            yield application
        finally:
            app.probes.pop(PROBE, None)
            await application.stop()


def build_sender(app: Services) -> tuple[ExtBot, TelegramSender]:  # type: ignore[type-arg]
    """Return a bot for the outbox (paced by the outbox itself) and its Sender."""
    settings = app.settings
    assert settings.telegram_bot_token is not None
    base = (settings.telegram_base_url or "https://api.telegram.org/bot").rstrip("/")
    bot: ExtBot = ExtBot(  # type: ignore[type-arg]
        settings.telegram_bot_token.get_secret_value(),
        base_url=base,
        # An answer slower than the read timeout leaves the outcome unknown and the message is
        # sent again (it may arrive twice): wait long for it, connecting fails fast and safely.
        request=AiohttpRequest(connection_pool_size=64, read_timeout=15.0, connect_timeout=5.0),
        defaults=Defaults(parse_mode=ParseMode.HTML),
    )
    return bot, TelegramSender(bot)


async def bot_username(app: Services) -> str:
    """Return the bot's username (getMe)."""
    application = build_application(app)
    async with application:
        return application.bot.username


async def announce_commands(application: Application) -> None:  # type: ignore[type-arg]
    """Set the command menu in every language (and the default one for everybody else)."""
    app: Services = application.bot_data["services"]
    for code in (None, *app.i18n.languages):
        t = app.i18n.translator(code)
        commands = [BotCommand(c.name, t.gettext(c.menu)) for c in menu() if c.menu]
        try:
            await application.bot.set_my_commands(commands, language_code=code)
        except TelegramError as exc:
            # A menu is a convenience; the bot answers without it.
            log.warning("could not set the %s command menu: %s", code or "default", exc)


@asynccontextmanager
async def polling(
    app: Services, *, poll_interval: float = 0.0, poll_timeout: int = 10
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run the application with long polling for the duration of the block."""
    application = build_application(app)
    async with application:
        await announce_commands(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(
            poll_interval=poll_interval, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
        )
        log.info("polling Telegram as @%s", application.bot.username)
        app.probes[PROBE] = application.bot.get_me
        try:
            yield application
        finally:
            app.probes.pop(PROBE, None)
            await application.updater.stop()
            await application.stop()
