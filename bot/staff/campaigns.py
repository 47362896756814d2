"""Broadcasts and safety check-ins: drafts, queueing through the outbox, answers, reports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import callbacks
from bot.assistant.knowledge import Knowledge
from bot.callbacks import CHECKIN_ANSWERS
from bot.delivery.outbox import Message, ack_reminder_key, campaign_key, enqueue
from bot.i18n import I18n, Translator
from bot.staff.audience import Audience, Resolved, resolve, whereabouts
from bot.store.models import (
    Campaign,
    CampaignKind,
    CampaignMember,
    CampaignStatus,
    DeliveryStatus,
    MessageKind,
    Outgoing,
    Participant,
    Response,
)

# Reports keep updating for this long after a campaign is queued.
REPORT_WINDOW = timedelta(days=3)


@dataclass(frozen=True)
class Draft:
    """What staff filled in, before it is confirmed."""

    kind: CampaignKind
    audience: Audience
    text: str
    translations: dict[str, str] = field(default_factory=dict)
    urgent: bool = False
    requires_ack: bool = False
    drill: bool = False
    send_at: datetime | None = None


async def save_draft(session: AsyncSession, draft: Draft, by: str, now: datetime) -> Campaign:
    """Store a draft; it sends nothing until confirmed."""
    campaign = Campaign(
        kind=draft.kind,
        status=CampaignStatus.DRAFT,
        audience=draft.audience.to_json(),
        text=draft.text.strip(),
        translations={k: v.strip() for k, v in draft.translations.items() if v and v.strip()},
        # A real check-in is an emergency: it goes through quiet hours.
        urgent=draft.urgent or (draft.kind == CampaignKind.CHECKIN and not draft.drill),
        requires_ack=draft.requires_ack and draft.kind == CampaignKind.BROADCAST,
        drill=draft.drill and draft.kind == CampaignKind.CHECKIN,
        send_at=draft.send_at,
        created_by=by,
        created_at=now,
    )
    session.add(campaign)
    await session.flush()
    return campaign


def message_text(campaign: Campaign, t: Translator, default_language: str) -> str:
    """The campaign as one participant reads it, in their language."""
    body = campaign.translations.get(t.code) or campaign.text
    if campaign.kind == CampaignKind.CHECKIN:
        lines = []
        if campaign.drill:
            lines.append(t.gettext("DRILL — this is an exercise, not a real emergency."))
        else:
            lines.append(t.gettext("REAL EMERGENCY — this is not a drill."))
        lines.append(t.gettext("Safety check-in: please tell us how you are."))
        if body:
            lines.append(body)
        lines.append(t.gettext("Tap one of the buttons below."))
        return "\n\n".join(lines)
    header = (
        t.gettext("URGENT — message from the programme staff")
        if campaign.urgent
        else t.gettext("Message from the programme staff")
    )
    lines = [header, body]
    if campaign.requires_ack:
        lines.append(t.gettext("Please tap “Got it” to confirm you have read this."))
    return "\n\n".join(lines)


def message_buttons(campaign: Campaign, t: Translator) -> tuple[tuple[str, str], ...]:
    """The answer buttons under the campaign's message."""
    if campaign.kind == CampaignKind.CHECKIN:
        labels = {
            Response.SAFE: t.pgettext("button", "I'm safe"),
            Response.HELP: t.pgettext("button", "I need help"),
            Response.AWAY: t.pgettext("button", "Not in the area"),
        }
        return tuple((labels[a], callbacks.checkin(campaign.id, a)) for a in CHECKIN_ANSWERS)
    if campaign.requires_ack:
        return ((t.pgettext("button", "Got it"), callbacks.ack(campaign.id)),)
    return ()


@dataclass(frozen=True)
class Preview:
    """What confirming would send: per-language texts and who gets them."""

    texts: dict[str, str]
    translated: dict[str, bool]
    audience: Resolved
    languages: dict[str, int]


