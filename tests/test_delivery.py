"""Delivery: agendas, change notices, quiet hours and the outbox, against a fake Bot API."""

from __future__ import annotations

import asyncio
import copy
import re
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import delete, select, update

from bot.delivery.drain import DeliveryPolicy, Drainer
from bot.delivery.outbox import Message, claim, enqueue
from bot.delivery.port import Transient, Unknown
from bot.services import Services, import_file
from bot.store.models import Outgoing, Participant
from bot.yamlio import load_yaml
from handlers.telegram.request import AiohttpRequest
from handlers.telegram.sender import TelegramSender
from schedules import sweeps
from tests.conftest import FIXTURE
from tests.fake_telegram import MESSAGE_LIMIT, TOKEN, FakeBotAPI, utf16_length, visible_text

GROUPS = {
    "A": ["P01", "P04", "P08", "P10"],
    "B": ["P02", "P06", "P07", "P11"],
    "C": ["P03", "P05", "P09", "P12"],
}


class MutableClock:
    """A clock the test moves by hand."""

    def __init__(self, instant: datetime) -> None:
        self.instant = instant

    def now(self) -> datetime:
        """Return the instant the test set."""
        return self.instant

    def set(self, text: str) -> None:
        """Move to an ISO 8601 instant."""
        self.instant = datetime.fromisoformat(text)


@dataclass
class World:
    """A programme with everyone linked, a fake Bot API, the sweeps and a sender."""

    app: Services
    fake: FakeBotAPI
    clock: MutableClock
    drainer: Drainer

    def chat(self, key: str) -> int:
        """The Telegram chat of a participant."""
        return 1000 + int(key[1:])

    def received(self, key: str) -> list[str]:
        """Texts a participant received."""
        return [s.text() for s in self.fake.to_chat(self.chat(key)) if s.method == "sendMessage"]

    async def sweep(self, name: str) -> int:
        """Run one sweep now."""
        return await getattr(sweeps, name)(runtime="test")

    async def drain(self, rounds: int = 200) -> None:
        """Send until nothing is due, moving the clock past retry delays."""
        for _ in range(rounds):
            if await self.drainer.drain_once():
                continue
            async with self.app.sessions() as session:
                waiting = await session.scalar(
                    select(Outgoing.id).where(Outgoing.status == "pending").limit(1)
                )
            if waiting is None:
                return
            next_due = await self._next_due()
            if next_due > self.clock.now() + timedelta(hours=1):
                return  # held for quiet hours: the test moves the clock itself
            self.clock.instant = max(self.clock.instant, next_due) + timedelta(seconds=1)
        raise AssertionError("the outbox did not drain")

    async def _next_due(self) -> datetime:
        async with self.app.sessions() as session:
            rows = await session.scalars(
                select(Outgoing.not_before).where(Outgoing.status == "pending")
            )
            return min(rows)

    async def reimport(self, doc: dict[str, Any], tmp_path: Path) -> None:
        """Import an edited programme at the clock's instant."""
        path = tmp_path / f"edit-{self.clock.now().timestamp():.0f}.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        self.app.clock = self.clock
        await import_file(self.app, path)
        self.app.assistant.invalidate()


@pytest.fixture
async def world(app: Services) -> AsyncIterator[World]:
    """The fixture programme, all twelve participants linked, time at 2024-05-05 06:00 EDT."""
    clock = MutableClock(datetime.fromisoformat("2024-05-01T06:00-04:00"))
    app.clock = clock
    await import_file(app, FIXTURE)
    async with app.sessions.begin() as session:
        for person in await session.scalars(select(Participant)):
            person.telegram_user_id = 1000 + int(person.key[1:])
    fake = FakeBotAPI()
    base = await fake.start()
    from telegram.constants import ParseMode
    from telegram.ext import Defaults, ExtBot

    # As the outbox's bot in production: texts are HTML.
    bot = ExtBot(
        TOKEN,
        base_url=base,
        # Long enough that a busy test machine never turns a slow success into a retry; the
        # fake's hangs (timeout_delay) outlast it.
        request=AiohttpRequest(read_timeout=1.0),
        defaults=Defaults(parse_mode=ParseMode.HTML),
    )
    policy = DeliveryPolicy(
        rate=0, per_chat_interval=0, per_group_interval=0, backoff=0.5, batch=25
    )
    sweeps.install("test", sweeps.Runtime(app.sessions, app.assistant, app.i18n, clock))
    try:
        async with bot:
            yield World(app, fake, clock, Drainer(app.sessions, TelegramSender(bot), clock, policy))
    finally:
        sweeps.uninstall("test")
        await fake.stop()


