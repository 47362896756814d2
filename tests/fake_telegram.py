"""A fake Telegram Bot API server on loopback, spoken to by the real python-telegram-bot."""

from __future__ import annotations

import asyncio
import html
import json
import random
import re
import time
from collections import Counter, defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "123456:TEST-token-not-real"
BOT = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Programme Assistant",
    "username": "ProgrammeBot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
# What Telegram enforces on what the bot sends (limits count UTF-16 code units of the text
# after entity parsing; callback data counts bytes).
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_LIMIT = 64
_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "blockquote",
        "code",
        "del",
        "em",
        "i",
        "ins",
        "pre",
        "s",
        "span",
        "strike",
        "strong",
        "tg-emoji",
        "tg-spoiler",
        "u",
    }
)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]+|#x[0-9A-Fa-f]+);")
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_MEDIA_KEYS = {
    "sendVenue": "venue",
    "sendContact": "contact",
    "sendLocation": "location",
    "sendDocument": "document",
}


@dataclass
class Sent:
    """One call the bot made, with its decoded parameters."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    # The id of the message the call sent or edited, if it did.
    message_id: int | None = None
    # The path segment before /bot<token> of the base URL the caller used (see ``base_for``).
    via: str = ""

    @property
    def chat_id(self) -> int | None:
        """The chat the call was for."""
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    def text(self) -> str:
        """What a person would read from this message, as plain text."""
        p = self.params
        if self.method in ("sendMessage", "editMessageText"):
            return str(p.get("text", ""))
        if self.method == "sendVenue":
            return f"{p.get('title', '')}\n{p.get('address', '')}"
        if self.method == "sendContact":
            return f"{p.get('first_name', '')} {p.get('phone_number', '')}"
        if self.method == "sendDocument":
            return str(p.get("caption", ""))
        return ""


class Refused(Exception):
    """A call Telegram answers with 400 Bad Request, and its description."""


def utf16_length(text: str) -> int:
    """The length of a text as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def visible_text(text: str) -> str:
    """What a reader sees of a text sent with parse_mode HTML; Refused as Telegram refuses it."""
    shown: list[str] = []
    open_tags: list[str] = []
    at = 0
    while at < len(text):
        if text[at] == "<":
            at = _tag(text, at, open_tags)
            continue
        entity = _ENTITY.match(text, at) if text[at] == "&" else None
        if entity is not None:
            shown.append(html.unescape(entity.group()))
            at = entity.end()
            continue
        shown.append(text[at])
        at += 1
    if open_tags:
        raise Refused(
            "Bad Request: can't parse entities: Can't find end tag corresponding to start tag "
            + open_tags[-1]
        )
    return "".join(shown)


def _tag(text: str, at: int, open_tags: list[str]) -> int:
    """Open or close the tag at ``at``; return where it ends."""
    where = f"at byte offset {len(text[:at].encode())}"
    tag = _TAG.match(text, at)
    if tag is None:
        raise Refused(f"Bad Request: can't parse entities: Unexpected end of name token {where}")
    closing, name = tag.group(1), tag.group(2).lower()
    if name not in _HTML_TAGS:
        raise Refused(f'Bad Request: can\'t parse entities: Unsupported start tag "{name}" {where}')
    if not closing:
        open_tags.append(name)
    elif open_tags and open_tags[-1] == name:
        open_tags.pop()
    else:
        expected = f"</{open_tags[-1]}>" if open_tags else "nothing"
        raise Refused(
            f"Bad Request: can't parse entities: Unmatched end tag {where}, "
            f'expected "{expected}", found "</{name}>"'
        )
    return tag.end()


def _shown(text: str, html_mode: bool, limit: int, what: str) -> str:
    """The text as shown, if Telegram takes it: well-formed and within the limit."""
    shown = visible_text(text) if html_mode else text
    if utf16_length(shown) > limit:
        raise Refused(f"Bad Request: {what} is too long")
    return shown


def _check_markup(markup: Any) -> None:
    """Refuse buttons whose callback data is empty or over 64 bytes."""
    rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
    for row in rows:
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_LIMIT:
                raise Refused("Bad Request: BUTTON_DATA_INVALID")


