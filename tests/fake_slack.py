"""A fake Slack Web API on loopback, and signed requests to the real Bolt app."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

BOT_TOKEN = "xoxb-test-not-real"
APP_TOKEN = "xapp-test-not-real"
SIGNING_SECRET = "test-signing-secret"
STAFF_CHANNEL = "CSTAFF"
TEAM = "T0001"
# Slack's rules the fake enforces, as documented for the Web API and Block Kit.
TRIGGER_TTL = 3.0
MODAL_BLOCKS = 100
MESSAGE_BLOCKS = 50
MAX_OPTIONS = 100
TEXT_LIMIT = 3000
TITLE_LIMIT = 24
OPTION_TEXT_LIMIT = 75
BUTTON_TEXT_LIMIT = 75


@dataclass
class Call:
    """One Web API call the app made (or one response_url post)."""

    method: str
    params: dict[str, Any]
    result: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        """Everything readable in the call: text and every text inside blocks or a view."""
        return " ".join(self.strings())

    def strings(self) -> list[str]:
        """Every string the call carries, at any depth."""
        return _texts(self.params)


def _json(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        value = json.loads(value)
    return value if isinstance(value, dict) else {}


def _text_too_long(value: Any) -> bool:
    """Whether any text object inside ``value`` is over Slack's limit."""
    if isinstance(value, dict):
        if (
            value.get("type") in ("plain_text", "mrkdwn")
            and len(value.get("text", "")) > TEXT_LIMIT
        ):
            return True
        return any(_text_too_long(v) for v in value.values())
    if isinstance(value, list):
        return any(_text_too_long(v) for v in value)
    return False