async def preview(session: AsyncSession, k: Knowledge, i18n: I18n, campaign: Campaign) -> Preview:
    """Render the campaign in each language its recipients read, and count them."""
    resolved = await resolve(session, k, Audience.from_json(campaign.audience))
    languages: dict[str, int] = defaultdict(int)
    for person in resolved.people:
        languages[i18n.negotiate(person.effective_language)] += 1
    shown = sorted(languages, key=lambda code: (-languages[code], code)) or [
        k.programme.default_language
    ]
    default = k.programme.default_language
    texts = {code: message_text(campaign, i18n.translator(code), default) for code in shown}
    translated = {code: code == default or code in campaign.translations for code in shown}
    return Preview(texts, translated, resolved, dict(languages))


async def confirm(
    session: AsyncSession, k: Knowledge, i18n: I18n, campaign_id: int, now: datetime
) -> Campaign | None:
    """Confirm a draft: queue it now, or schedule it for its time. None if not a draft."""
    campaign = await session.get(Campaign, campaign_id, with_for_update=True)
    if campaign is None or campaign.status != CampaignStatus.DRAFT:
        return None
    if campaign.send_at is not None and campaign.send_at > now:
        campaign.status = CampaignStatus.SCHEDULED
        await session.flush()
        return campaign
    await queue(session, k, i18n, campaign, now)
    return campaign


async def queue(
    session: AsyncSession, k: Knowledge, i18n: I18n, campaign: Campaign, now: datetime
) -> int:
    """Record the audience and put one message per reachable participant in the outbox."""
    resolved = await resolve(session, k, Audience.from_json(campaign.audience))
    known = set(
        await session.scalars(
            select(CampaignMember.participant_key).where(CampaignMember.campaign_id == campaign.id)
        )
    )
    members = [
        {"campaign_id": campaign.id, "participant_key": p.key}
        for p in resolved.people
        if p.key not in known
    ]
    if members:
        await session.execute(insert(CampaignMember), members)
    default = k.programme.default_language
    rendered: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}
    messages = []
    for person in resolved.reachable:
        assert person.telegram_user_id is not None
        code = i18n.negotiate(person.effective_language)
        if code not in rendered:
            t = i18n.translator(code)
            rendered[code] = (message_text(campaign, t, default), message_buttons(campaign, t))
        text, buttons = rendered[code]
        messages.append(
            Message(
                campaign_key(MessageKind(campaign.kind), campaign.id, person.key),
                MessageKind(campaign.kind),
                person.key,
                person.telegram_user_id,
                code,
                text,
                k.present_timezone(person.group_key, now),
                urgent=campaign.urgent,
                buttons=buttons,
                campaign_id=campaign.id,
            )
        )
    campaign.status = CampaignStatus.QUEUED
    campaign.queued_at = campaign.queued_at or now
    added = await enqueue(session, messages, now)
    await session.flush()
    return added


async def queue_due(session: AsyncSession, k: Knowledge, i18n: I18n, now: datetime) -> list[int]:
    """Queue every scheduled campaign whose time has come; return their ids."""
    due = list(
        await session.scalars(
            select(Campaign)
            .where(Campaign.status == CampaignStatus.SCHEDULED, Campaign.send_at <= now)
            .with_for_update(skip_locked=True)
        )
    )
    for campaign in due:
        await queue(session, k, i18n, campaign, now)
    return [c.id for c in due]


async def remind_unacknowledged(
    session: AsyncSession, k: Knowledge, i18n: I18n, now: datetime, delay: timedelta
) -> int:
    """Once, ``delay`` after a broadcast went out, remind those who have not tapped "Got it"."""
    campaigns = list(
        await session.scalars(
            select(Campaign)
            .where(
                Campaign.requires_ack.is_(True),
                Campaign.status == CampaignStatus.QUEUED,
                Campaign.reminded_at.is_(None),
                Campaign.queued_at <= now - delay,
            )
            .with_for_update(skip_locked=True)
        )
    )
    messages = []
    for campaign in campaigns:
        campaign.reminded_at = now
        messages += await _reminders(session, k, i18n, campaign)
    return await enqueue(session, messages, now)


