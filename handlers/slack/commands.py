"""Slash commands, modals and buttons of the staff console. Each acks first, then works."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.assistant.knowledge import Knowledge
from bot.assistant.service import NO_PROGRAMME
from bot.staff import campaigns as cmp
from bot.staff.audience import Audience
from bot.staff.roster import participants, roster
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
from bot.store.models import CampaignKind
from handlers.slack import blocks as ui

if TYPE_CHECKING:
    from bot.services import Services
    from handlers.slack.desk import SlackDesk

log = logging.getLogger(__name__)
Ack = Callable[..., Awaitable[Any]]
Respond = Callable[..., Awaitable[Any]]
# A "send at" this close to now means now; this far in the past, a mistake.
NOW_MARGIN = timedelta(minutes=1)


def _state(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each input's element state by block id (every element's action id is its block id)."""
    values = view.get("state", {}).get("values", {})
    return {block: next(iter(actions.values()), {}) for block, actions in values.items()}


def _blocks(view: dict[str, Any]) -> set[str]:
    """The block ids of a view's inputs (errors can only be shown on those)."""
    return {b.get("block_id", "") for b in view.get("blocks", [])}


def _number(text: object) -> int | None:
    """A campaign id kept in a modal's metadata; None if the form was tampered with."""
    return int(text) if isinstance(text, str) and text.isdigit() else None


def _event_meta(text: object) -> tuple[str, int] | None:
    """The event key and version kept in the edit modal; None if missing or garbled."""
    try:
        meta = json.loads(text) if isinstance(text, str) and text else None
        return (str(meta["key"]), int(meta["version"])) if isinstance(meta, dict) else None
    except (ValueError, KeyError, TypeError):
        return None


def _selected(state: dict[str, dict[str, Any]], block: str) -> str | None:
    chosen = (state.get(block) or {}).get("selected_option")
    return chosen.get("value") if chosen else None


def _selected_many(state: dict[str, dict[str, Any]], block: str) -> list[str]:
    return [o["value"] for o in (state.get(block) or {}).get("selected_options") or []]


def _text(state: dict[str, dict[str, Any]], block: str) -> str:
    return ((state.get(block) or {}).get("value") or "").strip()


