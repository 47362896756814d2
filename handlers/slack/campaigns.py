"""Broadcasts and safety check-ins: /broadcast, /checkin, their modals and report buttons."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.staff import campaigns as cmp
from bot.staff.audience import Audience
from bot.store.models import CampaignKind
from handlers.slack import blocks as ui
from handlers.slack import forms
from handlers.slack.console import Console, response_url
from handlers.slack.desk import slack_error
from handlers.slack.ids import Action, Choice, Input, View

log = logging.getLogger(__name__)
Ack = Any
# A "send at" this close to now means now; this far in the past, a mistake.
NOW_MARGIN = timedelta(minutes=1)


class Campaigns:
    """The listeners of broadcasts and check-ins."""

    def __init__(self, console: Console) -> None:
        self.c = console
        t = console.t
        self.missing_audience = {
            Input.KIND: t.gettext("Choose an audience."),
            Input.GROUPS: t.gettext("Choose at least one group."),
            Input.CITY: t.gettext("Choose a city, and a date below."),
            Input.PARTICIPANTS: t.gettext("Choose at least one participant."),
        }

    def audience_errors(self, view: dict[str, Any], audience: Audience) -> dict[str, str]:
        """The audience input to fix, with what is missing (shown in the modal)."""
        missing = audience.missing()
        if missing is None:
            return {}
        where = missing if missing in forms.input_ids(view) else Input.KIND
        return {where: self.missing_audience[Input(missing)]}

    async def open_modal(
        self, body: dict[str, Any], client: AsyncWebClient, kind: CampaignKind
    ) -> None:
        """Open the broadcast or check-in modal (from a command or the Home tab)."""
        app, t = self.c.app, self.c.t
        async with app.sessions() as session:
            k = await app.assistant.knowledge(session)
        if k is None:
            return await self.c.say(client, body, self.c.no_programme)
        reply_to = response_url(body)
        view = (
            ui.broadcast_modal(t, k, k.programme.languages, reply_to)
            if kind == CampaignKind.BROADCAST
            else ui.checkin_modal(t, k, reply_to)
        )
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    async def broadcast(self, ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        """/broadcast: open the broadcast modal."""
        await ack()
        await self.open_modal(body, client, CampaignKind.BROADCAST)

    async def checkin(self, ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        """/checkin: open the safety check-in modal."""
        await ack()
        await self.open_modal(body, client, CampaignKind.CHECKIN)

    def broadcast_errors(
        self, view: dict[str, Any], audience: Audience, text: str, send_at: datetime | None
    ) -> dict[str, str]:
        """What is wrong with a broadcast form, by input."""
        errors = self.audience_errors(view, audience)
        if not text:
            errors[Input.TEXT] = self.c.t.gettext("Write the message.")
        if send_at is not None and send_at < self.c.app.clock.now() - NOW_MARGIN:
            errors[Input.SEND_AT] = self.c.t.gettext("That moment has passed.")
        return errors

    def draft(self, state: forms.State, now: datetime) -> cmp.Draft:
        """The broadcast a valid form describes."""
        send_at = forms.send_at(state)
        flags = forms.flags(state)
        return cmp.Draft(
            CampaignKind.BROADCAST,
            forms.audience(state),
            forms.text(state, Input.TEXT),
            forms.translations(state),
            urgent=Choice.URGENT in flags,
            requires_ack=Choice.ACK in flags,
            # A moment this close to now means now.
            send_at=send_at if send_at and send_at > now + NOW_MARGIN else None,
        )

    async def compose(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, view: dict[str, Any]
    ) -> None:
        """The broadcast form: check it, then show the per-language preview."""
        app, t = self.c.app, self.c.t
        state = forms.state(view)
        text = forms.text(state, Input.TEXT)
        errors = self.broadcast_errors(view, forms.audience(state), text, forms.send_at(state))
        if errors:
            return await ack(response_action="errors", errors=errors)
        await ack(response_action="update", view=ui.loading_modal(t, t.gettext("Broadcast")))
        now = app.clock.now()
        async with app.sessions.begin() as session:
            k = await app.assistant.knowledge(session)
            if k is None:
                modal = ui.notice_modal(t, t.gettext("Broadcast"), self.c.no_programme)
            else:
                campaign = await cmp.save_draft(
                    session, self.draft(state, now), body["user"]["id"], now
                )
                preview = await cmp.preview(session, k, app.i18n, campaign)
                modal = ui.preview_modal(t, k, campaign, preview, response_url(body))
        await client.views_update(view_id=view["id"], view=modal)

    async def post_report(self, client: AsyncWebClient, campaign_id: int, user: str) -> str | None:
        """Post a campaign's live report (the desk keeps it current); return its link."""
        app = self.c.app
        async with app.sessions() as session:
            k = await app.assistant.knowledge(session)
            report = await cmp.report(session, campaign_id)
        if k is None or report is None:
            return None
        summary, blocks = ui.report_blocks(self.c.t, k, report)
        posted = await client.chat_postMessage(
            channel=self.c.channel_for(user), text=summary, blocks=blocks
        )
        async with app.sessions.begin() as session:
            await cmp.set_report_message(
                session, campaign_id, posted["channel"], posted["ts"], ui.digest(blocks)
            )
        self.c.desk.nudge()
        try:
            link = await client.chat_getPermalink(
                channel=posted["channel"], message_ts=posted["ts"]
            )
        except SlackApiError as exc:
            log.warning("could not link report %s: %s", campaign_id, slack_error(exc))
            return None
        return str(link["permalink"])

    async def confirmed(
        self, client: AsyncWebClient, body: dict[str, Any], campaign_id: int, user: str
    ) -> None:
        """Post the report, then tell its author where it is."""
        t = self.c.t
        link = await self.post_report(client, campaign_id, user)
        async with self.c.app.sessions() as session:
            k = await self.c.app.assistant.knowledge(session)
            report = await cmp.report(session, campaign_id)
        if report is None or k is None:
            return
        c = report.campaign
        linked = report.total - len(report.not_linked)
        if c.kind == CampaignKind.CHECKIN:
            text = t.ngettext(
                "Check-in sent to {n} linked participant.",
                "Check-in sent to {n} linked participants.",
                linked,
            )
        elif c.send_at is not None and c.queued_at is None:
            text = t.gettext("Broadcast scheduled for {when}.", when=ui.when(t, k, c.send_at))
        else:
            text = t.ngettext(
                "Broadcast on its way to {n} linked participant.",
                "Broadcast on its way to {n} linked participants.",
                linked,
            )
        if link:
            text += f" <{link}|{ui.mrkdwn_escape(t.gettext('Open its live report'))}>"
        await self.c.say(client, body, text)

    async def confirm(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, view: dict[str, Any]
    ) -> None:
        """Confirmed: queue or schedule the broadcast and post its live report."""
        await ack()
        app = self.c.app
        campaign_id = forms.number(forms.meta(view).get("c"))
        if campaign_id is None:
            return
        async with app.sessions.begin() as session:
            k = await app.assistant.knowledge(session)
            confirmed = (
                await cmp.confirm(session, k, app.i18n, campaign_id, app.clock.now())
                if k is not None
                else None
            )
        if k is None:
            return await self.c.say(client, body, self.c.no_programme)
        if confirmed is not None:  # a second click on the same preview sends nothing
            await self.confirmed(client, body, campaign_id, body["user"]["id"])

    async def start_checkin(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, view: dict[str, Any]
    ) -> None:
        """Send a safety check-in at once and post its live tally."""
        app = self.c.app
        state = forms.state(view)
        audience = forms.audience(state)
        errors = self.audience_errors(view, audience)
        if errors:
            return await ack(response_action="errors", errors=errors)
        await ack()
        draft = cmp.Draft(
            CampaignKind.CHECKIN, audience, forms.text(state, Input.TEXT), drill=forms.drill(state)
        )
        user = body["user"]["id"]
        now = app.clock.now()
        async with app.sessions.begin() as session:
            k = await app.assistant.knowledge(session)
            campaign_id = None
            if k is not None:
                campaign = await cmp.save_draft(session, draft, user, now)
                campaign_id = campaign.id
                await cmp.confirm(session, k, app.i18n, campaign_id, now)
        if campaign_id is None:
            return await self.c.say(client, body, self.c.no_programme)
        await self.confirmed(client, body, campaign_id, user)

    async def remind(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, action: dict[str, Any]
    ) -> None:
        """A report's "Remind those who have not acknowledged": now, once per participant."""
        await ack()
        app, t = self.c.app, self.c.t
        campaign_id = forms.number(forms.action_value(action))
        if campaign_id is None:
            return
        now = app.clock.now()
        async with app.sessions.begin() as session:
            k = await app.assistant.knowledge(session)
            queued = await cmp.remind_now(session, k, app.i18n, campaign_id, now) if k else None
        if queued is None:
            text = t.gettext("This broadcast asks for no acknowledgement, or is not sent yet.")
        elif queued:
            text = t.ngettext(
                "Reminder queued for {n} participant.",
                "Reminders queued for {n} participants.",
                queued,
            )
        else:
            text = t.gettext(
                "Nobody to remind: everyone who got it has acknowledged or was reminded already."
            )
        await self.c.say(client, body, text)

    async def retry(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, action: dict[str, Any]
    ) -> None:
        """A report's "Retry failed": the failed messages go back in the outbox, due now."""
        await ack()
        app, t = self.c.app, self.c.t
        campaign_id = forms.number(forms.action_value(action))
        if campaign_id is None:
            return
        async with app.sessions.begin() as session:
            again = await cmp.retry_failed(session, campaign_id, app.clock.now())
        self.c.desk.nudge()
        text = (
            t.ngettext("Retrying {n} message.", "Retrying {n} messages.", again)
            if again
            else t.gettext("Nothing failed is left to retry.")
        )
        await self.c.say(client, body, text)


def register(bolt: AsyncApp, console: Console) -> None:
    """Add broadcasts and check-ins to the Bolt app."""
    f = Campaigns(console)
    on = console.listener
    bolt.command("/broadcast")(on(f.broadcast))
    bolt.command("/checkin")(on(f.checkin))
    bolt.view(View.BROADCAST_COMPOSE)(on(f.compose))
    bolt.view(View.BROADCAST_CONFIRM)(on(f.confirm))
    bolt.view(View.CHECKIN_COMPOSE)(on(f.start_checkin))
    bolt.action(Action.REMIND)(on(f.remind))
    bolt.action(Action.RETRY)(on(f.retry))
