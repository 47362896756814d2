"""Import a validated programme into the store, recording what changed per event."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendars.links import STAFF
from bot.programme.invites import hash_invite
from bot.programme.schema import ProgrammeDoc, ProgrammeError
from bot.store.models import (
    Alias,
    Base,
    CalendarFeed,
    Change,
    Contact,
    Event,
    Faq,
    Group,
    Leg,
    Participant,
    Place,
    Programme,
)


@dataclass
class ImportResult:
    """What one import did."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    # Per changed event, the columns that changed as (old, new): the details a Change omits.
    edits: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)
    # Sections whose items now come in another order (not merely renumbered).
    reordered: list[str] = field(default_factory=list)
    # The programme's default language, the one to name events in when describing changes.
    language: str = "en"
    revision: int = 0

    @property
    def changed(self) -> bool:
        """Return whether anything in the store changed."""
        counts = (*self.added.values(), *self.updated.values(), *self.removed.values())
        return any(counts) or bool(self.reordered)


def _event_timezone(record: dict[str, Any], doc: ProgrammeDoc) -> str:
    """Resolve an event's timezone: its own, its place's, its leg hotel's, the programme's."""
    if record.get("timezone"):
        return str(record["timezone"])
    places = {p["key"]: p for p in doc.places}
    place = places.get(record.get("place", ""))
    if place and place.get("timezone"):
        return str(place["timezone"])
    day: date = record["start"].date()
    groups = record.get("groups") or []
    zones: list[str] = []
    for leg in doc.legs:
        covers = leg["from"] <= day <= leg["to"]
        applies = not leg.get("groups") or any(g in leg["groups"] for g in groups)
        hotel = places.get(leg.get("hotel", ""))
        if covers and hotel and hotel.get("timezone"):
            if applies:
                return str(hotel["timezone"])
            zones.append(str(hotel["timezone"]))
    # An event for everyone on a day each group sleeps elsewhere, all in one timezone.
    if not groups and len(set(zones)) == 1:
        return zones[0]
    return str(doc.programme["timezone"])


def _instant(local: datetime, timezone: str) -> datetime:
    return local.replace(tzinfo=ZoneInfo(timezone))


