"""The staff Home tab: published when opened, kept current by the desk, and its buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.store.models import CampaignKind
from handlers.slack import blocks as ui
from handlers.slack.campaigns import Campaigns
from handlers.slack.console import Console
from handlers.slack.ids import Action
from handlers.slack.roster import Roster
from handlers.slack.schedule import Schedule

Ack = Any


class Home:
    """The listeners of the Home tab."""

    def __init__(self, console: Console) -> None:
        self.c = console
        self.campaigns = Campaigns(console)
        self.schedules = Schedule(console)
        self.rosters = Roster(console)

    async def opened(self, event: dict[str, Any]) -> None:
        """A staff member opened the app's Home tab: publish it, and keep it current."""
        if event.get("tab", "home") != "home" or not isinstance(event.get("user"), str):
            return
        await self.c.desk.publish_home(event["user"])

    async def broadcast(self, ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        """The Home tab's Broadcast button."""
        await ack()
        await self.campaigns.open_modal(body, client, CampaignKind.BROADCAST)

    async def checkin(self, ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        """The Home tab's Check-in button."""
        await ack()
        await self.campaigns.open_modal(body, client, CampaignKind.CHECKIN)

    async def agenda(self, ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        """The Home tab's Agenda button: today's agenda for every group, in a modal."""
        await ack()
        await self.show(
            body, client, self.c.t.gettext("Agenda"), await self.schedules.agenda_blocks("")
        )

    async def roster(self, ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        """The Home tab's Roster button: the roster, in a modal."""
        await ack()
        await self.show(body, client, self.c.t.gettext("Roster"), await self.rosters.blocks(""))

    async def show(
        self, body: dict[str, Any], client: AsyncWebClient, title: str, shown: list[ui.Block] | str
    ) -> None:
        """Open a modal with blocks, or tell why there are none."""
        if isinstance(shown, str):
            return await self.c.say(client, body, shown)
        await client.views_open(
            trigger_id=body["trigger_id"], view=ui.blocks_modal(self.c.t, title, shown)
        )


def register(bolt: AsyncApp, console: Console) -> None:
    """Add the Home tab to the Bolt app."""
    f = Home(console)
    on = console.listener
    bolt.event("app_home_opened")(on(f.opened))
    bolt.action(Action.HOME_BROADCAST)(on(f.broadcast))
    bolt.action(Action.HOME_CHECKIN)(on(f.checkin))
    bolt.action(Action.HOME_AGENDA)(on(f.agenda))
    bolt.action(Action.HOME_ROSTER)(on(f.roster))