async def _statuses(world: World) -> Counter[str]:
    async with world.app.sessions() as session:
        return Counter(await session.scalars(select(Outgoing.status)))


# ---- the daily agenda ----


async def test_agenda_comes_at_seven_local_to_each_groups_city(world: World) -> None:
    """Tampa, Chicago and Phoenix wake up at different hours; each gets one agenda."""
    world.clock.set("2024-05-06T06:30-04:00")
    assert await world.sweep("agenda_sweep") == 0
    world.clock.set("2024-05-06T07:00-04:00")  # 07:00 Tampa
    assert await world.sweep("agenda_sweep") == len(GROUPS["A"])
    world.clock.set("2024-05-06T08:00-05:00")  # 07:00 Chicago (09:00 in Washington)
    assert await world.sweep("agenda_sweep") == len(GROUPS["B"])
    world.clock.set("2024-05-06T09:59-04:00")  # 06:59 in Phoenix
    assert await world.sweep("agenda_sweep") == 0
    world.clock.set("2024-05-06T10:00-04:00")  # 07:00 in Phoenix is 10:00 in Washington
    assert await world.sweep("agenda_sweep") == len(GROUPS["C"])
    assert await world.sweep("agenda_sweep") == 0  # idempotent
    await world.drain()
    chicago = world.received("P02")
    assert len(chicago) == 1 and "Chicago Police" in chicago[0] and "Tampa" not in chicago[0]
    assert "Phoenix Police" in world.received("P12")[0]
    assert "Tampa Police" in world.received("P01")[0]


async def test_travel_day_agenda_follows_the_city_left_in_the_morning(world: World) -> None:
    """On the flight day to New York, group C's agenda comes at Phoenix time, before the flight."""
    world.clock.set("2024-05-12T07:30-04:00")  # 04:30 in Phoenix, 07:30 in New York
    await world.sweep("agenda_sweep")
    async with world.app.sessions() as session:
        keys = set(await session.scalars(select(Outgoing.participant_key)))
    assert not keys & set(GROUPS["C"]) and set(GROUPS["A"]) <= keys
    world.clock.set("2024-05-12T07:00-07:00")
    await world.sweep("agenda_sweep")
    await world.drain()
    assert "Flight to New York" in world.received("P12")[0]


# ---- early departures and reminders ----


async def test_an_early_departure_is_announced_the_evening_before_and_agenda_comes_before_it(
    world: World,
) -> None:
    """Group C meets in the lobby at 06:30 Phoenix: told the evening before, agenda at 05:30."""
    world.clock.set("2024-05-11T18:59-07:00")
    await world.sweep("agenda_sweep")
    await world.drain()  # that day's agendas
    world.fake.sent.clear()
    world.clock.set("2024-05-11T19:00-07:00")  # 19:00 in Phoenix
    await world.sweep("agenda_sweep")
    await world.drain()
    evening = world.received("P12")
    assert len(evening) == 1 and "Early start tomorrow" in evening[0] and "6:30" in evening[0]
    assert "Hotel" in evening[0] or "hotel" in evening[0]
    assert world.received("P01") == [] and world.received("P02") == []  # 09:00 and 10:00: no
    await world.sweep("agenda_sweep")
    await world.drain()
    assert len(world.received("P12")) == 1  # once
    world.clock.set("2024-05-12T05:29-07:00")
    await world.sweep("agenda_sweep")
    await world.drain()
    assert len(world.received("P12")) == 1
    world.clock.set("2024-05-12T05:30-07:00")  # an hour before the lobby, in quiet hours
    await world.sweep("agenda_sweep")
    await world.drain()
    agenda = world.received("P12")[1]
    assert "Here is your programme for today" in agenda and "Flight to New York" in agenda