def _assign(row: Base, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Set the attributes that differ; return them as name: (old, new), empty when none."""
    changed = {}
    for name, value in values.items():
        old = getattr(row, name)
        if old != value:
            setattr(row, name, value)
            changed[name] = (old, value)
    return changed


def _without_position(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if name != "position"}


def _reordered(old: dict[Any, int], new: list[Any]) -> bool:
    """Whether the items kept from ``old`` (identity: position) now come in another order."""
    kept = [ident for ident in new if ident in old]
    return [old[ident] for ident in kept] != sorted(old[ident] for ident in kept)


def event_snapshot(event: Event) -> dict[str, Any]:
    """Return the JSON-safe facts of an event that notices are written from."""
    return {
        "title": event.title,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
        "timezone": event.timezone,
        "place": event.place_key,
        "groups": list(event.groups),
        "status": event.status,
    }


def diff_snapshots(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    fields = []
    if before["status"] != after["status"]:
        fields.append("status")
    if (before["start"], before["end"], before["timezone"]) != (
        after["start"],
        after["end"],
        after["timezone"],
    ):
        fields.append("time")
    if before["place"] != after["place"]:
        fields.append("place")
    if before["title"] != after["title"]:
        fields.append("title")
    if sorted(before["groups"]) != sorted(after["groups"]):
        fields.append("audience")
    return fields


class _Importer:
    """Upserts one section at a time by key, counting what it did."""

    def __init__(self, session: AsyncSession, doc: ProgrammeDoc, invite_secret: str) -> None:
        self.session = session
        self.doc = doc
        self.secret = invite_secret
        self.result = ImportResult(language=doc.programme["default_language"])
        self.stale: list[Base] = []

    def _count(self, bucket: dict[str, int], section: str) -> None:
        bucket[section] = bucket.get(section, 0) + 1

    async def upsert(
        self,
        section: str,
        model: type[Base],
        rows: list[tuple[Any, dict[str, Any]]],
        identity: Callable[[Any], Any] = attrgetter("key"),
    ) -> None:
        """Insert or update ``rows`` (identity, column values); queue the others for removal."""
        existing = {identity(r): r for r in await self.session.scalars(select(model))}
        self._check_order(section, existing, [ident for ident, _ in rows])
        for ident, values in rows:
            row = existing.pop(ident, None)
            if row is None:
                self.session.add(model(**values))
                self._count(self.result.added, section)
                continue
            if _assign(row, _without_position(values)):
                self._count(self.result.updated, section)
            # Renumbering after an item is added or removed above is no change to the item.
            row.position = values["position"]  # type: ignore[attr-defined]
        for row in existing.values():
            self.stale.append(row)
            self._count(self.result.removed, section)

    def _check_order(self, section: str, existing: dict[Any, Any], new: list[Any]) -> None:
        old = {ident: row.position for ident, row in existing.items()}
        if _reordered(old, new):
            self.result.reordered.append(section)

    async def run(self, now: datetime) -> ImportResult:
        """Apply the whole document; the caller commits."""
        doc, session = self.doc, self.session
        p = doc.programme
        programme = await session.scalar(select(Programme))
        head = {
            "key": p["key"],
            "title": p["title"],
            "organizer": p.get("organizer"),
            "default_language": p["default_language"],
            "languages": p["languages"],
            "timezone": p["timezone"],
            "start": p["start"],
            "end": p["end"],
            "daily_agenda_time": p["daily_agenda_time"],
            "help_email": p.get("help_email"),
        }
        if programme is not None and programme.key != p["key"]:
            # A different programme replaces the old one entirely. Its "P01" is someone else:
            # nobody stays linked to a roster row, or keeps a calendar link, of the old one.
            await session.delete(programme)
            await session.execute(delete(Participant))
            await session.execute(delete(CalendarFeed).where(CalendarFeed.owner != STAFF))
            await session.flush()
            programme = None
        if programme is None:
            programme = Programme(**head, revision=0)
            session.add(programme)
            self._count(self.result.added, "programme")
        elif _assign(programme, head):
            self._count(self.result.updated, "programme")

        groups = [
            (g["key"], {"key": g["key"], "name": g["name"], "position": g["_position"]})
            for g in doc.groups
        ]
        await self.upsert("groups", Group, groups)
        await self.upsert("places", Place, [(r["key"], self._place(r)) for r in doc.places])
        await self.upsert("contacts", Contact, [(r["key"], self._contact(r)) for r in doc.contacts])
        await self.upsert(
            "legs", Leg, [self._leg(r) for r in doc.legs], attrgetter("groups_key", "date_from")
        )
        people = [(r["key"], self._participant(r)) for r in doc.participants]
        await self._release_invites(people)
        await self.upsert("participants", Participant, people)
        await self._events(now)
        await self.upsert("faq", Faq, [(r["key"], self._faq(r)) for r in doc.faq])
        await self._aliases()
        await session.flush()
        # Rows that others point at go last, a kind at a time: the unit of work does not order
        # deletes by foreign keys that no relationship declares (an event's contact, a leg's
        # hotel), and a different programme replaces every row.
        kinds: dict[type[Base], list[Base]] = {}
        for row in reversed(self.stale):
            kinds.setdefault(type(row), []).append(row)
        for rows in kinds.values():
            for row in rows:
                await session.delete(row)
            await session.flush()
        if self.result.changed:
            programme.revision += 1
            for change in self.result.changes:
                change.revision = programme.revision
            await session.flush()
        self.result.revision = programme.revision
        return self.result

    async def _release_invites(self, people: list[tuple[str, dict[str, Any]]]) -> None:
        """Take each invite code from the participant holding it when another now has it.

        The hash column is unique and checked row by row, so a code that moves (its
        participant's key renamed, two codes swapped, a code given to someone else) must
        leave its old row before any row takes it; removed rows are deleted only at the end.
        """
        owners = {values["invite_hash"]: key for key, values in people if "invite_hash" in values}
        if not owners:
            return
        holders = await self.session.scalars(
            select(Participant).where(Participant.invite_hash.in_(list(owners)))
        )
        moved = False
        for row in holders:
            if owners[row.invite_hash] != row.key:
                row.invite_hash = None
                moved = True
        if moved:
            await self.session.flush()

    def _place(self, r: dict[str, Any]) -> dict[str, Any]:
        return {
            "key": r["key"],
            "name": r["name"],
            "address": r.get("address"),
            "city": r.get("city"),
            "lat": r.get("lat"),
            "lon": r.get("lon"),
            "timezone": r.get("timezone"),
            "kind": r.get("kind"),
            "notes": r.get("notes", {}),
            "position": r["_position"],
        }

    def _contact(self, r: dict[str, Any]) -> dict[str, Any]:
        return {
            "key": r["key"],
            "name": r["name"],
            "role": r.get("role", {}),
            "phone": r.get("phone"),
            "email": r.get("email"),
            "telegram": r.get("telegram"),
            "languages": r.get("languages", []),
            "groups": r.get("groups", []),
            "kind": r.get("kind"),
            "position": r["_position"],
        }

    def _leg(self, r: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        groups = sorted(r.get("groups", []))
        values = {
            "groups_key": ",".join(groups),
            "groups": r.get("groups", []),
            "city": r["city"],
            "date_from": r["from"],
            "date_to": r["to"],
            "hotel_key": r.get("hotel"),
            "position": r["_position"],
        }
        return (values["groups_key"], r["from"]), values

    def _participant(self, r: dict[str, Any]) -> dict[str, Any]:
        values = {
            "key": r["key"],
            "name": r["name"],
            "country": r.get("country"),
            "language": r.get("language") or self.doc.programme["default_language"],
            "group_key": r.get("group"),
            "phone": r.get("phone"),
            "email": r.get("email"),
            "position": r["_position"],
        }
        # A file without the code (an export, say) keeps the stored hash.
        if r.get("invite_code"):
            values["invite_hash"] = hash_invite(r["invite_code"], self.secret)
        return values

    def _faq(self, r: dict[str, Any]) -> dict[str, Any]:
        return {
            "key": r["key"],
            "question": r["question"],
            "answer": r["answer"],
            "position": r["_position"],
        }

    async def _events(self, now: datetime) -> None:
        existing = {e.key: e for e in await self.session.scalars(select(Event))}
        self._check_order("events", existing, [r["key"] for r in self.doc.events])
        for r in self.doc.events:
            timezone = _event_timezone(r, self.doc)
            values = {
                "key": r["key"],
                "title": r["title"],
                "start": _instant(r["start"], timezone),
                "end": _instant(r["end"], timezone),
                "timezone": timezone,
                "timezone_given": r.get("timezone"),
                "place_key": r.get("place"),
                "groups": r.get("groups", []),
                "kind": r.get("kind"),
                "contact_key": r.get("contact"),
                "dress": r.get("dress"),
                "description": r.get("description", {}),
                "status": r.get("status", "scheduled"),
                "position": r["_position"],
            }
            event = existing.pop(r["key"], None)
            if event is None:
                event = Event(**values, version=1)
                self.session.add(event)
                self._count(self.result.added, "events")
                self._log(event, "added", [], None, event_snapshot(event), now)
                continue
            # Renumbering after an event is added or removed above is no change to tell about.
            event.position = values["position"]
            before = event_snapshot(event)
            if edits := _assign(event, _without_position(values)):
                self.result.edits[event.key] = edits
                event.version += 1
                self._count(self.result.updated, "events")
                after = event_snapshot(event)
                self._log(
                    event,
                    "changed",
                    diff_snapshots(before, after) or ["details"],
                    before,
                    after,
                    now,
                )
        for event in existing.values():
            event.version += 1
            self._log(event, "removed", [], event_snapshot(event), None, now)
            self.stale.append(event)
            self._count(self.result.removed, "events")

    def _log(
        self,
        event: Event,
        kind: str,
        fields: list[str],
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        now: datetime,
    ) -> None:
        change = Change(
            event_key=event.key,
            version=event.version,
            kind=kind,
            fields=fields,
            details={"before": before, "after": after},
            revision=0,
            created_at=now,
        )
        self.session.add(change)
        self.result.changes.append(change)

    async def _aliases(self) -> None:
        wanted: list[tuple[str, str, str]] = []
        for target_type, records in (
            ("place", self.doc.places),
            ("contact", self.doc.contacts),
            ("event", self.doc.events),
        ):
            for r in records:
                wanted.extend((target_type, r["key"], text) for text in r.get("aliases", []))
        current = list(
            await self.session.execute(
                select(Alias.target_type, Alias.target_key, Alias.text).order_by(Alias.position)
            )
        )
        stored = [(str(t), str(k), str(text)) for t, k, text in current]
        if stored == wanted:
            return
        # They are replaced wholesale, but counted one by one: a first import adds them all,
        # an edit adds or removes a few, and only a new order alone is an update.
        added = sum((Counter(wanted) - Counter(stored)).values())
        removed = sum((Counter(stored) - Counter(wanted)).values())
        if added:
            self.result.added["aliases"] = added
        if removed:
            self.result.removed["aliases"] = removed
        if not added and not removed:
            self._count(self.result.updated, "aliases")
        await self.session.execute(delete(Alias))
        self.session.add_all(
            Alias(target_type=t, target_key=k, text=text, position=i)
            for i, (t, k, text) in enumerate(wanted)
        )


async def import_programme(
    session: AsyncSession, doc: ProgrammeDoc, *, invite_secret: str, now: datetime
) -> ImportResult:
    """Bring the store in line with ``doc`` inside the caller's transaction."""
    try:
        return await _Importer(session, doc, invite_secret).run(now)
    except DBAPIError as exc:
        if not _refused(exc):
            raise
        # The validator mirrors the store's rules, so this is a gap in it; still, staff get
        # a sentence, and the caller's transaction rolls everything back.
        words = exc.orig.args[0] if exc.orig.args else exc.orig
        reason = " ".join(str(words).split())[:200]
        raise ProgrammeError([f"{doc.source}: the store refused the programme ({reason})"]) from exc


def _refused(exc: DBAPIError) -> bool:
    """Whether the database refused the data itself, not the connection or the statement."""
    if isinstance(exc, IntegrityError | DataError):
        return True
    # asyncpg's errors reach SQLAlchemy untranslated; their SQLSTATE class says it: 22 is
    # a data exception (a text too long, a NUL), 23 an integrity constraint violation.
    state = str(getattr(exc.orig, "sqlstate", None) or "")
    return state[:2] in ("22", "23")
