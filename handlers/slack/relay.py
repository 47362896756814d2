"""Question relay: staff replies in a question's thread go back to the participant on
Telegram, and staff mark questions answered or needing no reply."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.staff.relay import Relayed, answer_participant, close_thread, thread
from bot.store.models import ThreadClosing
from handlers.slack import blocks as ui
from handlers.slack import forms
from handlers.slack.console import Console
from handlers.slack.ids import Action

Ack = Any
REACTIONS = {Relayed.QUEUED: "outbox_tray", Relayed.UNREACHABLE: "no_entry_sign"}


def _plain(text: str) -> str:
    """Slack's message text as a participant should read it: entities decoded, links bare."""
    text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2 (\1)", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


class Relay:
    """The listeners of the question relay."""

    def __init__(self, console: Console) -> None:
        self.c = console
        self.channel = console.app.settings.slack_staff_channel

    def is_answer(self, event: dict[str, Any]) -> bool:
        """Whether a message is a person's reply inside a thread of the staff channel."""
        thread_ts = event.get("thread_ts")
        return not (
            event.get("subtype")  # edits, joins and bot posts are not answers
            or event.get("bot_id")
            or not thread_ts
            or thread_ts == event.get("ts")
            or not _plain(event.get("text") or "")
            or (self.channel and event.get("channel") != self.channel)
        )

    async def thread_reply(self, event: dict[str, Any], client: AsyncWebClient) -> None:
        """A staff member's reply in a question thread: relay it to the participant."""
        if not self.is_answer(event):
            return
        app = self.c.app
        now = app.clock.now()
        async with app.sessions.begin() as session:
            k = await app.assistant.knowledge(session)
            if k is None:
                return  # no programme, so no participant and no relay thread yet
            relayed = await answer_participant(
                session,
                k,
                app.i18n,
                event["thread_ts"],
                _plain(event.get("text") or ""),
                event["user"],
                event["ts"],
                now,
            )
        if relayed is None or relayed == Relayed.REPEATED:
            return  # not a relay thread, or Slack delivering the same message again
        # The reaction only tells staff it went out; the answer is queued either way.
        with contextlib.suppress(SlackApiError):
            await client.reactions_add(
                channel=event["channel"], timestamp=event["ts"], name=REACTIONS[relayed]
            )
        self.c.desk.nudge()

    async def close(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, action: dict[str, Any]
    ) -> None:
        """ "Answered" or "No reply needed" under a question: close it, once, and show who."""
        await ack()
        app = self.c.app
        thread_id = forms.number(forms.action_value(action))
        if thread_id is None:
            return
        closing = (
            ThreadClosing.ANSWERED
            if action.get("action_id") == Action.QUESTION_ANSWERED
            else ThreadClosing.NO_REPLY
        )
        async with app.sessions.begin() as session:
            await close_thread(session, thread_id, closing, body["user"]["id"], app.clock.now())
            closed = await thread(session, thread_id)
        if closed is None or closed.closed_by is None or closed.closed_as is None:
            return
        self.c.desk.nudge()
        message = body.get("message") or {}
        container = body.get("container") or {}
        if not message or not container.get("channel_id"):
            return
        blocks = ui.question_closed(
            self.c.t, message.get("blocks") or [], closed.closed_as, closed.closed_by
        )
        await client.chat_update(
            channel=container["channel_id"],
            ts=container.get("message_ts") or message.get("ts"),
            text=message.get("text") or " ",
            blocks=blocks,
        )


def register(bolt: AsyncApp, console: Console) -> None:
    """Listen to thread replies in the staff channel and to the question buttons."""
    f = Relay(console)
    on = console.listener
    bolt.event("message")(on(f.thread_reply))
    bolt.action(Action.QUESTION_ANSWERED)(on(f.close))
    bolt.action(Action.QUESTION_NO_REPLY)(on(f.close))
