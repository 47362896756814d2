"""The Telegram channel, end to end: the real PTB application polling a fake Bot API."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import io
import re
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Update
from telegram.ext import ContextTypes, TypeHandler

from bot.commands import COMMANDS, keyboard, menu
from bot.config import Settings
from bot.delivery.drain import DeliveryPolicy, Drainer
from bot.services import Services, import_file, services
from bot.staff.roster import roster
from bot.store.models import Participant
from bot.yamlio import load_yaml
from handlers.telegram import views
from handlers.telegram.app import build_sender, polling
from handlers.telegram.views import split_message
from schedules import sweeps
from tests.conftest import FIXTURE, QUESTIONS
from tests.facts import problems
from tests.fake_telegram import MESSAGE_LIMIT, TOKEN, FakeBotAPI, Sent, utf16_length, visible_text

_ROSTER = load_yaml(FIXTURE.read_text(encoding="utf-8"))["participants"]
CODES = {p["key"]: p["invite_code"] for p in _ROSTER}
NAMES = {p["key"]: p["name"] for p in _ROSTER}
_TAGS = re.compile(r"<[^>]+>")


class MutableClock:
    """A clock the test moves by hand."""

    def __init__(self, instant: datetime) -> None:
        self.instant = instant

    def now(self) -> datetime:
        """Return the instant the test set."""
        return self.instant


@dataclass
class Harness:
    """The running bot, its fake Bot API and the test's clock."""

    fake: FakeBotAPI
    app: Services
    clock: MutableClock
    done: dict[int, asyncio.Event]

    async def _wait(self, update_id: int) -> None:
        await asyncio.wait_for(self.done[update_id].wait(), timeout=30)

    async def say(
        self,
        user: int,
        text: str,
        *,
        language: str = "en",
        chat: int | None = None,
        reply_to_bot: bool = False,
    ) -> list[Sent]:
        """Send a message as a user; return everything the bot sent to that chat for it."""
        mark = len(self.fake.sent)
        update_id = await self.fake.push_message(
            user, text, chat_id=chat, language=language, reply_to_bot=reply_to_bot
        )
        await self._wait(update_id)
        return self.fake.to_chat(chat if chat is not None else user, mark)

    async def tap(self, user: int, data: str, message_id: int | None = None) -> list[Sent]:
        """Tap an inline button as a user (under the bot's message ``message_id``, if given)."""
        mark = len(self.fake.sent)
        await self._wait(await self.fake.push_button(user, data, message_id=message_id))
        return self.fake.to_chat(user, mark)

    async def member(self, user: int, status: str) -> None:
        """Telegram's notice that a user blocked (``kicked``) or unblocked (``member``) the bot."""
        await self._wait(await self.fake.push_member(user, status))

    async def link(self, user: int, key: str, language: str = "en") -> list[Sent]:
        """Link a Telegram user to a participant with the fixture's invite code."""
        return await self.say(user, f"/start {CODES[key]}", language=language)


def readable(sent: list[Sent]) -> str:
    """What the person reads: all messages, HTML tags removed, entities decoded."""
    return "\n".join(html.unescape(_TAGS.sub("", s.text())) for s in sent)


