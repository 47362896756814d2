"""Validation of programme files (format v1) into plain, checked records."""

from __future__ import annotations

import re
import reprlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import yaml
from babel import Locale, UnknownLocaleError
from sqlalchemy.orm import InstrumentedAttribute

from bot.programme.invites import normalise_code
from bot.store.models import (
    Alias,
    Contact,
    Event,
    Faq,
    Group,
    Leg,
    Participant,
    Place,
    Programme,
)
from bot.yamlio import load_document

EVENT_KINDS = ("meeting", "site-visit", "travel", "meal", "cultural", "free", "logistics")
EVENT_STATUSES = ("scheduled", "cancelled")
SECTIONS = ("groups", "places", "legs", "contacts", "participants", "events", "faq")

# Larger files are refused unread: a programme of a thousand people is well under 1 MB.
MAX_FILE_BYTES = 4 * 1024 * 1024
# Dates a programme may use; beyond them timezone arithmetic overflows, and a year such as
# 0001 or 9999 is a typing mistake anyway.
FIRST_YEAR, LAST_YEAR = 2000, 2100
# Problems listed one by one; more are counted. A broken file can have thousands.
MAX_PROBLEMS = 100
# How much of a value a message quotes: messages stay short whatever the file holds.
SHOWN_CHARS = 60


class ProgrammeError(Exception):
    """A programme file that does not validate; carries the problems found (and their count)."""

    def __init__(self, problems: list[str], total: int | None = None) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
        self.total = len(problems) if total is None else total


class _Invalid(Exception):
    """One field's value is not what the format expects."""


@dataclass(frozen=True)
class Location:
    """Where a problem is, by structure: a section, an item's index in it, a field, a part."""

    section: str | None = None
    index: int | None = None
    field: str | None = None
    # A translatable text's language code.
    part: str | None = None


# Names a problem's place in the file it was read from (a spreadsheet's cell), or None.
Locator = Callable[[Location], str | None]


@dataclass
class ProgrammeDoc:
    """A validated programme: each section a list of records keyed by field name."""

    programme: dict[str, Any]
    groups: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)
    legs: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    participants: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    faq: list[dict[str, Any]] = field(default_factory=list)
    # Where it was read from, to name in errors found later, when it is imported.
    source: str = "<programme>"


# ---- showing values in messages: short, whatever the file holds ----

_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxset = 2, 4, 4, 4
_REPR.maxstring = _REPR.maxother = SHOWN_CHARS


def _cut(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def _shown(value: Any) -> str:
    """Return a value as a message quotes it: at most a short prefix, never the whole."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        # Quote a prefix only: the repr of a long text would be built whole first.
        return _cut(repr(value[: SHOWN_CHARS + 1]))
    if isinstance(value, int) and value.bit_length() > 128:
        return "a number of more than 38 digits"
    return _cut(_REPR.repr(value))


def _name(value: Any) -> str:
    """Return a key of the file as a location shows it, cut short."""
    return _cut(str(value)) if isinstance(value, str | int) else _shown(value)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bytes):
        return "binary data"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"the number {_shown(value)}"
    return _shown(value)


# ---- value converters: each returns the clean value or raises _Invalid ----

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOCAL = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ().\-]*$")
# Control characters (tab and newline aside) and lone surrogates: invisible in messages,
# and PostgreSQL refuses NUL in any text.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# What the `start` parameter of a Telegram deep link may carry; an invite code travels in one.
_DEEP_LINK = re.compile(r"[A-Za-z0-9_-]")
DEEP_LINK_MAX = 64


def _clean(text: str) -> str:
    if bad := _CONTROL.search(text):
        raise _Invalid(f"contains the control character U+{ord(bad.group()):04X}")
    text = text.strip()
    if not text:
        raise _Invalid("expected non-empty text")
    return text


def _string(value: Any) -> str:
    """Human text (names, titles, addresses): a number there is a mistake, not a name."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise _Invalid(
            f"expected text, got {_describe(value)} (put it in quotes if it is meant as text)"
        )
    if not isinstance(value, str):
        raise _Invalid(f"expected text, got {_describe(value)}")
    return _clean(value)


