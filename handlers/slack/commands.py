"""Slash commands, modals and buttons of the staff console. Each acks first, then works."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.staff import campaigns as cmp
from bot.staff.audience import Audience
from bot.staff.roster import participants, roster
from bot.staff.schedule import (
    Edit,
    EditRefused,
    affected,
    agenda_query,
    day_agenda,
    edit_event,
    find_events,
    title_of,
)
from handlers.slack import blocks as ui

if TYPE_CHECKING:
    from bot.services import Services
    from handlers.slack.desk import SlackDesk

log = logging.getLogger(__name__)
Ack = Callable[..., Awaitable[Any]]
Respond = Callable[..., Awaitable[Any]]
# A "send at" this close to now means now.
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


def register(
    bolt: AsyncApp,
    app: Services,
    desk: SlackDesk,
    *,
    bot_username: Callable[[], Awaitable[str | None]],
) -> None:
    """Add the staff commands and their modals to the Bolt app."""
    settings = app.settings
    t = app.i18n.translator(settings.slack_language)
    missing_audience = {
        "kind": t.gettext("Choose an audience."),
        "groups": t.gettext("Choose at least one group."),
        "city": t.gettext("Choose a city, and a date below."),
        "participants": t.gettext("Choose at least one participant."),
    }

    def channel_for(user: str) -> str:
        # Reports belong in the staff channel; without one, the staff member's own DMs.
        return settings.slack_staff_channel or user

    async def no_programme(respond: Respond) -> None:
        await respond(
            response_type="ephemeral", text=t.gettext("No programme has been loaded yet.")
        )

    async def open_audience_modal(
        body: dict[str, Any], client: AsyncWebClient, respond: Respond, kind: str
    ) -> None:
        async with app.sessions() as session:
            current = await app.assistant.current(session)
            people = await participants(session)
        if current is None:
            return await no_programme(respond)
        k = current[0]
        view = (
            ui.broadcast_modal(t, k, people, k.programme.languages)
            if kind == cmp.BROADCAST
            else ui.checkin_modal(t, k, people)
        )
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    @bolt.command("/broadcast")
    async def broadcast(
        ack: Ack, body: dict[str, Any], client: AsyncWebClient, respond: Respond
    ) -> None:
        """/broadcast: open the broadcast modal."""
        await ack()
        await open_audience_modal(body, client, respond, cmp.BROADCAST)

    @bolt.command("/checkin")
    async def checkin(
        ack: Ack, body: dict[str, Any], client: AsyncWebClient, respond: Respond
    ) -> None:
        """/checkin: open the safety check-in modal."""
        await ack()
        await open_audience_modal(body, client, respond, cmp.CHECKIN)

    @bolt.view(ui.BROADCAST_COMPOSE)
    async def compose(
        ack: Ack, body: dict[str, Any], client: AsyncWebClient, view: dict[str, Any]
    ) -> None:
        """The broadcast form: check it, then show the per-language preview."""
        state = _state(view)
        audience = _audience(state)
        errors: dict[str, str] = {}
        missing = audience.missing()
        if missing:
            errors[missing if missing in _blocks(view) else "kind"] = missing_audience[missing]
        text = _text(state, "text")
        if not text:
            errors["text"] = t.gettext("Write the message.")
        now = app.clock.now()
        send_at = None
        picked = (state.get("send_at") or {}).get("selected_date_time")
        if isinstance(picked, int | str) and str(picked).isdigit():
            send_at = datetime.fromtimestamp(int(picked), UTC)
            if send_at < now - NOW_MARGIN:
                errors["send_at"] = t.gettext("That moment has passed.")
            elif send_at <= now + NOW_MARGIN:
                send_at = None
        if errors:
            return await ack(response_action="errors", errors=errors)
        await ack(response_action="update", view=ui.loading_modal(t, t.gettext("Broadcast")))
        flags = set(_selected_many(state, "flags"))
        translations = {
            block[3:]: _text(state, block) for block in state if block.startswith("tr_")
        }
        draft = cmp.Draft(
            cmp.BROADCAST,
            audience,
            text,
            translations,
            urgent="urgent" in flags,
            requires_ack="ack" in flags,
            send_at=send_at,
        )
        async with app.sessions.begin() as session:
            current = await app.assistant.current(session)
            assert current is not None
            k = current[0]
            campaign = await cmp.save_draft(session, draft, body["user"]["id"], now)
            preview = await cmp.preview(session, k, app.i18n, campaign)
            modal = ui.preview_modal(t, k, campaign, preview)
        await client.views_update(view_id=view["id"], view=modal)

    async def post_report(client: AsyncWebClient, campaign_id: int, user: str) -> None:
        async with app.sessions() as session:
            current = await app.assistant.current(session)
            report = await cmp.report(session, campaign_id)
        if current is None or report is None:
            return
        summary, blocks = ui.report_blocks(t, current[0], report)
        posted = await client.chat_postMessage(
            channel=channel_for(user), text=summary, blocks=blocks
        )
        async with app.sessions.begin() as session:
            await cmp.set_report_message(
                session, campaign_id, posted["channel"], posted["ts"], ui.digest(blocks)
            )
        desk.nudge()

    @bolt.view(ui.BROADCAST_CONFIRM)
    async def confirm(
        ack: Ack, body: dict[str, Any], client: AsyncWebClient, view: dict[str, Any]
    ) -> None:
        """Confirmed: queue or schedule the broadcast and post its live report."""
        await ack()
        campaign_id = _number(view.get("private_metadata"))
        if campaign_id is None:
            return
        async with app.sessions.begin() as session:
            current = await app.assistant.current(session)
            assert current is not None
            confirmed = await cmp.confirm(
                session, current[0], app.i18n, campaign_id, app.clock.now()
            )
        if confirmed is not None:  # a second click on the same preview sends nothing
            await post_report(client, campaign_id, body["user"]["id"])

    @bolt.view(ui.CHECKIN_COMPOSE)
    async def start_checkin(
        ack: Ack, body: dict[str, Any], client: AsyncWebClient, view: dict[str, Any]
    ) -> None:
        """Send a safety check-in at once and post its live tally."""
        state = _state(view)
        audience = _audience(state)
        missing = audience.missing()
        if missing:
            block = missing if missing in _blocks(view) else "kind"
            return await ack(response_action="errors", errors={block: missing_audience[missing]})
        await ack()
        draft = cmp.Draft(
            cmp.CHECKIN, audience, _text(state, "text"), drill=_selected(state, "mode") != "real"
        )
        now = app.clock.now()
        async with app.sessions.begin() as session:
            current = await app.assistant.current(session)
            assert current is not None
            campaign = await cmp.save_draft(session, draft, body["user"]["id"], now)
            await cmp.confirm(session, current[0], app.i18n, campaign.id, now)
            campaign_id = campaign.id
        await post_report(client, campaign_id, body["user"]["id"])

    @bolt.command("/agenda")
    async def agenda(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        """/agenda [date] [group]: a day of the programme for every group, or one."""
        await ack()
        async with app.sessions() as session:
            current = await app.assistant.current(session)
        if current is None:
            return await no_programme(respond)
        k = current[0]
        today = app.clock.now().astimezone(ZoneInfo(k.programme.timezone)).date()
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

    @bolt.command("/event")
    async def event(
        ack: Ack, body: dict[str, Any], client: AsyncWebClient, respond: Respond
    ) -> None:
        """/event [search]: find an event and change its time, place or status."""
        await ack()
        now = app.clock.now()
        async with app.sessions() as session:
            current = await app.assistant.current(session)
            if current is None:
                return await no_programme(respond)
            k = current[0]
            search = body.get("text") or ""
            choices = find_events(k, search, now)
            chosen = choices[0] if search.strip() and choices else None
            who = await affected(session, k, chosen, now) if chosen else None
        await client.views_open(
            trigger_id=body["trigger_id"], view=ui.event_modal(t, k, choices, chosen, who)
        )

    @bolt.action(ui.EVENT_PICK)
    async def pick(
        ack: Ack, body: dict[str, Any], client: AsyncWebClient, action: dict[str, Any]
    ) -> None:
        """An event chosen in the modal: show its fields and who would hear of a change."""
        await ack()
        view = body["view"]
        now = app.clock.now()
        async with app.sessions() as session:
            current = await app.assistant.current(session)
            if current is None:
                return
            k = current[0]
            chosen = k.events.get(action["selected_option"]["value"])
            offered = view["blocks"][0]["element"].get("options", [])
            choices = [k.events[o["value"]] for o in offered if o["value"] in k.events]
            who = await affected(session, k, chosen, now) if chosen else None
        await client.views_update(
            view_id=view["id"],
            hash=view.get("hash"),
            view=ui.event_modal(t, k, choices, chosen, who),
        )

    @bolt.view(ui.EVENT_EDIT)
    async def save_event(
        ack: Ack, body: dict[str, Any], client: AsyncWebClient, view: dict[str, Any]
    ) -> None:
        """Save an event edit; the change sweep tells the participants affected."""
        meta = _event_meta(view.get("private_metadata"))
        if meta is None:
            return await ack()
        state = _state(view)
        day = _parsed(date.fromisoformat, (state.get("day") or {}).get("selected_date"))
        start = _parsed(time.fromisoformat, (state.get("start") or {}).get("selected_time"))
        end = _parsed(time.fromisoformat, (state.get("end") or {}).get("selected_time"))
        if start and end and end <= start:
            return await ack(
                response_action="errors",
                errors={"end": t.gettext("The end must be after the start.")},
            )
        await ack()
        edit = Edit(
            day=day,
            start=start,
            end=end,
            place=_selected(state, "place"),
            status=_selected(state, "status"),
        )
        user = body["user"]["id"]
        now = app.clock.now()
        edited, refusal = None, None
        async with app.sessions.begin() as session:
            try:
                edited = await edit_event(session, meta[0], meta[1], edit, now)
            except EditRefused as exc:
                refusal = exc
            current = await app.assistant.current(session)
            assert current is not None
            who = await affected(session, current[0], edited.event, now) if edited else None
        if refusal is not None or edited is None:
            reasons = {
                "stale": t.gettext("Someone changed this event meanwhile; open it again."),
                "gone": t.gettext("This event is no longer on the programme."),
                "unknown": t.gettext("That place is not on the programme."),
                "before_start": t.gettext("The end must be after the start."),
            }
            await client.chat_postEphemeral(
                channel=channel_for(user),
                user=user,
                text=reasons.get(refusal.reason, "") if refusal else "",
            )
            return
        app.assistant.invalidate()
        if not edited.fields:
            await client.chat_postEphemeral(
                channel=channel_for(user), user=user, text=t.gettext("Nothing was changed.")
            )
            return
        labels = {
            "time": t.gettext("time"),
            "place": t.gettext("place"),
            "status": t.gettext("status"),
        }
        changed = ", ".join(labels.get(f, f) for f in edited.fields)
        assert who is not None
        text = (
            t.gettext(
                "<@{user}> changed {title}: {changed}.",
                user=user,
                title=ui.mrkdwn_escape(title_of(current[0], edited.event)),
                changed=changed,
            )
            + " "
            + (
                t.ngettext(
                    "{n} participant will be told within two minutes.",
                    "{n} participants will be told within two minutes.",
                    len(who.reachable),
                )
                if who.soon
                else t.gettext("It is more than 48 hours away: that day's agenda will show it.")
            )
        )
        await client.chat_postMessage(channel=channel_for(user), text=text)

    @bolt.command("/roster")
    async def roster_(ack: Ack, respond: Respond) -> None:
        """/roster: everyone's link status, language, group, last seen; deep links."""
        await ack()
        async with app.sessions.begin() as session:
            current = await app.assistant.current(session)
            rows = await roster(session, app.invite_secret.get_secret_value())
        if current is None:
            return await no_programme(respond)
        username = await bot_username()
        blocks = ui.roster_blocks(t, rows, username, current[0].programme.timezone)
        await respond(response_type="ephemeral", text=t.gettext("Roster"), blocks=blocks)
