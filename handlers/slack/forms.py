"""Reading the staff console's forms: a submitted view's state and metadata, as values."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

from bot.staff.audience import Audience
from bot.staff.schedule import Edit
from handlers.slack.ids import TRANSLATION, Choice, Input

State = dict[str, dict[str, Any]]


def state(view: dict[str, Any]) -> State:
    """Each input's element state by block id (every element's action id is its block id)."""
    values = view.get("state", {}).get("values", {})
    return {block: next(iter(actions.values()), {}) for block, actions in values.items()}


def input_ids(view: dict[str, Any]) -> set[str]:
    """The block ids of a view's blocks (errors can only be shown on inputs)."""
    return {b.get("block_id", "") for b in view.get("blocks", [])}


def meta(view: dict[str, Any] | None) -> dict[str, Any]:
    """A view's private metadata as a dict; empty when missing or garbled."""
    text = (view or {}).get("private_metadata")
    try:
        found = json.loads(text) if isinstance(text, str) and text else None
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def encode(**values: Any) -> str:
    """Private metadata for a view (Slack keeps at most 3,000 characters)."""
    return json.dumps({k: v for k, v in values.items() if v is not None}, separators=(",", ":"))


def number(value: object) -> int | None:
    """An id kept in metadata or a button; None if it was tampered with."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def event_meta(found: dict[str, Any]) -> tuple[str, int] | None:
    """The event key and version kept in the edit modal; None if missing or garbled."""
    key, version = found.get("key"), number(found.get("version"))
    return (key, version) if isinstance(key, str) and version is not None else None


def selected(s: State, block: str) -> str | None:
    """The value of a single select or radio group."""
    chosen = (s.get(block) or {}).get("selected_option")
    return chosen.get("value") if chosen else None


def selected_many(s: State, block: str) -> list[str]:
    """The values of a multi-select or checkboxes."""
    return [o["value"] for o in (s.get(block) or {}).get("selected_options") or []]


def text(s: State, block: str) -> str:
    """A text input, trimmed."""
    return ((s.get(block) or {}).get("value") or "").strip()


def _parsed(parse: Callable[[str], Any], value: object) -> Any:
    """A date or time from a picker; None when empty or not one."""
    try:
        return parse(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def picked_day(s: State) -> date | None:
    """The date picked in the form."""
    return _parsed(date.fromisoformat, (s.get(Input.DAY) or {}).get("selected_date"))


def audience(s: State) -> Audience:
    """The audience a broadcast or check-in form names."""
    return Audience(
        selected(s, Input.KIND) or "",
        tuple(selected_many(s, Input.GROUPS)),
        selected(s, Input.CITY),
        picked_day(s),
        tuple(selected_many(s, Input.PARTICIPANTS)),
    )


def translations(s: State) -> dict[str, str]:
    """A broadcast's translations by language code."""
    return {b[len(TRANSLATION) :]: text(s, b) for b in s if b.startswith(TRANSLATION)}


def flags(s: State) -> set[str]:
    """The broadcast options ticked."""
    return set(selected_many(s, Input.FLAGS))


def drill(s: State) -> bool:
    """Whether a check-in is a drill (anything but an explicit "real" is)."""
    return selected(s, Input.MODE) != Choice.REAL


def edit(s: State) -> Edit:
    """What the event form asks to change."""
    return Edit(
        day=picked_day(s),
        start=_parsed(time.fromisoformat, (s.get(Input.START) or {}).get("selected_time")),
        end=_parsed(time.fromisoformat, (s.get(Input.END) or {}).get("selected_time")),
        place=selected(s, Input.PLACE),
        status=selected(s, Input.STATUS),
    )


def send_at(s: State) -> datetime | None:
    """The moment picked to send at, if any."""
    picked = (s.get(Input.SEND_AT) or {}).get("selected_date_time")
    if isinstance(picked, int | str) and str(picked).isdigit():
        return datetime.fromtimestamp(int(picked), UTC)
    return None


def action_value(action: dict[str, Any]) -> str:
    """The value of a clicked button or the option chosen in a select."""
    chosen = action.get("selected_option") or {}
    return str(action.get("value") or chosen.get("value") or "")
