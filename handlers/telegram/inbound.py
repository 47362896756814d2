"""Webhook bodies checked against the shape of a Telegram update before PTB parses them."""

from __future__ import annotations

from typing import Any

from telegram import Bot, Update

# Update fields holding a message, and fields holding a chat member change.
MESSAGE_FIELDS = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_message",
    "edited_business_message",
)
MEMBER_FIELDS = ("my_chat_member", "chat_member")
# Telegram sends a reply's own reply no deeper than this; anything deeper is made up.
MAX_REPLY_DEPTH = 3


class NotAnUpdate(ValueError):
    """A webhook body that is not a Telegram update; the text names the field, not its value."""


def _object(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise NotAnUpdate(f"{where} is not an object")
    return value


def _int(value: object, where: str, *, optional: bool = False) -> None:
    # bool is an int to Python, but never to Telegram.
    if optional and value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool):
        raise NotAnUpdate(f"{where} is not an integer")


def _str(value: object, where: str, *, optional: bool = True) -> None:
    if optional and value is None:
        return
    if not isinstance(value, str):
        raise NotAnUpdate(f"{where} is not a string")


def _user(value: object, where: str) -> None:
    user = _object(value, where)
    _int(user.get("id"), f"{where}.id")
    if not isinstance(user.get("is_bot", False), bool):
        raise NotAnUpdate(f"{where}.is_bot is not a boolean")
    for name in ("first_name", "last_name", "username", "language_code"):
        _str(user.get(name), f"{where}.{name}")


def _chat(value: object, where: str) -> None:
    chat = _object(value, where)
    _int(chat.get("id"), f"{where}.id")
    _str(chat.get("type"), f"{where}.type", optional=False)
    for name in ("title", "username", "first_name", "last_name"):
        _str(chat.get(name), f"{where}.{name}")


def _entities(value: object, where: str) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        raise NotAnUpdate(f"{where} is not a list")
    for i, item in enumerate(value):
        entity = _object(item, f"{where}[{i}]")
        _str(entity.get("type"), f"{where}[{i}].type", optional=False)
        _int(entity.get("offset"), f"{where}[{i}].offset")
        _int(entity.get("length"), f"{where}[{i}].length")


def _message(value: object, where: str, depth: int = 0) -> None:
    if depth > MAX_REPLY_DEPTH:
        raise NotAnUpdate(f"{where} is nested too deeply")
    message = _object(value, where)
    _int(message.get("message_id"), f"{where}.message_id")
    _int(message.get("date"), f"{where}.date")
    _chat(message.get("chat"), f"{where}.chat")
    for name in ("from", "via_bot"):
        if message.get(name) is not None:
            _user(message[name], f"{where}.{name}")
    if message.get("sender_chat") is not None:
        _chat(message["sender_chat"], f"{where}.sender_chat")
    for name in ("text", "caption", "media_group_id"):
        _str(message.get(name), f"{where}.{name}")
    for name in ("entities", "caption_entities"):
        _entities(message.get(name), f"{where}.{name}")
    if message.get("reply_to_message") is not None:
        _message(message["reply_to_message"], f"{where}.reply_to_message", depth + 1)


def _callback_query(value: object, where: str) -> None:
    query = _object(value, where)
    _str(query.get("id"), f"{where}.id", optional=False)
    _user(query.get("from"), f"{where}.from")
    for name in ("data", "chat_instance", "inline_message_id", "game_short_name"):
        _str(query.get(name), f"{where}.{name}")
    if query.get("message") is not None:
        _message(query["message"], f"{where}.message")


def _member_change(value: object, where: str) -> None:
    change = _object(value, where)
    _chat(change.get("chat"), f"{where}.chat")
    _user(change.get("from"), f"{where}.from")
    _int(change.get("date"), f"{where}.date")
    for name in ("old_chat_member", "new_chat_member"):
        member = _object(change.get(name), f"{where}.{name}")
        _user(member.get("user"), f"{where}.{name}.user")
        _str(member.get("status"), f"{where}.{name}.status", optional=False)


def check(data: object) -> dict[str, Any]:
    """Return ``data`` if it has the shape of an update where the bot reads it; else raise."""
    update = _object(data, "the update")
    _int(update.get("update_id"), "update_id")
    for name, value in update.items():
        if name == "update_id" or value is None:
            continue
        if name in MESSAGE_FIELDS:
            _message(value, name)
        elif name == "callback_query":
            _callback_query(value, name)
        elif name in MEMBER_FIELDS:
            _member_change(value, name)
        else:
            # Every other field of an update is an object; PTB reads the rest of it.
            _object(value, name)
    return update


def parse_update(data: object, bot: Bot) -> Update:
    """The update a webhook body holds; ``NotAnUpdate`` if it holds none."""
    checked = check(data)
    try:
        update = Update.de_json(checked, bot)
    except Exception as exc:
        # Parsing is pure: whatever it raises, the body is not an update PTB can use.
        raise NotAnUpdate(f"unreadable update ({type(exc).__name__})") from None
    if update is None:
        raise NotAnUpdate("empty update")
    return update
