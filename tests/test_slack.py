"""The Slack staff console: signed requests to the real Bolt app, its Web API a fake on loopback,
and participants on the real PTB stack talking to a fake Bot API."""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re
import socket
import sys
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import aiohttp
import pytest
import yaml
from aiohttp import web
from sqlalchemy import func, select
from telegram import Update
from telegram.ext import ContextTypes, TypeHandler

from bot.config import Settings
from bot.delivery.drain import DeliveryPolicy, Drainer
from bot.services import Services, import_file, services
from bot.staff.schedule import day_agenda, title_of
from bot.store.models import Campaign, Change, Event, Outgoing, Participant, StaffThread
from bot.yamlio import load_yaml
from handlers.slack.app import staff_console
from handlers.slack.blocks import plain, section
from handlers.telegram.app import build_sender, polling
from handlers.web import SLACK_PATH, build_web_app
from schedules.sweeps import Runtime, campaign_sweep, change_sweep, install, uninstall
from tests.conftest import FIXTURE, ROOT
from tests.fake_slack import (
    APP_TOKEN,
    BOT_TOKEN,
    SIGNING_SECRET,
    STAFF_CHANNEL,
    TEAM,
    Call,
    FakeSlack,
    SlackClient,
    sign,
)
from tests.fake_telegram import TOKEN, FakeBotAPI, Sent
from tests.test_telegram import CODES, NAMES, Harness, MutableClock, readable

PHONE = "+54 11 5555 0104"


@dataclass
class Console:
    """The bot with its Slack console, both fakes, and the test's clock."""

    tg: Harness
    slack: FakeSlack
    client: SlackClient
    app: Services
    clock: MutableClock
    # Position in the Bot API record after linking: what the bot pushed comes after it.
    mark: int = 0

    async def drain(self) -> None:
        """Send everything due in the outbox to the fake Bot API."""
        bot, sender = build_sender(self.app)
        policy = DeliveryPolicy(rate=1000, per_chat_interval=0, backoff=0)
        async with bot:
            drainer = Drainer(self.app.sessions, sender, self.clock, policy)
            while await drainer.drain_once():
                pass

    async def sweep(self, job: Any) -> int:
        """Run one sweep now."""
        install("test", Runtime(self.app.sessions, self.app.assistant, self.app.i18n, self.clock))
        try:
            return int(await job("test"))
        finally:
            uninstall("test")

    async def opened(self, since: int) -> dict[str, Any]:
        """The modal the app opened after position ``since``, with the id Slack gave it."""
        call = await self.slack.wait_for(lambda c: c.method == "views.open", since=since)
        assert call.result["ok"], call.result
        return {
            **call.params["view"],
            "id": call.result["view"]["id"],
            "hash": call.result["view"]["hash"],
        }

    async def updated(self, since: int) -> dict[str, Any]:
        """The modal the app updated after position ``since``."""
        call = await self.slack.wait_for(lambda c: c.method == "views.update", since=since)
        assert call.result["ok"], call.result
        return {
            **call.params["view"],
            "id": call.params["view_id"],
            "hash": call.result["view"]["hash"],
        }

    def t(self, language: str, message: str, **values: Any) -> str:
        """A catalog string as a participant reads it."""
        return self.app.i18n.translator(language).gettext(message, **values)


