"""Erasure on request (/forget) and retention (purge): exactly what they say goes, nothing else."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.calendars.links import STAFF, participant_owner
from bot.callbacks import forget as forget_button
from bot.staff.relay import ask_staff
from bot.staff.roster import roster
from bot.store.models import (
    Campaign,
    CampaignKind,
    CampaignMember,
    CampaignStatus,
    Outgoing,
    Participant,
)
from handlers.slack.blocks import roster_blocks
from schedules.sweeps import Runtime, agenda_sweep, install, retention_sweep, uninstall
from tests.conftest import FIXTURE, ROOT
from tests.store_dump import dump
from tests.test_telegram import Harness, _harness, readable

Store = dict[str, list[tuple[Any, ...]]]
# Columns of a participant that /forget resets; every other one stays as it was.
RESET = {"telegram_user_id", "linked_at", "last_seen_at", "chosen_language", "forgotten_at"}


@pytest.fixture
async def bot(database_url: str, tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot on the fixture programme (polling the fake Bot API)."""
    async for harness in _harness(database_url, tmp_path, FIXTURE):
        yield harness


def user(key: str) -> int:
    """The Telegram account a test links to a participant."""
    return 1000 + int(key[1:])


async def _activity(bot: Harness, keys: tuple[str, ...]) -> None:
    """Participants link, pick a language, ask staff, get agendas and calendar links."""
    app = bot.app
    for key in keys:
        await bot.link(user(key), key)
        await bot.say(user(key), "answer in French")
        async with app.sessions.begin() as session:
            person = await session.get(Participant, key)
            assert person is not None
            await ask_staff(session, person, f"a question from {key}", app.clock.now())
        await app.calendars.token(participant_owner(key), app.clock.now())
    install("privacy", Runtime(app.sessions, app.assistant, app.i18n, bot.clock))
    try:
        assert await agenda_sweep("privacy") == len(keys)
    finally:
        uninstall("privacy")


def _column(store: Store, table: str, model: Any, name: str) -> int:
    return [c.name for c in model.__table__.columns].index(name)


def _rows_of(store: Store, table: str, position: int, value: object) -> list[tuple[Any, ...]]:
    return [row for row in store[table] if row[position] == value]


async def test_forget_erases_exactly_the_participants_data(bot: Harness) -> None:
    """Cancel keeps all; confirm unlinks and erases P11's rows, and no one else's."""
    app = bot.app
    url = app.settings.database_url
    await _activity(bot, ("P11", "P04"))
    before = await dump(url)

    asked = await bot.say(user("P11"), "/forget")
    assert asked[-1].params["reply_markup"]  # the confirmation buttons
    cancelled = readable(await bot.tap(user("P11"), forget_button(False)))
    assert "Rien n'a été effacé." in cancelled  # in the language P11 chose
    assert await dump(url) == before

    await bot.say(user("P11"), "/forget")
    done = readable(await bot.tap(user("P11"), forget_button(True)))
    assert "votre compte est dissocié" in done
    after = await dump(url)

    from bot.store.models import CalendarFeed, StaffThread, ThreadMessage

    threads = _column(before, "staff_threads", StaffThread, "participant_key")
    p11_threads = {row[0] for row in _rows_of(before, "staff_threads", threads, "P11")}
    assert p11_threads
    removed = {
        "staff_threads": _rows_of(before, "staff_threads", threads, "P11"),
        "thread_messages": [
            row
            for row in before["thread_messages"]
            if row[_column(before, "thread_messages", ThreadMessage, "thread_id")] in p11_threads
        ],
        "outbox": _rows_of(
            before, "outbox", _column(before, "outbox", Outgoing, "participant_key"), "P11"
        ),
        "calendar_feeds": _rows_of(
            before,
            "calendar_feeds",
            _column(before, "calendar_feeds", CalendarFeed, "owner"),
            participant_owner("P11"),
        ),
    }
    assert all(removed.values()), removed
    for table, rows in before.items():
        if table == "participants":
            continue
        gone = removed.get(table, [])
        guard = table == "link_guard"
        expected = [r for r in rows if r not in gone and not (guard and str(user("P11")) in r[0])]
        assert after[table] == expected, table

    # The participant's entry stays; only the account and its traces are reset.
    names = [c.name for c in Participant.__table__.columns]
    for old, new in zip(before["participants"], after["participants"], strict=True):
        changed = {names[i] for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b}
        if old[names.index("key")] == "P11":
            assert changed == RESET
            assert new[names.index("telegram_user_id")] is None
            assert new[names.index("forgotten_at")] is not None
        else:
            assert changed == set()

    # From now on the account is a stranger's: public information only.
    stranger = readable(await bot.say(user("P11"), "/hotel"))
    assert "invite code" in stranger.lower() or "code" in stranger.lower()
    assert readable(await bot.say(user("P11"), "/forget")).startswith(
        "This Telegram account is not linked"
    )

    # Staff see it in the roster.
    async with app.sessions.begin() as session:
        rows = await roster(session, app.invite_secret.get_secret_value())
    row = next(r for r in rows if r.key == "P11")
    assert row.forgotten is not None and not row.linked
    blocks = roster_blocks(app.i18n.translator("en"), rows, "ProgrammeBot", "America/New_York")
    assert "erased their data on request" in json.dumps(blocks)


