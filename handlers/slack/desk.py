"""The staff desk on Slack: posts questions and help alerts, keeps reports current."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.assistant.service import NO_PROGRAMME
from bot.calendars.links import STAFF, links
from bot.staff import campaigns as cmp
from bot.staff.home import overview
from bot.staff.relay import mark_posted, owed_questions
from handlers.slack import blocks as ui

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
# Seconds between two alerts about failed chat updates.
INCIDENT_PAUSE = 60.0


def slack_error(exc: SlackApiError) -> object:
    """The error code Slack gave (or the HTTP status), for logs without message contents."""
    data = exc.response.data
    return data.get("error") if isinstance(data, dict) else exc.response.status_code


class SlackDesk:
    """Syncs the store to Slack: at once when nudged, and every few seconds anyway."""

    def __init__(self, app: Services, client: AsyncWebClient, interval: float = 3.0) -> None:
        self.app = app
        self.client = client
        self.interval = interval
        self.channel = app.settings.slack_staff_channel
        self.t = app.i18n.translator(app.settings.slack_language)
        self._wake = asyncio.Event()
        # Failures of chat updates since the last alert, by error; at most one alert a minute.
        self._incidents: Counter[str] = Counter()
        self._alerted = -INCIDENT_PAUSE
        # Wrong invite codes that paused code checking, while the alert is owed.
        self._guessing = 0
        # Staff who opened the Home tab, with a digest of what it shows them now.
        self._homes: dict[str, str] = {}
        self._staff_feed: str | None = None

    @property
    def enabled(self) -> bool:
        """Questions can be relayed when there is a staff channel to post them in."""
        return self.channel is not None

    def nudge(self) -> None:
        """Sync as soon as possible."""
        self._wake.set()

    def incident(self, kind: str) -> None:
        """Count a failed chat update; staff hear of failures at most once a minute."""
        self._incidents[kind] += 1
        self._wake.set()

    def guessing(self, wrong_codes: int) -> None:
        """Code checking paused for everyone; staff hear of it at once."""
        self._guessing = wrong_codes
        self._wake.set()

    async def post_guessing(self) -> None:
        """Tell staff that code checking is paused, with the count only."""
        if not self._guessing or self.channel is None:
            return
        n, self._guessing = self._guessing, 0
        text = self.t.ngettext(
            "{n} wrong invite code was sent within an hour, from all accounts together: "
            "code checking is paused for everyone for an hour. Participants who try to "
            "link meanwhile are asked to wait or to write to you.",
            "{n} wrong invite codes were sent within an hour, from all accounts together: "
            "code checking is paused for everyone for an hour. Participants who try to "
            "link meanwhile are asked to wait or to write to you.",
            n,
        )
        await self.client.chat_postMessage(channel=self.channel, text=f":rotating_light: {text}")

    async def post_incidents(self) -> None:
        """Tell staff how many updates failed, and how, since the last time."""
        if not self._incidents or self.channel is None:
            return
        if time.monotonic() - self._alerted < INCIDENT_PAUSE:
            return
        counts, self._incidents = self._incidents, Counter()
        self._alerted = time.monotonic()
        n = sum(counts.values())
        errors = ", ".join(f"{kind} ×{count}" for kind, count in counts.most_common())
        text = self.t.ngettext(
            "The bot could not handle {n} Telegram update ({errors}); the participant was "
            "asked to try again. Details are in the log.",
            "The bot could not handle {n} Telegram updates ({errors}); the participants were "
            "asked to try again. Details are in the log.",
            n,
            errors=errors,
        )
        await self.client.chat_postMessage(channel=self.channel, text=f":warning: {text}")

    async def run(self, stop: asyncio.Event) -> None:
        """Sync until ``stop`` is set."""
        while not stop.is_set():
            self._wake.clear()
            try:
                await self.sync_once()
            except Exception:
                # Slack or the database may be down for a moment; what is owed stays owed.
                log.exception("staff desk sync failed; retrying")
            waits = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait(
                    waits, timeout=self.interval, return_when=asyncio.FIRST_COMPLETED
                )
            for waiting in waits:
                waiting.cancel()

    async def sync_once(self) -> None:
        """Post what is owed to staff and update reports that changed."""
        await self.post_alerts()
        await self.post_guessing()
        await self.post_incidents()
        await self.post_questions()
        await self.update_reports()
        await self.update_homes()

    async def home_view(self) -> dict[str, Any] | None:
        """The Home tab as it stands; None before a programme is imported."""
        now = self.app.clock.now()
        async with self.app.sessions() as session:
            k = await self.app.assistant.knowledge(session)
            if k is None:
                return None
            seen = await overview(session, k, now)
        return ui.home_view(self.t, k, seen, now, await self.staff_feed(now))

    async def staff_feed(self, now: datetime) -> str | None:
        """The address of the staff's calendar feed (every group); None without PUBLIC_URL."""
        public_url = self.app.settings.public_url
        if public_url is None:
            return None
        if self._staff_feed is None:
            token = await self.app.calendars.token(STAFF, now)
            self._staff_feed = links(public_url, token).https
        return self._staff_feed

    async def publish_home(self, user: str) -> None:
        """Publish the Home tab for a staff member who opened it; keep it current after."""
        view = await self.home_view() or ui.home_empty(self.t, self.t.gettext(NO_PROGRAMME))
        await self.client.views_publish(user_id=user, view=view)
        self._homes[user] = ui.digest(view["blocks"])

    async def update_homes(self) -> None:
        """Republish the Home tabs whose content changed (one rendering for everyone)."""
        if not self._homes:
            return
        view = await self.home_view()
        if view is None:
            return
        fingerprint = ui.digest(view["blocks"])
        for user, shown in list(self._homes.items()):
            if shown == fingerprint:
                continue
            try:
                await self.client.views_publish(user_id=user, view=view)
            except SlackApiError as exc:
                log.warning("could not refresh a Home tab: %s", slack_error(exc))
                continue
            self._homes[user] = fingerprint

    async def post_alerts(self) -> None:
        """Every "I need help" answer not yet posted, one message each."""
        if self.channel is None:
            return
        now = self.app.clock.now()
        async with self.app.sessions() as session:
            k = await self.app.assistant.knowledge(session)
            alerts = await cmp.owed_alerts(session, k, now) if k else []
        for alert in alerts:
            text, blocks = ui.alert_blocks(self.t, alert)
            await self.client.chat_postMessage(channel=self.channel, text=text, blocks=blocks)
            async with self.app.sessions.begin() as session:
                await cmp.mark_alerted(session, alert.campaign_id, alert.participant_key, now)

    async def post_questions(self) -> None:
        """Participants' questions and follow-ups not yet in the staff channel."""
        if self.channel is None:
            return
        now = self.app.clock.now()
        async with self.app.sessions() as session:
            k = await self.app.assistant.knowledge(session)
            questions = await owed_questions(session, k, now) if k else []
        threads: dict[int, str] = {}
        for question in questions:
            thread_ts = question.thread_ts or threads.get(question.thread_id)
            if thread_ts is not None and question.thread_ts is None:
                question = dataclasses.replace(question, thread_ts=thread_ts)
            text, blocks = ui.question_blocks(self.t, question)
            posted = await self.client.chat_postMessage(
                channel=self.channel, text=text, blocks=blocks, thread_ts=thread_ts
            )
            threads.setdefault(question.thread_id, posted["ts"])
            async with self.app.sessions.begin() as session:
                await mark_posted(session, question, posted["channel"], posted["ts"], now)

    async def update_reports(self) -> None:
        """Re-render live reports; edit the Slack message only when it would look different."""
        now = self.app.clock.now()
        async with self.app.sessions() as session:
            k = await self.app.assistant.knowledge(session)
            if k is None:
                return
            reports = []
            for campaign in await cmp.live_reports(session, now):
                report = await cmp.report(session, campaign.id)
                if report is not None:
                    reports.append(report)
        for report in reports:
            c = report.campaign
            text, blocks = ui.report_blocks(self.t, k, report)
            fingerprint = ui.digest(blocks)
            if fingerprint == c.report_digest or not c.report_channel or not c.report_ts:
                continue
            try:
                await self.client.chat_update(
                    channel=c.report_channel, ts=c.report_ts, text=text, blocks=blocks
                )
            except SlackApiError as exc:
                log.warning("could not update report %s: %s", c.id, slack_error(exc))
                continue
            async with self.app.sessions.begin() as session:
                await cmp.set_report_message(
                    session, c.id, c.report_channel, c.report_ts, fingerprint
                )
