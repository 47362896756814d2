"""Requests to /slack/events checked before Bolt sees them: the signature, then the shape."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import Any

from slack_bolt.request.internals import parse_body

# Slack's rule: a request signed further from now than this is a replay or a forgery.
MAX_SKEW_SECONDS = 300
TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"
# Fields that are strings wherever Slack sends them at the top of a request.
_TOP_STRINGS = (
    "type",
    "command",
    "text",
    "user_id",
    "channel_id",
    "team_id",
    "enterprise_id",
    "trigger_id",
    "response_url",
    "api_app_id",
    "token",
    "callback_id",
    "action_id",
    "block_id",
    "event_id",
    "thread_ts",
    "challenge",
)
_EVENT_STRINGS = (
    "type",
    "subtype",
    "text",
    "ts",
    "thread_ts",
    "event_ts",
    "bot_id",
    "channel_type",
    "team",
    "user_team",
)
_VIEW_STRINGS = (
    "id",
    "type",
    "callback_id",
    "private_metadata",
    "hash",
    "team_id",
    "app_installed_team_id",
    "root_view_id",
    "previous_view_id",
    "external_id",
)
_ELEMENT_STRINGS = (
    "type",
    "action_id",
    "block_id",
    "value",
    "action_ts",
    "selected_date",
    "selected_time",
)


class Malformed(ValueError):
    """A signed body that is not what Slack sends; the text names the field, not its value."""


def signed(secret: str, body: bytes, timestamp: str, signature: str, now: float) -> bool:
    """Whether ``body`` carries Slack's v0 signature under ``secret``, made near ``now``."""
    if not secret or not (timestamp.isascii() and timestamp.isdigit()):
        return False
    # In integers: a timestamp of a hundred digits is no float.
    if abs(int(now) - int(timestamp)) > MAX_SKEW_SECONDS:
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = b"v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest().encode()
    # Bytes on both sides: compare_digest refuses non-ASCII str, and a header may hold any.
    return hmac.compare_digest(expected, signature.encode("utf-8", "surrogateescape"))


def parse(body: bytes, content_type: str | None) -> tuple[str, dict[str, Any]]:
    """The body as text and as Bolt will read it, checked; ``Malformed`` if it is neither."""
    try:
        text = body.decode()
        # Bolt's own parser, so that what is checked is exactly what its listeners get.
        parsed: object = parse_body(text, content_type)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise Malformed(f"not readable ({type(exc).__name__})") from None
    return text, check(parsed)