async def test_forget_buttons_of_a_stranger_erase_nothing(bot: Harness) -> None:
    """A tap on a confirmation by an account that is not linked changes nothing."""
    await bot.link(user("P04"), "P04")
    before = await dump(bot.app.settings.database_url)
    said = readable(await bot.tap(4242, forget_button(True)))
    assert "there is nothing to erase" in said
    assert await dump(bot.app.settings.database_url) == before


async def _purge_cli(env: dict[str, str], now: str, *args: str) -> tuple[int, str]:
    """Run `python -m bot purge` at a moment; its exit code and output."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "purge",
        *args,
        env={**env, "BOT_NOW": now},
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await process.communicate()
    return int(process.returncode or 0), out.decode()


def _counts(said: str) -> dict[str, int]:
    """The figures a purge printed, by the start of their description."""
    return {
        line.strip().split(" ", 1)[1][:20]: int(line.split()[0])
        for line in said.splitlines()
        if line.startswith("  ")
    }


async def test_purge_removes_personal_data_and_keeps_the_counts(
    bot: Harness, subprocess_env: dict[str, str]
) -> None:
    """Dry run changes nothing; the purge empties texts and links, keeps every count."""
    app = bot.app
    url = app.settings.database_url
    await bot.say(4243, "/start ZZZZ-9999")  # a stranger's guessing counter
    await _activity(bot, ("P11", "P04"))
    async with app.sessions.begin() as session:
        campaign = Campaign(
            kind=CampaignKind.BROADCAST,
            status=CampaignStatus.QUEUED,
            audience={"kind": "everyone"},
            text="The bus leaves at nine",
            translations={"fr": "Le bus part à neuf heures"},
            requires_ack=True,
            created_by="USTAFF",
            created_at=app.clock.now(),
        )
        session.add(campaign)
        await session.flush()
        session.add(
            CampaignMember(
                campaign_id=campaign.id,
                participant_key="P11",
                response="ack",
                responded_at=app.clock.now(),
            )
        )
    await app.calendars.token(STAFF, app.clock.now())
    before = await dump(url)

    code, said = await _purge_cli(subprocess_env, "2024-06-10T12:00Z", "--older-than", "30d")
    assert code == 0 and "did not end more than 30d ago" in said, said
    code, said = await _purge_cli(
        subprocess_env, "2024-06-20T12:00Z", "--older-than", "30d", "--dry-run"
    )
    assert code == 0 and "Would remove" in said, said
    assert await dump(url) == before
    outbox = Outgoing.__table__.columns.keys()
    participants = Participant.__table__.columns.keys()
    assert _counts(said) == {
        "questions relayed to": len(before["thread_messages"]),
        "outbox message texts": len(before["outbox"]),
        "Telegram account lin": 2,
        "broadcast and check-": 1,
        "participants' calend": 2,
        "invite-code counters": len([r for r in before["link_guard"] if r[0] != "everyone"]),
    }
    expected = _counts(said)
    assert all(expected.values())
    code, said = await _purge_cli(subprocess_env, "2024-06-20T12:00Z", "--older-than", "1x")
    assert code == 2 and "not a period" in said

    # The clock's daily sweep does it when RETENTION_DAYS is set.
    bot.clock.instant = datetime.fromisoformat("2024-06-20T12:00Z")
    retention = timedelta(days=30)
    install(
        "retention", Runtime(app.sessions, app.assistant, app.i18n, bot.clock, retention=retention)
    )
    try:
        assert await retention_sweep("retention") == sum(expected.values())
    finally:
        uninstall("retention")
    after = await dump(url)
    assert after["thread_messages"] == []
    # Outbox rows stay with kind, status, campaign and times: only texts and buttons go.
    text, buttons = outbox.index("text"), outbox.index("buttons")
    assert len(after["outbox"]) == len(before["outbox"])
    for old, new in zip(before["outbox"], after["outbox"], strict=True):
        assert new[text] == "" and new[buttons] is None
        assert [v for i, v in enumerate(old) if i not in (text, buttons)] == [
            v for i, v in enumerate(new) if i not in (text, buttons)
        ]
    account, seen = participants.index("telegram_user_id"), participants.index("last_seen_at")
    for old, new in zip(before["participants"], after["participants"], strict=True):
        assert new[account] is None and new[seen] is None
        assert [v for i, v in enumerate(old) if i not in (account, seen)] == [
            v for i, v in enumerate(new) if i not in (account, seen)
        ]
    assert after["campaign_members"] == before["campaign_members"]  # who acknowledged
    campaigns = Campaign.__table__.columns.keys()
    (row,) = after["campaigns"]
    assert row[campaigns.index("text")] == "" and row[campaigns.index("translations")] == {}
    assert row[campaigns.index("requires_ack")] is True
    assert [r[0] for r in after["calendar_feeds"]] == [STAFF]
    assert [r[0] for r in after["link_guard"]] == [
        r[0] for r in before["link_guard"] if r[0] == "everyone"
    ]
    untouched = set(before) - {
        "thread_messages",
        "outbox",
        "participants",
        "campaigns",
        "calendar_feeds",
        "link_guard",
        "sweep_runs",
    }
    for table in untouched:
        assert after[table] == before[table], table

    # Again: nothing is left to remove.
    code, said = await _purge_cli(subprocess_env, "2024-06-20T12:00Z", "--older-than", "30d")
    assert code == 0 and "Removed" in said and set(_counts(said).values()) == {0}, said
