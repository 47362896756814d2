"""What every feature of the staff console shares: services, the desk, replies, the guard."""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.assistant.service import NO_PROGRAMME
from handlers.slack import forms
from handlers.slack.desk import slack_error

if TYPE_CHECKING:
    from bot.services import Services
    from handlers.slack.desk import SlackDesk

log = logging.getLogger(__name__)
Listener = Callable[..., Awaitable[Any]]


def user_of(body: dict[str, Any]) -> str | None:
    """The Slack user behind a command, an interaction or an event."""
    if "user_id" in body:
        return str(body["user_id"])
    user = body.get("user")
    if isinstance(user, dict):
        return user.get("id")
    event = body.get("event")
    if isinstance(event, dict):
        # Messages name their author as user; file_shared events as user_id.
        user = event.get("user") or event.get("user_id")
        return user if isinstance(user, str) else None
    return None


def response_url(body: dict[str, Any]) -> str | None:
    """Where Slack takes replies to this request: the command's or message's, or the one a
    modal was opened with (kept in its metadata)."""
    if isinstance(body.get("response_url"), str):
        return str(body["response_url"])
    kept = forms.meta(body.get("view")).get("r")
    return kept if isinstance(kept, str) else None


class Console:
    """The staff console's shared parts, handed to each feature's ``register``."""

    def __init__(
        self,
        app: Services,
        desk: SlackDesk,
        bot_username: Callable[[], Awaitable[str | None]],
    ) -> None:
        self.app = app
        self.desk = desk
        self.bot_username = bot_username
        self.t = app.i18n.translator(app.settings.slack_language)

    @property
    def no_programme(self) -> str:
        """What every request is told before a programme is imported."""
        return self.t.gettext(NO_PROGRAMME)

    def channel_for(self, user: str) -> str:
        """Where reports and notes for a staff member go."""
        # Reports belong in the staff channel; without one, the staff member's own DMs.
        return self.app.settings.slack_staff_channel or user

    async def say(
        self, client: AsyncWebClient, body: dict[str, Any], text: str, **extra: Any
    ) -> None:
        """Tell only the staff member behind a request, where they used it.

        Through the request's response URL (an ephemeral reply in that very conversation,
        whether or not they are in the staff channel); failing that, in their direct messages
        with the app, which every staff member can read.
        """
        url = response_url(body)
        if url:
            try:
                sent = await AsyncWebhookClient(url).send(
                    text=text, response_type="ephemeral", replace_original=False, **extra
                )
                if sent.status_code == 200:
                    return
                log.warning("slack response URL refused a reply: %s", sent.status_code)
            except Exception as exc:  # an expired or unreachable URL: use the DM instead
                log.warning("slack response URL failed: %s", type(exc).__name__)
        user = user_of(body)
        if user:
            await client.chat_postMessage(channel=user, text=text, **extra)

    def listener(self, work: Listener) -> Listener:
        """Run a listener so that a failure after its ack is logged and told to its user.

        Bolt would otherwise drop the acknowledgement already given, and Slack would show
        its own late error for a request that was in fact answered.
        """
        wanted = list(inspect.signature(work).parameters)

        @functools.wraps(work)
        async def run(ack: Any, body: dict[str, Any], client: AsyncWebClient, payload: Any) -> None:
            found = {
                "ack": ack,
                "body": body,
                "client": client,
                **dict.fromkeys(("payload", "view", "action", "command", "event"), payload),
            }
            try:
                await work(**{name: found[name] for name in wanted})
            except Exception as exc:
                await self._failed(work, exc, ack, body, client)

        # Bolt injects arguments by the names it reads from the (unwrapped) signature.
        del run.__wrapped__  # type: ignore[attr-defined]
        return run

    async def _failed(
        self, work: Listener, exc: Exception, ack: Any, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """Log a failed listener (no message texts) and tell the staff member it failed."""
        detail = slack_error(exc) if isinstance(exc, SlackApiError) else ""
        log.error("slack %s failed: %s %s", work.__name__, type(exc).__name__, detail, exc_info=exc)
        if getattr(ack, "response", None) is None:
            await ack()
        if body.get("type") == "event_callback":
            return  # nobody pressed anything: the log is the place
        text = self.t.gettext(
            "Sorry, something went wrong and that was not done. Please try again; "
            "details are in the bot's log."
        )
        try:
            await self.say(client, body, text)
        except Exception as again:
            log.error("could not tell the staff member either: %s", type(again).__name__)
