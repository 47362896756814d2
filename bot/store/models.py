"""Typed SQLAlchemy models of the programme, its people and its change log."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class EventStatus(StrEnum):
    """Whether an event takes place."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class ChangeKind(StrEnum):
    """What a change-log entry did to its event."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class MessageKind(StrEnum):
    """What an outbox message is."""

    AGENDA = "agenda"
    NOTICE = "notice"
    REMINDER = "reminder"
    BROADCAST = "broadcast"
    CHECKIN = "checkin"
    ACK_REMINDER = "ack-reminder"
    RELAY = "relay"
    EARLY_START = "early-start"  # the evening before a departure before the morning agenda


class DeliveryStatus(StrEnum):
    """Where an outbox message stands."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # refused, or out of attempts
    BLOCKED = "blocked"  # the recipient cannot be reached at all
    EXPIRED = "expired"  # not sent: the moment it was about had come (a reminder)


class CampaignKind(StrEnum):
    """What staff send: a broadcast or a safety check-in (also its outbox message kind)."""

    BROADCAST = MessageKind.BROADCAST.value
    CHECKIN = MessageKind.CHECKIN.value


class CampaignStatus(StrEnum):
    """Where a campaign stands, from draft to queued."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    QUEUED = "queued"


class Response(StrEnum):
    """A participant's tap under a campaign: an acknowledgement or a check-in answer."""

    ACK = "ack"
    SAFE = "safe"
    HELP = "help"
    AWAY = "away"


class ThreadClosing(StrEnum):
    """How staff closed a participant's question."""

    ANSWERED = "answered"
    NO_REPLY = "no-reply"


class Direction(StrEnum):
    """Which way a message of a staff thread went."""

    IN = "in"  # from the participant
    OUT = "out"  # from staff


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC instant on every backend (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store the instant in UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return an aware UTC instant."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every table."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, str]: JSON,
        list[str]: JSON,
        dict[str, Any]: JSON,
    }


class Programme(Base):
    """The one programme the store holds."""

    __tablename__ = "programme"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[dict[str, str]]
    organizer: Mapped[str | None] = mapped_column(String(300))
    default_language: Mapped[str] = mapped_column(String(10))
    languages: Mapped[list[str]]
    timezone: Mapped[str] = mapped_column(String(64))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    daily_agenda_time: Mapped[str] = mapped_column(String(5), default="07:00")
    help_email: Mapped[str | None] = mapped_column(String(300))
    # Bumped by every import that changes anything; readers cache by it.
    revision: Mapped[int] = mapped_column(Integer, default=1)


class Group(Base):
    """A sub-group of participants."""

    __tablename__ = "groups"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Place(Base):
    """A venue, hotel or other location."""

    __tablename__ = "places"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(String(500))
    city: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    timezone: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str | None] = mapped_column(String(50))
    notes: Mapped[dict[str, str]]
    position: Mapped[int] = mapped_column(Integer, default=0)


class Leg(Base):
    """Where a set of groups (or everyone) sleeps for a range of nights."""

    __tablename__ = "legs"
    __table_args__ = (UniqueConstraint("groups_key", "date_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Sorted group keys joined by commas; empty means everyone. Part of the leg's identity.
    groups_key: Mapped[str] = mapped_column(String(500), default="")
    groups: Mapped[list[str]]
    city: Mapped[str] = mapped_column(String(200))
    date_from: Mapped[date] = mapped_column(Date)
    date_to: Mapped[date] = mapped_column(Date)
    hotel_key: Mapped[str | None] = mapped_column(ForeignKey("places.key"))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Contact(Base):
    """A person or number participants may need."""

    __tablename__ = "contacts"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    role: Mapped[dict[str, str]]
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(300))
    telegram: Mapped[str | None] = mapped_column(String(100))
    languages: Mapped[list[str]]
    groups: Mapped[list[str]]
    kind: Mapped[str | None] = mapped_column(String(50))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Participant(Base):
    """A member of the roster; linked to a chat account by a hashed invite code."""

    __tablename__ = "participants"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(10))
    # The language the participant chose in chat; survives re-imports of the file.
    chosen_language: Mapped[str | None] = mapped_column(String(10))
    group_key: Mapped[str | None] = mapped_column(ForeignKey("groups.key"))
    invite_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Hash of the code behind the deep link staff see in the roster (derived from the key
    # with the invite secret); imports never touch it.
    link_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(300))
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    linked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when Telegram refuses delivery (the participant blocked the bot): staff see it.
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    agenda_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # "HH:MM" local; None follows the programme's daily_agenda_time.
    agenda_time: Mapped[str | None] = mapped_column(String(5))
    # Minutes before travel and meeting-point events; 0 turns reminders off.
    reminder_minutes: Mapped[int] = mapped_column(Integer, default=30)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # When the participant asked (/forget) to be unlinked and have their messages erased.
    forgotten_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def effective_language(self) -> str:
        """Return the language the participant reads replies in."""
        return self.chosen_language or self.language


