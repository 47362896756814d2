"""Builds the Bolt app of the staff console: staff-only middleware and every listener."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.staff.desk import NoDesk
from handlers.slack import alerts, campaigns, home, programme, relay, roster, schedule
from handlers.slack.console import Console, user_of
from handlers.slack.desk import SlackDesk, slack_error

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
# Channel membership is asked again after this many seconds.
MEMBERS_TTL = 60.0


class StaffDirectory:
    """Who is staff: members of the staff channel plus the configured user IDs."""

    def __init__(self, client: AsyncWebClient, channel: str | None, extra: frozenset[str]) -> None:
        self.client = client
        self.channel = channel
        self.extra = extra
        self._members: frozenset[str] = frozenset()
        self._fetched = -MEMBERS_TTL

    async def is_staff(self, user: str | None) -> bool:
        """Whether a Slack user may use the console."""
        if not user:
            return False
        if user in self.extra:
            return True
        return user in await self._channel_members()

    async def _channel_members(self) -> frozenset[str]:
        if self.channel is None:
            return frozenset()
        if time.monotonic() - self._fetched < MEMBERS_TTL:
            return self._members
        members: set[str] = set()
        cursor = None
        try:
            while True:
                page = await self.client.conversations_members(
                    channel=self.channel, cursor=cursor, limit=500
                )
                members.update(page.get("members", []))
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
        except SlackApiError as exc:
            # Keep the last known members: a Slack hiccup must not lock staff out.
            log.warning("could not list the staff channel: %s", slack_error(exc))
            return self._members
        self._members = frozenset(members)
        self._fetched = time.monotonic()
        return self._members


# The console's features, each registering its own commands, views, actions and events. Order
# does not matter: each listener matches its own command, callback or action id (and Bolt runs
# every message listener, so two features may both read messages).
FEATURES = (campaigns, schedule, roster, relay, alerts, home, programme)


def build_slack_app(
    app: Services, *, bot_username: Callable[[], Awaitable[str | None]]
) -> tuple[AsyncApp, SlackDesk]:
    """Return the Bolt app (Web API base URL overridable, listeners registered) and its desk."""
    settings = app.settings
    assert settings.slack_bot_token is not None
    client = AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url or AsyncWebClient.BASE_URL,
    )
    desk = SlackDesk(app, client)
    bolt_log = logging.getLogger("handlers.slack.bolt")
    # Bolt's warnings about requests no listener takes quote the whole request, message
    # texts included; failures of our listeners are logged by on_error below.
    bolt_log.setLevel(max(bolt_log.getEffectiveLevel(), logging.ERROR))
    bolt = AsyncApp(
        client=client,
        # Without a signing secret no HTTP request can be verified, so none is accepted
        # (a random key); Socket Mode requests need none, Bolt skips the check for them.
        signing_secret=settings.slack_signing_secret.get_secret_value() or secrets.token_hex(32),
        request_verification_enabled=True,
        logger=bolt_log,
    )
    staff = StaffDirectory(client, settings.slack_staff_channel, settings.staff_user_ids())
    t = app.i18n.translator(settings.slack_language)

    async def only_staff(
        body: dict[str, Any], next: Callable[[], Awaitable[Any]]
    ) -> BoltResponse | None:
        """Let staff through; refuse anyone else politely, doing nothing."""
        if await staff.is_staff(user_of(body)):
            await next()
            return None
        if "command" in body:
            refusal = t.gettext(
                "Sorry, this is the programme staff's console. "
                "Ask a coordinator to add you to the staff channel."
            )
            return BoltResponse(
                status=200,
                body=json.dumps({"response_type": "ephemeral", "text": refusal}),
                headers={"content-type": "application/json"},
            )
        if body.get("type") == "block_suggestion":
            return BoltResponse(
                status=200,
                body=json.dumps({"options": []}),
                headers={"content-type": "application/json"},
            )
        # Someone else's message in a channel, or a forwarded form: acknowledged, ignored.
        return BoltResponse(status=200, body="")

    bolt.middleware(only_staff)

    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        """Log a failed listener without the message texts it carried."""
        log.error(
            "slack %s failed: %s",
            body.get("command") or body.get("type"),
            type(error).__name__,
            exc_info=error,
        )

    bolt.error(on_error)
    console = Console(app, desk, bot_username)
    for feature in FEATURES:
        feature.register(bolt, console)
    return bolt, desk


@asynccontextmanager
async def staff_console(
    app: Services, *, bot_username: Callable[[], Awaitable[str | None]]
) -> AsyncIterator[AsyncApp]:
    """Run the console for the block: its desk, and Socket Mode when an app token is set."""
    settings = app.settings
    bolt, desk = build_slack_app(app, bot_username=bot_username)
    app.desk = desk
    stop = asyncio.Event()
    syncing = asyncio.create_task(desk.run(stop))
    socket = None
    if settings.slack_app_token is not None:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        socket = AsyncSocketModeHandler(bolt, settings.slack_app_token.get_secret_value())
        await socket.connect_async()
        log.info("staff console connected to Slack by Socket Mode")
    try:
        yield bolt
    finally:
        if socket is not None:
            await socket.close_async()
        stop.set()
        await syncing
        app.desk = NoDesk()