def _parsed(parse: Callable[[str], Any], value: object) -> Any:
    """A date or time from a picker; None when empty or not one."""
    try:
        return parse(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _audience(state: dict[str, dict[str, Any]]) -> Audience:
    return Audience(
        _selected(state, "kind") or "",
        tuple(_selected_many(state, "groups")),
        _selected(state, "city"),
        _parsed(date.fromisoformat, (state.get("day") or {}).get("selected_date")),
        tuple(_selected_many(state, "participants")),
    )


def _edit(state: dict[str, dict[str, Any]]) -> Edit:
    """What the event form asks to change."""
    return Edit(
        day=_parsed(date.fromisoformat, (state.get("day") or {}).get("selected_date")),
        start=_parsed(time.fromisoformat, (state.get("start") or {}).get("selected_time")),
        end=_parsed(time.fromisoformat, (state.get("end") or {}).get("selected_time")),
        place=_selected(state, "place"),
        status=_selected(state, "status"),
    )


def _send_at(state: dict[str, dict[str, Any]]) -> datetime | None:
    """The moment picked to send at, if any."""
    picked = (state.get("send_at") or {}).get("selected_date_time")
    if isinstance(picked, int | str) and str(picked).isdigit():
        return datetime.fromtimestamp(int(picked), UTC)
    return None


class StaffCommands:
    """The listeners of the staff console: slash commands, their modals and buttons."""

    def __init__(
        self,
        app: Services,
        desk: SlackDesk,
        bot_username: Callable[[], Awaitable[str | None]],
    ) -> None:
        self.app = app
        self.desk = desk
        self.bot_username = bot_username
        self.t = t = app.i18n.translator(app.settings.slack_language)
        self.missing_audience = {
            "kind": t.gettext("Choose an audience."),
            "groups": t.gettext("Choose at least one group."),
            "city": t.gettext("Choose a city, and a date below."),
            "participants": t.gettext("Choose at least one participant."),
        }
        self.refusals = {
            Refusal.STALE: t.gettext("Someone changed this event meanwhile; open it again."),
            Refusal.GONE: t.gettext("This event is no longer on the programme."),
            Refusal.UNKNOWN_PLACE: t.gettext("That place is not on the programme."),
            Refusal.BEFORE_START: t.gettext("The end must be after the start."),
        }

    # ---- helpers ----

    @property
    def no_programme(self) -> str:
        """What every request is told before a programme is imported."""
        return self.t.gettext(NO_PROGRAMME)

    def channel_for(self, user: str) -> str:
        """Where reports and notes for a staff member go."""
        # Reports belong in the staff channel; without one, the staff member's own DMs.
        return self.app.settings.slack_staff_channel or user

    async def tell(self, client: AsyncWebClient, user: str, text: str) -> None:
        """A note only the staff member sees."""
        await client.chat_postEphemeral(channel=self.channel_for(user), user=user, text=text)

    async def respond_no_programme(self, respond: Respond) -> None:
        """Answer a slash command that needs a programme."""
        await respond(response_type="ephemeral", text=self.no_programme)

    def audience_errors(self, view: dict[str, Any], audience: Audience) -> dict[str, str]:
        """The audience input to fix, with what is missing (shown in the modal)."""
        missing = audience.missing()
        if missing is None:
            return {}
        return {missing if missing in _blocks(view) else "kind": self.missing_audience[missing]}

    # ---- broadcasts and check-ins ----

    async def open_audience_modal(
        self, body: dict[str, Any], client: AsyncWebClient, respond: Respond, kind: CampaignKind
    ) -> None:
        """Open the broadcast or check-in modal."""
        async with self.app.sessions() as session:
            k = await self.app.assistant.knowledge(session)
            people = await participants(session)
        if k is None:
            return await self.respond_no_programme(respond)
        t = self.t
        view = (
            ui.broadcast_modal(t, k, people, k.programme.languages)
            if kind == CampaignKind.BROADCAST
            else ui.checkin_modal(t, k, people)
        )
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    async def broadcast(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, respond: Respond
    ) -> None:
        """/broadcast: open the broadcast modal."""
        await ack()
        await self.open_audience_modal(body, client, respond, CampaignKind.BROADCAST)

    async def checkin(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, respond: Respond
    ) -> None:
        """/checkin: open the safety check-in modal."""
        await ack()
        await self.open_audience_modal(body, client, respond, CampaignKind.CHECKIN)

    def broadcast_errors(
        self, view: dict[str, Any], audience: Audience, text: str, send_at: datetime | None
    ) -> dict[str, str]:
        """What is wrong with a broadcast form, by input."""
        errors = self.audience_errors(view, audience)
        if not text:
            errors["text"] = self.t.gettext("Write the message.")
        if send_at is not None and send_at < self.app.clock.now() - NOW_MARGIN:
            errors["send_at"] = self.t.gettext("That moment has passed.")
        return errors

    async def compose(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, view: dict[str, Any]
    ) -> None:
        """The broadcast form: check it, then show the per-language preview."""
        t = self.t
        state = _state(view)
        audience = _audience(state)
        text = _text(state, "text")
        send_at = _send_at(state)
        errors = self.broadcast_errors(view, audience, text, send_at)
        if errors:
            return await ack(response_action="errors", errors=errors)
        await ack(response_action="update", view=ui.loading_modal(t, t.gettext("Broadcast")))
        now = self.app.clock.now()
        flags = set(_selected_many(state, "flags"))
        draft = cmp.Draft(
            CampaignKind.BROADCAST,
            audience,
            text,
            {block[3:]: _text(state, block) for block in state if block.startswith("tr_")},
            urgent=ui.URGENT in flags,
            requires_ack=ui.ACK in flags,
            # A moment this close to now means now.
            send_at=send_at if send_at and send_at > now + NOW_MARGIN else None,
        )
        async with self.app.sessions.begin() as session:
            k = await self.app.assistant.knowledge(session)
            if k is None:
                modal = ui.notice_modal(t, t.gettext("Broadcast"), self.no_programme)
            else:
                campaign = await cmp.save_draft(session, draft, body["user"]["id"], now)
                preview = await cmp.preview(session, k, self.app.i18n, campaign)
                modal = ui.preview_modal(t, k, campaign, preview)
        await client.views_update(view_id=view["id"], view=modal)

    async def post_report(self, client: AsyncWebClient, campaign_id: int, user: str) -> None:
        """Post a campaign's live report; the desk keeps it current."""
        async with self.app.sessions() as session:
            k = await self.app.assistant.knowledge(session)
            report = await cmp.report(session, campaign_id)
        if k is None or report is None:
            return
        summary, blocks = ui.report_blocks(self.t, k, report)
        posted = await client.chat_postMessage(
            channel=self.channel_for(user), text=summary, blocks=blocks
        )
        async with self.app.sessions.begin() as session:
            await cmp.set_report_message(
                session, campaign_id, posted["channel"], posted["ts"], ui.digest(blocks)
            )
        self.desk.nudge()

    async def confirm(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, view: dict[str, Any]
    ) -> None:
        """Confirmed: queue or schedule the broadcast and post its live report."""
        await ack()
        campaign_id = _number(view.get("private_metadata"))
        if campaign_id is None:
            return
        user = body["user"]["id"]
        async with self.app.sessions.begin() as session:
            k = await self.app.assistant.knowledge(session)
            confirmed = (
                await cmp.confirm(session, k, self.app.i18n, campaign_id, self.app.clock.now())
                if k is not None
                else None
            )
        if k is None:
            return await self.tell(client, user, self.no_programme)
        if confirmed is not None:  # a second click on the same preview sends nothing
            await self.post_report(client, campaign_id, user)

    async def start_checkin(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, view: dict[str, Any]
    ) -> None:
        """Send a safety check-in at once and post its live tally."""
        state = _state(view)
        audience = _audience(state)
        errors = self.audience_errors(view, audience)
        if errors:
            return await ack(response_action="errors", errors=errors)
        await ack()
        draft = cmp.Draft(
            CampaignKind.CHECKIN,
            audience,
            _text(state, "text"),
            drill=_selected(state, "mode") != ui.REAL,
        )
        user = body["user"]["id"]
        now = self.app.clock.now()
        async with self.app.sessions.begin() as session:
            k = await self.app.assistant.knowledge(session)
            campaign_id = None
            if k is not None:
                campaign = await cmp.save_draft(session, draft, user, now)
                campaign_id = campaign.id
                await cmp.confirm(session, k, self.app.i18n, campaign_id, now)
        if campaign_id is None:
            return await self.tell(client, user, self.no_programme)
        await self.post_report(client, campaign_id, user)

    # ---- the schedule ----

    async def agenda(self, ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        """/agenda [date] [group]: a day of the programme for every group, or one."""
        await ack()
        async with self.app.sessions() as session:
            k = await self.app.assistant.knowledge(session)
        if k is None:
            return await self.respond_no_programme(respond)
        t = self.t
        today = self.app.clock.now().astimezone(ZoneInfo(k.programme.timezone)).date()
        try:
            day, group = agenda_query(k, command.get("text") or "", today, t.code)
        except ValueError:
            return await respond(
                response_type="ephemeral",
                text=t.gettext(
                    "I could not read a date or group in that. Try /agenda, /agenda tomorrow, "
                    "/agenda 2 May or /agenda friday B."
                ),
            )
        blocks = ui.agenda_blocks(t, k, day, group, day_agenda(k, day, group))
        await respond(response_type="ephemeral", text=t.gettext("Agenda"), blocks=blocks)

    async def event(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, respond: Respond
    ) -> None:
        """/event [search]: find an event and change its time, place or status."""
        await ack()
        now = self.app.clock.now()
        async with self.app.sessions() as session:
            k = await self.app.assistant.knowledge(session)
            if k is None:
                return await self.respond_no_programme(respond)
            search = body.get("text") or ""
            choices = find_events(k, search, now)
            chosen = choices[0] if search.strip() and choices else None
            who = await affected(session, k, chosen, now) if chosen else None
        await client.views_open(
            trigger_id=body["trigger_id"], view=ui.event_modal(self.t, k, choices, chosen, who)
        )

    async def pick(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, action: dict[str, Any]
    ) -> None:
        """An event chosen in the modal: show its fields and who would hear of a change."""
        await ack()
        view = body.get("view")
        if not isinstance(view, dict):
            return
        blocks = view.get("blocks") or [{}]
        now = self.app.clock.now()
        async with self.app.sessions() as session:
            k = await self.app.assistant.knowledge(session)
            if k is None:
                modal = ui.notice_modal(self.t, self.t.gettext("Edit an event"), self.no_programme)
            elif not isinstance(blocks[0].get("element"), dict):
                # The picker lives in the event modal; a pick from anywhere else changes nothing.
                return
            else:
                chosen = k.events.get((action.get("selected_option") or {}).get("value") or "")
                offered = blocks[0]["element"].get("options") or []
                choices = [k.events[o["value"]] for o in offered if o["value"] in k.events]
                who = await affected(session, k, chosen, now) if chosen else None
                modal = ui.event_modal(self.t, k, choices, chosen, who)
        await client.views_update(view_id=view["id"], hash=view.get("hash"), view=modal)

    async def save_event(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, view: dict[str, Any]
    ) -> None:
        """Save an event edit; the change sweep tells the participants affected."""
        meta = _event_meta(view.get("private_metadata"))
        if meta is None:
            return await ack()
        edit = _edit(_state(view))
        if edit.start and edit.end and edit.end <= edit.start:
            return await ack(
                response_action="errors", errors={"end": self.refusals[Refusal.BEFORE_START]}
            )
        await ack()
        user = body["user"]["id"]
        said = await self._save(meta, edit, user)
        # The next question sees the edit at once, not after the snapshot's freshness.
        self.app.assistant.invalidate()
        if said.public:
            await client.chat_postMessage(channel=self.channel_for(user), text=said.text)
        else:
            await self.tell(client, user, said.text)

    async def _save(self, meta: tuple[str, int], edit: Edit, user: str) -> _Said:
        """Save an edit; say what it did (to everyone) or why it did nothing (to its author)."""
        now = self.app.clock.now()
        async with self.app.sessions.begin() as session:
            k = await self.app.assistant.knowledge(session)
            if k is None:
                return _Said(self.no_programme, public=False)
            try:
                edited = await edit_event(session, meta[0], meta[1], edit, now)
            except EditRefused as refusal:
                return _Said(self.refusals[refusal.reason], public=False)
            if not edited.fields:
                return _Said(self.t.gettext("Nothing was changed."), public=False)
            who = await affected(session, k, edited.event, now)
        return _Said(self._edit_note(k, edited, user, len(who.reachable), who.soon), public=True)

    def _edit_note(self, k: Knowledge, edited: Edited, user: str, told: int, soon: bool) -> str:
        """The channel's note of an edit: who changed what, and who will hear of it."""
        t = self.t
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

    # ---- the roster ----

    async def roster(self, ack: Ack, respond: Respond) -> None:
        """/roster: everyone's link status, language, group, last seen; deep links."""
        await ack()
        secret = self.app.invite_secret.get_secret_value()
        async with self.app.sessions.begin() as session:
            k = await self.app.assistant.knowledge(session)
            rows = await roster(session, secret)
        if k is None:
            return await self.respond_no_programme(respond)
        username = await self.bot_username()
        blocks = ui.roster_blocks(self.t, rows, username, k.programme.timezone)
        await respond(response_type="ephemeral", text=self.t.gettext("Roster"), blocks=blocks)


@dataclass(frozen=True)
class _Said:
    """What saving an edit tells staff: in the channel, or only its author."""

    text: str
    public: bool


def register(
    bolt: AsyncApp,
    app: Services,
    desk: SlackDesk,
    *,
    bot_username: Callable[[], Awaitable[str | None]],
) -> None:
    """Add the staff commands and their modals to the Bolt app."""
    console = StaffCommands(app, desk, bot_username)
    bolt.command("/broadcast")(console.broadcast)
    bolt.command("/checkin")(console.checkin)
    bolt.command("/agenda")(console.agenda)
    bolt.command("/event")(console.event)
    bolt.command("/roster")(console.roster)
    bolt.view(ui.BROADCAST_COMPOSE)(console.compose)
    bolt.view(ui.BROADCAST_CONFIRM)(console.confirm)
    bolt.view(ui.CHECKIN_COMPOSE)(console.start_checkin)
    bolt.view(ui.EVENT_EDIT)(console.save_event)
    bolt.action(ui.EVENT_PICK)(console.pick)
