"""What an import did, in lines a staff member reads after `python -m bot import`."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.programme.importer import ImportResult
from bot.store.models import Change

# Event columns a Change snapshot does not carry, by the name the programme file uses; the
# values of the short ones are shown, the others only named.
_OTHER_COLUMNS = {
    "kind": "kind",
    "contact_key": "contact",
    "dress": "dress",
    "description": "description",
    "timezone_given": "timezone as written",
}
_SHOWN_VALUES = ("kind", "contact_key", "dress", "timezone_given")
TITLE_WIDTH = 60


def summary(result: ImportResult) -> str:
    """Counts per section, each event added, removed or changed, and the new revision."""

    def counts(bucket: dict[str, int]) -> str:
        return ", ".join(f"{n} {name}" for name, n in bucket.items()) or "nothing"

    if not result.changed:
        return "No changes: the store already matches the file."
    lines = [
        f"Added: {counts(result.added)}",
        f"Updated: {counts(result.updated)}",
        f"Removed: {counts(result.removed)}",
    ]
    if result.reordered:
        lines.append(f"New order in the file: {', '.join(result.reordered)}")
    # A new programme's events are all new: listing them one by one would say nothing.
    if "programme" not in result.added and result.changes:
        lines.append("Events:")
        order = {"added": 0, "removed": 1, "changed": 2}
        for change in sorted(result.changes, key=lambda c: order.get(c.kind, 3)):
            lines.append(f"  {describe(change, result)}")
        lines.append(f"Event changes recorded: {len(result.changes)}")
    lines.append(f"Programme revision: {result.revision}")
    return "\n".join(lines)


def describe(change: Change, result: ImportResult) -> str:
    """One line: what happened to one event, its key and title, and each field old → new."""
    before, after = change.details.get("before"), change.details.get("after")
    shown = after or before or {}
    head = f"{change.kind} {change.event_key} {_quote(_title(shown.get('title'), result.language))}"
    if change.kind != "changed" or before is None or after is None:
        return f"{head} ({_when(shown)})" if shown else head
    parts = _snapshot_edits(before, after, result.language)
    for column, (old, new) in result.edits.get(change.event_key, {}).items():
        label = _OTHER_COLUMNS.get(column)
        if label is None:
            continue
        if column in _SHOWN_VALUES:
            parts.append(f"{label} {_value(old)} → {_value(new)}")
        else:
            parts.append(f"{label} changed")
    return f"{head}: {'; '.join(parts)}" if parts else head


def _snapshot_edits(before: dict[str, Any], after: dict[str, Any], language: str) -> list[str]:
    """The tracked fields that differ, old → new, times in each side's local time."""
    parts = []
    if before["status"] != after["status"]:
        parts.append(f"status {before['status']} → {after['status']}")
    for name in ("start", "end"):
        old, new = _local(before, name), _local(after, name)
        if old != new:
            same_day = old[:10] == new[:10]
            parts.append(f"{name} {old} → {new[11:] if same_day else new}")
    if before["timezone"] != after["timezone"]:
        parts.append(f"timezone {before['timezone']} → {after['timezone']}")
    if before["place"] != after["place"]:
        parts.append(f"place {_value(before['place'])} → {_value(after['place'])}")
    old_titles, new_titles = before["title"] or {}, after["title"] or {}
    for code in sorted({*old_titles, *new_titles}, key=lambda c: (c != language, c)):
        if old_titles.get(code) != new_titles.get(code):
            label = "title" if code == language else f"title[{code}]"
            parts.append(f"{label} {_quote(old_titles.get(code))} → {_quote(new_titles.get(code))}")
    if sorted(before["groups"]) != sorted(after["groups"]):
        parts.append(f"groups {_groups(before['groups'])} → {_groups(after['groups'])}")
    return parts


def _local(snapshot: dict[str, Any], name: str) -> str:
    """An instant of a snapshot as the event's local wall-clock time."""
    instant = datetime.fromisoformat(snapshot[name]).astimezone(ZoneInfo(snapshot["timezone"]))
    return f"{instant:%Y-%m-%d %H:%M}"


def _when(snapshot: dict[str, Any]) -> str:
    start, end = _local(snapshot, "start"), _local(snapshot, "end")
    span = f"{start}–{end[11:]}" if start[:10] == end[:10] else f"{start} – {end}"
    place = snapshot.get("place")
    return f"{span}, {place}" if place else span


def _title(title: dict[str, str] | None, language: str) -> str | None:
    if not title:
        return None
    return title.get(language) or next(iter(title.values()))


def _quote(text: str | None) -> str:
    if text is None:
        return "(none)"
    if len(text) > TITLE_WIDTH:
        text = text[: TITLE_WIDTH - 1].rstrip() + "…"
    return f'"{text}"'


def _groups(groups: list[str]) -> str:
    return ", ".join(groups) if groups else "everyone"


def _value(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    return str(value)