class Event(Base):
    """One item of the schedule, stored as UTC instants plus the timezone shown."""

    __tablename__ = "events"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[dict[str, str]]
    start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    # The timezone written in the file, if any (the effective one may come from the place).
    timezone_given: Mapped[str | None] = mapped_column(String(64))
    place_key: Mapped[str | None] = mapped_column(ForeignKey("places.key"))
    groups: Mapped[list[str]]
    kind: Mapped[str | None] = mapped_column(String(50))
    contact_key: Mapped[str | None] = mapped_column(ForeignKey("contacts.key"))
    dress: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[dict[str, str]]
    status: Mapped[str] = mapped_column(String(20), default=EventStatus.SCHEDULED)
    version: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Faq(Base):
    """A short practical answer."""

    __tablename__ = "faq"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    question: Mapped[dict[str, str]]
    answer: Mapped[dict[str, str]]
    position: Mapped[int] = mapped_column(Integer, default=0)


class Alias(Base):
    """Another name people use for a place, contact or event."""

    __tablename__ = "aliases"
    __table_args__ = (UniqueConstraint("target_type", "target_key", "text"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_key: Mapped[str] = mapped_column(String(100), index=True)
    text: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Change(Base):
    """What one import changed about one event, with the event's new version."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # a ChangeKind
    fields: Mapped[list[str]]
    # Field -> [old, new], JSON-safe (instants as ISO strings, audiences as lists).
    details: Mapped[dict[str, Any]]
    revision: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When the change sweep turned the entry into notices (or into a mark in an agenda).
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    deferred: Mapped[bool] = mapped_column(Boolean, default=False)


class LinkGuard(Base):
    """A counter of invite code checks in a window: one row per account, one for everyone."""

    __tablename__ = "link_guard"

    # "account:<id>" for one chat account, "everyone" for the whole deployment.
    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    # When the current window began; a window past its length starts again at zero.
    started: Mapped[datetime] = mapped_column(UTCDateTime)
    checks: Mapped[int] = mapped_column(Integer, default=0)


class StoredSecret(Base):
    """A secret generated on first start and kept for every process of the deployment."""

    __tablename__ = "stored_secrets"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Outgoing(Base):
    """One message to one participant, waiting in the outbox or already delivered."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "not_before"),
        Index("ix_outbox_chat", "chat_id"),
        # A claim walks the pending rows in its order (urgent first, then oldest) and stops
        # at its batch, without sorting the outbox: each claim costs the same at any size.
        Index("ix_outbox_claim", "status", "urgent", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Unique per recipient and message: agenda per local day, notice per event version,
    # broadcast per broadcast; enqueueing twice is a no-op.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # a MessageKind
    # No foreign key: the outbox is also the record of what was sent to people who may
    # later leave the roster.
    participant_key: Mapped[str] = mapped_column(String(100), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    # The recipient's timezone when enqueued: quiet hours are local to them.
    timezone: Mapped[str] = mapped_column(String(64))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    day: Mapped[date | None] = mapped_column(Date)  # the local day of an agenda
    status: Mapped[str] = mapped_column(String(10), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime)
    # A sender holds a row until then; after a crash the row becomes due again.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Inline buttons under the message: [label, callback data] per row.
    buttons: Mapped[list[Any] | None] = mapped_column(JSON)
    # The broadcast or check-in the message belongs to (reports count by it).
    campaign_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # Not delivered after then (a reminder is useless once its event has begun).
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DeliveryPause(Base):
    """The end of a RetryAfter pause, shared by every sender process of one bot (PostgreSQL)."""

    __tablename__ = "delivery_pause"

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # Seconds since the epoch.
    paused_until: Mapped[float] = mapped_column(Float)


class Campaign(Base):
    """A broadcast or a safety check-in from staff, from draft to delivery."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))  # a CampaignKind
    status: Mapped[str] = mapped_column(String(20), default=CampaignStatus.DRAFT)
    # {"kind": everyone|groups|city|participants, "groups": [...], "city": ..., "day": ...,
    #  "participants": [...]}
    audience: Mapped[dict[str, Any]]
    text: Mapped[str] = mapped_column(Text, default="")
    translations: Mapped[dict[str, str]]
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    requires_ack: Mapped[bool] = mapped_column(Boolean, default=False)
    drill: Mapped[bool] = mapped_column(Boolean, default=False)
    send_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Where the live report is, and a digest of what it shows (updated only on change).
    report_channel: Mapped[str | None] = mapped_column(String(50))
    report_ts: Mapped[str | None] = mapped_column(String(50))
    report_digest: Mapped[str | None] = mapped_column(String(64))


class CampaignMember(Base):
    """One participant in a campaign's audience, and their answer (ack or check-in)."""

    __tablename__ = "campaign_members"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), primary_key=True)
    participant_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    response: Mapped[str | None] = mapped_column(String(20))  # a Response
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When a "need help" answer was posted to staff; None while an alert is owed.
    alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The staff member who took the help alert, and who resolved it (Slack user IDs).
    taken_by: Mapped[str | None] = mapped_column(String(50))
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(50))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StaffThread(Base):
    """A conversation between one participant and staff, kept in one Slack thread."""

    __tablename__ = "staff_threads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    participant_key: Mapped[str] = mapped_column(String(100), index=True)
    channel: Mapped[str | None] = mapped_column(String(50))
    ts: Mapped[str | None] = mapped_column(String(50), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Marked by staff as answered or needing no reply (a ThreadClosing); a new question reopens.
    closed_as: Mapped[str | None] = mapped_column(String(20))
    closed_by: Mapped[str | None] = mapped_column(String(50))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ThreadMessage(Base):
    """A participant's question or follow-up, or a staff answer, in a staff thread."""

    __tablename__ = "thread_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("staff_threads.id"), index=True)
    direction: Mapped[str] = mapped_column(String(10))  # a Direction
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(10))
    author: Mapped[str | None] = mapped_column(String(50))  # the Slack user of an answer
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # For a question: when it reached Slack (None while it is owed).
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    slack_ts: Mapped[str | None] = mapped_column(String(50), unique=True)


class CalendarFeed(Base):
    """The secret link of one calendar subscription: a participant's, or the staff's."""

    __tablename__ = "calendar_feeds"

    # "participant:<key>" or "staff": whose feed the link opens.
    owner: Mapped[str] = mapped_column(String(120), primary_key=True)
    # Random; the link's token is derived from it and the key, so a reset makes a new one.
    nonce: Mapped[str] = mapped_column(String(64))
    # SHA-256 of the token: requests are matched by it, the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CalendarEntry(Base):
    """One item of the calendar feeds, as last published: versioned, kept when removed."""

    __tablename__ = "calendar_entries"

    uid: Mapped[str] = mapped_column(String(250), primary_key=True)
    # The language-independent facts the item is rendered from (titles in every language).
    facts: Mapped[dict[str, Any]]
    # Who sees it now: group keys, and "" for participants without a group.
    audience: Mapped[list[str]]
    # Everyone who ever saw it: those no longer in the audience get it as cancelled.
    former: Mapped[list[str]]
    digest: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # No longer in the programme: published as cancelled so that calendars remove it.
    gone: Mapped[bool] = mapped_column(Boolean, default=False)


class CalendarSync(Base):
    """The programme revision the calendar entries were last brought up to (one row)."""

    __tablename__ = "calendar_sync"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)


class SweepRun(Base):
    """How often a scheduled sweep has run to the end, and when it last did (one row each)."""

    __tablename__ = "sweep_runs"

    # The sweep's job id: agenda_sweep, change_sweep, ...
    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    runs: Mapped[int] = mapped_column(Integer, default=0)
    last_success_at: Mapped[datetime] = mapped_column(UTCDateTime)