def _token(value: Any) -> str:
    """Text that may be written as a plain number: keys, phone numbers, invite codes."""
    if isinstance(value, int) and not isinstance(value, bool):
        # The reader keeps any number not written in plain decimals as text, so this is it.
        return str(value)
    if not isinstance(value, str):
        raise _Invalid(f"expected text, got {_describe(value)}")
    return _clean(value)


def _key(value: Any) -> str:
    text = _token(value)
    if not _KEY.match(text):
        raise _Invalid(f"expected a key of letters, digits, '-', '_' or '.', got {_shown(text)}")
    return text


def _language(value: Any) -> str:
    code = _string(value)
    if not _known_language(code):
        raise _Invalid(
            f"unknown language {_shown(code)}: expected a language code such as en, es, ar"
        )
    return code


@cache
def _known_language(code: str) -> bool:
    # Cached: every translated text names its languages, and babel parses slowly.
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def _languages(value: Any) -> list[str]:
    return [_language(item) for item in _list(value)]


def _timezone(value: Any) -> str:
    name = _string(value)
    if name not in timezones():
        raise _Invalid(
            f"unknown timezone {_shown(name)}: expected an IANA name such as America/New_York"
        )
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise _Invalid(f"unknown timezone {_shown(name)}") from None
    return name


@cache
def timezones() -> frozenset[str]:
    """The IANA time zone names a programme may use."""
    return frozenset(available_timezones())


def _in_years(day: date, value: Any) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _Invalid(
            f"expected a date in the years {FIRST_YEAR} to {LAST_YEAR}, got {_shown(value)}"
        )


def _not_on_calendar(text: str, exc: ValueError) -> _Invalid:
    return _Invalid(f"{_shown(text)} is not a date on the calendar ({exc})")


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        _in_years(value, value)
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            day = date.fromisoformat(text)
        except ValueError as exc:
            if _DAY.match(text):
                raise _not_on_calendar(text, exc) from None
        else:
            _in_years(day, text)
            return day
    raise _Invalid(f"expected a date YYYY-MM-DD, got {_describe(value)}")


def _local_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            # The offset would be dropped silently: local times take their zone from
            # `timezone`, the place or the programme.
            raise _Invalid(
                f"expected a local time without a UTC offset, got {_shown(value)}; "
                "give the timezone in `timezone` instead"
            )
        _in_years(value, value)
        return value
    if isinstance(value, str) and _LOCAL.match(value.strip()):
        text = value.strip()
        try:
            moment = datetime.fromisoformat(text.replace("T", " "))
        except ValueError as exc:
            raise _not_on_calendar(text, exc) from None
        _in_years(moment, text)
        return moment
    raise _Invalid(f"expected a local time 'YYYY-MM-DD HH:MM', got {_describe(value)}")


def _hhmm(value: Any) -> str:
    if isinstance(value, str) and _HHMM.match(value.strip()):
        return value.strip()
    raise _Invalid(f'expected a time "HH:MM", got {_describe(value)}')


