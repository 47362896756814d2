"""The schedule: /agenda, and /event to find an event and change it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.assistant.knowledge import Knowledge
from bot.staff.schedule import (
    Edit,
    Edited,
    EditRefused,
    Refusal,
    affected,
    agenda_query,
    day_agenda,
    edit_event,
    find_events,
    title_of,
)
from handlers.slack import blocks as ui
from handlers.slack import forms
from handlers.slack.console import Console, response_url
from handlers.slack.ids import Action, Input, View

Ack = Any


@dataclass(frozen=True)
class Said:
    """What saving an edit tells staff: in the channel, or only its author."""

    text: str
    public: bool


class Schedule:
    """The listeners of the agenda and event edits."""

    def __init__(self, console: Console) -> None:
        self.c = console
        t = console.t
        self.refusals = {
            Refusal.STALE: t.gettext("Someone changed this event meanwhile; open it again."),
            Refusal.GONE: t.gettext("This event is no longer on the programme."),
            Refusal.UNKNOWN_PLACE: t.gettext("That place is not on the programme."),
            Refusal.BEFORE_START: t.gettext("The end must be after the start."),
        }

    async def agenda_blocks(self, text: str) -> list[ui.Block] | str:
        """A day of the programme for every group or one, or why there is none to show."""
        app, t = self.c.app, self.c.t
        async with app.sessions() as session:
            k = await app.assistant.knowledge(session)
        if k is None:
            return self.c.no_programme
        today = app.clock.now().astimezone(ZoneInfo(k.programme.timezone)).date()
        try:
            day, group = agenda_query(k, text, today, t.code)
        except ValueError:
            return t.gettext(
                "I could not read a date or group in that. Try /agenda, /agenda tomorrow, "
                "/agenda 2 May or /agenda friday B."
            )
        return ui.agenda_blocks(t, k, day, group, day_agenda(k, day, group))

    async def agenda(self, ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        """/agenda [date] [group]: a day of the programme for every group, or one."""
        await ack()
        shown = await self.agenda_blocks(body.get("text") or "")
        if isinstance(shown, str):
            return await self.c.say(client, body, shown)
        await self.c.say(client, body, self.c.t.gettext("Agenda"), blocks=shown)

    async def event(self, ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        """/event [search]: find an event and change its time, place or status."""
        await ack()
        app = self.c.app
        now = app.clock.now()
        search = (body.get("text") or "").strip()
        async with app.sessions() as session:
            k = await app.assistant.knowledge(session)
            if k is None:
                return await self.c.say(client, body, self.c.no_programme)
            choices = find_events(k, search, now)
            chosen = choices[0] if search and choices else None
            who = await affected(session, k, chosen, now) if chosen else None
        view = ui.event_modal(
            self.c.t, k, choices, chosen, who, search=search, reply_to=response_url(body)
        )
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    async def pick(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, action: dict[str, Any]
    ) -> None:
        """An event chosen in the modal: show its fields and who would hear of a change."""
        await ack()
        app, t = self.c.app, self.c.t
        view = body.get("view")
        if not isinstance(view, dict) or view.get("callback_id") != View.EVENT_EDIT:
            return  # the picker lives in the event modal; a pick from elsewhere does nothing
        kept = forms.meta(view)
        search = kept.get("s") if isinstance(kept.get("s"), str) else ""
        now = app.clock.now()
        async with app.sessions() as session:
            k = await app.assistant.knowledge(session)
            if k is None:
                modal = ui.notice_modal(t, t.gettext("Edit an event"), self.c.no_programme)
            else:
                chosen = k.events.get(forms.action_value(action))
                if chosen is None:
                    return  # a pick of nothing (or of an event gone) changes nothing
                who = await affected(session, k, chosen, now) if chosen else None
                choices = find_events(k, search, now)
                modal = ui.event_modal(
                    t, k, choices, chosen, who, search=search, reply_to=kept.get("r")
                )
        await client.views_update(view_id=view["id"], hash=view.get("hash"), view=modal)

    async def save_event(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, view: dict[str, Any]
    ) -> None:
        """Save an event edit; the change sweep tells the participants affected."""
        event = forms.event_meta(forms.meta(view))
        if event is None:
            return await ack()
        edit = forms.edit(forms.state(view))
        if edit.start and edit.end and edit.end <= edit.start:
            return await ack(
                response_action="errors", errors={Input.END: self.refusals[Refusal.BEFORE_START]}
            )
        await ack()
        user = body["user"]["id"]
        said = await self.save(event, edit, user)
        # The next question sees the edit at once, not after the snapshot's freshness.
        self.c.app.assistant.invalidate()
        if said.public:
            await client.chat_postMessage(channel=self.c.channel_for(user), text=said.text)
        else:
            await self.c.say(client, body, said.text)

    async def save(self, event: tuple[str, int], edit: Edit, user: str) -> Said:
        """Save an edit; say what it did (to everyone) or why it did nothing (to its author)."""
        app = self.c.app
        now = app.clock.now()
        async with app.sessions.begin() as session:
            k = await app.assistant.knowledge(session)
            if k is None:
                return Said(self.c.no_programme, public=False)
            try:
                edited = await edit_event(session, event[0], event[1], edit, now)
            except EditRefused as refusal:
                return Said(self.refusals[refusal.reason], public=False)
            if not edited.fields:
                return Said(self.c.t.gettext("Nothing was changed."), public=False)
            who = await affected(session, k, edited.event, now)
        return Said(self.note(k, edited, user, len(who.reachable), who.soon), public=True)

    def note(self, k: Knowledge, edited: Edited, user: str, told: int, soon: bool) -> str:
        """The channel's note of an edit: who changed what, and who will hear of it."""
        t = self.c.t
        labels = {
            "time": t.gettext("time"),
            "place": t.gettext("place"),
            "status": t.gettext("status"),
        }
        changed = ", ".join(labels.get(f, f) for f in edited.fields)
        who = (
            t.ngettext(
                "{n} participant will be told within two minutes.",
                "{n} participants will be told within two minutes.",
                told,
            )
            if soon
            else t.gettext("It is more than 48 hours away: that day's agenda will show it.")
        )
        return (
            t.gettext(
                "<@{user}> changed {title}: {changed}.",
                user=user,
                title=ui.mrkdwn_escape(title_of(k, edited.event)),
                changed=changed,
            )
            + " "
            + who
        )


def register(bolt: AsyncApp, console: Console) -> None:
    """Add the agenda and event edits to the Bolt app."""
    f = Schedule(console)
    on = console.listener
    bolt.command("/agenda")(on(f.agenda))
    bolt.command("/event")(on(f.event))
    bolt.view(View.EVENT_EDIT)(on(f.save_event))
    bolt.action(Action.EVENT_PICK)(on(f.pick))