async def remind_now(
    session: AsyncSession, k: Knowledge, i18n: I18n, campaign_id: int, now: datetime
) -> int | None:
    """Remind at once those who got a broadcast and have not acknowledged it.

    Each participant is reminded once per broadcast however often staff ask (the outbox's
    key); returns how many reminders were queued, or None if the broadcast wants no answer.
    """
    campaign = await session.get(Campaign, campaign_id, with_for_update=True)
    if campaign is None or not campaign.requires_ack or campaign.status != CampaignStatus.QUEUED:
        return None
    campaign.reminded_at = campaign.reminded_at or now
    return await enqueue(session, await _reminders(session, k, i18n, campaign), now)


async def _reminders(
    session: AsyncSession, k: Knowledge, i18n: I18n, campaign: Campaign
) -> list[Message]:
    """A reminder for each participant who got the broadcast and has not acknowledged it."""
    default = k.programme.default_language
    answered = set(
        await session.scalars(
            select(CampaignMember.participant_key).where(
                CampaignMember.campaign_id == campaign.id,
                CampaignMember.response.is_not(None),
            )
        )
    )
    delivered = await session.scalars(
        select(Outgoing).where(
            Outgoing.campaign_id == campaign.id,
            Outgoing.kind == campaign.kind,
            Outgoing.status == DeliveryStatus.SENT,
        )
    )
    messages = []
    for sent in delivered:
        if sent.participant_key in answered:
            continue
        t = i18n.translator(sent.language)
        text = "\n\n".join(
            [
                t.gettext("Reminder: please confirm you have read this message."),
                message_text(campaign, t, default),
            ]
        )
        messages.append(
            Message(
                ack_reminder_key(campaign.id, sent.participant_key),
                MessageKind.ACK_REMINDER,
                sent.participant_key,
                sent.chat_id,
                sent.language,
                text,
                sent.timezone,
                urgent=campaign.urgent,
                buttons=message_buttons(campaign, t),
                campaign_id=campaign.id,
            )
        )
    return messages