def _number(low: float, high: float) -> Callable[[Any], float]:
    def convert(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Invalid(f"expected a number, got {_describe(value)}")
        # Compared before converting: a huge integer does not fit in a float.
        if not low <= value <= high:
            raise _Invalid(f"expected a number between {low:g} and {high:g}, got {_shown(value)}")
        return float(value)

    return convert


def _phone(value: Any) -> str:
    text = _token(value)
    if not _PHONE.match(text):
        raise _Invalid(f"expected a phone number (E.164 or a short code), got {_shown(text)}")
    return text


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        text = _string(value)
        if text not in options:
            raise _Invalid(f"expected one of {', '.join(options)}, got {_shown(text)}")
        return text

    return convert


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise _Invalid(f"expected a list, got {_describe(value)}")
    return value


def _strings(value: Any) -> list[str]:
    return [_string(item) for item in _list(value)]


def _keys(value: Any) -> list[str]:
    return [_key(item) for item in _list(value)]


@dataclass(frozen=True)
class _Field:
    convert: Callable[[Any], Any]
    required: bool = False
    translatable: bool = False
    ref: str | None = None  # section whose key this field names
    # The store's column the value (each item, for a list) goes to: its length is the limit.
    column: InstrumentedAttribute[Any] | None = None
    # The most characters that column holds, if it has a limit (read once: it is asked often).
    limit: int | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.column is not None:
            object.__setattr__(self, "limit", getattr(self.column.type, "length", None))


def _text(required: bool = False) -> _Field:
    # Translated texts are stored as JSON, which has no length limit.
    return _Field(_string, required, translatable=True)


SCHEMA: dict[str, dict[str, _Field]] = {
    "programme": {
        "key": _Field(_key, True, column=Programme.key),
        "title": _text(True),
        "organizer": _Field(_string, column=Programme.organizer),
        "default_language": _Field(_language, True, column=Programme.default_language),
        # Any of them may become a participant's chosen language.
        "languages": _Field(_languages, True, column=Participant.chosen_language),
        "timezone": _Field(_timezone, True, column=Programme.timezone),
        "start": _Field(_date, True),
        "end": _Field(_date, True),
        "daily_agenda_time": _Field(_hhmm, column=Programme.daily_agenda_time),
        "help_email": _Field(_string, column=Programme.help_email),
    },
    "groups": {
        "key": _Field(_key, True, column=Group.key),
        "name": _Field(_string, True, column=Group.name),
    },
    "places": {
        "key": _Field(_key, True, column=Place.key),
        "name": _Field(_string, True, column=Place.name),
        "address": _Field(_string, column=Place.address),
        "city": _Field(_string, column=Place.city),
        "lat": _Field(_number(-90, 90)),
        "lon": _Field(_number(-180, 180)),
        "timezone": _Field(_timezone, column=Place.timezone),
        "kind": _Field(_string, column=Place.kind),
        "notes": _text(),
        "aliases": _Field(_strings, column=Alias.text),
    },
    "legs": {
        # Each key fits; all of them, joined, must fit Leg.groups_key (checked apart).
        "groups": _Field(_keys, ref="groups", column=Group.key),
        "city": _Field(_string, True, column=Leg.city),
        "from": _Field(_date, True),
        "to": _Field(_date, True),
        "hotel": _Field(_key, ref="places", column=Leg.hotel_key),
    },
    "contacts": {
        "key": _Field(_key, True, column=Contact.key),
        "name": _Field(_string, True, column=Contact.name),
        "role": _text(),
        "phone": _Field(_phone, column=Contact.phone),
        "email": _Field(_string, column=Contact.email),
        "telegram": _Field(_string, column=Contact.telegram),
        "languages": _Field(_languages),
        "groups": _Field(_keys, ref="groups", column=Group.key),
        "kind": _Field(_string, column=Contact.kind),
        "aliases": _Field(_strings, column=Alias.text),
    },
    "participants": {
        "key": _Field(_key, True, column=Participant.key),
        "name": _Field(_string, True, column=Participant.name),
        "country": _Field(_string, column=Participant.country),
        "language": _Field(_language, column=Participant.language),
        "group": _Field(_key, ref="groups", column=Participant.group_key),
        # Stored as a hash; the deep link bounds its length (checked apart).
        "invite_code": _Field(_token),
        "phone": _Field(_phone, column=Participant.phone),
        "email": _Field(_string, column=Participant.email),
    },
    "events": {
        "key": _Field(_key, True, column=Event.key),
        "title": _text(True),
        "start": _Field(_local_datetime, True),
        "end": _Field(_local_datetime, True),
        "place": _Field(_key, ref="places", column=Event.place_key),
        "timezone": _Field(_timezone, column=Event.timezone_given),
        "groups": _Field(_keys, ref="groups", column=Group.key),
        "kind": _Field(_choice(EVENT_KINDS), column=Event.kind),
        "contact": _Field(_key, ref="contacts", column=Event.contact_key),
        "dress": _Field(_string, column=Event.dress),
        "description": _text(),
        "status": _Field(_choice(EVENT_STATUSES), column=Event.status),
        "aliases": _Field(_strings, column=Alias.text),
    },
    "faq": {
        "key": _Field(_key, True, column=Faq.key),
        "question": _text(True),
        "answer": _text(True),
    },
}


class _Validator:
    """Collects every problem of one file instead of stopping at the first."""

    def __init__(self, source: str, locate: Locator | None = None) -> None:
        self.source = source
        self.locate = locate
        self.problems: list[str] = []
        self.total = 0
        self.default_language = "en"

    def problem(self, where: str, message: str, at: Location | None = None) -> None:
        self.total += 1
        if len(self.problems) < MAX_PROBLEMS:
            if self.locate is not None and at is not None:
                where = self.locate(at) or where
            self.problems.append(f"{self.source}: {where}: {message}")

    def fail(self) -> ProgrammeError:
        """Return the error listing the problems, the first ones when there are many."""
        problems = list(self.problems)
        if self.total > len(problems):
            problems.append(
                f"{self.source}: and {self.total - len(problems)} more problems, "
                "not listed; fix these first"
            )
        return ProgrammeError(problems, self.total)

    def length(self, text: str, limit: int | None, where: str, at: Location | None = None) -> bool:
        """Check that a text fits its column (SQLite would store it, PostgreSQL not)."""
        if limit is not None and len(text) > limit:
            self.problem(where, f"longer than {limit} characters ({len(text)})", at)
            return False
        return True

    def translatable(self, value: Any, where: str, at: Location) -> dict[str, str] | None:
        if isinstance(value, dict):
            texts: dict[str, str] = {}
            for code, text in value.items():
                try:
                    texts[_language(code)] = _string(text)
                except _Invalid as exc:
                    part = Location(at.section, at.index, at.field, str(code))
                    self.problem(f"{where}.{_name(code)}", str(exc), part)
            if not texts:
                self.problem(where, "expected text or a mapping of language code to text", at)
                return None
            return texts
        try:
            return {self.default_language: _string(value)}
        except _Invalid as exc:
            self.problem(where, str(exc), at)
            return None

    def fits(self, value: Any, limit: int | None, where: str, at: Location) -> bool:
        """Whether a converted value (a text, or a list of texts) fits its column."""
        if isinstance(value, str):
            return self.length(value, limit, where, at)
        if isinstance(value, list):
            return all(
                [
                    self.length(item, limit, f"{where}[#{index + 1}]", at)
                    for index, item in enumerate(value)
                ]
            )
        return True

    def record(self, data: Any, section: str, where: str, index: int = 0) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.problem(
                where, f"expected a mapping, got {_describe(data)}", Location(section, index)
            )
            return None
        spec = SCHEMA[section]
        record: dict[str, Any] = {}
        for name in data:
            if name not in spec:
                self.problem(
                    f"{where}.{_name(name)}",
                    f"unknown key; expected one of {', '.join(spec)}",
                    Location(section, index, str(name)),
                )
        for name, rule in spec.items():
            value = data.get(name)
            at = Location(section, index, name)
            if value is None:
                if rule.required:
                    self.problem(f"{where}.{name}", "missing required field", at)
                continue
            if rule.translatable:
                text = self.translatable(value, f"{where}.{name}", at)
                if text is not None:
                    record[name] = text
                continue
            try:
                converted = rule.convert(value)
            except _Invalid as exc:
                self.problem(f"{where}.{name}", str(exc), at)
                continue
            if self.fits(converted, rule.limit, f"{where}.{name}", at):
                record[name] = converted
        return record


def _label(section: str, index: int, data: Any) -> str:
    if isinstance(data, dict) and isinstance(data.get("key"), str | int) and section != "legs":
        return f"{section}[{_name(data['key'])}]"
    if section == "legs" and isinstance(data, dict) and data.get("from") is not None:
        groups = data.get("groups")
        who = _cut(",".join(map(_name, groups))) if isinstance(groups, list) else "everyone"
        return f"legs[#{index + 1} {who} from {_name(data['from'])}]"
    return f"{section}[#{index + 1}]"


def validate(
    raw: Any,
    source: str = "<programme>",
    locate: Locator | None = None,
    earlier: Sequence[tuple[str, str]] = (),
) -> ProgrammeDoc:
    """Check a parsed programme file and return its records, or raise with every problem.

    ``locate`` names where each problem is in the file the document was read from;
    ``earlier`` are problems (where, what) found while reading it, listed first.
    """
    v = _Validator(source, locate)
    for where, message in earlier:
        v.problem(where, message)
    if not isinstance(raw, dict):
        raise ProgrammeError([f"{source}: expected a mapping at the top level"])
    allowed = {"version", "programme", *SECTIONS}
    for name in raw:
        if name not in allowed:
            v.problem(
                _name(name),
                f"unknown key; expected one of {', '.join(sorted(allowed))}",
                Location(str(name)),
            )
    version = raw.get("version")
    if version != 1 or isinstance(version, bool):
        v.problem("version", f"expected 1, got {_describe(version)}")
    head = raw.get("programme")
    if isinstance(head, dict) and isinstance(head.get("default_language"), str):
        v.default_language = head["default_language"]
    programme = v.record(head, "programme", "programme") if head is not None else None
    if head is None:
        v.problem("programme", "missing required field", Location("programme"))
    programme = programme or {}
    programme.setdefault("daily_agenda_time", "07:00")

    doc = ProgrammeDoc(programme=programme, source=source)
    for section in SECTIONS:
        items = raw.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            v.problem(section, f"expected a list, got {_describe(items)}", Location(section))
            continue
        getattr(doc, section).extend(_records(v, section, items))
    _check_references(v, doc)
    _check_ranges(v, doc)
    _check_languages(v, doc)
    _check_invites(v, doc)
    _check_store_keys(v, doc)
    if v.total:
        raise v.fail()
    return doc


def _records(v: _Validator, section: str, items: list[Any]) -> list[dict[str, Any]]:
    """The valid items of a section, each with its label and position; duplicates refused."""
    records: list[dict[str, Any]] = []
    keys: dict[Any, str] = {}
    for index, data in enumerate(items):
        label = _label(section, index, data)
        record = v.record(data, section, label, index)
        if record is None:
            continue
        identity = _identity(section, record)
        if identity is not None:
            if identity in keys:
                at = Location(section, index, "from" if section == "legs" else "key")
                v.problem(label, f"duplicate key; already used by {keys[identity]}", at)
                continue
            keys[identity] = label
        record["_label"] = label
        record["_position"] = index
        records.append(record)
    return records


def _identity(section: str, record: dict[str, Any]) -> Any:
    """Return what matches an item across imports (legs: groups and first night)."""
    if section == "legs":
        if "from" not in record:
            return None
        return (tuple(sorted(record.get("groups", []))), record["from"])
    return record.get("key")


def _check_references(v: _Validator, doc: ProgrammeDoc) -> None:
    known = {
        section: {r["key"] for r in getattr(doc, section) if "key" in r} for section in SECTIONS
    }
    for section in SECTIONS:
        for record in getattr(doc, section):
            for name, rule in SCHEMA[section].items():
                if rule.ref is None or name not in record:
                    continue
                values = record[name] if isinstance(record[name], list) else [record[name]]
                for value in values:
                    if value not in known[rule.ref]:
                        v.problem(
                            f"{record['_label']}.{name}",
                            f"refers to {rule.ref} key {_shown(value)}, which does not exist",
                            Location(section, record["_position"], name),
                        )


def _check_store_keys(v: _Validator, doc: ProgrammeDoc) -> None:
    """Check what the store keeps unique or joined, beyond single fields."""
    limit = Leg.groups_key.type.length
    for leg in doc.legs:
        # A leg's groups are stored joined, as part of its identity.
        joined = ",".join(sorted(leg.get("groups", [])))
        if limit is not None and len(joined) > limit:
            v.problem(
                f"{leg['_label']}.groups",
                f"longer than {limit} characters together, with commas ({len(joined)})",
                Location("legs", leg["_position"], "groups"),
            )
    for section in ("places", "contacts", "events"):
        for record in getattr(doc, section):
            # An item's aliases are stored one per row, each once.
            seen: set[str] = set()
            for index, alias in enumerate(record.get("aliases", [])):
                if alias in seen:
                    v.problem(
                        f"{record['_label']}.aliases[#{index + 1}]",
                        f"{_shown(alias)} is listed twice",
                        Location(section, record["_position"], "aliases"),
                    )
                seen.add(alias)


def _check_ranges(v: _Validator, doc: ProgrammeDoc) -> None:
    start, end = doc.programme.get("start"), doc.programme.get("end")
    if start and end and end < start:
        v.problem(
            "programme.end", f"end {end} is before start {start}", Location("programme", 0, "end")
        )
    languages = doc.programme.get("languages", [])
    default = doc.programme.get("default_language")
    if default and languages and default not in languages:
        v.problem(
            "programme.languages",
            f"expected to include the default language {default!r}",
            Location("programme", 0, "languages"),
        )

    def inside(day: date, record: dict[str, Any], section: str, name: str) -> None:
        if start and end and not start <= day <= end:
            v.problem(
                f"{record['_label']}.{name}",
                f"date {day} is outside the programme ({start} to {end})",
                Location(section, record["_position"], name),
            )

    for leg in doc.legs:
        if "from" in leg and "to" in leg:
            if leg["to"] < leg["from"]:
                v.problem(
                    f"{leg['_label']}.to",
                    f"end {leg['to']} is before start {leg['from']}",
                    Location("legs", leg["_position"], "to"),
                )
            inside(leg["from"], leg, "legs", "from")
            inside(leg["to"], leg, "legs", "to")
    for event in doc.events:
        if "start" in event and "end" in event:
            if event["end"] < event["start"]:
                v.problem(
                    f"{event['_label']}.end",
                    f"end {event['end']:%Y-%m-%d %H:%M} is before start "
                    f"{event['start']:%Y-%m-%d %H:%M}",
                    Location("events", event["_position"], "end"),
                )
            inside(event["start"].date(), event, "events", "start")
            inside(event["end"].date(), event, "events", "end")


def _check_languages(v: _Validator, doc: ProgrammeDoc) -> None:
    """A participant's language must be one the programme speaks: messages go out in it."""
    languages = doc.programme.get("languages")
    if not languages:
        return
    for person in doc.participants:
        code = person.get("language")
        if code is not None and code not in languages:
            v.problem(
                f"{person['_label']}.language",
                f"language {code!r} is not one of the programme's languages "
                f"({', '.join(languages)})",
                Location("participants", person["_position"], "language"),
            )


def _deep_link_problem(code: str) -> str | None:
    """Why a code cannot be the `start` of a Telegram deep link, if it cannot."""
    wrong = sorted({ch for ch in code if not _DEEP_LINK.fullmatch(ch)})
    if wrong:
        # Name the characters, not the code: the error output is not the place for codes.
        shown = ", ".join(repr(ch) for ch in wrong[:5]) + (", …" if len(wrong) > 5 else "")
        return (
            f"contains {shown}, which a Telegram link cannot carry; "
            "use only letters A-Z, digits, '-' and '_'"
        )
    if len(code) > DEEP_LINK_MAX:
        return f"is {len(code)} characters long; a Telegram link carries at most {DEEP_LINK_MAX}"
    return None


def _check_invites(v: _Validator, doc: ProgrammeDoc) -> None:
    owners: dict[str, str] = {}
    for person in doc.participants:
        code = person.get("invite_code")
        if code is None:
            continue
        normal = normalise_code(code)
        where = f"{person['_label']}.invite_code"
        at = Location("participants", person["_position"], "invite_code")
        if problem := _deep_link_problem(code):
            v.problem(where, f"invite code {problem}", at)
        elif len(normal) < 6:
            v.problem(where, "expected at least 6 letters or digits", at)
        elif normal in owners:
            v.problem(where, f"duplicate invite code; also {owners[normal]}", at)
        else:
            owners[normal] = person["_label"]


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """Return a file's bytes, refusing one larger than ``limit`` before reading it all."""
    source = str(path)
    try:
        with path.open("rb") as stream:
            # One byte more than allowed tells a file at the limit from a larger one
            # (or an endless one such as /dev/zero) without reading it all.
            data = stream.read(limit + 1)
    except OSError as exc:
        raise ProgrammeError([f"{source}: cannot read: {exc.strerror or exc}"]) from None
    check_size(data, source, limit)
    return data


def check_size(data: bytes, source: str, limit: int = MAX_FILE_BYTES) -> None:
    """Refuse content larger than ``limit``: no programme comes near it."""
    if len(data) > limit:
        raise ProgrammeError(
            [
                f"{source}: larger than {limit // (1024 * 1024)} MB; "
                "a programme file is far smaller (is this the right file?)"
            ]
        )


def decode_text(data: bytes, source: str) -> str:
    """Return a YAML file's text, refusing what is not UTF-8 before parsing it."""
    check_size(data, source)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ProgrammeError([f"{source}: UTF-16 text; save the file as UTF-8"])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ProgrammeError(
            [f"{source}: line {line}: not UTF-8 text ({exc.reason}; is this a binary file?)"]
        ) from None


def load_file(path: Path) -> ProgrammeDoc:
    """Read and validate a programme file, raising ProgrammeError with every problem."""
    return load_text(decode_text(read_bytes(path), str(path)), str(path))


def load_text(text: str, source: str = "<programme>") -> ProgrammeDoc:
    """Parse and validate a programme's text, raising ProgrammeError with every problem."""
    try:
        raw = load_document(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
        reason = getattr(exc, "problem", None) or str(exc)
        context, near = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and near and mark:
            reason = f"{reason} ({context} on line {near.line + 1})"
        # The parser's own messages may quote the file: one line, and short.
        reason = " ".join(str(reason).split())
        reason = reason if len(reason) <= 200 else reason[:200] + "…"
        raise ProgrammeError([f"{source}: {where}: not valid YAML: {reason}"]) from None
    return validate(raw, source)


def field_shape(section: str, name: str) -> str:
    """What kind of value a field holds: text, list, date, datetime, time, number or texts."""
    rule = SCHEMA[section][name]
    if rule.translatable:
        return "texts"
    shapes: dict[Callable[[Any], Any], str] = {
        _date: "date",
        _local_datetime: "datetime",
        _hhmm: "time",
        _languages: "list",
        _strings: "list",
        _keys: "list",
    }
    if rule.convert in shapes:
        return shapes[rule.convert]
    # Each number field has its own converter (its bounds); they share their qualified name.
    if rule.convert.__qualname__ == _number(0, 0).__qualname__:
        return "number"
    return "text"