async def _console(
    database_url: str, tmp_path: Path, programme: Path | None
) -> AsyncIterator[Console]:
    tg = FakeBotAPI()
    slack = FakeSlack(members=["USTAFF", "UBOT"])
    settings = Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        telegram_bot_token=TOKEN,
        telegram_base_url=await tg.start(),
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_staff_channel=STAFF_CHANNEL,
        slack_staff_user_ids="UEXTRA",
        slack_api_url=await slack.start(),
        telegram_bot_username="ProgrammeBot",
        public_url="https://bot.example.org",
    )
    clock = MutableClock(datetime.fromisoformat("2024-05-01T07:30-04:00"))
    done: dict[int, asyncio.Event] = defaultdict(asyncio.Event)

    async def finished(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        done[update.update_id].set()

    async def username() -> str:
        return "ProgrammeBot"

    try:
        async with services(settings, clock) as app:
            if programme is not None:
                await import_file(app, programme)
            async with (
                staff_console(app, bot_username=username) as bolt,
                polling(app, poll_timeout=1) as application,
            ):
                application.add_handler(TypeHandler(Update, finished), group=1)
                runner = web.AppRunner(build_web_app(app, None, "", bolt), access_log=None)
                await runner.setup()
                site = web.TCPSite(runner, "127.0.0.1", 0)
                await site.start()
                port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
                client = SlackClient(f"http://127.0.0.1:{port}{SLACK_PATH}", slack)
                try:
                    yield Console(Harness(tg, app, clock, done), slack, client, app, clock)
                finally:
                    await tg.closing()
                    await runner.cleanup()
    finally:
        await tg.stop()
        await slack.stop()


@pytest.fixture
async def console(database_url: str, tmp_path: Path) -> AsyncIterator[Console]:
    """The console on the fixture programme, with a phone number for one participant."""
    doc = load_yaml(FIXTURE.read_text(encoding="utf-8"))
    for person in doc["participants"]:
        if person["key"] == "P04":
            person["phone"] = PHONE
    programme = tmp_path / "programme.yaml"
    programme.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    async for built in _console(database_url, tmp_path, programme):
        yield built


async def _count(app: Services, model: Any) -> int:
    async with app.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def _user(key: str) -> int:
    return 1000 + int(key[1:])


async def _link(c: Console, *keys: str) -> None:
    for key in keys:
        reply = readable(await c.tg.link(_user(key), key))
        assert NAMES[key] in reply, reply
    c.mark = len(c.tg.fake.sent)


def _messages_to(c: Console, key: str) -> list[Sent]:
    return [s for s in c.tg.fake.to_chat(_user(key), c.mark) if s.method == "sendMessage"]


def _language(key: str) -> str:
    people = load_yaml(FIXTURE.read_text(encoding="utf-8"))["participants"]
    return str(next(p for p in people if p["key"] == key)["language"])


def _fields(call: Call) -> dict[str, int]:
    """A report's numbers by label."""
    found = {}
    for block in call.params.get("blocks", []):
        for field in block.get("fields", []):
            label, _, number = field["text"].partition("\n")
            found[label.strip("*")] = int(number)
    return found


# ---- the door: signatures and staff ----


async def test_unsigned_forged_and_stale_requests_are_refused(console: Console) -> None:
    """A bad signature, a missing one and a stale timestamp get 401 and change nothing."""
    c = console
    body = "command=%2Fbroadcast&user_id=USTAFF&team_id=T0001&trigger_id=t1&text="
    form = "application/x-www-form-urlencoded"
    stale = int(datetime.now().timestamp()) - 600
    for headers in ({}, sign(body, secret="not-the-secret"), sign(body, timestamp=stale)):
        status, _ = await c.client.post(body, form, headers)
        assert status == 401
    forged_payload = "payload=" + json.dumps({"type": "view_submission", "user": {"id": "USTAFF"}})
    status, _ = await c.client.post(forged_payload, form, sign(forged_payload, secret="nope"))
    assert status == 401
    assert c.slack.of("views.open") == [] and c.slack.of("chat.postMessage") == []
    assert await _count(c.app, Campaign) == 0


def _payload(payload: object) -> str:
    return urlencode({"payload": json.dumps(payload)})


STAFF = {"id": "USTAFF"}
COMPOSE = {"type": "modal", "id": "V1", "callback_id": "broadcast_compose", "blocks": []}
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
# Signed bodies that are not what Slack sends: not JSON, or JSON of the wrong shape.
MALFORMED: list[tuple[str | bytes, str]] = [
    ("payload=not-json", FORM),
    ("payload=" + "%5B" * 100_000, FORM),
    (b"payload=\xff\xfe", FORM),
    (_payload([1]), FORM),
    (_payload("view_submission"), FORM),
    (_payload({"type": 5, "user": STAFF}), FORM),
    (_payload({"type": "view_submission", "user": 5, "view": COMPOSE}), FORM),
    (_payload({"type": "view_submission", "user_id": "USTAFF", "view": COMPOSE}), FORM),
    (_payload({"type": "view_submission", "user": STAFF, "view": "broadcast_compose"}), FORM),
    (_payload({"type": "view_submission", "user": STAFF, "view": {"id": "V1"}}), FORM),
    (
        _payload({"type": "view_submission", "user": STAFF, "view": {**COMPOSE, "state": "full"}}),
        FORM,
    ),
    (
        _payload(
            {
                "type": "view_submission",
                "user": STAFF,
                "view": {**COMPOSE, "state": {"values": {"kind": {"kind": "everyone"}}}},
            }
        ),
        FORM,
    ),
    (_payload({"type": "block_actions", "user": STAFF, "actions": []}), FORM),
    (_payload({"type": "block_actions", "user": STAFF, "actions": [{"action_id": 5}]}), FORM),
    (_payload({"type": "block_actions", "user": STAFF, "team": 7, "actions": "all"}), FORM),
    ("command=%2Fbroadcast&user_id=USTAFF&team_id=T0001", FORM),
    ("[1]", JSON),
    ('"event_callback"', JSON),
    ("{not json", JSON),
    ('{"type": "event_callback", "event": "message"}', JSON),
    ('{"type": "event_callback", "event": {"type": "message", "user": 5, "ts": "1"}}', JSON),
    ('{"type": "event_callback", "authorizations": 3, "event": {"type": "message"}}', JSON),
    ('{"type": "event_callback", "event": {"type": "message", "channel": [1], "ts": "1"}}', JSON),
]


async def test_malformed_requests_are_refused_without_a_trace(
    console: Console, caplog: pytest.LogCaptureFixture
) -> None:
    """Garbled auth gets 401, signed garbage 400; no traceback, and the console carries on."""
    c = console
    body = "command=%2Froster&user_id=USTAFF&team_id=T0001&trigger_id=t1&text="
    signature = sign(body)["X-Slack-Signature"]
    for headers in (
        {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": signature},
        {"X-Slack-Request-Timestamp": "abc"},
        {"X-Slack-Request-Timestamp": "\u0661\u0662\u0663", "X-Slack-Signature": signature},
        {"X-Slack-Request-Timestamp": "9" * 400, "X-Slack-Signature": signature},
        {**sign(body), "X-Slack-Signature": "v0=\u00e9"},
    ):
        status, _ = await c.client.post(body, FORM, headers)
        assert status == 401, headers
    # Authentication comes first: an unsigned body is refused for that, whatever it holds.
    status, _ = await c.client.post("payload=not-json", FORM, {})
    assert status == 401
    for raw, content_type in MALFORMED:
        status, _ = await c.client.post(raw, content_type)
        assert status == 400, raw[:120]
    # Well formed, but a pick from no modal, or from one without the picker: nothing happens.
    pick = {"type": "block_actions", "user": STAFF, "actions": [{"action_id": "event_pick"}]}
    for view in (None, {**COMPOSE, "callback_id": "event_edit"}):
        status, _ = await c.client.interaction({**pick, "view": view} if view else pick)
        assert status == 200
    # Slack sends UTF-8 whatever the header says.
    roster = body + "&response_url=" + quote(f"{c.slack.root}/respond/charset", safe="")
    status, _ = await c.client.post(roster, FORM + "; charset=no-such-charset")
    assert status == 200
    status, _ = await c.client.command("/roster")
    assert status == 200
    first = await c.slack.wait_for(lambda call: call.method == "response_url")
    after = c.slack.calls.index(first) + 1
    second = await c.slack.wait_for(lambda call: call.method == "response_url", since=after)
    assert NAMES["P01"] in first.text() and NAMES["P01"] in second.text()
    assert c.slack.of("views.open") == [] and c.slack.of("chat.postMessage") == []
    assert await _count(c.app, Campaign) == 0
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_only_staff_may_use_the_console(console: Console) -> None:
    """Someone outside the staff channel is refused politely; a configured user ID is staff."""
    c = console
    status, body = await c.client.command("/broadcast", user="UOUTSIDER")
    assert status == 200 and "staff" in json.loads(body)["text"]
    status, body = await c.client.command("/roster", user="UOUTSIDER")
    assert status == 200 and "staff" in json.loads(body)["text"]
    # A staff member's command afterwards is a barrier: once its answer is in, anything the
    # refused commands had started would have shown as well.
    status, _ = await c.client.command("/roster")
    assert status == 200
    await c.slack.wait_for(lambda call: call.method == "response_url")
    assert c.slack.of("views.open") == [] and len(c.slack.of("response_url")) == 1
    mark = len(c.slack.calls)
    status, _ = await c.client.command("/checkin", user="UEXTRA")
    assert status == 200
    view = await c.opened(mark)
    status, _ = await c.client.submit(
        view, {"kind": {"selected_option": {"value": "everyone"}}}, user="UOUTSIDER"
    )
    assert status == 200
    assert await _count(c.app, Campaign) == 0


async def test_commands_are_acknowledged_before_their_work(console: Console) -> None:
    """Slack gets its answer while the work behind a command is still waiting on Slack."""
    c = console
    c.slack.held["views.open"] = asyncio.Event()
    status, body = await c.client.command("/broadcast")
    assert status == 200 and body == ""  # acknowledged; the modal is not open yet
    assert c.slack.of("views.open") == []
    c.slack.held["views.open"].set()
    await c.slack.wait_for(lambda call: call.method == "views.open")


async def test_before_any_import_every_request_is_told_so(
    database_url: str, tmp_path: Path
) -> None:
    """Commands, forms and buttons reaching an empty store say no programme is loaded."""
    said = "No programme has been loaded yet."
    async for c in _console(database_url, tmp_path, None):
        for command in ("/broadcast", "/checkin", "/agenda", "/event", "/roster"):
            mark = len(c.slack.calls)
            status, _ = await c.client.command(command)
            assert status == 200
            call = await c.slack.wait_for(lambda call: call.method == "response_url", since=mark)
            assert said in call.text(), command
        # Forms and buttons of modals opened before the store was emptied.
        audience = {"kind": {"selected_option": {"value": "everyone"}}}
        forms: list[tuple[dict[str, Any], dict[str, dict[str, Any]], str]] = [
            (
                {"callback_id": "broadcast_compose", "private_metadata": ""},
                {**audience, "text": {"value": "Hello"}},
                "views.update",
            ),
            (
                {"callback_id": "broadcast_confirm", "private_metadata": '{"c": 1}'},
                {},
                "chat.postMessage",
            ),
            (
                {"callback_id": "checkin_compose", "private_metadata": ""},
                audience,
                "chat.postMessage",
            ),
            (
                {"callback_id": "event_edit", "private_metadata": '{"key": "x", "version": 1}'},
                {"status": {"selected_option": {"value": "cancelled"}}},
                "chat.postMessage",
            ),
        ]
        for n, (view, values, method) in enumerate(forms):
            mark = len(c.slack.calls)
            modal = c.slack.known_view(
                {"type": "modal", "id": f"V{n}", "hash": "h", "blocks": [], **view}
            )
            status, _ = await c.client.submit(modal, values)
            assert status == 200
            call = await c.slack.wait_for(lambda call, m=method: call.method == m, since=mark)
            assert said in call.text(), view["callback_id"]
        mark = len(c.slack.calls)
        picker = c.slack.known_view(
            {"type": "modal", "id": "VP", "hash": "h", "callback_id": "event_edit", "blocks": []}
        )
        await c.client.choose(picker, "event_pick", "x")
        call = await c.slack.wait_for(lambda call: call.method == "views.update", since=mark)
        assert said in call.text()
        assert await _count(c.app, Campaign) == 0


# ---- broadcast, end to end ----


async def test_broadcast_reaches_each_language_and_the_report_ends_right(console: Console) -> None:
    """Modal -> preview -> outbox -> Telegram in six languages -> live report, acks, reminder."""
    c = console
    linked = ["P01", "P03", "P05", "P07", "P09", "P11"]  # es fr ar ru pt en
    await _link(c, *linked)
    mark = len(c.slack.calls)
    status, _ = await c.client.command("/broadcast")
    assert status == 200
    compose = await c.opened(mark)
    assert {b["block_id"] for b in compose["blocks"] if b["type"] == "input"} >= {
        "kind",
        "groups",
        "city",
        "day",
        "participants",
        "text",
        "tr_es",
        "tr_ar",
        "flags",
        "send_at",
    }
    english = "The bus leaves at 09:15 from the hotel lobby."
    spanish = "El autobús sale a las 09:15 del vestíbulo del hotel."
    mark = len(c.slack.calls)
    status, body = await c.client.submit(
        compose,
        {
            "kind": {"selected_option": {"value": "everyone"}},
            "text": {"value": english},
            "tr_es": {"value": spanish},
            "flags": {"selected_options": [{"value": "ack"}]},
        },
    )
    assert status == 200 and json.loads(body)["response_action"] == "update"
    preview = await c.updated(mark)
    shown = Call("view", preview).text()
    assert spanish in shown and english in shown
    assert c.t("fr", "Message from the programme staff") in shown
    assert "6 not linked" in shown and "6 on Telegram" in shown
    assert await _count(c.app, Outgoing) == 0  # nothing goes before confirming

    mark = len(c.slack.calls)
    status, _ = await c.client.submit(preview, {})
    assert status == 200
    report = await c.slack.wait_for(
        lambda call: call.method == "chat.postMessage" and call.params["channel"] == STAFF_CHANNEL,
        since=mark,
    )
    assert _fields(report)["Not linked"] == 6
    status, _ = await c.client.submit(preview, {})  # a double click sends nothing more
    assert await _count(c.app, Outgoing) == 6

    c.tg.fake.fail("sendMessage", 403)  # one participant has blocked the bot
    await c.drain()
    async with c.app.sessions() as session:
        campaign = await session.scalar(select(Campaign))
        assert campaign is not None
        blocked = await session.scalar(
            select(Outgoing.participant_key).where(Outgoing.status == "blocked")
        )
    delivered = [k for k in linked if k != blocked]
    for key in delivered:
        language = _language(key)
        (sent,) = _messages_to(c, key)
        text = sent.text()
        assert c.t(language, "Message from the programme staff") in text
        assert (spanish if language == "es" else english) in text
        assert f"ack:{campaign.id}" in json.dumps(sent.params["reply_markup"])
    got_it = delivered[:2]
    for key in got_it:
        replies = readable(await c.tg.tap(_user(key), f"ack:{campaign.id}"))
        assert c.t(_language(key), "Thank you, noted.") in replies, replies
    mark = len(c.slack.calls)
    c.app.desk.nudge()
    final = await c.slack.wait_for(
        lambda call: call.method == "chat.update" and _fields(call).get("Acknowledged") == 2,
        since=0,
    )
    numbers = _fields(final)
    assert numbers["Delivered"] == 5 and numbers["Blocked"] == 1 and numbers["Not linked"] == 6
    assert numbers["Pending"] == 0 and numbers["Failed"] == 0
    names = Call("u", final.params).text()
    assert NAMES[blocked] in names
    for key in delivered[2:]:
        assert NAMES[key] in names  # still not acknowledged, by name

    c.clock.instant += timedelta(minutes=61)
    await c.sweep(campaign_sweep)
    await c.sweep(campaign_sweep)  # once only
    await c.drain()
    for key in delivered:
        language = c.app.i18n.translator(_language(key)).code
        reminder = c.t(language, "Reminder: please confirm you have read this message.")
        reminded = [s for s in _messages_to(c, key) if reminder in s.text()]
        assert len(reminded) == (0 if key in got_it else 1), key
    async with c.app.sessions() as session:
        reminders = await session.scalar(
            select(func.count()).select_from(Outgoing).where(Outgoing.kind == "ack-reminder")
        )
    assert reminders == 3


async def test_scheduled_broadcast_waits_for_its_time(console: Console) -> None:
    """A broadcast for later is queued by the sweep when its time comes, not before."""
    c = console
    await _link(c, "P11")
    mark = len(c.slack.calls)
    await c.client.command("/broadcast")
    compose = await c.opened(mark)
    at = c.clock.instant + timedelta(hours=2)
    mark = len(c.slack.calls)
    await c.client.submit(
        compose,
        {
            "kind": {"selected_option": {"value": "participants"}},
            "participants": {"selected_options": [{"value": "P11"}]},
            "text": {"value": "Dinner moved to 19:30."},
            "send_at": {"selected_date_time": int(at.timestamp())},
        },
    )
    preview = await c.updated(mark)
    await c.client.submit(preview, {})
    await c.slack.wait_for(lambda call: call.method == "chat.postMessage", since=mark)
    assert await c.sweep(campaign_sweep) == 0
    assert await _count(c.app, Outgoing) == 0
    c.clock.instant = at
    assert await c.sweep(campaign_sweep) == 1
    await c.drain()
    assert "Dinner moved to 19:30." in _messages_to(c, "P11")[0].text()


async def test_broadcast_form_errors_are_shown_in_the_modal(console: Console) -> None:
    """No text, or groups chosen as audience without a group: errors in place, nothing saved."""
    c = console
    mark = len(c.slack.calls)
    await c.client.command("/broadcast")
    compose = await c.opened(mark)
    status, body = await c.client.submit(
        compose, {"kind": {"selected_option": {"value": "groups"}}, "text": {"value": " "}}
    )
    errors = json.loads(body)["errors"]
    assert status == 200 and set(errors) == {"groups", "text"}
    past = int((c.clock.instant - timedelta(hours=1)).timestamp())
    status, body = await c.client.submit(
        compose,
        {
            "kind": {"selected_option": {"value": "everyone"}},
            "text": {"value": "Hello"},
            "send_at": {"selected_date_time": past},
        },
    )
    assert set(json.loads(body)["errors"]) == {"send_at"}
    assert await _count(c.app, Campaign) == 0


async def test_garbled_forms_change_nothing(console: Console) -> None:
    """Signed but garbled submissions: errors in the form or nothing at all, never a send."""
    c = console
    mark = len(c.slack.calls)
    await c.client.command("/broadcast")
    compose = await c.opened(mark)
    status, body = await c.client.submit(
        compose,
        {
            "kind": {"selected_option": {"value": "everybody-and-their-dog"}},
            "day": {"selected_date": "not-a-date"},
            "text": {"value": "Hello"},
            "send_at": {"selected_date_time": "soon"},
        },
    )
    assert status == 200 and set(json.loads(body)["errors"]) == {"kind"}
    confirm = {"type": "modal", "callback_id": "broadcast_confirm", "id": "VX", "blocks": []}
    for meta in ("", "abc", "999999", '{"c": 999999}', '{"c": "x"}'):
        status, _ = await c.client.submit({**confirm, "private_metadata": meta}, {})
        assert status == 200
    edit = {"type": "modal", "callback_id": "event_edit", "id": "VY", "blocks": []}
    for meta in ("", "{", '{"key": "nope", "version": "x"}', '{"key": "nope", "version": 1}'):
        status, _ = await c.client.submit(
            {**edit, "private_metadata": meta}, {"start": {"selected_time": "25:99"}}
        )
        assert status == 200
    gone = await c.slack.wait_for(lambda call: call.method == "chat.postMessage")
    assert "no longer on" in gone.text() and gone.params["channel"] == "USTAFF"
    assert await _count(c.app, Campaign) == 0 and await _count(c.app, Outgoing) == 0
    assert await _count(c.app, Change) == len(load_yaml(FIXTURE.read_text())["events"])


# ---- question relay ----


async def test_question_relay_round_trip(console: Console) -> None:
    """/ask -> staff thread; a staff reply -> Telegram; the follow-up joins the same thread."""
    c = console
    await _link(c, "P11", "P07")
    user = _user("P11")
    mark = len(c.slack.calls)
    reply = readable(await c.tg.say(user, "/ask Can my spouse come to the reception?"))
    assert "passed your question" in reply
    parent = await c.slack.wait_for(lambda call: call.method == "chat.postMessage", since=mark)
    posted = parent.text()
    assert parent.params["channel"] == STAFF_CHANNEL and "thread_ts" not in parent.params
    for fact in (
        NAMES["P11"],
        "Can my spouse come to the reception?",
        "Group B",
        "Washington, DC",
        "English",
    ):
        assert fact in posted, fact
    thread_ts = parent.result["ts"]
    await _thread_recorded(c, thread_ts)

    status, _ = await c.client.message(
        "I am not staff, ignore me", thread_ts=thread_ts, user="UOUTSIDER"
    )
    assert status == 200
    status, _ = await c.client.message("Yes, spouses are welcome.", thread_ts=thread_ts)
    assert status == 200
    await c.slack.wait_for(lambda call: call.method == "reactions.add")
    await c.drain()
    (answer,) = _messages_to(c, "P11")[-1:]
    assert "Answer from the programme staff" in answer.text()
    assert "Yes, spouses are welcome." in answer.text()
    assert all("ignore me" not in s.text() for s in c.tg.fake.sent)

    mark = len(c.slack.calls)
    follow = readable(await c.tg.say(user, "Thank you! Does she need an ID?", reply_to_bot=True))
    assert "Sent to the programme staff" in follow and "could not answer" not in follow
    joined = await c.slack.wait_for(lambda call: call.method == "chat.postMessage", since=mark)
    assert joined.params.get("thread_ts") == thread_ts
    assert "Does she need an ID?" in joined.text()

    # Something the bot cannot answer opens a thread for that participant.
    mark = len(c.slack.calls)
    garbled = readable(await c.tg.say(_user("P07"), "qwzx vbnm plkj", language="ru"))
    passed = c.t(
        "ru",
        "I could not answer that myself, so I have passed it to the programme staff. "
        "They will answer you here.",
    )
    assert passed in garbled, garbled
    other = await c.slack.wait_for(lambda call: call.method == "chat.postMessage", since=mark)
    assert "thread_ts" not in other.params and NAMES["P07"] in other.text()


async def test_failed_updates_alert_staff_without_their_text(console: Console) -> None:
    """A Telegram update that fails: the participant gets an apology, staff a short alert."""
    c = console
    await _link(c, "P11")
    c.tg.fake.fail("sendMessage", 400)
    mark = len(c.slack.calls)
    apology = readable(await c.tg.say(_user("P11"), "What is on today, my secret plans?"))
    assert "something went wrong" in apology
    alert = await c.slack.wait_for(
        lambda call: call.method == "chat.postMessage" and "BadRequest" in call.text(), since=mark
    )
    assert "1 Telegram update" in alert.text() and "secret" not in alert.text()


INJECTION = "<!channel> <@U999> & <b>"
# The override would reverse what follows the name in the staff channel.
INJECTED_NAME = "Ana <!here> & <@U998>\u202e"


def _assert_inert(call: Call, *, here: bool = False) -> None:
    """No string the call carries can mention, link, format or reverse: escaped, no overrides.

    ``here``: the bot's own <!here> opening the message's text is the one mention allowed.
    """
    if here:
        assert call.params["text"].startswith("<!here> ")
        call = Call(call.method, {**call.params, "text": call.params["text"][len("<!here> ") :]})
    for text in call.strings():
        assert "<" not in text and "\u202e" not in text, text
        assert not re.search(r"&(?!amp;|lt;|gt;)", text), text
        # A ">" only opens a quoted line.
        assert ">" not in re.sub(r"(?m)^> ", "", text), text


async def test_participant_text_reaches_slack_escaped(database_url: str, tmp_path: Path) -> None:
    """A question, its follow-up and a help alert: the participant's words and name, inert."""
    doc = load_yaml(FIXTURE.read_text(encoding="utf-8"))
    for person in doc["participants"]:
        if person["key"] == "P04":
            person["name"] = INJECTED_NAME
            person["phone"] = PHONE
    programme = tmp_path / "programme.yaml"
    programme.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    escaped = "&lt;!channel&gt; &lt;@U999&gt; &amp; &lt;b&gt;"
    escaped_name = "Ana &lt;!here&gt; &amp; &lt;@U998&gt;"
    async for c in _console(database_url, tmp_path, programme):
        user = _user("P04")
        await c.tg.link(user, "P04")
        mark = len(c.slack.calls)
        await c.tg.say(user, f"/ask {INJECTION}")
        question = await c.slack.wait_for(
            lambda call: call.method == "chat.postMessage", since=mark
        )
        await _thread_recorded(c, question.result["ts"])
        mark = len(c.slack.calls)
        await c.tg.say(user, f"And {INJECTION}", reply_to_bot=True)
        follow = await c.slack.wait_for(lambda call: call.method == "chat.postMessage", since=mark)
        assert follow.params["thread_ts"] == question.result["ts"]

        mark = len(c.slack.calls)
        await c.client.command("/checkin")
        view = await c.opened(mark)
        mark = len(c.slack.calls)
        await c.client.submit(
            view,
            {
                "kind": {"selected_option": {"value": "participants"}},
                "participants": {"selected_options": [{"value": "P04"}]},
                "mode": {"selected_option": {"value": "real"}},
            },
        )
        await c.slack.wait_for(lambda call: call.method == "chat.postMessage", since=mark)
        await c.drain()
        async with c.app.sessions() as session:
            campaign = await session.scalar(select(Campaign))
            assert campaign is not None
        mark = len(c.slack.calls)
        await c.tg.tap(user, f"chk:{campaign.id}:help")
        alert = await c.slack.wait_for(
            lambda call: call.method == "chat.postMessage" and PHONE in call.text(), since=mark
        )

        for call in (question, follow):
            _assert_inert(call)
        _assert_inert(alert, here=True)  # a real check-in: the channel is notified
        assert escaped_name in question.params["text"] and escaped in question.text()
        assert escaped in follow.params["text"] and escaped in json.dumps(follow.params["blocks"])
        assert escaped_name in alert.params["text"] and escaped_name in json.dumps(alert.params)
        # Staff read the question as written, once Slack has decoded the entities.
        assert INJECTION in html.unescape(json.dumps(question.params["blocks"]))


# ---- safety check-in ----


async def test_checkin_with_one_need_help(console: Console) -> None:
    """A drill check-in to group A: live tally, and an alert with phone and city at once."""
    c = console
    await _link(c, "P01", "P04", "P08")  # group A; P10 of group A is not linked
    mark = len(c.slack.calls)
    await c.client.command("/checkin")
    view = await c.opened(mark)
    mark = len(c.slack.calls)
    status, _ = await c.client.submit(
        view,
        {
            "kind": {"selected_option": {"value": "groups"}},
            "groups": {"selected_options": [{"value": "A"}]},
            "mode": {"selected_option": {"value": "drill"}},
        },
    )
    assert status == 200
    tally = await c.slack.wait_for(lambda call: call.method == "chat.postMessage", since=mark)
    assert "DRILL" in tally.text()
    await c.drain()
    async with c.app.sessions() as session:
        campaign = await session.scalar(select(Campaign))
        assert campaign is not None
    for key in ("P01", "P04", "P08"):
        (sent,) = _messages_to(c, key)
        markup = json.dumps(sent.params["reply_markup"])
        assert all(f"chk:{campaign.id}:{a}" in markup for a in ("safe", "help", "away"))
    assert _messages_to(c, "P11") == []  # not in group A
    mark = len(c.slack.calls)
    await c.tg.tap(_user("P04"), f"chk:{campaign.id}:help")
    alert = await c.slack.wait_for(
        lambda call: call.method == "chat.postMessage" and PHONE in call.text(), since=mark
    )
    assert NAMES["P04"] in alert.text() and "Washington, DC" in alert.text()
    assert "DRILL" in alert.text()
    await c.tg.tap(_user("P01"), f"chk:{campaign.id}:safe")
    c.app.desk.nudge()
    final = await c.slack.wait_for(
        lambda call: (
            call.method == "chat.update"
            and _fields(call).get("Safe") == 1
            and _fields(call).get("Need help") == 1
        ),
    )
    numbers = _fields(final)
    assert numbers["No answer yet"] == 1 and numbers["Not linked"] == 1
    text = final.text()
    assert NAMES["P08"] in text and NAMES["P10"] in text and NAMES["P04"] in text
    alerts = [call for call in c.slack.of("chat.postMessage") if PHONE in call.text()]
    assert len(alerts) == 1  # one alert per "need help", not one per sync


# ---- schedule, edits and roster ----


async def test_agenda_for_staff(console: Console) -> None:
    """/agenda [date] [group] shows that day's events for all groups, or one."""
    c = console
    async with c.app.sessions() as session:
        k = await c.app.assistant.knowledge(session)
    assert k is not None
    day = c.clock.instant.date() + timedelta(days=1)
    mark = len(c.slack.calls)
    await c.client.command("/agenda", "tomorrow")
    shown = (await c.slack.wait_for(lambda call: call.method == "response_url", since=mark)).text()
    for event in day_agenda(k, day):
        assert title_of(k, event) in shown
    later = datetime(2024, 5, 7).date()
    mark = len(c.slack.calls)
    await c.client.command("/agenda", "2024-05-07 C")
    shown = (await c.slack.wait_for(lambda call: call.method == "response_url", since=mark)).text()
    for event in day_agenda(k, later):
        if event.groups and "C" not in event.groups:
            assert title_of(k, event) not in shown
        else:
            assert title_of(k, event) in shown
    mark = len(c.slack.calls)
    await c.client.command("/agenda", "someday maybe")
    shown = (await c.slack.wait_for(lambda call: call.method == "response_url", since=mark)).text()
    assert "could not read" in shown


async def test_event_edit_notifies_exactly_the_audience(console: Console) -> None:
    """/event: find, choose, see who will be told, move it; the change sweep tells them."""
    c = console
    await _link(c, "P01", "P02", "P03")  # groups A, B, C
    async with c.app.sessions() as session:
        k = await c.app.assistant.knowledge(session)
        assert k is not None
    tomorrow = c.clock.instant.date() + timedelta(days=1)
    target = next(e for e in day_agenda(k, tomorrow) if not e.groups)
    mark = len(c.slack.calls)
    await c.client.command("/event", title_of(k, target))
    view = await c.opened(mark)
    assert view["private_metadata"] and json.loads(view["private_metadata"])["key"] == target.key
    other = next(e for e in k.ordered if e.groups == ["A"] and e.start > c.clock.instant)
    mark = len(c.slack.calls)
    await c.client.choose(view, "event_pick", other.key)
    chosen = await c.updated(mark)
    assert json.loads(chosen["private_metadata"])["key"] == other.key
    assert "notifies 1 participant" in Call("v", chosen).text()
    assert NAMES["P01"] in Call("v", chosen).text() and NAMES["P02"] not in Call("v", chosen).text()
    mark = len(c.slack.calls)
    await c.client.command("/event", title_of(k, target))
    view = await c.opened(mark)
    assert "notifies 3 participants" in Call("v", view).text()
    local = target.start.astimezone(__import__("zoneinfo").ZoneInfo(target.timezone))
    end = target.end.astimezone(__import__("zoneinfo").ZoneInfo(target.timezone))
    new_start = (local + timedelta(hours=1)).strftime("%H:%M")
    new_end = (end + timedelta(hours=1)).strftime("%H:%M")
    status, body = await c.client.submit(
        view, {"start": {"selected_time": new_end}, "end": {"selected_time": new_start}}
    )
    assert "end" in json.loads(body)["errors"]
    mark = len(c.slack.calls)
    status, _ = await c.client.submit(
        view,
        {
            "day": {"selected_date": local.date().isoformat()},
            "start": {"selected_time": new_start},
            "end": {"selected_time": new_end},
            "status": {"selected_option": {"value": "scheduled"}},
        },
    )
    assert status == 200
    said = await c.slack.wait_for(lambda call: call.method == "chat.postMessage", since=mark)
    assert title_of(k, target) in said.text() and "3 participants" in said.text()
    async with c.app.sessions() as session:
        event = await session.get(Event, target.key)
        assert event is not None and event.version == target.version + 1
        assert event.start == target.start + timedelta(hours=1)
        change = await session.scalar(
            select(Change).where(Change.event_key == target.key, Change.kind == "changed")
        )
        assert change is not None and change.fields == ["time"]
    # Saving the same (now stale) form again is refused rather than applied twice.
    mark = len(c.slack.calls)
    await c.client.submit(
        view, {"start": {"selected_time": new_start}, "end": {"selected_time": new_end}}
    )
    # Told where the command was used (its response URL), seen by its author only.
    refused = await c.slack.wait_for(lambda call: call.method == "response_url", since=mark)
    assert refused.params["response_type"] == "ephemeral"
    assert "meanwhile" in refused.text()
    c.clock.instant += timedelta(minutes=2)
    assert await c.sweep(change_sweep) == 3
    await c.drain()
    for key, language in (("P01", "es"), ("P02", "es"), ("P03", "fr")):
        (notice,) = _messages_to(c, key)
        assert (
            c.t(language, "Change to your programme: “{title}”", title="|").split("|")[0]
            in notice.text()
        )


async def test_event_cancel_and_restore(console: Console) -> None:
    """Cancelling and restoring from /event each log a status change and notify the group."""
    c = console
    await _link(c, "P03")  # group C
    async with c.app.sessions() as session:
        k = await c.app.assistant.knowledge(session)
        assert k is not None
    target = next(e for e in k.ordered if e.groups == ["C"] and e.start > c.clock.instant)
    for status in ("cancelled", "scheduled"):
        mark = len(c.slack.calls)
        await c.client.command("/event", target.key)
        view = await c.opened(mark)
        assert json.loads(view["private_metadata"])["key"] == target.key
        mark = len(c.slack.calls)
        await c.client.submit(view, {"status": {"selected_option": {"value": status}}})
        said = await c.slack.wait_for(lambda call: call.method == "chat.postMessage", since=mark)
        assert "status" in said.text()
        async with c.app.sessions() as session:
            event = await session.get(Event, target.key)
            assert event is not None and event.status == status
        c.app.assistant.invalidate()
    async with c.app.sessions() as session:
        changes = list(
            await session.scalars(
                select(Change).where(Change.event_key == target.key, Change.kind == "changed")
            )
        )
    assert [ch.fields for ch in changes] == [["status"], ["status"]]
    assert [ch.details["after"]["status"] for ch in changes] == ["cancelled", "scheduled"]
    assert c.slack.of("auth.test")  # Bolt authorised the app against the (fake) Web API


async def test_roster_shows_status_and_working_deep_links(console: Console) -> None:
    """/roster: link status, language, group, unreachable; a roster deep link links for real."""
    c = console
    await _link(c, "P11")
    async with c.app.sessions.begin() as session:
        person = await session.get(Participant, "P12")
        assert person is not None
        person.telegram_user_id, person.unreachable = 5012, True
    mark = len(c.slack.calls)
    await c.client.command("/roster")
    shown = (await c.slack.wait_for(lambda call: call.method == "response_url", since=mark)).text()
    assert "12 participants, 2 linked, 10 not linked, 1 unreachable" in shown
    assert "unreachable" in shown
    for key in CODES:
        assert NAMES[key] in shown
    links = dict(
        re.findall(r"\*([^*]+)\* — [^\n]*<https://t\.me/ProgrammeBot\?start=([A-Z0-9-]+)\|", shown)
    )
    assert NAMES["P11"] not in links and len(links) == 10
    code = links[NAMES["P02"]]
    assert code not in json.dumps(await _dump_participants(c.app))  # only its hash is stored
    welcome = readable(await c.tg.say(4242, f"/start {code}"))
    assert NAMES["P02"] in welcome and "vinculada" in welcome  # linked, in Spanish


async def _thread_recorded(c: Console, ts: str) -> None:
    """Wait until the desk has recorded a posted question's thread (it commits after posting)."""
    for _ in range(600):
        async with c.app.sessions() as session:
            if await session.scalar(select(StaffThread.id).where(StaffThread.ts == ts)):
                return
        await asyncio.sleep(0.05)
    raise AssertionError(f"thread {ts} was never recorded")


async def _dump_participants(app: Services) -> list[dict[str, Any]]:
    async with app.sessions() as session:
        people = await session.scalars(select(Participant))
        return [{k: str(v) for k, v in vars(p).items() if not k.startswith("_")} for p in people]


# ---- Socket Mode ----


async def test_socket_mode_carries_commands_and_refusals(database_url: str, tmp_path: Path) -> None:
    """With SLACK_APP_TOKEN the console takes requests over Slack's socket, staff-only too."""
    slack = FakeSlack(members=["USTAFF"])
    settings = Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        slack_bot_token=BOT_TOKEN,
        slack_app_token=APP_TOKEN,
        slack_staff_channel=STAFF_CHANNEL,
        slack_api_url=await slack.start(),
    )

    async def no_username() -> None:
        return None

    def command(user: str, text: str) -> dict[str, str]:
        return {
            "command": "/agenda",
            "text": text,
            "user_id": user,
            "channel_id": STAFF_CHANNEL,
            "team_id": TEAM,
            "response_url": f"{slack.root}/respond/socket",
            "trigger_id": "trigger-socket",
        }

    clock = MutableClock(datetime.fromisoformat("2024-05-01T07:30-04:00"))
    try:
        async with services(settings, clock) as app:
            await import_file(app, FIXTURE)
            async with app.sessions() as session:
                k = await app.assistant.knowledge(session)
            assert k is not None
            async with staff_console(app, bot_username=no_username):
                refused = await slack.envelope("slash_commands", command("UOUTSIDER", "tomorrow"))
                assert "staff" in json.dumps(refused.get("payload"))
                acked = await slack.envelope("slash_commands", command("USTAFF", "tomorrow"))
                assert acked["envelope_id"]
                shown = await slack.wait_for(lambda call: call.method == "response_url")
                day = clock.instant.date() + timedelta(days=1)
                for event in day_agenda(k, day):
                    assert title_of(k, event) in shown.text()
                assert len(slack.of("response_url")) == 1  # the refusal did nothing
                assert slack.of("apps.connections.open")
    finally:
        await slack.stop()


# ---- the process ----


@pytest.mark.parametrize("command", ["serve", "run"])
async def test_processes_serve_slack_over_http(
    command: str, subprocess_env: dict[str, str], database_url: str
) -> None:
    """`serve`, and `run` without Socket Mode, answer Slack on $PORT (signatures checked)."""
    if command == "run" and not database_url.startswith("sqlite"):
        pytest.skip("one backend is enough for the single-process layout")
    slack = FakeSlack(members=["USTAFF"])
    tg = FakeBotAPI()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **subprocess_env,
        "PORT": str(port),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_STAFF_CHANNEL": STAFF_CHANNEL,
        "SLACK_API_URL": await slack.start(),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": await tg.start(),
        "TELEGRAM_WEBHOOK_SECRET": "hook-secret",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        command,
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(600):
                try:
                    async with http.get(base + "/healthz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.05)
            else:
                raise AssertionError(f"{command} did not come up")
            client = SlackClient(base + SLACK_PATH, slack)
            body = "command=%2Froster&user_id=USTAFF&team_id=T0001&trigger_id=t1&text="
            status, _ = await client.post(body, "application/x-www-form-urlencoded", {})
            assert status == 401
            status, _ = await client.command("/agenda", "2024-05-02")
            assert status == 200
            shown = await slack.wait_for(lambda call: call.method == "response_url")
            assert "No programme has been loaded yet." in shown.text()
            async with http.post(base + "/telegram/webhook", json={"update_id": 1}) as response:
                assert response.status == (403 if command == "serve" else 404)
    finally:
        await tg.closing()
        process.terminate()
        assert await asyncio.wait_for(process.wait(), 30) == 0
        await slack.stop()
        await tg.stop()


def test_cut_labels_keep_their_entities_whole() -> None:
    """A label cut to Slack's limit never ends in half an entity that would show as text."""
    assert plain("a" * 73 + "&b", 75)["text"] == "a" * 73
    assert plain("a" * 70 + "<b>", 75)["text"] == "a" * 70 + "&lt;b"
    assert section("x" * 3000)["text"]["text"] == "x" * 2900


# ---- console v2: what Slack refuses, retries, replies, actions, the Home tab ----


async def test_the_fake_refuses_what_slack_refuses(console: Console) -> None:
    """A modal with an input and no submit, a reused trigger, a stale hash: Slack's errors."""
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web.async_client import AsyncWebClient

    c = console
    web = AsyncWebClient(token=BOT_TOKEN, base_url=c.slack.base_url)
    field = {"type": "plain_text_input", "action_id": "x"}
    inputs = [{"type": "input", "block_id": "x", "label": plain("X"), "element": field}]
    modal = {"type": "modal", "title": plain("T"), "blocks": inputs}
    c.slack.issue_trigger("t-1")
    with pytest.raises(SlackApiError) as refused:
        await web.views_open(trigger_id="t-1", view=modal)
    assert refused.value.response["error"] == "invalid_arguments"
    c.slack.issue_trigger("t-2")
    opened = await web.views_open(trigger_id="t-2", view={**modal, "submit": plain("Save")})
    with pytest.raises(SlackApiError) as reused:
        await web.views_open(trigger_id="t-2", view={**modal, "submit": plain("Save")})
    assert reused.value.response["error"] == "invalid_trigger_id"
    view = opened["view"]
    await web.views_update(
        view_id=view["id"], hash=view["hash"], view={**modal, "submit": plain("S")}
    )
    with pytest.raises(SlackApiError) as stale:
        await web.views_update(view_id=view["id"], hash=view["hash"], view=modal)
    assert stale.value.response["error"] == "hash_conflict"
    options = [{"text": plain(str(n)), "value": str(n)} for n in range(101)]
    select = {"type": "static_select", "action_id": "s", "options": options}
    with pytest.raises(SlackApiError) as many:
        await web.chat_postMessage(
            channel=STAFF_CHANNEL, text="x", blocks=[{"type": "actions", "elements": [select]}]
        )
    assert many.value.response["error"] == "invalid_blocks"


async def test_event_without_a_search_opens_a_picker(console: Console) -> None:
    """/event alone opens a modal Slack accepts; choosing an event makes it a form to save."""
    c = console
    mark = len(c.slack.calls)
    status, _ = await c.client.command("/event")
    assert status == 200
    view = await c.opened(mark)  # asserts Slack said ok
    assert "submit" not in view and not [b for b in view["blocks"] if b["type"] == "input"]
    async with c.app.sessions() as session:
        k = await c.app.assistant.knowledge(session)
    assert k is not None
    target = next(e for e in k.ordered if e.start > c.clock.instant and e.groups == ["C"])
    mark = len(c.slack.calls)
    await c.client.choose(view, "event_pick", target.key)
    chosen = await c.updated(mark)
    assert chosen["submit"] and json.loads(chosen["private_metadata"])["key"] == target.key
    mark = len(c.slack.calls)
    await c.client.submit(chosen, {"status": {"selected_option": {"value": "cancelled"}}})
    said = await c.slack.wait_for(lambda call: call.method == "chat.postMessage", since=mark)
    assert title_of(k, target) in said.text()


async def test_a_listener_failing_after_its_ack_tells_the_user_and_logs(
    console: Console, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack down when a modal opens: the command was answered, the user is told, it is logged."""
    c = console
    c.slack.errors["views.open"] = "internal_error"
    mark = len(c.slack.calls)
    status, body = await c.client.command("/broadcast")
    assert status == 200 and body == ""
    told = await c.slack.wait_for(lambda call: call.method == "response_url", since=mark)
    assert "something went wrong" in told.text()
    assert told.params["response_type"] == "ephemeral"
    assert any("internal_error" in r.getMessage() for r in caplog.records if r.levelno >= 40)


async def test_a_redelivered_thread_answer_is_a_quiet_no_op(console: Console) -> None:
    """Slack's retry of a staff answer: sent once, one reaction, no error mark."""
    c = console
    await _link(c, "P11")
    mark = len(c.slack.calls)
    await c.tg.say(_user("P11"), "/ask Is there parking at the hotel?")
    parent = await c.slack.wait_for(lambda call: call.method == "chat.postMessage", since=mark)
    thread_ts = parent.result["ts"]
    await _thread_recorded(c, thread_ts)
    answer = {
        "type": "message",
        "channel": STAFF_CHANNEL,
        "user": "USTAFF",
        "text": "Yes, in the basement.",
        "ts": "1800000999.000100",
        "thread_ts": thread_ts,
        "channel_type": "channel",
    }
    status, _ = await c.client.event(answer, event_id="EvAnswer")
    assert status == 200
    await c.slack.wait_for(lambda call: call.method == "reactions.add")
    for retry in (1, 2):
        status, _ = await c.client.event(answer, retry=retry, event_id="EvAnswer")
        assert status == 200
    # A later staff command is a barrier: anything the retries started has shown by then.
    mark = len(c.slack.calls)
    await c.client.command("/agenda")
    await c.slack.wait_for(lambda call: call.method == "response_url", since=mark)
    reactions = c.slack.of("reactions.add")
    assert [r.params["name"] for r in reactions] == ["outbox_tray"]
    await c.drain()
    answers = [s for s in _messages_to(c, "P11") if "in the basement" in s.text()]
    assert len(answers) == 1


async def test_answers_reach_whoever_asked_wherever_they_asked(console: Console) -> None:
    """A configured staff member outside the channel, in another channel: told by response URL."""
    c = console
    async with c.app.sessions() as session:
        k = await c.app.assistant.knowledge(session)
    assert k is not None
    target = next(e for e in k.ordered if e.start > c.clock.instant and e.groups == ["C"])
    mark = len(c.slack.calls)
    await c.client.command("/event", target.key, user="UEXTRA", channel="CELSEWHERE")
    view = await c.opened(mark)
    mark = len(c.slack.calls)
    await c.client.submit(view, {}, user="UEXTRA")  # nothing changed
    told = await c.slack.wait_for(lambda call: call.method == "response_url", since=mark)
    assert "Nothing was changed." in told.text() and told.params["response_type"] == "ephemeral"
    assert not [call for call in c.slack.calls[mark:] if call.method == "chat.postEphemeral"]
    mark = len(c.slack.calls)
    await c.client.command("/agenda", "someday maybe", user="UEXTRA", channel="CELSEWHERE")
    told = await c.slack.wait_for(lambda call: call.method == "response_url", since=mark)
    assert "could not read" in told.text()


async def test_real_help_alerts_notify_the_channel_and_drills_do_not(console: Console) -> None:
    """<!here> for a real emergency only."""
    c = console
    await _link(c, "P04", "P01")
    alerts = {}
    for mode, key in (("drill", "P01"), ("real", "P04")):
        mark = len(c.slack.calls)
        await c.client.command("/checkin")
        view = await c.opened(mark)
        await c.client.submit(
            view,
            {
                "kind": {"selected_option": {"value": "participants"}},
                "participants": {"selected_options": [{"value": key}]},
                "mode": {"selected_option": {"value": mode}},
            },
        )
        await c.slack.wait_for(lambda call: call.method == "chat.postMessage", since=mark)
        await c.drain()
        async with c.app.sessions() as session:
            campaign = await session.scalar(select(Campaign).order_by(Campaign.id.desc()))
            assert campaign is not None
        mark = len(c.slack.calls)
        await c.tg.tap(_user(key), f"chk:{campaign.id}:help")
        alerts[mode] = await c.slack.wait_for(
            lambda call, k=key: call.method == "chat.postMessage" and NAMES[k] in call.text(),
            since=mark,
        )
    assert alerts["real"].params["text"].startswith("<!here> ")
    assert "<!here>" not in json.dumps(alerts["drill"].params)


async def test_numbers_and_labels_are_truthful(console: Console) -> None:
    """Delivered out of those linked; zones when groups are apart; languages named in English;
    the roster by name, filtered."""
    c = console
    await _link(c, "P01", "P03")  # es, fr
    mark = len(c.slack.calls)
    await c.client.command("/broadcast")
    compose = await c.opened(mark)
    mark = len(c.slack.calls)
    await c.client.submit(
        compose,
        {"kind": {"selected_option": {"value": "everyone"}}, "text": {"value": "Lunch at one."}},
    )
    preview = await c.updated(mark)
    shown = Call("v", preview).text()
    assert "*Spanish*" in shown and "*French*" in shown and "español" not in shown
    mark = len(c.slack.calls)
    await c.client.submit(preview, {})
    await c.slack.wait_for(lambda call: call.method == "chat.postMessage", since=mark)
    await c.drain()
    c.app.desk.nudge()
    done = await c.slack.wait_for(
        lambda call: call.method == "chat.update" and _fields(call).get("Delivered") == 2
    )
    assert "2 of 2 linked participants delivered, 10 not linked" in done.params["text"]

    mark = len(c.slack.calls)
    await c.client.command("/agenda", "2024-05-07")
    # The broadcast's own ephemeral note may still arrive meanwhile: the agenda is the one
    # that names the day.
    apart = (
        await c.slack.wait_for(
            lambda call: call.method == "response_url" and "May 7" in call.text(), since=mark
        )
    ).text()
    assert "Phoenix, UTC-7" in apart and "Chicago, UTC-5" in apart
    mark = len(c.slack.calls)
    await c.client.command("/agenda", "tomorrow")
    together = (await c.slack.wait_for(lambda c_: c_.method == "response_url", since=mark)).text()
    assert "UTC" not in together

    async with c.app.sessions.begin() as session:
        person = await session.get(Participant, "P12")
        assert person is not None
        person.telegram_user_id, person.unreachable = 5012, True
    mark = len(c.slack.calls)
    await c.client.command("/roster")
    roster = (await c.slack.wait_for(lambda call: call.method == "response_url", since=mark)).text()
    assert "Spanish" in roster and " · es · " not in roster
    for words, present, absent in (
        ("not linked", NAMES["P02"], NAMES["P01"]),
        ("unreachable", NAMES["P12"], NAMES["P02"]),
        ("C", NAMES["P03"], NAMES["P01"]),
    ):
        mark = len(c.slack.calls)
        await c.client.command("/roster", words)
        shown = (
            await c.slack.wait_for(lambda call: call.method == "response_url", since=mark)
        ).text()
        lines = [line for line in shown.split("\n") if "—" in line]
        assert any(present in line for line in lines), words
        assert not any(absent in line for line in lines), words
        assert "12 participants" in shown  # the counts stay those of everyone
    mark = len(c.slack.calls)
    await c.client.command("/roster", "nonsense words")
    refused = (
        await c.slack.wait_for(lambda call: call.method == "response_url", since=mark)
    ).text()
    assert "no such filter" in refused


async def test_confirming_says_so_with_a_link_to_the_report(console: Console) -> None:
    """After confirming, the author gets an ephemeral confirmation linking to the report."""
    c = console
    await _link(c, "P11")
    mark = len(c.slack.calls)
    await c.client.command("/checkin")
    view = await c.opened(mark)
    mark = len(c.slack.calls)
    await c.client.submit(view, {"kind": {"selected_option": {"value": "everyone"}}})
    report = await c.slack.wait_for(lambda call: call.method == "chat.postMessage", since=mark)
    told = await c.slack.wait_for(lambda call: call.method == "response_url", since=mark)
    ts = report.result["ts"].replace(".", "")
    assert f"/archives/{STAFF_CHANNEL}/p{ts}|" in told.text()
    assert "Check-in sent to 1 linked participant." in told.text()


async def test_report_actions_remind_and_retry_once(console: Console) -> None:
    """ "Remind" now and "Retry failed" from the report, each idempotent."""
    c = console
    await _link(c, "P01", "P03", "P11")
    mark = len(c.slack.calls)
    await c.client.command("/broadcast")
    compose = await c.opened(mark)
    mark = len(c.slack.calls)
    await c.client.submit(
        compose,
        {
            "kind": {"selected_option": {"value": "everyone"}},
            "text": {"value": "Please read the safety notes."},
            "flags": {"selected_options": [{"value": "ack"}]},
        },
    )
    preview = await c.updated(mark)
    mark = len(c.slack.calls)
    await c.client.submit(preview, {})
    report = await c.slack.wait_for(lambda call: call.method == "chat.postMessage", since=mark)
    c.tg.fake.fail("sendMessage", 400)  # one message is refused for good
    await c.drain()
    c.app.desk.nudge()
    updated = await c.slack.wait_for(
        lambda call: call.method == "chat.update" and _fields(call).get("Failed") == 1
    )
    actions = [
        e["action_id"]
        for b in updated.params["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    ]
    assert actions == ["report_remind", "report_retry"]
    async with c.app.sessions() as session:
        campaign = await session.scalar(select(Campaign))
        assert campaign is not None
    for _ in range(2):  # a double click
        mark = len(c.slack.calls)
        await c.client.click("report_remind", str(campaign.id), message=report)
        await c.slack.wait_for(lambda call: call.method == "response_url", since=mark)
    await c.drain()
    async with c.app.sessions() as session:
        reminders = await session.scalar(
            select(func.count()).select_from(Outgoing).where(Outgoing.kind == "ack-reminder")
        )
    assert reminders == 2  # the two delivered, once each, an hour early
    for expected in ("Retrying 1 message.", "Nothing failed is left to retry."):
        mark = len(c.slack.calls)
        await c.client.click("report_retry", str(campaign.id), message=report)
        told = await c.slack.wait_for(lambda call: call.method == "response_url", since=mark)
        assert expected in told.text()
    await c.drain()
    async with c.app.sessions() as session:
        failed = await session.scalar(
            select(func.count()).select_from(Outgoing).where(Outgoing.status == "failed")
        )
    assert failed == 0


def _edits(call: Call, posted: Call) -> bool:
    """Whether a call edits the message of an earlier post."""
    return call.method == "chat.update" and call.params["ts"] == posted.result["ts"]


async def _help_alert(c: Console, key: str) -> Call:
    mark = len(c.slack.calls)
    await c.client.command("/checkin")
    view = await c.opened(mark)
    mark = len(c.slack.calls)
    await c.client.submit(
        view,
        {
            "kind": {"selected_option": {"value": "participants"}},
            "participants": {"selected_options": [{"value": key}]},
        },
    )
    await c.slack.wait_for(lambda call: call.method == "chat.postMessage", since=mark)
    await c.drain()
    async with c.app.sessions() as session:
        campaign = await session.scalar(select(Campaign).order_by(Campaign.id.desc()))
        assert campaign is not None
    mark = len(c.slack.calls)
    await c.tg.tap(_user(key), f"chk:{campaign.id}:help")
    return await c.slack.wait_for(
        lambda call: call.method == "chat.postMessage" and NAMES[key] in call.text(), since=mark
    )


async def test_help_alert_and_question_actions_show_who_once(console: Console) -> None:
    """ "I'm on it" and "Resolved"; "Answered": the first click counts, a second changes nothing."""
    c = console
    await _link(c, "P04", "P11")
    alert = await _help_alert(c, "P04")
    value = next(
        e["value"] for b in alert.params["blocks"] if b["type"] == "actions" for e in b["elements"]
    )
    for user in ("USTAFF", "UEXTRA"):
        mark = len(c.slack.calls)
        await c.client.click("alert_take", value, message=alert, user=user)
        taken = await c.slack.wait_for(lambda call: _edits(call, alert), since=mark)
        assert "<@USTAFF> is on it" in taken.text() and "UEXTRA" not in taken.text()
    mark = len(c.slack.calls)
    await c.client.click("alert_resolve", value, message=alert, user="UEXTRA")
    resolved = await c.slack.wait_for(lambda call: _edits(call, alert), since=mark)
    assert "Resolved by <@UEXTRA>" in resolved.text()
    assert not [b for b in resolved.params["blocks"] if b["type"] == "actions"]

    mark = len(c.slack.calls)
    await c.tg.say(_user("P11"), "/ask Can I bring a guest?")
    question = await c.slack.wait_for(lambda call: call.method == "chat.postMessage", since=mark)
    await _thread_recorded(c, question.result["ts"])
    thread_id = next(
        e["value"]
        for b in question.params["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    )
    for action, user in (("question_answered", "USTAFF"), ("question_no_reply", "UEXTRA")):
        mark = len(c.slack.calls)
        await c.client.click(action, thread_id, message=question, user=user)
        closed = await c.slack.wait_for(lambda call: _edits(call, question), since=mark)
        assert "<@USTAFF> marked this answered" in closed.text()
        assert not [b for b in closed.params["blocks"] if b["type"] == "actions"]


async def test_home_tab_shows_today_and_what_waits(console: Console) -> None:
    """app_home_opened publishes the Home tab; a new question refreshes it; its buttons work."""
    c = console
    await _link(c, "P11")
    mark = len(c.slack.calls)
    status, _ = await c.client.event(
        {"type": "app_home_opened", "user": "USTAFF", "tab": "home", "channel": "DHOME"}
    )
    assert status == 200
    first = await c.slack.wait_for(lambda call: call.method == "views.publish", since=mark)
    assert first.result["ok"] and first.params["user_id"] == "USTAFF"
    shown = first.text()
    for fact in (
        "Programme today",
        "Washington, DC",
        "New York, UTC-4",
        "0 questions waiting",
        "12 participants: 11 not linked, 0 unreachable.",
        "Staff calendar (every group)",
    ):
        assert fact in shown, fact
    # The staff feed's address opens the whole programme's calendar.
    feed = re.search(r"https://bot\.example\.org/calendar/([\w-]+)\.ics", shown)
    assert feed is not None, shown
    assert await c.app.calendars.opens(feed.group(1))
    mark = len(c.slack.calls)
    await c.tg.say(_user("P11"), "/ask Where do I pick up my badge?")
    again = await c.slack.wait_for(
        lambda call: call.method == "views.publish" and "1 question waiting" in call.text(),
        since=mark,
    )
    assert "Where do I pick up my badge?" in again.text()
    for action, opened in (
        ("home_broadcast", "broadcast_compose"),
        ("home_checkin", "checkin_compose"),
        ("home_agenda", "notice"),
        ("home_roster", "notice"),
    ):
        mark = len(c.slack.calls)
        await c.client.click(action, "1", home=True)
        view = await c.opened(mark)
        assert view["callback_id"] == opened, action


async def test_participant_pickers_search_as_staff_type(console: Console) -> None:
    """The audience picker is an external select: options come from what staff type."""
    c = console
    mark = len(c.slack.calls)
    await c.client.command("/broadcast")
    view = await c.opened(mark)
    picker = next(b for b in view["blocks"] if b.get("block_id") == "participants")
    assert picker["element"]["type"] == "multi_external_select"
    surname = NAMES["P07"].split()[-1]
    status, body = await c.client.suggest("participants", surname[:4].lower())
    options = json.loads(body)["options"]
    assert status == 200 and {"P07"} <= {o["value"] for o in options}
    status, body = await c.client.suggest("participants", "")
    assert len(json.loads(body)["options"]) == 12
    status, body = await c.client.suggest("participants", "", user="UOUTSIDER")
    assert json.loads(body)["options"] == []
