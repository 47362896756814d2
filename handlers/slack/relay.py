"""Staff replies in a question's thread go back to the participant on Telegram."""

from __future__ import annotations

import contextlib
import re
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.staff.relay import answer_participant

if TYPE_CHECKING:
    from bot.services import Services
    from handlers.slack.desk import SlackDesk


def _plain(text: str) -> str:
    """Slack's message text as a participant should read it: entities decoded, links bare."""
    text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2 (\1)", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def register(bolt: AsyncApp, app: Services, desk: SlackDesk) -> None:
    """Listen to thread replies in the staff channel."""
    channel = app.settings.slack_staff_channel

    @bolt.event("message")
    async def thread_reply(event: dict[str, Any], client: AsyncWebClient) -> None:
        """A staff member's reply in a question thread: relay it to the participant."""
        thread_ts = event.get("thread_ts")
        text = _plain(event.get("text") or "")
        if (
            event.get("subtype")  # edits, joins and bot posts are not answers
            or event.get("bot_id")
            or not thread_ts
            or thread_ts == event.get("ts")
            or not text
            or (channel and event.get("channel") != channel)
        ):
            return
        now = app.clock.now()
        async with app.sessions.begin() as session:
            k = await app.assistant.knowledge(session)
            if k is None:
                return  # no programme, so no participant and no relay thread yet
            relayed = await answer_participant(
                session, k, app.i18n, thread_ts, text, event["user"], event["ts"], now
            )
        if relayed is None:
            return
        # The reaction only tells staff it went out; the answer is queued either way.
        with contextlib.suppress(SlackApiError):
            await client.reactions_add(
                channel=event["channel"],
                timestamp=event["ts"],
                name="outbox_tray" if relayed else "no_entry_sign",
            )
        desk.nudge()