async def _harness(
    database_url: str, tmp_path: Path, programme: Path, **extra: Any
) -> AsyncIterator[Harness]:
    fake = FakeBotAPI()
    base = await fake.start()
    settings = Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        telegram_bot_token=TOKEN,
        telegram_base_url=base,
        **extra,
    )
    clock = MutableClock(datetime.fromisoformat("2024-05-01T07:30-04:00"))
    done: dict[int, asyncio.Event] = defaultdict(asyncio.Event)

    async def finished(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        done[update.update_id].set()

    try:
        async with services(settings, clock) as app:
            await import_file(app, programme)
            async with polling(app, poll_timeout=1) as application:
                # Group 1 runs after the real handlers of group 0 are done with the update.
                application.add_handler(TypeHandler(Update, finished), group=1)
                try:
                    yield Harness(fake, app, clock, done)
                finally:
                    await fake.closing()
    finally:
        await fake.stop()


@pytest.fixture
async def bot(database_url: str, tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot on the fixture programme."""
    async for harness in _harness(database_url, tmp_path, FIXTURE):
        yield harness


# ---- linking ----


async def test_linking_with_valid_invalid_and_reused_codes(bot: Harness) -> None:
    """A valid code links once; a wrong one is refused; a used one is refused to others."""
    wrong = readable(await bot.say(1, "/start ZZZZ-9999"))
    assert "not valid" in wrong and "4 tries left" in wrong
    linked = readable(await bot.link(1, "P11"))
    assert "Welcome, Maria Santos" in linked
    again = readable(await bot.link(1, "P11"))
    assert "already linked" in again
    stolen = readable(await bot.link(2, "P11"))
    assert "already been used" in stolen and "Maria" not in stolen
    today = readable(await bot.say(2, "/today"))
    assert "State Department" not in today


async def test_plain_start_asks_for_the_code_and_takes_the_next_message(bot: Harness) -> None:
    """/start without a code asks for it; the next message is taken as the code."""
    asked = readable(await bot.say(5, "/start", language="fr"))
    assert "invite code" in asked or "code" in asked
    linked = readable(await bot.say(5, CODES["P03"].lower(), language="fr"))
    assert "Awa Diop" in linked


async def test_guessing_codes_cools_down(bot: Harness) -> None:
    """After five wrong codes in an hour even the right code waits."""
    for attempt in range(5):
        reply = readable(await bot.say(7, f"/start WRONG-{attempt:04d}"))
        assert "not valid" in reply
    blocked = readable(await bot.link(7, "P12"))
    assert "Too many wrong codes" in blocked and "Welcome" not in blocked
    bot.clock.instant = bot.clock.instant.replace(hour=bot.clock.instant.hour + 2)
    assert "Welcome, Chinedu Okafor" in readable(await bot.link(7, "P12"))


# ---- strangers and groups ----


async def test_a_stranger_learns_nothing_private(bot: Harness) -> None:
    """Hotel, schedule and contacts questions from an unlinked user get public facts only."""
    for text in (
        "Where is the hotel?",
        "/hotel",
        "/today",
        "/contacts",
        "/calendar",
        "Who is Dana Whitfield?",
    ):
        reply = readable(await bot.say(9, text))
        assert "Towards a More Safe and Secure World 2024" in reply, text
        for private in ("Dupont", "New Hampshire", "Dana", "555", "FBI", "Santos"):
            assert private not in reply, (text, reply)
    assert not any(s.method in ("sendVenue", "sendContact", "sendDocument") for s in bot.fake.sent)


async def test_group_chats(bot: Harness) -> None:
    """In a group: silent unless addressed, then only a pointer to a private chat."""
    await bot.link(11, "P11")
    assert await bot.say(11, "what's on today?", chat=-100) == []
    addressed = await bot.say(11, "@ProgrammeBot what's on today?", chat=-100)
    text = readable(addressed)
    assert "private chat" in text and "State Department" not in text
    assert "t.me/ProgrammeBot" in str(addressed[0].params.get("reply_markup"))
    replied = readable(await bot.say(11, "and the hotel?", chat=-100, reply_to_bot=True))
    assert "private chat" in replied and "Dupont" not in replied


# ---- commands and languages ----

COMMAND_CHECKS = {
    "/today": ["State Department"],
    "/tomorrow": ["FBI"],
    "/next": ["State Department"],
    "/week": ["FBI", "Capitol"],
    "/hotel": ["1500 New Hampshire"],
    "/contacts": ["911", "Dana Whitfield"],
    "/help": ["2024"],
}


@pytest.mark.parametrize(("key", "language"), [("P11", "en"), ("P06", "ar"), ("P02", "es")])
async def test_every_command(bot: Harness, key: str, language: str) -> None:
    """Every command answers, in the participant's language."""
    user = 100 + int(key[1:])
    await bot.link(user, key, language)
    for command, facts in COMMAND_CHECKS.items():
        sent = await bot.say(user, command, language=language)
        text = readable(sent)
        assert sent and all(fact in text for fact in facts), (command, text)
        if language == "ar" and command in ("/today", "/week", "/help"):
            assert re.search("[\u0600-\u06ff]", text), (command, text)
    calendar = await bot.say(user, "/calendar", language=language)
    assert calendar[0].method == "sendDocument"
    menu = await bot.say(user, "/language", language=language)
    assert "lang:ar" in str(menu[0].params["reply_markup"])


async def test_command_menus_are_set_per_language(bot: Harness) -> None:
    """setMyCommands once for the default and once for each language."""
    calls = bot.fake.calls("setMyCommands")
    codes = {c.params.get("language_code") for c in calls}
    assert codes == {None, "en", "es", "fr", "ar", "ru", "pt"}
    spanish = next(c for c in calls if c.params.get("language_code") == "es")
    assert [cmd["command"] for cmd in spanish.params["commands"]] == [c.name for c in menu()]
    assert spanish.params["commands"][0]["description"] != "What is on today"


async def test_every_command_of_the_registry_gets_a_reply(bot: Harness) -> None:
    """Each command, by the assistant or its own handler, and each keyboard label answers."""
    await bot.link(23, "P11")
    for command in COMMANDS:
        assert await bot.say(23, command.text), command.name
    labels = views.keyboard_labels(bot.app.i18n.translator("en"))
    assert list(labels.values()) == [c.text for c in keyboard()]
    for label in labels:
        assert readable(await bot.say(23, label)), label


async def test_switching_language_with_the_inline_keyboard(bot: Harness) -> None:
    """Tapping a language stores it; later replies and the keyboard use it."""
    await bot.link(21, "P11")
    tapped = await bot.tap(21, "lang:ru")
    assert any(s.method == "editMessageText" for s in tapped)
    keyboard = next(s for s in tapped if s.method == "sendMessage").params["reply_markup"]
    assert "Сегодня" in str(keyboard)
    assert "Ваша программа" in readable(await bot.say(21, "/today"))
    # Keyboard labels in the new language work as commands.
    assert "FBI" in readable(await bot.say(21, "Завтра"))


async def test_a_where_question_comes_with_a_venue(bot: Harness) -> None:
    """The answer to 'where' ends with a venue pin at the place's coordinates."""
    await bot.link(31, "P11")
    sent = await bot.say(31, "Where is the FBI briefing?")
    venue = next(s for s in sent if s.method == "sendVenue")
    assert float(venue.params["latitude"]) == pytest.approx(38.8951)
    assert "935 Pennsylvania" in venue.params["address"]


async def test_agenda_map_buttons_send_the_venue(bot: Harness) -> None:
    """An agenda carries a Map button per place; tapping it sends the venue."""
    await bot.link(32, "P11")
    sent = await bot.say(32, "/today")
    markup = str(sent[-1].params.get("reply_markup"))
    assert "venue:state-hst" in markup
    pin = await bot.tap(32, "venue:state-hst")
    assert pin[-1].method == "sendVenue" and "2201 C Street" in pin[-1].params["address"]


async def test_contact_answers_come_with_a_contact_card(bot: Harness) -> None:
    """Asking for a person's number sends their contact card."""
    await bot.link(33, "P08", "ru")
    sent = await bot.say(33, "Кто наш координатор программы?", language="ru")
    card = next(s for s in sent if s.method == "sendContact")
    assert (
        card.params["first_name"] == "Marcus Lee" and "813 555 0117" in card.params["phone_number"]
    )


async def test_calendar_file_parses_back(bot: Harness) -> None:
    """/calendar: only the participant's events, stable UIDs, versions, right instants."""
    await bot.link(41, "P02")
    sent = await bot.say(41, "/calendar")
    data = next(iter(sent[0].files.values()))
    calendar = icalendar.Calendar.from_ical(data)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert "flight-chicago@tmssw-2024" in events
    assert not {"flight-tampa@tmssw-2024", "tpd-ops@tmssw-2024"} & set(events)
    chicago = events["cpd-gangs@tmssw-2024"]
    start = chicago.decoded("DTSTART")
    assert start == datetime.fromisoformat("2024-05-06T09:00-05:00")
    assert str(start.tzinfo) == "America/Chicago"
    assert int(chicago["SEQUENCE"]) == 0 and str(chicago["STATUS"]) == "CONFIRMED"
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} >= {"America/Chicago"}


async def test_calendar_without_public_url_says_why(bot: Harness) -> None:
    """Without PUBLIC_URL, /calendar sends the file only and says it will not update."""
    await bot.link(42, "P11")
    sent = await bot.say(42, "/calendar")
    assert [s.method for s in sent] == ["sendDocument"]
    assert "does not update itself" in str(sent[0].params["caption"])


async def test_calendar_offers_a_subscription_link(database_url: str, tmp_path: Path) -> None:
    """With PUBLIC_URL: the personal link, buttons for Apple and Google, the file; reset."""
    async for harness in _harness(
        database_url, tmp_path, FIXTURE, public_url="https://bot.example.org/"
    ):
        await harness.link(43, "P11")
        sent = await harness.say(43, "/calendar")
        assert [s.method for s in sent] == ["sendMessage", "sendDocument"]
        text = readable(sent[:1])
        link = re.search(r"https://bot\.example\.org/calendar/([A-Za-z0-9_-]+)\.ics", text)
        assert link is not None and "Maria" not in link.group(0) and "P11" not in link.group(0)
        token = link.group(1)
        assert sent[0].params["protect_content"] in (True, "true", "True")
        markup = str(sent[0].params["reply_markup"])
        assert f"https://bot.example.org/calendar/{token}/subscribe" in markup
        assert "calendar.google.com" in markup and "webcal%3A%2F%2Fbot.example.org" in markup
        assert "does not update itself" not in str(sent[1].params.get("caption"))
        assert await harness.app.calendars.opens(token)
        again = readable((await harness.say(43, "/calendar"))[:1])
        assert token in again  # the same link every time
        renewed = readable((await harness.say(43, "/calendar reset"))[:1])
        assert "no longer works" in renewed and token not in renewed
        assert not await harness.app.calendars.opens(token)


async def test_unsafe_names_render_safely(database_url: str, tmp_path: Path) -> None:
    """A name with HTML and bidi controls is escaped and stripped of overrides."""
    doc = load_yaml(FIXTURE.read_text(encoding="utf-8"))
    doc["participants"][10]["name"] = "<b>Maria</b> & <a href='x'>\u202eSantos\u202c"
    programme = tmp_path / "unsafe.yaml"
    programme.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    async for harness in _harness(database_url, tmp_path, programme):
        sent = await harness.link(51, "P11")
        welcome = sent[0].params["text"]
        assert "&lt;b&gt;Maria&lt;/b&gt; &amp; &lt;a href='x'&gt;Santos" in welcome
        assert "<a" not in welcome and "\u202e" not in welcome


async def test_a_long_week_is_split_at_line_boundaries(database_url: str, tmp_path: Path) -> None:
    """Over 4096 characters: several messages, each within the limit, no line cut."""
    doc = load_yaml(FIXTURE.read_text(encoding="utf-8"))
    for i in range(120):
        doc["events"].append(
            {
                "key": f"extra-{i}",
                "title": f"Working session number {i} on case management",
                "start": f"2024-05-0{1 + i % 4} {8 + i % 10:02d}:00",
                "end": f"2024-05-0{1 + i % 4} {8 + i % 10:02d}:45",
                "place": "meridian",
            }
        )
    programme = tmp_path / "long.yaml"
    programme.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    async for harness in _harness(database_url, tmp_path, programme):
        await harness.link(61, "P11")
        messages = [s for s in await harness.say(61, "/week") if s.method == "sendMessage"]
        assert len(messages) >= 2
        assert all(len(m.params["text"]) <= 4096 for m in messages)
        lines = "\n".join(m.params["text"] for m in messages).splitlines()
        sessions = [line for line in lines if "Working session number" in line]
        assert len(sessions) == 120
        assert all(line.rstrip().endswith("case management") for line in sessions)


# ---- failures at the wire ----


async def test_rate_limited_reply_is_retried(bot: Harness) -> None:
    """A 429 with retry_after is honoured and the reply still arrives."""
    await bot.link(71, "P11")
    bot.fake.fail("sendMessage", 429, retry_after=1)
    assert "State Department" in readable(await bot.say(71, "/today"))
    assert bot.fake.responses["sendMessage:429"] == 1


async def test_a_failing_reply_gets_an_apology(bot: Harness) -> None:
    """A 500 on the reply: the error handler logs it and the user still hears back."""
    await bot.link(72, "P11")
    bot.fake.fail("sendMessage", 500)
    reply = readable(await bot.say(72, "/today"))
    assert "Sorry, something went wrong" in reply


# ---- the shared questions, over Telegram ----


async def test_every_fixture_question_over_telegram(bot: Harness) -> None:
    """Link everyone, then ask every question at its moment; same checks as the console."""
    questions = load_yaml(QUESTIONS.read_text(encoding="utf-8"))
    users = {key: 1000 + n for n, key in enumerate(sorted(CODES))}
    for key, user in users.items():
        assert NAMES[key] in readable(await bot.link(user, key))
    failures = []
    for q in questions:
        bot.clock.instant = datetime.fromisoformat(str(q["now"]))
        reply = readable(await bot.say(users[q["as"]], q["text"]))
        if found := problems(q, reply):
            failures.append(f"{q['as']} {q['text']!r}: {found}\n{reply}")
    assert not failures, "\n\n".join(failures)


def test_split_message_keeps_lines_and_entities_whole() -> None:
    """Splitting never exceeds the limit, never cuts a line that fits, never cuts an entity."""
    # The limit is Telegram's: UTF-16 code units of the text shown.
    lines = [f"line {i} &amp; more" for i in range(500)]
    chunks = split_message("\n".join(lines), limit=200)
    assert all(utf16_length(visible_text(c)) <= 200 for c in chunks)
    assert "\n".join(chunks).split("\n") == lines
    long = "x" * 150 + "&amp;" + "y" * 100
    parts = split_message(long, limit=152)
    assert "".join(parts) == long and all("&amp;" in p or "&" not in p for p in parts)


_PIECES = st.sampled_from(
    [
        "word",
        "a",
        "x" * 40,
        " ",
        "\n",
        "\n\n",
        "&amp;",
        "&lt;",
        "\u00e9",
        "e\u0301",
        "\U0001f600",
        "\U0001f44d\U0001f3fd",
        "\U0001f1fa\U0001f1f3",
        "\u0645\u0631\u062d\u0628\u0627",
    ]
)
_OPENINGS = ("<b>", "<i>", '<a href="https://example.org/?a=1&amp;b=2">')
_TEXT = st.lists(_PIECES, max_size=30).map("".join)
_HTML = st.recursive(
    _TEXT,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=4).map("".join),
        st.tuples(st.sampled_from(_OPENINGS), st.lists(inner, max_size=4)).map(
            lambda element: f"{element[0]}{''.join(element[1])}</{element[0][1]}>"
        ),
    ),
    max_leaves=12,
)