async def retry_failed(session: AsyncSession, campaign_id: int, now: datetime) -> int:
    """Put a campaign's failed messages back in the outbox, due now; return how many."""
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None:
        return 0
    # One statement: a second click finds nothing failed any more and changes nothing.
    result = await session.execute(
        update(Outgoing)
        .where(
            Outgoing.campaign_id == campaign_id,
            Outgoing.kind == campaign.kind,
            Outgoing.status == DeliveryStatus.FAILED,
        )
        .values(
            status=DeliveryStatus.PENDING,
            attempts=0,
            not_before=now,
            claimed_until=None,
            last_error=None,
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class Answer:
    """A participant's tap on a campaign button, as recorded."""

    campaign_id: int
    response: Response
    changed: bool


async def answer(
    session: AsyncSession,
    participant_key: str,
    campaign_id: int,
    response: Response,
    now: datetime,
) -> Answer | None:
    """Record an acknowledgement or check-in answer of a member of the campaign's audience."""
    member = await session.get(CampaignMember, (campaign_id, participant_key), with_for_update=True)
    campaign = await session.get(Campaign, campaign_id)
    if member is None or campaign is None:
        return None
    expected = CHECKIN_ANSWERS if campaign.kind == CampaignKind.CHECKIN else (Response.ACK,)
    if response not in expected:
        return None
    changed = member.response != response
    if changed:
        member.response = response
        member.responded_at = now
        # Every new "need help" is owed to staff at once, even after an earlier answer.
        member.alerted_at = None if response == Response.HELP else member.alerted_at
        if response == Response.HELP:
            # A new call for help is a new alert: nobody has taken or resolved it yet.
            member.taken_by = member.taken_at = member.resolved_by = member.resolved_at = None
        await session.flush()
    return Answer(campaign_id, response, changed)


@dataclass
class Report:
    """Where a campaign stands, with the names behind every incomplete number."""

    campaign: Campaign
    total: int = 0
    delivered: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    not_linked: list[str] = field(default_factory=list)
    responses: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # Delivered, but no acknowledgement or check-in answer yet.
    unanswered: list[str] = field(default_factory=list)


async def report(session: AsyncSession, campaign_id: int) -> Report | None:
    """Count a campaign's delivery and answers from the outbox and its audience."""
    campaign = await session.get(Campaign, campaign_id, populate_existing=True)
    if campaign is None:
        return None
    result = Report(campaign)
    # Two indexed reads merged here: a join of the outbox on two columns makes SQLite scan.
    outbox = await session.execute(
        select(Outgoing.participant_key, Outgoing.status).where(
            Outgoing.campaign_id == campaign_id, Outgoing.kind == campaign.kind
        )
    )
    statuses = {key: status for key, status in outbox}
    rows = await session.execute(
        select(
            CampaignMember.participant_key,
            CampaignMember.response,
            Participant.name,
            Participant.unreachable,
        )
        .join(Participant, Participant.key == CampaignMember.participant_key, isouter=True)
        .where(CampaignMember.campaign_id == campaign_id)
        .order_by(Participant.position, CampaignMember.participant_key)
    )
    wants_answer = campaign.kind == CampaignKind.CHECKIN or campaign.requires_ack
    for key, response, name, unreachable in rows:
        status = statuses.get(key)
        name = name or key
        result.total += 1
        if response:
            result.responses[response].append(name)
        if status == DeliveryStatus.SENT:
            result.delivered.append(name)
            if wants_answer and not response:
                result.unanswered.append(name)
        elif status == DeliveryStatus.PENDING:
            result.pending.append(name)
        elif status == DeliveryStatus.FAILED:
            result.failed.append(name)
        elif status == DeliveryStatus.BLOCKED or (status is None and unreachable):
            # Refused by Telegram now, or already when the campaign went out.
            result.blocked.append(name)
        else:
            result.not_linked.append(name)
    return result


async def live_reports(session: AsyncSession, now: datetime) -> list[Campaign]:
    """Campaigns whose report message may still change."""
    return list(
        await session.scalars(
            select(Campaign).where(
                Campaign.report_ts.is_not(None),
                Campaign.status.in_((CampaignStatus.SCHEDULED, CampaignStatus.QUEUED)),
                Campaign.created_at >= now - REPORT_WINDOW,
            )
        )
    )


async def set_report_message(
    session: AsyncSession, campaign_id: int, channel: str, ts: str, digest: str
) -> None:
    """Remember where a campaign's report is posted and what it shows."""
    campaign = await session.get(Campaign, campaign_id)
    if campaign is not None:
        campaign.report_channel, campaign.report_ts, campaign.report_digest = channel, ts, digest
        await session.flush()


@dataclass(frozen=True)
class HelpAlert:
    """A participant who answered "I need help" to a check-in, with what staff need."""

    campaign_id: int
    drill: bool
    participant_key: str
    name: str
    phone: str | None
    group: str | None
    city: str | None
    taken_by: str | None = None
    resolved_by: str | None = None


def _alert(
    k: Knowledge, member: CampaignMember, drill: bool, person: Participant, now: datetime
) -> HelpAlert:
    group, city = whereabouts(k, person, now)
    return HelpAlert(
        member.campaign_id,
        drill,
        person.key,
        person.name,
        person.phone,
        group,
        city,
        member.taken_by,
        member.resolved_by,
    )


def _alerts_query() -> Select[tuple[CampaignMember, bool, Participant]]:
    return (
        select(CampaignMember, Campaign.drill, Participant)
        .join(Campaign, Campaign.id == CampaignMember.campaign_id)
        .join(Participant, Participant.key == CampaignMember.participant_key)
        .where(CampaignMember.response == Response.HELP)
    )


async def help_alert(
    session: AsyncSession, k: Knowledge, campaign_id: int, participant_key: str, now: datetime
) -> HelpAlert | None:
    """A help alert as it stands, or None if that participant no longer needs help."""
    rows = await session.execute(
        _alerts_query()
        .where(
            CampaignMember.campaign_id == campaign_id,
            CampaignMember.participant_key == participant_key,
        )
        .execution_options(populate_existing=True)
    )
    return next((_alert(k, m, drill, p, now) for m, drill, p in rows), None)


async def open_alerts(session: AsyncSession, k: Knowledge, now: datetime) -> list[HelpAlert]:
    """Help alerts not yet resolved, oldest first."""
    rows = await session.execute(
        _alerts_query()
        .where(CampaignMember.resolved_at.is_(None))
        .order_by(CampaignMember.responded_at)
    )
    return [_alert(k, m, drill, p, now) for m, drill, p in rows]


async def take_alert(
    session: AsyncSession, campaign_id: int, participant_key: str, by: str, now: datetime
) -> bool:
    """Record who is on a help alert; whether this call took it (False: already taken)."""
    # One conditional statement: two staff clicking at once cannot both take it.
    result = await session.execute(
        update(CampaignMember)
        .where(
            CampaignMember.campaign_id == campaign_id,
            CampaignMember.participant_key == participant_key,
            CampaignMember.response == Response.HELP,
            CampaignMember.taken_by.is_(None),
        )
        .values(taken_by=by, taken_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def resolve_alert(
    session: AsyncSession, campaign_id: int, participant_key: str, by: str, now: datetime
) -> bool:
    """Record that a help alert is resolved; whether this call resolved it."""
    result = await session.execute(
        update(CampaignMember)
        .where(
            CampaignMember.campaign_id == campaign_id,
            CampaignMember.participant_key == participant_key,
            CampaignMember.response == Response.HELP,
            CampaignMember.resolved_at.is_(None),
        )
        .values(
            resolved_by=by,
            resolved_at=now,
            taken_by=func.coalesce(CampaignMember.taken_by, by),
            taken_at=func.coalesce(CampaignMember.taken_at, now),
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


@dataclass(frozen=True)
class Summary:
    """A recent campaign with its numbers, for an overview."""

    campaign: Campaign
    total: int
    delivered: int
    responses: dict[str, int]


async def recent(session: AsyncSession, now: datetime, limit: int = 5) -> list[Summary]:
    """The last campaigns sent or scheduled within the report window, newest first, counted."""
    campaigns = list(
        await session.scalars(
            select(Campaign)
            .where(
                Campaign.status.in_((CampaignStatus.SCHEDULED, CampaignStatus.QUEUED)),
                Campaign.created_at >= now - REPORT_WINDOW,
            )
            .order_by(Campaign.created_at.desc(), Campaign.id.desc())
            .limit(limit)
        )
    )
    ids = [c.id for c in campaigns]
    if not ids:
        return []
    # Counted in the database, grouped: an overview of 10,000 answers reads a few rows.
    # (Results have keys(), so dict() would read them as mappings: pairs are taken by hand.)
    totals: dict[int, int] = {
        campaign_id: n
        for campaign_id, n in await session.execute(
            select(CampaignMember.campaign_id, func.count())
            .where(CampaignMember.campaign_id.in_(ids))
            .group_by(CampaignMember.campaign_id)
        )
    }
    delivered: dict[int, int] = {
        campaign_id: n
        for campaign_id, n in await session.execute(
            select(Outgoing.campaign_id, func.count())
            .where(
                Outgoing.campaign_id.in_(ids),
                Outgoing.kind.in_((MessageKind.BROADCAST, MessageKind.CHECKIN)),
                Outgoing.status == DeliveryStatus.SENT,
            )
            .group_by(Outgoing.campaign_id)
        )
    }
    responses: dict[int, dict[str, int]] = defaultdict(dict)
    for campaign_id, response, n in await session.execute(
        select(CampaignMember.campaign_id, CampaignMember.response, func.count())
        .where(CampaignMember.campaign_id.in_(ids), CampaignMember.response.is_not(None))
        .group_by(CampaignMember.campaign_id, CampaignMember.response)
    ):
        responses[campaign_id][response] = n
    return [
        Summary(c, totals.get(c.id, 0), delivered.get(c.id, 0), responses.get(c.id, {}))
        for c in campaigns
    ]


async def owed_alerts(session: AsyncSession, k: Knowledge, now: datetime) -> list[HelpAlert]:
    """Every "need help" answer not yet posted to staff."""
    rows = await session.execute(_alerts_query().where(CampaignMember.alerted_at.is_(None)))
    return [_alert(k, member, drill, person, now) for member, drill, person in rows]


async def mark_alerted(
    session: AsyncSession, campaign_id: int, participant_key: str, now: datetime
) -> None:
    """Record that staff were alerted of a "need help" answer."""
    member = await session.get(CampaignMember, (campaign_id, participant_key))
    if member is not None and member.response == Response.HELP:
        member.alerted_at = now
        await session.flush()
