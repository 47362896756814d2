"""The assistant in process: dates, personal answers, privacy, language, robustness."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.assistant.knowledge import EntityIndex
from bot.assistant.lexicon import Lexicons
from bot.clock import FixedClock
from bot.commands import COMMANDS, Intent
from bot.config import Settings
from bot.i18n import FSI, PDI
from bot.replies import Reply
from bot.services import Services, import_file, services
from tests.conftest import FIXTURE
from tests.facts import fact_present


@pytest.fixture
async def loaded(app: Services) -> AsyncIterator[Services]:
    """Services with the fixture programme imported."""
    await import_file(app, FIXTURE)
    yield app


async def ask(app: Services, key: str | None, text: str, now: str) -> Reply:
    """Ask as a participant (or a stranger) at a moment, in one session."""
    async with app.sessions.begin() as session:
        person = await app.assistant.participant(session, key) if key else None
        return await app.assistant.ask(session, person, text, datetime.fromisoformat(now))


@pytest.mark.parametrize(
    ("key", "text", "expect", "absent"),
    [
        ("P11", "What's on May 2?", ["FBI", "DEA"], ["State Department"]),
        ("P03", "Qu'est-ce qu'on fait le 2 mai ?", ["FBI"], []),
        ("P01", "¿Qué hay el 15 de mayo?", ["Federal Reserve"], []),
        ("P07", "Что у нас 2 мая?", ["FBI"], []),
        ("P09", "O que temos na quinta-feira?", ["FBI"], []),
        ("P05", "ماذا لدينا يوم الخميس؟", ["FBI"], []),
        ("P11", "What do we have tomorrow afternoon?", ["DEA"], ["FBI"]),
        ("P11", "What's on the day after tomorrow?", ["Capitol"], []),
        ("P11", "What's after the FBI briefing?", ["DEA"], []),
        ("P11", "What is happening now?", ["State Department", "passport"], ["FBI"]),
        ("P04", "Où a lieu la réunion avec le FBI ?", ["935 Pennsylvania"], []),
        ("P07", "Где встреча в ФБР?", ["935 Pennsylvania"], []),
        ("P06", "ما هو رقم الطوارئ؟", ["911"], []),
        ("P11", "Who is the Arabic interpreter?", ["Youssef Amrani"], ["Claire Moreau"]),
        ("P11", "Dress code tomorrow?", ["Business attire"], []),
        ("P11", "per diem", ["per diem covers meals"], []),
        ("P02", "/week", ["FBI", "Capitol"], []),
        ("P11", "/hotel", ["1500 New Hampshire"], []),
    ],
)
async def test_answers(
    loaded: Services, key: str, text: str, expect: list[str], absent: list[str]
) -> None:
    """Representative questions across languages and kinds of intent."""
    reply = (await ask(loaded, key, text, "2024-05-01T10:30-04:00")).plain()
    assert all(fact_present(reply, fact) for fact in expect), reply
    assert not any(fact_present(reply, fact) for fact in absent), reply


async def test_every_command_of_the_registry_is_answered(loaded: Services) -> None:
    """A command with an intent gets its answer; one without (a chat channel's own) or an
    unknown one gets the fallback; a stranger's command, what a stranger may know."""
    now = "2024-05-01T10:30-04:00"
    for command in COMMANDS:
        reply = await ask(loaded, "P11", f"{command.text.upper()}@ProgrammeBot", now)
        assert reply.understood is (command.intent is not None), command
        public = await ask(loaded, None, command.text, now)
        assert "ivlpinitiative@state.gov" in public.plain(), command
        assert public.understood is (command.intent is Intent.HELP), command
    assert not (await ask(loaded, "P11", "/nonsense", now)).understood


async def test_strangers_learn_nothing_private(loaded: Services) -> None:
    """Without a linked participant: title, dates and help address only."""
    for text in ("Where is our hotel?", "What's on today?", "/contacts", "Who is Dana?", "/today"):
        reply = (await ask(loaded, None, text, "2024-05-01T10:30-04:00")).plain()
        assert "Towards a More Safe and Secure World" in reply
        assert "ivlpinitiative@state.gov" in reply
        for private in ("Dupont", "1500 New Hampshire", "Dana", "555", "FBI", "State Department"):
            assert private not in reply, (text, reply)


async def test_stranger_is_answered_in_the_language_they_write(loaded: Services) -> None:
    """An unlinked Spanish speaker gets the public answer in Spanish."""
    reply = await ask(loaded, None, "¿Dónde está el hotel?", "2024-05-01T10:30-04:00")
    assert reply.language == "es"
    assert "Hacia un mundo más seguro 2024" in reply.plain()


async def test_language_choice_is_stored(loaded: Services) -> None:
    """'Answer in Spanish' switches the participant's language for later replies."""
    reply = await ask(loaded, "P11", "Please answer in Spanish", "2024-05-01T10:30-04:00")
    assert reply.language == "es"
    later = await ask(loaded, "P11", "/today", "2024-05-01T10:30-04:00")
    assert later.language == "es"
    assert "Su programa" in later.plain()


async def test_arabic_isolates_latin_names(loaded: Services) -> None:
    """Latin titles inside Arabic text are wrapped in Unicode isolates."""
    reply = (await ask(loaded, "P05", "/tomorrow", "2024-05-01T20:00-04:00")).plain()
    assert f"{FSI}FBI briefing on transnational criminal organizations{PDI}" in reply


async def test_times_are_local_to_the_event(loaded: Services) -> None:
    """A Phoenix event is shown in Phoenix time, not the programme's."""
    reply = (await ask(loaded, "P12", "/today", "2024-05-06T07:00-07:00")).plain()
    assert "08:30" in reply and "11:30" not in reply


async def test_unknown_question_gets_a_helpful_reply(loaded: Services) -> None:
    """Gibberish gets an apology and what the assistant can do, in the reader's language."""
    reply = await ask(loaded, "P03", "xqzv blorp", "2024-05-01T10:30-04:00")
    assert not reply.understood
    assert "Désolé" in reply.plain() and "ivlpinitiative@state.gov" in reply.plain()
    assert "•" in reply.plain()  # the examples of what to ask


# ---- robustness: arbitrary text in every language, as every participant ----

_LEXICONS = Lexicons()
_WORDS = sorted({word for phrase in _LEXICONS.table for word in phrase})
_SCRIPTS = {
    "en": "abcdefghijklmnopqrstuvwxyz",
    "es": "abcdefghijklmnñopqrstuvwxyzáéíóú¿¡",
    "fr": "abcdefghijklmnopqrstuvwxyzàâçéèêëîïôûùœ'",
    "ar": "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةى٠١٢٣٤٥٦٧٨٩؟،ًٌٍَُِّْـ",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "pt": "abcdefghijklmnopqrstuvwxyzãõáéíóúâêôç",
}
_PEOPLE = ["P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P09", "P10", "P11", "P12", None]
_messages = st.one_of(
    st.text(max_size=200),
    st.sampled_from(list(_SCRIPTS)).flatmap(
        lambda code: st.lists(
            st.one_of(
                st.sampled_from(_WORDS),
                st.text(alphabet=_SCRIPTS[code] + " 0123456789:/-?.", min_size=1, max_size=12),
            ),
            max_size=12,
        ).map(" ".join)
    ),
    st.from_regex(r"/[a-z]{0,10}(@\w{0,5})?( .{0,20})?", fullmatch=True),
)


def test_any_text_gets_a_non_empty_reply(tmp_path: Path) -> None:
    """Arbitrary Unicode, lexicon soup and odd commands: never an exception, never silence."""
    config = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'fuzz.sqlite3'}")
    with asyncio.Runner() as runner:
        context = services(config, FixedClock(datetime.fromisoformat("2024-05-01T10:00-04:00")))
        app = runner.run(context.__aenter__())
        try:
            runner.run(import_file(app, FIXTURE))

            @settings(
                max_examples=100,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            )
            @given(
                text=_messages,
                key=st.sampled_from(_PEOPLE),
                day=st.integers(min_value=-5, max_value=25),
                hour=st.integers(min_value=0, max_value=23),
            )
            def check(text: str, key: str | None, day: int, hour: int) -> None:
                now = f"2024-04-{24 + day:02d}" if day < 7 else f"2024-05-{day - 6:02d}"
                reply = runner.run(ask(app, key, text, f"{now}T{hour:02d}:15-04:00"))
                assert reply.plain().strip()

            check()
        finally:
            runner.run(context.__aexit__(None, None, None))


def test_search_leaves_out_what_is_weaker_than_both_bounds() -> None:
    """A word every item has ranks nothing alone; an audience with no match finds nothing."""
    index = EntityIndex({"a": {"fbi", "meeting"}, "b": {"meeting"}, "c": {"meeting", "dea"}})
    assert [key for key, _ in index.search(["fbi", "meeting"])] == ["a", "b", "c"]
    assert [key for key, _ in index.search(["fbi", "meeting"], floor=1.2, share=0.75)] == ["a"]
    # Below the floor but within the share of the best: kept.
    assert [key for key, _ in index.search(["meeting"], floor=1.2, share=0.75)] == ["a", "b", "c"]
    assert index.search(["fbi"], frozenset({"b"}), floor=1.2, share=0.75) == []
