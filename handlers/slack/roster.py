"""The roster: /roster with its filters, and the participant search of the audience pickers."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.staff.roster import RosterRow, find_participants, only, roster
from bot.staff.schedule import find_group
from handlers.slack import blocks as ui
from handlers.slack.console import Console
from handlers.slack.ids import Input

Ack = Any


class Roster:
    """The listeners of the roster and of participant search."""

    def __init__(self, console: Console) -> None:
        self.c = console

    async def blocks(self, text: str) -> list[ui.Block] | str:
        """The roster, filtered by ``text`` (not linked, unreachable, a group), sorted."""
        app, t = self.c.app, self.c.t
        secret = app.invite_secret.get_secret_value()
        async with app.sessions.begin() as session:
            k = await app.assistant.knowledge(session)
            rows = await roster(session, secret)
        if k is None:
            return self.c.no_programme
        wanted = " ".join(text.casefold().split())
        unlinked = wanted in ("not linked", "unlinked", t.gettext("not linked").casefold())
        unreachable = wanted in ("unreachable", t.gettext("unreachable").casefold())
        group = find_group(k, wanted) if wanted and not (unlinked or unreachable) else None
        if wanted and not (unlinked or unreachable or group):
            return t.gettext(
                "I know no such filter or group. Try /roster, /roster not linked, "
                "/roster unreachable or /roster B."
            )
        shown = sorted(
            only(rows, unlinked=unlinked, unreachable=unreachable, group=group), key=_order
        )
        username = await self.c.bot_username()
        return ui.roster_blocks(
            t,
            shown,
            username,
            k.programme.timezone,
            everyone=rows,
            showing=text.strip() or None,
        )

    async def roster(self, ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        """/roster [not linked | unreachable | group]: link status, language, group, links."""
        await ack()
        shown = await self.blocks(body.get("text") or "")
        if isinstance(shown, str):
            return await self.c.say(client, body, shown)
        await self.c.say(client, body, self.c.t.gettext("Roster"), blocks=shown)

    async def search(self, ack: Ack, payload: dict[str, Any]) -> None:
        """Participants matching what staff type in an audience picker (Slack shows 100)."""
        async with self.c.app.sessions() as session:
            people = await find_participants(session, str(payload.get("value") or ""), 100)
        await ack(options=ui.participant_options((p.key, p.name) for p in people))


def _order(row: RosterRow) -> tuple[str, str]:
    """Roster order for staff: by group, then by name."""
    return ((row.group or "").casefold(), row.name.casefold())


def register(bolt: AsyncApp, console: Console) -> None:
    """Add the roster and participant search to the Bolt app."""
    f = Roster(console)
    bolt.command("/roster")(console.listener(f.roster))
    # Answered within Slack's three seconds, so no listener wrapper: ack() is the answer.
    bolt.options(Input.PARTICIPANTS)(f.search)