def _object(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Malformed(f"{where} is not an object")
    return value


def _objects(value: object, where: str, *, empty: bool = True) -> list[dict[str, Any]]:
    if not isinstance(value, list) or (not empty and not value):
        raise Malformed(f"{where} is not a list of objects")
    return [_object(item, f"{where}[{i}]") for i, item in enumerate(value)]


def _strings(found: dict[str, Any], names: Iterable[str], where: str) -> None:
    for name in names:
        if found.get(name) is not None and not isinstance(found[name], str):
            raise Malformed(f"{where}{name} is not a string")


def _required(found: dict[str, Any], name: str, where: str) -> None:
    if not isinstance(found.get(name), str):
        raise Malformed(f"{where}{name} is not a string")


def _actor(value: object, where: str) -> None:
    """A team, user, channel or enterprise: an ID, or an object with a string ID."""
    if value is None or isinstance(value, str):
        return
    _strings(_object(value, where), ("id", "team_id", "name"), f"{where}.")


def _option(value: object, where: str) -> None:
    _required(_object(value, where), "value", f"{where}.")


def _element(state: dict[str, Any], where: str) -> None:
    """An input's state in a view, or an action taken in one."""
    _strings(state, _ELEMENT_STRINGS, where)
    if state.get("selected_option") is not None:
        _option(state["selected_option"], f"{where}selected_option")
    if state.get("selected_options") is not None:
        for i, option in enumerate(_objects(state["selected_options"], f"{where}selected_options")):
            _option(option, f"{where}selected_options[{i}]")
    picked = state.get("selected_date_time")
    if picked is not None and (not isinstance(picked, int | str) or isinstance(picked, bool)):
        raise Malformed(f"{where}selected_date_time is not a number")


def _view(value: object) -> None:
    view = _object(value, "view")
    _strings(view, _VIEW_STRINGS, "view.")
    if view.get("blocks") is not None:
        for i, block in enumerate(_objects(view["blocks"], "view.blocks")):
            _strings(block, ("type", "block_id"), f"view.blocks[{i}].")
            if block.get("element") is not None:
                element = _object(block["element"], f"view.blocks[{i}].element")
                _strings(element, ("type", "action_id"), f"view.blocks[{i}].element.")
                options = _objects(element.get("options") or [], f"view.blocks[{i}].options")
                for j, option in enumerate(options):
                    _option(option, f"view.blocks[{i}].element.options[{j}]")
    if view.get("state") is not None:
        state = _object(view["state"], "view.state")
        values = _object(state.get("values") or {}, "view.state.values")
        for block, actions in values.items():
            for action, state in _object(actions, f"view.state.values.{block}").items():
                where = f"view.state.values.{block}.{action}"
                _element(_object(state, where), f"{where}.")


def _event(value: object, where: str, *, nested: bool = False) -> None:
    event = _object(value, where)
    _strings(event, _EVENT_STRINGS, f"{where}.")
    for name in ("user", "channel", "item"):
        _actor(event.get(name), f"{where}.{name}")
    if not nested:
        for name in ("message", "previous_message"):
            if event.get(name) is not None:
                _event(event[name], f"{where}.{name}", nested=True)


def check(body: object) -> dict[str, Any]:
    """Return ``body`` if it has the shape Slack gives it where Bolt and the console read it."""
    found = _object(body, "the body")
    _parts(found)
    _kind(found)
    return found


def _parts(found: dict[str, Any]) -> None:
    """Every part a body may carry has its own shape."""
    _strings(found, _TOP_STRINGS, "")
    for name in ("team", "user", "channel", "enterprise"):
        _actor(found.get(name), name)
    for name in ("authorizations", "response_urls"):
        for i, item in enumerate(_objects(found.get(name) or [], name)):
            ids = ("team_id", "user_id", "enterprise_id", "response_url")
            _strings(item, ids, f"{name}[{i}].")
    for name in ("container", "item", "assistant_thread", "function_data", "state"):
        if found.get(name) is not None:
            _object(found[name], name)
    for name in ("message", "previous_message"):
        if found.get(name) is not None:
            _event(found[name], name, nested=True)
    if found.get("event") is not None:
        _event(found["event"], "event")
    if found.get("view") is not None:
        _view(found["view"])
    for i, action in enumerate(_objects(found.get("actions") or [], "actions")):
        _element(action, f"actions[{i}].")


def _kind(found: dict[str, Any]) -> None:
    """What each kind of request must name."""
    kind = found.get("type")
    if "command" in found:
        for name in ("command", "trigger_id", "response_url"):
            _required(found, name, "")
    if kind in ("view_submission", "view_closed", "block_actions"):
        # Interactions name the person acting; the console acts in their name.
        _required(_object(found.get("user"), "user"), "id", "user.")
    if kind in ("view_submission", "view_closed"):
        _object(found.get("view"), "view")
        _required(found["view"], "callback_id", "view.")
        _required(found["view"], "id", "view.")
    elif kind == "block_actions":
        for i, action in enumerate(_objects(found.get("actions"), "actions", empty=False)):
            _required(action, "action_id", f"actions[{i}].")
    elif kind == "event_callback":
        event = _object(found.get("event"), "event")
        _required(event, "type", "event.")
        if event["type"] == "message" and not event.get("subtype") and not event.get("bot_id"):
            # A person's message: the relay reads who wrote it, where and when.
            for name in ("user", "channel", "ts"):
                _required(event, name, "event.")