async def test_an_evening_notice_not_sent_by_the_night_is_dropped(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """The early-start notice is not held overnight to arrive on the morning it is about."""
    world.clock.set("2024-05-11T21:59-07:00")
    await world.sweep("agenda_sweep")
    world.clock.set("2024-05-11T22:01-07:00")
    with caplog.at_level("INFO", logger="bot.delivery.drain"):
        await world.drain()
    assert world.received("P03") == []
    assert (await _statuses(world))["expired"] == len(GROUPS["C"])
    assert "dropped" in caplog.text and "early-start to P03" in caplog.text


async def test_a_reminder_goes_through_quiet_hours_and_never_after_its_moment(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """06:00 in Phoenix, 30 minutes before the lobby: reminded now; one not sent by 06:30 is
    dropped, with a log line and nothing sent."""
    world.clock.set("2024-05-12T06:00-07:00")
    await world.sweep("reminder_sweep")
    async with world.app.sessions.begin() as session:
        await session.execute(delete(Outgoing).where(Outgoing.participant_key.not_in(GROUPS["C"])))
    async with world.app.sessions.begin() as session:
        # One reminder is not sent in time (a sender down until after the departure).
        await session.execute(
            update(Outgoing)
            .where(Outgoing.participant_key == "P05")
            .values(not_before=datetime.fromisoformat("2024-05-12T06:31-07:00"))
        )
    with caplog.at_level("INFO", logger="bot.delivery.drain"):
        await world.drain()
    assert "Flight to New York" in world.received("P12")[0]
    assert world.received("P05") == []
    assert await _statuses(world) == Counter({"sent": 3, "expired": 1})
    assert "reminder to P05" in caplog.text and "dropped" in caplog.text
    assert "Flight" not in caplog.text  # never the text


async def test_a_pushed_agenda_has_the_map_buttons_of_today(world: World) -> None:
    """The morning agenda carries a Map button per place, as /today does."""
    world.clock.set("2024-05-02T07:05-04:00")
    await world.sweep("agenda_sweep")
    await world.drain()
    agenda = world.fake.to_chat(world.chat("P11"))[0]
    markup = str(agenda.params.get("reply_markup"))
    assert "venue:" in markup and "Map:" in markup


async def test_a_day_whose_events_were_all_cancelled_says_nothing_is_planned(
    world: World, tmp_path: Path
) -> None:
    """Tampa's only event on 6 May is called off: no "Here is your day", the cancellation said."""
    doc = load_yaml(FIXTURE.read_text(encoding="utf-8"))
    for event in doc["events"]:
        if str(event["start"]).startswith("2024-05-06") and "A" in event.get("groups", ["A"]):
            event["status"] = "cancelled"
    world.clock.set("2024-05-04T12:00-04:00")
    await world.reimport(doc, tmp_path)
    async with world.app.sessions.begin() as session:
        await session.execute(
            update(Participant).where(Participant.key == "P01").values(language="en")
        )
    world.clock.set("2024-05-06T07:00-04:00")  # 07:00 in Tampa
    await world.sweep("agenda_sweep")
    await world.drain()
    text = world.received("P01")
    assert len(text) == 1 and "Nothing is planned for you today" in text[0]
    assert "Cancelled: Tampa Police" in text[0] and "Here is your day" not in text[0]


async def test_agenda_can_be_turned_off(world: World) -> None:
    """A participant who turned the agenda off gets none."""
    async with world.app.sessions.begin() as session:
        await session.execute(
            update(Participant).where(Participant.key == "P11").values(agenda_enabled=False)
        )
    world.clock.set("2024-05-02T07:05-04:00")
    assert await world.sweep("agenda_sweep") == 11


# ---- change notices ----


async def test_rapid_edits_coalesce_into_one_notice_for_old_and_new_audience(
    world: World, tmp_path: Path
) -> None:
    """Two edits a minute apart: one notice, first 'before' to last 'after', to B and C."""
    doc = load_yaml(FIXTURE.read_text(encoding="utf-8"))
    event = next(e for e in doc["events"] if e["key"] == "cpd-gangs")
    world.clock.set("2024-05-05T20:00-04:00")
    event.update(start="2024-05-06 09:30", end="2024-05-06 11:30")
    await world.reimport(copy.deepcopy(doc), tmp_path)
    world.clock.set("2024-05-05T20:01-04:00")
    event.update(start="2024-05-06 10:00", end="2024-05-06 12:00", groups=["B", "C"])
    await world.reimport(copy.deepcopy(doc), tmp_path)
    world.clock.set("2024-05-05T20:01:20-04:00")
    assert await world.sweep("change_sweep") == 0  # still within the coalescing window
    world.clock.set("2024-05-05T20:01:31-04:00")  # under two minutes after the first edit
    assert await world.sweep("change_sweep") == len(GROUPS["B"]) + len(GROUPS["C"])
    assert await world.sweep("change_sweep") == 0
    await world.drain()
    for key in GROUPS["B"] + GROUPS["C"]:
        notices = world.received(key)
        assert len(notices) == 1, key
    english = world.received("P11")[0]
    assert "09:00" in english and "10:00" in english and "09:30" not in english
    assert all(world.received(key) == [] for key in GROUPS["A"])


async def test_a_change_far_ahead_waits_for_that_days_agenda(world: World, tmp_path: Path) -> None:
    """A change more than 48 hours out is no notice; the day's agenda marks it."""
    doc = load_yaml(FIXTURE.read_text(encoding="utf-8"))
    world.clock.set("2024-05-01T12:00-04:00")
    next(e for e in doc["events"] if e["key"] == "unodc")["start"] = "2024-05-13 10:30"
    await world.reimport(doc, tmp_path)
    world.clock.set("2024-05-01T12:05-04:00")
    assert await world.sweep("change_sweep") == 0
    world.clock.set("2024-05-13T07:01-04:00")
    await world.sweep("agenda_sweep")
    await world.drain()
    agenda = world.received("P11")[-1]
    assert "10:30" in agenda and "Changed since you last heard" in agenda


async def test_cancellation_goes_through_quiet_hours_and_the_rest_waits(
    world: World, tmp_path: Path
) -> None:
    """At 23:00 a cancellation within 12 hours is sent; a title edit waits for 07:00."""
    doc = load_yaml(FIXTURE.read_text(encoding="utf-8"))
    world.clock.set("2024-05-05T23:00-04:00")
    next(e for e in doc["events"] if e["key"] == "cpd-gangs")["status"] = "cancelled"
    next(e for e in doc["events"] if e["key"] == "tpd-ops")["title"] = "Tampa Police - port"
    await world.reimport(doc, tmp_path)
    world.clock.set("2024-05-05T23:03-04:00")
    await world.sweep("change_sweep")
    await world.drain()
    assert "CANCELLED" in world.received("P11")[0]
    assert world.received("P01") == []  # group A's title change is not urgent
    world.clock.set("2024-05-06T07:00-04:00")
    await world.drain()
    assert "Tampa Police - port" in world.received("P01")[0]


# ---- the outbox under failure ----


def _broadcast(n: int) -> list[Message]:
    return [
        Message(
            f"broadcast:t1:R{i}",
            "broadcast",
            f"R{i}",
            5000 + i,
            "en",
            f"Notice {i}",
            "America/New_York",
            urgent=True,
        )
        for i in range(n)
    ]


async def test_every_recipient_gets_exactly_one_copy_despite_transient_failures(
    world: World,
) -> None:
    """20% of sends fail (5xx, timeouts, 429): everyone still gets exactly one message."""
    world.fake.chaos = (0.2, ("500", "429", "timeout"))
    world.fake.timeout_delay = 1.2
    async with world.app.sessions.begin() as session:
        await enqueue(session, _broadcast(120), world.clock.now())
    await world.drain(rounds=2000)
    counts = Counter(s.chat_id for s in world.fake.calls("sendMessage"))
    assert counts == Counter({5000 + i: 1 for i in range(120)})
    assert await _statuses(world) == Counter({"sent": 120})
    failures = sum(v for k, v in world.fake.responses.items() if not k.endswith(":200"))
    assert failures >= 10  # the failures really happened


async def test_a_long_emoji_broadcast_arrives_in_parts_telegram_accepts(world: World) -> None:
    """A broadcast over Telegram's count (emoji are two units, & one) arrives whole, in parts."""
    text = ("\U0001f6c2" * 10 + " & ") * 250
    async with world.app.sessions.begin() as session:
        await enqueue(session, [replace(_broadcast(1)[0], text=text)], world.clock.now())
    await world.drain()
    assert await _statuses(world) == Counter({"sent": 1})
    parts = [visible_text(s.params["text"]) for s in world.fake.calls("sendMessage")]
    assert len(parts) >= 2 and all(utf16_length(part) <= MESSAGE_LIMIT for part in parts)
    assert re.sub(r"\s", "", "".join(parts)) == re.sub(r"\s", "", text)


async def test_enqueueing_twice_is_a_no_op(world: World) -> None:
    """The dedupe key makes a second enqueue of the same message do nothing."""
    async with world.app.sessions.begin() as session:
        assert await enqueue(session, _broadcast(5), world.clock.now()) == 5
        assert await enqueue(session, _broadcast(5), world.clock.now()) == 0


async def test_a_participant_who_blocked_the_bot_is_marked_unreachable(world: World) -> None:
    """403: the row is blocked, the participant unreachable, and later sweeps skip them."""
    world.clock.set("2024-05-02T07:05-04:00")
    await world.sweep("agenda_sweep")
    world.fake.fail("sendMessage", 403, times=1)
    await world.drain()
    assert (await _statuses(world))["blocked"] == 1
    async with world.app.sessions() as session:
        unreachable = list(
            await session.scalars(select(Participant.key).where(Participant.unreachable))
        )
    assert len(unreachable) == 1
    world.clock.set("2024-05-03T07:05-04:00")
    assert await world.sweep("agenda_sweep") == 11


async def test_every_outcome_is_logged_at_info_without_the_text(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """A 403, a 500 then its retry, and a success each write a line: who, what, never the text."""
    async with world.app.sessions.begin() as session:
        await enqueue(session, _broadcast(2), world.clock.now())
    world.fake.fail("sendMessage", 403, times=1)
    world.fake.fail("sendMessage", 500, times=1)
    with caplog.at_level("INFO", logger="bot.delivery.drain"):
        await world.drain()
    lines = [r.getMessage() for r in caplog.records if r.levelname == "INFO"]
    assert any("(broadcast to R" in line and "blocked" in line for line in lines), lines
    assert any("attempt 1" in line and "again at" in line for line in lines), lines
    assert any("attempt 2" in line and line.endswith(": sent") for line in lines), lines
    assert "Notice" not in caplog.text


async def test_a_send_knows_when_its_message_may_have_arrived(world: World) -> None:
    """No connection: safe to send again. A 5xx answer: safe. A lost answer: may have arrived."""
    from telegram.ext import ExtBot

    gone = FakeBotAPI()
    nowhere = ExtBot(TOKEN, base_url=await gone.start(), request=AiohttpRequest())
    async with nowhere:
        await gone.stop()  # the server is gone: nothing can connect
        with pytest.raises(Transient) as refused:
            await TelegramSender(nowhere).send(5000, "hello")
    assert not isinstance(refused.value, Unknown)
    sender = world.drainer.sender
    world.fake.fail("sendMessage", 502)
    with pytest.raises(Transient) as answered:
        await sender.send(5000, "hello")
    assert not isinstance(answered.value, Unknown)
    world.fake.lose("sendMessage")
    world.fake.timeout_delay = 3  # the client waits 1 s
    with pytest.raises(Unknown):
        await sender.send(5000, "hello")
    assert len(world.fake.calls("sendMessage")) == 1  # it did arrive


async def test_a_bad_request_fails_without_retry(world: World) -> None:
    """400: failed with the error, one attempt only."""
    world.fake.fail("sendMessage", 400)
    async with world.app.sessions.begin() as session:
        await enqueue(session, _broadcast(1), world.clock.now())
    await world.drain()
    async with world.app.sessions() as session:
        row = await session.scalar(select(Outgoing))
    assert row is not None and (row.status, row.attempts) == ("failed", 1)
    assert "text is empty" in (row.last_error or "")


async def test_two_senders_never_send_the_same_row(world: World) -> None:
    """Two drainers on one outbox: every message once."""
    async with world.app.sessions.begin() as session:
        await enqueue(session, _broadcast(300), world.clock.now())
    other = Drainer(world.app.sessions, world.drainer.sender, world.clock, world.drainer.policy)

    async def loop(drainer: Drainer) -> None:
        while await drainer.drain_once():
            pass

    await asyncio.gather(loop(world.drainer), loop(other))
    counts = Counter(s.chat_id for s in world.fake.calls("sendMessage"))
    assert len(counts) == 300 and set(counts.values()) == {1}


async def test_reminders_before_travel_respect_each_participants_setting(world: World) -> None:
    """Thirty minutes before the flight to Phoenix, group C is reminded once; a participant
    who turned reminders off is not."""
    async with world.app.sessions.begin() as session:
        await session.execute(
            update(Participant).where(Participant.key == "P12").values(reminder_minutes=0)
        )
    world.clock.set("2024-05-05T06:55-04:00")  # 35 minutes before 07:30
    assert await world.sweep("reminder_sweep") == 0
    world.clock.set("2024-05-05T07:05-04:00")
    assert await world.sweep("reminder_sweep") == len(GROUPS["C"]) - 1
    assert await world.sweep("reminder_sweep") == 0
    await world.drain()
    assert "Flight to Phoenix" in world.received("P03")[0]
    assert world.received("P12") == [] and world.received("P02") == []


async def test_a_claim_takes_urgent_rows_first_then_the_oldest_and_only_its_batch(
    app: Services,
) -> None:
    """Three ordinary rows then two urgent ones: a claim of three takes both urgent ones and
    the oldest ordinary one; the next takes the rest; rows claimed are not claimed again."""
    now = app.clock.now()
    messages = [
        Message(f"broadcast:order:{n}", "broadcast", f"P{n}", 9000 + n, "en", f"m{n}", "UTC")
        for n in range(3)
    ] + [
        Message(f"broadcast:order:u{n}", "broadcast", f"U{n}", 9100 + n, "en", f"u{n}", "UTC",
                urgent=True)
        for n in range(2)
    ]  # fmt: skip
    async with app.sessions.begin() as session:
        await enqueue(session, messages, now)
    later = now + timedelta(hours=12)  # past any quiet hours of the ordinary rows
    lease = timedelta(minutes=2)
    async with app.sessions.begin() as session:
        first = [row.text for row in await claim(session, later, 3, lease)]
    async with app.sessions.begin() as session:
        second = [row.text for row in await claim(session, later, 3, lease)]
    async with app.sessions.begin() as session:
        third = await claim(session, later, 3, lease)
    assert first == ["u0", "u1", "m0"]
    assert second == ["m1", "m2"]
    assert third == []
