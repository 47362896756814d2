"""Help alerts: "I'm on it" and "Resolved" under a check-in's call for help."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.staff import campaigns as cmp
from handlers.slack import blocks as ui
from handlers.slack import forms
from handlers.slack.console import Console
from handlers.slack.ids import Action

Ack = Any


class Alerts:
    """The listeners of help alerts."""

    def __init__(self, console: Console) -> None:
        self.c = console

    async def act(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, action: dict[str, Any]
    ) -> None:
        """Take or resolve an alert (each once, whoever clicks twice), then show who did."""
        await ack()
        app = self.c.app
        campaign, _, key = forms.action_value(action).partition(":")
        campaign_id = forms.number(campaign)
        if campaign_id is None or not key:
            return
        user = body["user"]["id"]
        now = app.clock.now()
        async with app.sessions.begin() as session:
            k = await app.assistant.knowledge(session)
            if k is None:
                return await self.c.say(client, body, self.c.no_programme)
            if action.get("action_id") == Action.ALERT_TAKE:
                await cmp.take_alert(session, campaign_id, key, user, now)
            else:
                await cmp.resolve_alert(session, campaign_id, key, user, now)
            alert = await cmp.help_alert(session, k, campaign_id, key, now)
        self.c.desk.nudge()
        container = body.get("container") or {}
        if alert is None or not container.get("channel_id"):
            return
        text, blocks = ui.alert_blocks(self.c.t, alert)
        # An edit notifies nobody again; the text keeps its mention only for the first post.
        await client.chat_update(
            channel=container["channel_id"],
            ts=container.get("message_ts"),
            text=text.removeprefix("<!here> "),
            blocks=blocks,
        )


def register(bolt: AsyncApp, console: Console) -> None:
    """Add the help alert buttons to the Bolt app."""
    f = Alerts(console)
    bolt.action(Action.ALERT_TAKE)(console.listener(f.act))
    bolt.action(Action.ALERT_RESOLVE)(console.listener(f.act))