def _elements(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every interactive element of the blocks."""
    found = []
    for block in blocks:
        found += [e for e in [block.get("element"), block.get("accessory")] if isinstance(e, dict)]
        if block.get("type") == "actions":
            found += block.get("elements") or []
    return found


def _blocks_error(blocks: list[dict[str, Any]], limit: int) -> str | None:
    """Slack's error for blocks it would refuse (limits, duplicate ids, oversized options)."""
    if len(blocks) > limit or _text_too_long(blocks):
        return "invalid_blocks"
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    if len(block_ids) != len(set(block_ids)):
        return "invalid_blocks"
    action_ids = []
    for element in _elements(blocks):
        if element.get("action_id"):
            action_ids.append(element["action_id"])
        options = element.get("options") or []
        if len(options) > MAX_OPTIONS:
            return "invalid_blocks"
        if any(len(o["text"]["text"]) > OPTION_TEXT_LIMIT for o in options):
            return "invalid_blocks"
        if element.get("type") == "button" and len(element["text"]["text"]) > BUTTON_TEXT_LIMIT:
            return "invalid_blocks"
    # Within one block set, action ids must be unique.
    if len(action_ids) != len(set(action_ids)):
        return "invalid_blocks"
    return None


def _view_error(view: dict[str, Any], *, home: bool) -> str | None:
    """Slack's error for a view it would refuse."""
    blocks = view.get("blocks") or []
    if view.get("type") != ("home" if home else "modal"):
        return "invalid_arguments"
    if not home and len((view.get("title") or {}).get("text", "")) > TITLE_LIMIT:
        return "invalid_arguments"
    # A modal with an input block must have a submit button; a Home tab has no inputs.
    has_input = any(b.get("type") == "input" for b in blocks)
    if has_input and (home or not view.get("submit")):
        return "invalid_arguments"
    if len(view.get("private_metadata") or "") > 3000:
        return "invalid_arguments"
    return _blocks_error(blocks, MODAL_BLOCKS)


def _message_error(p: dict[str, Any]) -> str | None:
    """Slack's error for a message it would refuse."""
    blocks = p.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if not blocks:
        return None if p.get("text") else "no_text"
    if any(b.get("type") == "input" for b in blocks):
        return "invalid_blocks"
    return _blocks_error(blocks, MESSAGE_BLOCKS)


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


class FakeSlack:
    """Records calls, answers like Slack, and knows the staff channel's members."""

    def __init__(self, members: list[str]) -> None:
        self.members = members
        self.calls: list[Call] = []
        self.base_url = ""
        self.root = ""
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Condition()
        self._ts = 1700000000.0
        self._views = 0
        # Socket Mode: the open connection, and what the app sent back on it.
        self.socket: web.WebSocketResponse | None = None
        self.socket_acks: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        # Methods that wait for their event before answering (a slow Slack).
        self.held: dict[str, asyncio.Event] = {}
        self._socket_open = asyncio.Event()
        # Triggers Slack issued (with when), each good for one modal within TRIGGER_TTL.
        self.triggers: dict[str, float] = {}
        # The modals open now, by id, with the hash of their current version.
        self.views: dict[str, str] = {}
        # The Home tab published for each user.
        self.homes: dict[str, dict[str, Any]] = {}
        # Methods made to fail, with the error Slack gives (a Slack outage, say).
        self.errors: dict[str, str] = {}

    async def start(self) -> str:
        """Serve on a free loopback port; return the Web API base URL."""
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{id}", self._respond)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.root = f"http://127.0.0.1:{port}"
        self.base_url = f"{self.root}/api/"
        return self.base_url

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        form = dict(request.query)
        if request.can_read_body:
            form.update(await request.post())
        params: dict[str, Any] = {}
        for key, value in form.items():
            text = str(value)
            try:
                params[key] = json.loads(text) if text[:1] in "[{" else text
            except ValueError:
                params[key] = text
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method == "apps.connections.open":
            if request.headers.get("Authorization") != f"Bearer {APP_TOKEN}":
                return web.json_response({"ok": False, "error": "invalid_auth"})
            await self._record(Call(method, {}))
            url = self.root.replace("http://", "ws://") + "/socket"
            return web.json_response({"ok": True, "url": url})
        if request.headers.get("Authorization") != f"Bearer {BOT_TOKEN}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        params = await self._params(request)
        received = time.monotonic()
        if method in self.held:
            await self.held[method].wait()
        result = (
            ({"ok": False, "error": self.errors[method]} if method in self.errors else None)
            or self._refusal(method, params, received)
            or self._result(method, params)
        )
        await self._record(Call(method, params, result))
        return web.json_response(result)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_json({"type": "hello", "num_connections": 1})
        self.socket = socket
        self._socket_open.set()
        async for message in socket:
            if message.type == aiohttp.WSMsgType.TEXT:
                await self.socket_acks.put(json.loads(message.data))
        return socket

    async def envelope(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one Socket Mode envelope to the app; return its acknowledgement."""
        await asyncio.wait_for(self._socket_open.wait(), 30)
        assert self.socket is not None
        self._ts += 1
        envelope_id = f"env-{self._ts}"
        await self.socket.send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
            }
        )
        while True:
            ack = await asyncio.wait_for(self.socket_acks.get(), 30)
            if ack.get("envelope_id") == envelope_id:
                return ack

    async def _respond(self, request: web.Request) -> web.Response:
        await self._record(Call("response_url", await self._params(request)))
        return web.Response(text="ok")

    def issue_trigger(self, trigger_id: str) -> None:
        """A trigger Slack hands the app with a command or an interaction."""
        self.triggers[trigger_id] = time.monotonic()

    def known_view(self, view: dict[str, Any]) -> dict[str, Any]:
        """Register a modal as open (one a test builds by hand); return it with id and hash."""
        self.views[view["id"]] = view.get("hash") or "h0"
        return {**view, "hash": self.views[view["id"]]}

    def _refusal(self, method: str, p: dict[str, Any], received: float) -> dict[str, Any] | None:
        """Slack's error for a call it would refuse, or None."""
        error = None
        if method in ("views.open", "views.push"):
            issued = self.triggers.pop(str(p.get("trigger_id")), None)
            if issued is None:
                error = "invalid_trigger_id"
            elif received - issued > TRIGGER_TTL:
                error = "expired_trigger_id"
        if method == "views.update":
            view_id = p.get("view_id")
            if view_id not in self.views:
                error = "not_found"
            elif p.get("hash") and p["hash"] != self.views[view_id]:
                error = "hash_conflict"
        if error is None and method in (
            "views.open",
            "views.update",
            "views.push",
            "views.publish",
        ):
            error = _view_error(_json(p.get("view")), home=method == "views.publish")
        if error is None and method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            error = _message_error(p)
        outsider = p.get("channel") == STAFF_CHANNEL and p.get("user") not in self.members
        if error is None and method == "chat.postEphemeral" and outsider:
            error = "user_not_in_channel"
        return None if error is None else {"ok": False, "error": error}

    def _result(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://example.slack.com/",
                "team": "Programme",
                "user": "assistant",
                "team_id": TEAM,
                "user_id": "UBOT",
                "bot_id": "BBOT",
            }
        if method == "conversations.members":
            return {"ok": True, "members": self.members, "response_metadata": {"next_cursor": ""}}
        if method in ("chat.postMessage", "chat.postEphemeral"):
            self._ts += 1
            ts = f"{self._ts:.6f}"
            return {"ok": True, "channel": p.get("channel"), "ts": ts, "message_ts": ts}
        if method == "chat.update":
            return {"ok": True, "channel": p.get("channel"), "ts": p.get("ts")}
        if method in ("views.open", "views.update"):
            self._views += 1
            view = _json(p.get("view"))
            view_id = p.get("view_id") or f"V{self._views}"
            self.views[view_id] = f"h{self._views}"
            return {"ok": True, "view": {**view, "id": view_id, "hash": f"h{self._views}"}}
        if method == "views.publish":
            view = _json(p.get("view"))
            self.homes[str(p.get("user_id"))] = view
            return {"ok": True, "view": {**view, "id": "VHOME"}}
        if method == "chat.getPermalink":
            ts = str(p.get("message_ts", "")).replace(".", "")
            return {
                "ok": True,
                "channel": p.get("channel"),
                "permalink": f"https://example.slack.com/archives/{p.get('channel')}/p{ts}",
            }
        return {"ok": True}

    # ---- what tests look at ----

    def of(self, method: str) -> list[Call]:
        """Every recorded call of one method."""
        return [c for c in self.calls if c.method == method]

    async def wait_for(
        self, predicate: Callable[[Call], bool], *, since: int = 0, limit: float = 30
    ) -> Call:
        """The first call from position ``since`` that satisfies ``predicate``, when it comes."""

        async def found() -> Call:
            async with self._changed:
                while True:
                    for call in self.calls[since:]:
                        if predicate(call):
                            return call
                    await self._changed.wait()

        return await asyncio.wait_for(found(), limit)


def sign(
    body: str | bytes, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """Slack's v0 signature headers for a request body."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    raw = body.encode() if isinstance(body, str) else body
    digest = hmac.new(secret.encode(), f"v0:{stamp}:".encode() + raw, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


class SlackClient:
    """Sends what Slack would send to the app's /slack/events endpoint."""

    def __init__(self, url: str, fake: FakeSlack) -> None:
        self.url = url
        self.fake = fake
        self._triggers = 0
        self._events = 0

    async def post(
        self, body: str | bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        """POST a raw body; signed unless ``headers`` are given."""
        sent = {"Content-Type": content_type, **(sign(body) if headers is None else headers)}
        raw = body.encode() if isinstance(body, str) else body
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.url, data=raw, headers=sent) as response,
        ):
            return response.status, await response.text()

    async def command(
        self, command: str, text: str = "", *, user: str = "USTAFF", channel: str = STAFF_CHANNEL
    ) -> tuple[int, str]:
        """A slash command typed by a user."""
        self._triggers += 1
        self.fake.issue_trigger(f"trigger-{self._triggers}")
        body = urlencode(
            {
                "token": "legacy",
                "team_id": TEAM,
                "channel_id": channel,
                "user_id": user,
                "command": command,
                "text": text,
                "response_url": f"{self.fake.root}/respond/{self._triggers}",
                "trigger_id": f"trigger-{self._triggers}",
            }
        )
        return await self.post(body, "application/x-www-form-urlencoded")

    async def interaction(self, payload: dict[str, Any]) -> tuple[int, str]:
        """A view submission or block action."""
        if isinstance(payload.get("trigger_id"), str):
            self.fake.issue_trigger(payload["trigger_id"])
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded")

    async def submit(
        self,
        view: dict[str, Any],
        values: dict[str, dict[str, Any]],
        *,
        user: str = "USTAFF",
    ) -> tuple[int, str]:
        """Submit a modal the app opened, with element states by block id."""
        state = {block: {block: value} for block, value in values.items()}
        return await self.interaction(
            {
                "type": "view_submission",
                "team": {"id": TEAM},
                "user": {"id": user},
                "api_app_id": "A1",
                "trigger_id": "trigger-view",
                "view": {**view, "state": {"values": state}},
            }
        )

    async def choose(
        self, view: dict[str, Any], action_id: str, value: str, *, user: str = "USTAFF"
    ) -> tuple[int, str]:
        """Pick an option of a select (with dispatch_action) inside a modal."""
        return await self.interaction(
            {
                "type": "block_actions",
                "team": {"id": TEAM},
                "user": {"id": user},
                "api_app_id": "A1",
                "trigger_id": "trigger-action",
                "container": {"type": "view", "view_id": view["id"]},
                "view": view,
                "actions": [
                    {
                        "type": "static_select",
                        "action_id": action_id,
                        "block_id": action_id,
                        "selected_option": {
                            "text": {"type": "plain_text", "text": value},
                            "value": value,
                        },
                        "action_ts": str(time.time()),
                    }
                ],
            }
        )

    async def click(
        self,
        action_id: str,
        value: str,
        *,
        message: Call | None = None,
        home: bool = False,
        user: str = "USTAFF",
    ) -> tuple[int, str]:
        """Click a button: under a message the app posted, or in the app's Home tab."""
        self._triggers += 1
        trigger = f"trigger-{self._triggers}"
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": TEAM},
            "user": {"id": user},
            "api_app_id": "A1",
            "trigger_id": trigger,
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "b",
                    "value": value,
                    "action_ts": str(time.time()),
                }
            ],
        }
        if message is not None:
            channel = str(message.result.get("channel") or message.params.get("channel"))
            ts = str(message.result.get("ts") or message.params.get("ts"))
            payload["container"] = {"type": "message", "channel_id": channel, "message_ts": ts}
            payload["channel"] = {"id": channel}
            payload["message"] = {
                "type": "message",
                "ts": ts,
                "text": message.params.get("text", ""),
                "blocks": message.params.get("blocks", []),
            }
            payload["response_url"] = f"{self.fake.root}/respond/click-{self._triggers}"
        if home:
            payload["container"] = {"type": "view", "view_id": "VHOME"}
            payload["view"] = {"id": "VHOME", "type": "home", "blocks": []}
        return await self.interaction(payload)

    async def suggest(self, action_id: str, value: str, *, user: str = "USTAFF") -> tuple[int, str]:
        """Typing in an external select: Slack asks the app for options."""
        return await self.interaction(
            {
                "type": "block_suggestion",
                "team": {"id": TEAM},
                "user": {"id": user},
                "api_app_id": "A1",
                "action_id": action_id,
                "block_id": action_id,
                "value": value,
                "view": {"id": "V1", "type": "modal", "callback_id": "broadcast_compose"},
            }
        )

    async def event(
        self, event: dict[str, Any], *, retry: int | None = None, event_id: str | None = None
    ) -> tuple[int, str]:
        """An Events API event; ``retry``: Slack delivering it again, as it says in headers."""
        if event_id is None:
            self._events += 1
            event_id = f"Ev{self._events}"
        body = json.dumps(
            {
                "token": "legacy",
                "team_id": TEAM,
                "api_app_id": "A1",
                "type": "event_callback",
                "event_id": event_id,
                "event_time": int(time.time()),
                "event": event,
            }
        )
        headers = sign(body)
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(body, "application/json", headers)

    async def message(
        self,
        text: str,
        *,
        thread_ts: str | None,
        user: str = "USTAFF",
        channel: str = STAFF_CHANNEL,
    ) -> tuple[int, str]:
        """A message posted in a channel (in a thread when ``thread_ts`` is given)."""
        self._events += 1
        ts = f"{1800000000 + self._events}.000100"
        event: dict[str, Any] = {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "channel_type": "channel",
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        body = json.dumps(
            {
                "token": "legacy",
                "team_id": TEAM,
                "api_app_id": "A1",
                "type": "event_callback",
                "event_id": f"Ev{self._events}",
                "event_time": int(time.time()),
                "event": event,
            }
        )
        return await self.post(body, "application/json")