def _styled(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each character shown by Telegram HTML, with the start tags of the elements around it."""
    shown: list[tuple[str, tuple[str, ...]]] = []
    around: list[str] = []
    for token in re.finditer(r"</?[a-z][^>]*>|&[a-z]+;|.", text, re.DOTALL):
        tag = token.group()
        if tag.startswith("</"):
            around.pop()
        elif tag.startswith("<"):
            around.append(tag)
        else:
            shown.extend((char, tuple(around)) for char in html.unescape(tag))
    return shown


@settings(max_examples=300, deadline=None)
@given(_HTML, st.integers(min_value=8, max_value=120))
def test_split_message_keeps_tags_and_text(text: str, limit: int) -> None:
    """Any nesting of tags over emoji, entities and lines splits into valid, styled parts."""
    # Every part is balanced HTML within the limit (UTF-16, after parsing), each character
    # keeps its style, and only whitespace at the cuts is left out.
    chunks = split_message(text, limit)
    original = visible_text(text)
    position = 0
    for chunk in chunks:
        shown = visible_text(chunk)  # refuses unbalanced tags, as Telegram does
        assert utf16_length(shown) <= limit
        while not original.startswith(shown, position):
            assert original[position].isspace(), (chunks, position)
            position += 1
        position += len(shown)
    assert not original[position:].strip()
    styled = [c for chunk in chunks for c in _styled(chunk) if not c[0].isspace()]
    assert styled == [c for c in _styled(text) if not c[0].isspace()]


async def test_invites_print_deep_links_and_write_qr_codes(bot: Harness, tmp_path: Path) -> None:
    """`invites`: a deep link and a PNG per unlinked participant; linked ones are marked."""
    from bot.cli import _cmd_invites

    await bot.link(81, "P01")
    out = tmp_path / "qr"
    args = argparse.Namespace(programme=str(FIXTURE), bot=None, out=str(out))
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert await _cmd_invites(bot.app, args) == 0
    printed = buffer.getvalue()
    assert f"https://t.me/ProgrammeBot?start={CODES['P02']}" in printed  # username from getMe
    assert "P01\tAna María Restrepo\talready linked" in printed
    pngs = sorted(p.name for p in out.glob("*.png"))
    assert pngs == [f"{key}.png" for key in sorted(CODES) if key != "P01"]
    assert (out / "P02.png").read_bytes().startswith(b"\x89PNG")


async def test_asking_for_another_language_takes_effect_at_once(bot: Harness) -> None:
    """'Answer in French' switches the very next reply, despite the account memory."""
    await bot.link(91, "P11")
    assert "Your programme" in readable(await bot.say(91, "/today"))
    await bot.say(91, "Please answer in French")
    assert "Votre programme" in readable(await bot.say(91, "/today"))


async def test_a_blocked_chat_does_not_break_the_bot(bot: Harness) -> None:
    """403 (the user blocked the bot) on a reply and on the apology: logged, and the bot
    goes on answering others."""
    await bot.link(92, "P11")
    await bot.link(93, "P12")
    bot.fake.fail("sendMessage", 403, times=2)
    assert await bot.say(92, "/today") == []
    assert bot.fake.responses["sendMessage:403"] == 2
    assert "State Department" in readable(await bot.say(93, "/today"))


async def _roster_says(bot: Harness, key: str) -> bool:
    """Whether the staff roster shows the participant as unreachable."""
    async with bot.app.sessions.begin() as session:
        rows = await roster(session, bot.app.invite_secret.get_secret_value())
    return next(r for r in rows if r.key == key).unreachable


async def test_unblocking_the_bot_makes_a_participant_reachable_again(bot: Harness) -> None:
    """Blocked (a 403 on the agenda, or Telegram's notice), then /today: the flag clears, the
    roster shows it, and the next day's agenda is sent."""
    await bot.link(96, "P11")
    clock = bot.clock
    runtime = sweeps.Runtime(bot.app.sessions, bot.app.assistant, bot.app.i18n, clock)
    sweeps.install("unblock", runtime)
    outbox_bot, sender = build_sender(bot.app)
    try:
        await outbox_bot.initialize()
        drainer = Drainer(
            bot.app.sessions,
            sender,
            clock,
            DeliveryPolicy(rate=0, per_chat_interval=0, per_group_interval=0),
        )
        clock.instant = datetime.fromisoformat("2024-05-02T07:05-04:00")
        await sweeps.agenda_sweep("unblock")
        bot.fake.fail("sendMessage", 403, times=1)
        while await drainer.drain_once():
            pass
        assert await _roster_says(bot, "P11")
        assert "FBI briefing" in readable(await bot.say(96, "/today"))  # answered
        assert not await _roster_says(bot, "P11")
        clock.instant = datetime.fromisoformat("2024-05-03T07:05-04:00")
        await sweeps.agenda_sweep("unblock")
        mark = len(bot.fake.sent)
        while await drainer.drain_once():
            pass
        assert "Good morning" in readable(bot.fake.to_chat(96, mark))
        # Telegram tells the bot when a private chat blocks it, and when it unblocks it.
        await bot.member(96, "kicked")
        assert await _roster_says(bot, "P11")
        await bot.member(96, "member")
        assert not await _roster_says(bot, "P11")
    finally:
        sweeps.uninstall("unblock")
        await outbox_bot.shutdown()


async def test_settings_turn_the_agenda_off_and_change_its_time(bot: Harness) -> None:
    """/settings shows the agenda and reminders; buttons change and store them."""
    await bot.link(95, "P11")
    shown = await bot.say(95, "/settings")
    assert "Daily agenda: on, at 07:00" in readable(shown)
    assert "set:agenda:off" in str(shown[0].params["reply_markup"])
    edited = await bot.tap(95, "set:agenda:off")
    assert "Daily agenda: off" in readable(edited)
    await bot.tap(95, "set:time:06:30")
    await bot.tap(95, "set:remind:0")
    async with bot.app.sessions() as session:
        person = await session.get(Participant, "P11")
    assert person is not None
    assert (person.agenda_enabled, person.agenda_time, person.reminder_minutes) == (
        True,
        "06:30",
        0,
    )


# ---- what Telegram refuses ----


def _write(tmp_path: Path, name: str, doc: dict[str, Any]) -> Path:
    programme = tmp_path / f"{name}.yaml"
    programme.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return programme


def _faq(doc: dict[str, Any], key: str) -> dict[str, Any]:
    return next(entry for entry in doc["faq"] if entry["key"] == key)


async def test_long_bold_and_emoji_replies_arrive_whole(database_url: str, tmp_path: Path) -> None:
    """A long bold paragraph, or emoji over the limit: every part accepted, bold, complete."""
    # Emoji are two UTF-16 units each: 2500 of them are within the limit in Python characters
    # and over it as Telegram counts.
    doc = load_yaml(FIXTURE.read_text(encoding="utf-8"))
    steps = "\n".join(f"Step {i}: ask the front desk & wait \U0001f4f6" for i in range(150))
    emoji = "\U0001f6dc" * 2500
    _faq(doc, "wifi")["answer"] = {"en": steps}
    _faq(doc, "per-diem")["answer"] = {"en": emoji}
    async for harness in _harness(database_url, tmp_path, _write(tmp_path, "long", doc)):
        await harness.link(62, "P11")
        for question, answer in (("What is the Wi-Fi password?", steps), ("per diem?", emoji)):
            sent = await harness.say(62, question)
            assert "Sorry" not in readable(sent), question
            parts = [s.params["text"] for s in sent if s.method == "sendMessage"]
            assert len(parts) >= 2, question
            assert all(p.startswith("<b>") and p.endswith("</b>") for p in parts), question
            shown = [visible_text(p) for p in parts]
            assert all(utf16_length(text) <= MESSAGE_LIMIT for text in shown), question
            assert re.sub(r"\s", "", "".join(shown)) == re.sub(r"\s", "", answer), question
        assert not [key for key in harness.fake.responses if key.endswith(":400")]


async def test_forged_buttons_are_answered_and_do_nothing(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Forged button data gets an empty answer and nothing else: no change, apology or error."""
    await bot.link(96, "P11")
    forged = [
        "ack:99999999999999999999999",
        "chk:99999999999999999999999:help",
        "ack:-1",
        "ack:\u0661\u0662",
        "set:remind:99999999999999999999999",
        "set:agenda:maybe",
        "set:time:25:99",
        "set:colour:red",
        "lang:xx",
        "lang:",
        "venue:../../etc/passwd",
        "venue:",
        "nonsense",
    ]
    for data in forged:
        answers = len(bot.fake.calls("answerCallbackQuery"))
        with caplog.at_level("ERROR"):
            assert await bot.tap(96, data) == [], data
        answered = bot.fake.calls("answerCallbackQuery")[answers:]
        assert len(answered) == 1 and not answered[0].params.get("text"), data
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    async with bot.app.sessions() as session:
        person = await session.get(Participant, "P11")
    assert person is not None
    assert (person.language, person.agenda_enabled, person.reminder_minutes) == ("en", True, 30)


async def test_tapping_what_is_already_chosen_changes_nothing(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Tapping the setting or language already chosen is answered: no apology, no error."""
    # Telegram refuses an edit that changes nothing; that is no failure.
    await bot.link(97, "P11")
    shown = await bot.say(97, "/settings")
    with caplog.at_level("ERROR"):
        for data in ("set:agenda:on", "set:time:07:00"):
            assert "Sorry" not in readable(await bot.tap(97, data, shown[0].message_id)), data
        menu = await bot.say(97, "/language")
        first = await bot.tap(97, "lang:en", menu[0].message_id)
        assert "From now on I will answer in English" in readable(first)
        again = await bot.tap(97, "lang:en", menu[0].message_id)
        assert "Sorry" not in readable(again)
    assert bot.fake.responses["editMessageText:400"] == 3
    assert len(bot.fake.calls("answerCallbackQuery")) == 4
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


# Bidi embeddings, overrides and isolates, marks and invisible characters a programme may
# carry; only the isolates the bot puts around Latin text in Arabic replies, and the
# right-to-left mark it puts at the start of an Arabic line, may reach a chat.
_UNSAFE = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_LINE_MARK = re.compile("(?m)^(<b>)?\u200f")


def _isolates_pair(text: str) -> bool:
    depth = 0
    for char in text:
        if char in "\u2066\u2067\u2068":
            depth += 1
        elif char == "\u2069":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


async def test_bidi_controls_from_the_programme_reach_no_chat(
    database_url: str, tmp_path: Path
) -> None:
    """Bidi controls of the programme reach no reply, pin, contact card or calendar file."""
    # U+202E and others in an event title, a place and a contact; Arabic replies keep the
    # isolates the bot itself puts around Latin text.
    doc = load_yaml(FIXTURE.read_text(encoding="utf-8"))
    place = next(p for p in doc["places"] if p["key"] == "fbi-hq")
    place["name"] = "FBI \u202eJ. Edgar Hoover\u202c Building\u2067"
    place["address"] = "935 Pennsylvania\u200b Avenue NW, Washington, DC 20535\u2066"
    event = next(e for e in doc["events"] if e["key"] == "fbi-tcos")
    event["title"] = "FBI \u202ebriefing\u202c on transnational\u200f criminal organizations\u2069"
    contact = next(c for c in doc["contacts"] if c["key"] == "po-b")
    contact["name"] = "Irina \u202eVolkova\ufeff"
    contact["role"] = {"en": "Programme officer\u202e, Group B"}
    async for harness in _harness(database_url, tmp_path, _write(tmp_path, "bidi", doc)):
        await harness.link(63, "P11")
        await harness.link(64, "P06", "ar")
        sent = [
            *await harness.say(63, "Where is the FBI briefing?"),
            *await harness.say(63, "/tomorrow"),
            *await harness.say(63, "Who is our programme coordinator?"),
            *await harness.tap(63, "venue:fbi-hq"),
            *await harness.say(64, "/tomorrow", language="ar"),
        ]
        methods = {s.method for s in sent}
        assert {"sendMessage", "sendVenue", "sendContact"} <= methods, methods
        assert "Hoover Building" in readable(sent) and "Volkova" in readable(sent)
        for call in sent:
            text = _LINE_MARK.sub(r"\1", call.text()) + str(call.params.get("reply_markup") or "")
            assert not _UNSAFE.search(text) and _isolates_pair(text), (call.method, text)
        assert "\u2068" in readable(await harness.say(64, "/tomorrow", language="ar"))
        calendar = await harness.say(63, "/calendar")
        ics = next(iter(calendar[0].files.values())).decode()
        assert "Edgar Hoover" in ics and "briefing" in ics
        assert not _UNSAFE.search(ics) and not re.search("[\u2066-\u2069]", ics)