class FakeBotAPI:
    """Records every call, serves queued updates by long polling, and fails on request."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.updates: list[dict[str, Any]] = []
        self.failures: dict[str, deque[tuple[int, int | None]]] = defaultdict(deque)
        self.responses: dict[str, int] = defaultdict(int)
        self._next_update = 1
        self._next_message = 1000
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        # Called with every recorded call (benchmarks time replies with it).
        self.listeners: list[Callable[[Sent], None]] = []
        # Random failures of sendMessage: (ratio, modes among "500", "429", "timeout").
        self.chaos: tuple[float, tuple[str, ...]] | None = None
        self.rng = random.Random(7)
        # Requests left hanging, by chat: each costs its own message a client timeout.
        self.hung: Counter[int] = Counter()
        self.timeout_delay = 1.0
        # At most this many sendMessage calls per second; more get 429 (None: no limit).
        self.rate_limit: int | None = None
        # The clock of the limits and hangs (seconds): tests give a virtual one.
        self.clock: Callable[[], float] = time.monotonic
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        # Telegram's limits, when enforced: (in all per second, per chat per second, per group
        # chat per minute); a send over one gets 429 with ``flood_wait``, and so does every
        # send until that wait has passed (counted in ``inside_flood``: Telegram punishes it).
        self.limits: tuple[int, int, int] | None = None
        self.flood_wait = 1
        self.flood_until = 0.0
        self.inside_flood = 0
        # (time, chat id) of every sendMessage accepted.
        self.arrivals: list[tuple[float, int]] = []
        self._by_chat: dict[int, deque[float]] = defaultdict(deque)
        # Requests held without an answer right now (a hang; virtual time goes on meanwhile).
        self.hanging = 0
        # Calls per method still to be carried out with their answer lost (see ``lose``).
        self.lost: dict[str, int] = defaultdict(int)
        # Seconds each sendMessage takes (a slow network), and seconds its answer is held
        # once it was carried out (the way back: a client gone meanwhile never learns of it).
        self.delay = 0.0
        self.answer_delay = 0.0
        self._accepted: deque[float] = deque()
        # (chat id, message id) -> (text, reply markup) of every message the bot sent.
        self.contents: dict[tuple[int, int], tuple[str, Any]] = {}
        # Set when the test is over: long polls answer at once, so the bot stops at once.
        self._closing = False

    # ---- server ----

    async def start(self) -> str:
        """Serve on a free loopback port; return the Bot API base URL (PTB's base_url)."""
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/{via}/bot{token}/{method}", self._handle)
        # A request the client gave up on ends here too, as a server ends it on disconnect.
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}/bot"
        return self.base_url

    def base_for(self, via: str) -> str:
        """A base URL of this server whose calls are recorded with ``via`` (one per process)."""
        return self.base_url.removesuffix("/bot") + f"/{via}/bot"

    async def closing(self) -> None:
        """Answer pending and later long polls at once, as before a server shutdown."""
        async with self._changed:
            self._closing = True
            self._changed.notify_all()

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()

    def lose(self, method: str, times: int = 1) -> None:
        """Carry out the next ``times`` calls of a method but hold their answers too long."""
        self.lost[method] += times

    def fail(
        self, method: str, status: int, *, retry_after: int | None = None, times: int = 1
    ) -> None:
        """Make the next ``times`` calls of a method fail with an HTTP/Bot API error."""
        for _ in range(times):
            self.failures[method].append((status, retry_after))

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        if request.content_type == "application/json":
            body = await request.json()
            params = {k: _decode(v) if isinstance(v, str) else v for k, v in body.items()}
        elif request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = value.file.read()
                else:
                    params[key] = _decode(str(value))
        params.update({k: _decode(v) for k, v in request.query.items()})
        return params, files

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params, files = await self._params(request)
        if method == "getUpdates":
            return web.json_response({"ok": True, "result": await self._get_updates(params)})
        if self.failures[method]:
            status, retry_after = self.failures[method].popleft()
            self.responses[f"{method}:{status}"] += 1
            return _error(status, retry_after)
        if method == "sendMessage":
            if self.delay:
                await asyncio.sleep(self.delay)
            refused = await self._refuse(int(params.get("chat_id", 0)))
            if refused is not None:
                return refused
        try:
            self._check(method, params)
        except Refused as refused:
            self.responses[f"{method}:400"] += 1
            return _error(400, description=str(refused))
        result = self._result(method, params, files)
        if result is None:
            return _error(404)
        if method not in ("getMe", "deleteWebhook"):
            sent = Sent(method, params, files, via=request.match_info.get("via", ""))
            if isinstance(result, dict):
                sent.message_id = result.get("message_id")
            async with self._changed:
                self.sent.append(sent)
                self._changed.notify_all()
            for listener in self.listeners:
                listener(sent)
        await self._lose_answer(method)
        self.responses[f"{method}:200"] += 1
        return web.json_response({"ok": True, "result": result})

    async def _lose_answer(self, method: str) -> None:
        """Hold the answer of a call already carried out: a while (``answer_delay``), or too
        long if told to (see ``lose``)."""
        if method == "sendMessage" and self.answer_delay:
            await asyncio.sleep(self.answer_delay)
        if self.lost[method] <= 0:
            return
        # Delivered, but the answer never reaches the client (it gives up first).
        self.lost[method] -= 1
        self.responses[f"{method}:lost"] += 1
        self.hanging += 1
        try:
            await self.sleep(self.timeout_delay)
        finally:
            self.hanging -= 1

    def _check(self, method: str, p: dict[str, Any]) -> None:
        """Refuse what Telegram refuses: long or malformed texts, bad buttons, no-op edits."""
        html_mode = str(p.get("parse_mode", "")).upper() == "HTML"
        text = str(p.get("text", ""))
        if (
            method in ("sendMessage", "editMessageText")
            and not _shown(text, html_mode, MESSAGE_LIMIT, "message").strip()
        ):
            raise Refused("Bad Request: message text is empty")
        if "caption" in p:
            _shown(str(p["caption"]), html_mode, CAPTION_LIMIT, "message caption")
        _check_markup(p.get("reply_markup"))
        if method in ("editMessageText", "editMessageReplyMarkup"):
            current = self.contents.get((int(p["chat_id"]), int(p["message_id"])))
            if method == "editMessageReplyMarkup" and current is not None:
                text = current[0]
            if current == (text, p.get("reply_markup")):
                raise Refused(NOT_MODIFIED)

    def _over_limits(self, chat_id: int) -> bool:
        """Whether Telegram's limits refuse a send now (a flood wait in force included)."""
        assert self.limits is not None
        now = self.clock()
        if now < self.flood_until:
            self.inside_flood += 1
            return True
        overall, per_chat, per_group = self.limits
        window = 60.0 if chat_id < 0 else 1.0
        allowed = per_group if chat_id < 0 else per_chat
        recent = self._by_chat[chat_id]
        while recent and now - recent[0] >= window:
            recent.popleft()
        while self._accepted and now - self._accepted[0] >= 1.0:
            self._accepted.popleft()
        if len(self._accepted) >= overall or len(recent) >= allowed:
            self.flood_until = now + self.flood_wait
            return True
        self._accepted.append(now)
        recent.append(now)
        return False

    async def _refuse(self, chat_id: int) -> web.Response | None:
        """Apply the configured rate limit and random failures to one sendMessage."""
        if self.limits is not None and self._over_limits(chat_id):
            self.responses["sendMessage:429"] += 1
            return _error(429, self.flood_wait)
        if self.rate_limit is not None:
            now = self.clock()
            while self._accepted and now - self._accepted[0] >= 1.0:
                self._accepted.popleft()
            if len(self._accepted) >= self.rate_limit:
                self.responses["sendMessage:429"] += 1
                return _error(429, 1)
            self._accepted.append(now)
        if self.chaos is not None and self.rng.random() < self.chaos[0]:
            mode = self.rng.choice(self.chaos[1])
            if mode == "timeout":
                # The client gives up first; the message was not delivered.
                self.hanging += 1
                self.hung[chat_id] += 1
                self.responses["sendMessage:hang"] += 1
                try:
                    await self.sleep(self.timeout_delay)
                finally:
                    self.hanging -= 1
                self.responses["sendMessage:timeout"] += 1
                return _error(500)
            status = int(mode)
            self.responses[f"sendMessage:{status}"] += 1
            return _error(status, 1 if status == 429 else None)
        self.arrivals.append((self.clock(), chat_id))
        return None

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        async with self._changed:
            # Confirmed updates (below the offset) are dropped, as Telegram does.
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closing:
                    return []
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    return []
            limit = int(params.get("limit") or 100)
            return self.updates[:limit]

    def _message(self, chat_id: int, **extra: Any) -> dict[str, Any]:
        self._next_message += 1
        return {
            "message_id": self._next_message,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": BOT,
            **extra,
        }

    def _result(self, method: str, p: dict[str, Any], files: dict[str, bytes]) -> Any:
        if method == "getMe":
            return BOT
        if method in (
            "deleteWebhook",
            "setWebhook",
            "setMyCommands",
            "answerCallbackQuery",
            "close",
        ):
            return True
        if method == "sendMessage":
            message = self._message(int(p["chat_id"]), text=str(p.get("text", "")))
            key = (message["chat"]["id"], message["message_id"])
            self.contents[key] = (message["text"], p.get("reply_markup"))
            return message
        if method in ("editMessageText", "editMessageReplyMarkup"):
            return self._edited(p)
        if method == "sendVenue":
            location = {"latitude": float(p["latitude"]), "longitude": float(p["longitude"])}
            return self._message(
                int(p["chat_id"]),
                location=location,
                venue={"location": location, "title": p["title"], "address": p["address"]},
            )
        if method == "sendLocation":
            return self._message(
                int(p["chat_id"]),
                location={"latitude": float(p["latitude"]), "longitude": float(p["longitude"])},
            )
        if method == "sendContact":
            return self._message(
                int(p["chat_id"]),
                contact={"phone_number": str(p["phone_number"]), "first_name": p["first_name"]},
            )
        if method == "sendDocument":
            name = next(iter(files), "document")
            return self._message(
                int(p["chat_id"]),
                document={
                    "file_id": f"file-{self._next_message}",
                    "file_unique_id": "u",
                    "file_name": name,
                },
            )
        return None

    def _edited(self, p: dict[str, Any]) -> dict[str, Any]:
        """Apply an edit to the remembered message and return it, under its own id."""
        key = (int(p["chat_id"]), int(p["message_id"]))
        text = str(p["text"]) if "text" in p else self.contents.get(key, ("menu", None))[0]
        self.contents[key] = (text, p.get("reply_markup"))
        return self._message(key[0], message_id=key[1], text=text, edit_date=int(time.time()))

    # ---- what tests do ----

    async def push(self, update: dict[str, Any]) -> int:
        """Offer an update to the bot; return its id."""
        async with self._changed:
            update_id = self._next_update
            self._next_update += 1
            self.updates.append({"update_id": update_id, **update})
            self._changed.notify_all()
        return update_id

    async def push_message(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        language: str = "en",
        reply_to_bot: bool = False,
    ) -> int:
        """A user writes ``text`` in a private chat (or in the group ``chat_id``)."""
        chat = chat_id if chat_id is not None else user_id
        message: dict[str, Any] = {
            "message_id": self._next_message + 1,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private" if chat > 0 else "group", "title": "Group"},
            "from": {
                "id": user_id,
                "is_bot": False,
                "first_name": f"User{user_id}",
                "language_code": language,
            },
            "text": text,
        }
        self._next_message += 1
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if reply_to_bot:
            message["reply_to_message"] = self._message(chat, text="earlier reply")
        return await self.push({"message": message})

    async def push_button(
        self, user_id: int, data: str, language: str = "en", message_id: int | None = None
    ) -> int:
        """A user taps a button with callback ``data`` under message ``message_id`` or a menu."""
        if message_id is None:
            message = self._message(user_id, text="menu")
            markup = {"inline_keyboard": [[{"text": "button", "callback_data": data}]]}
            self.contents[(user_id, message["message_id"])] = ("menu", markup)
        else:
            text, markup = self.contents[(user_id, message_id)]
            message = self._message(user_id, text=text, message_id=message_id)
        if markup is not None:
            message["reply_markup"] = markup
        return await self.push(
            {
                "callback_query": {
                    "id": f"cb{self._next_update}",
                    "chat_instance": "ci",
                    "data": data,
                    "from": {
                        "id": user_id,
                        "is_bot": False,
                        "first_name": f"User{user_id}",
                        "language_code": language,
                    },
                    "message": message,
                }
            }
        )

    async def push_member(self, user_id: int, status: str) -> int:
        """A user blocks (``kicked``) or unblocks (``member``) the bot in their private chat."""
        user = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        bot = {"id": int(TOKEN.split(":")[0]), "is_bot": True, "first_name": "Bot"}
        old, new = ("member", "kicked") if status == "kicked" else ("kicked", "member")
        kicked = {"until_date": 0} if status == "kicked" else {}
        was = {"until_date": 0} if old == "kicked" else {}
        return await self.push(
            {
                "my_chat_member": {
                    "chat": {"id": user_id, "type": "private", "first_name": f"User{user_id}"},
                    "from": user,
                    "date": int(time.time()),
                    "old_chat_member": {"status": old, "user": bot, **was},
                    "new_chat_member": {"status": new, "user": bot, **kicked},
                }
            }
        )

    def to_chat(self, chat_id: int, since: int = 0) -> list[Sent]:
        """Every call for one chat, from position ``since`` of the record."""
        return [s for s in self.sent[since:] if s.chat_id == chat_id]

    def calls(self, method: str) -> list[Sent]:
        """Every recorded call of one method."""
        return [s for s in self.sent if s.method == method]

    async def wait_for(
        self, predicate: Callable[[Sent], bool], *, since: int = 0, limit: float = 30
    ) -> Sent:
        """The first call from position ``since`` that satisfies ``predicate``, when it comes."""

        async def found() -> Sent:
            async with self._changed:
                while True:
                    for sent in self.sent[since:]:
                        if predicate(sent):
                            return sent
                    await self._changed.wait()

        return await asyncio.wait_for(found(), limit)


def _decode(value: str) -> Any:
    """Form fields hold JSON for objects and arrays, and plain strings otherwise."""
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _error(
    status: int, retry_after: int | None = None, description: str | None = None
) -> web.Response:
    descriptions = {
        400: "Bad Request: message text is empty",
        403: "Forbidden: bot was blocked by the user",
        404: "Not Found: method not found",
        429: f"Too Many Requests: retry after {retry_after}",
        500: "Internal Server Error",
    }
    body: dict[str, Any] = {
        "ok": False,
        "error_code": status,
        "description": description or descriptions.get(status, "Error"),
    }
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=status)
