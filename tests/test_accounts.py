"""Linking under attack: no public secret, one account per code, guessing limits that hold
however many messages arrive at once, strangers' small talk, owner-only files."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import stat
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.accounts import (
    LinkLimits,
    LinkOutcome,
    LinkResult,
    invite_secret,
    link_account,
    plausible_code,
)
from bot.config import Settings
from bot.programme.invites import roster_code
from bot.services import Services, import_file, services
from bot.staff.roster import roster
from bot.store.models import Participant, Place, StoredSecret
from tests.conftest import FIXTURE
from tests.test_slack import Console, _console
from tests.test_telegram import CODES, NAMES, Harness, _harness, readable


@pytest.fixture
async def bot(database_url: str, tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot on the fixture programme, with no INVITE_SECRET set."""
    async for harness in _harness(database_url, tmp_path, FIXTURE):
        yield harness


@pytest.fixture
async def programme(app: Services) -> Services:
    """The services with the fixture programme imported."""
    await import_file(app, FIXTURE)
    return app


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that takes nothing away, so only explicit modes make files private."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


async def at_once(bot: Harness, messages: list[tuple[int, str]]) -> dict[int, list[str]]:
    """Offer every message before the bot polls; return what each chat read, reply by reply."""
    mark = len(bot.fake.sent)
    ids = [await bot.fake.push_message(user, text) for user, text in messages]
    await asyncio.gather(*(bot._wait(update_id) for update_id in ids))
    replies: dict[int, list[str]] = {}
    for sent in bot.fake.sent[mark:]:
        if sent.method == "sendMessage" and sent.chat_id is not None:
            replies.setdefault(sent.chat_id, []).append(readable([sent]))
    return replies


async def concurrently(
    app: Services,
    attempts: list[tuple[int, str]],
    limits: LinkLimits | None = None,
    later: timedelta = timedelta(0),
) -> list[LinkResult]:
    """Run link attempts side by side, each in its own transaction, as handlers do."""
    limits = limits or LinkLimits()
    now = app.clock.now() + later
    secret = app.invite_secret.get_secret_value()

    async def attempt(account: int, code: str) -> LinkResult:
        async with app.sessions.begin() as session:
            return await link_account(session, account, code, now, secret, limits)

    return list(await asyncio.gather(*(attempt(account, code) for account, code in attempts)))


def outcomes(results: list[LinkResult]) -> dict[LinkOutcome, int]:
    """How many attempts ended which way."""
    counted: dict[LinkOutcome, int] = {}
    for result in results:
        counted[result.outcome] = counted.get(result.outcome, 0) + 1
    return counted


# ---- the invite secret ----

# What INVITE_SECRET used to default to: anyone reading the source knew it.
OLD_PUBLIC_DEFAULT = "programme-assistant"


async def test_a_code_computed_with_the_old_public_default_does_not_link(bot: Harness) -> None:
    """With INVITE_SECRET unset, a roster code derived from public data is just a wrong code."""
    secret = bot.app.invite_secret.get_secret_value()
    assert secret != OLD_PUBLIC_DEFAULT and len(secret) >= 40
    async with bot.app.sessions.begin() as session:
        rows = {row.key: row for row in await roster(session, secret)}
    forged = roster_code("P11", OLD_PUBLIC_DEFAULT)
    refused = readable(await bot.say(61, f"/start {forged}"))
    assert "not valid" in refused and NAMES["P11"] not in refused
    genuine = rows["P11"].code
    assert genuine is not None and genuine != forged
    assert f"Welcome, {NAMES['P11']}" in readable(await bot.say(62, f"/start {genuine}"))


async def test_the_generated_secret_is_kept_and_shared(app: Services, settings: Settings) -> None:
    """Made once, atomically, for processes starting together; kept across restarts;
    INVITE_SECRET, when set, wins and is not stored."""
    first = app.invite_secret.get_secret_value()
    async with app.sessions.begin() as session:
        await session.execute(StoredSecret.__table__.delete())

    async def starting() -> str:
        async with app.sessions.begin() as session:
            return await invite_secret(session, None, app.clock.now())

    agreed = set(await asyncio.gather(*(starting() for _ in range(12))))
    assert len(agreed) == 1 and first not in agreed
    async with app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(StoredSecret)) == 1
    async with services(settings, app.clock) as restarted:
        assert restarted.invite_secret.get_secret_value() in agreed
    configured = settings.model_copy(update={"invite_secret": SecretStr("x" * 43)})
    async with services(configured, app.clock) as chosen:
        assert chosen.invite_secret.get_secret_value() == "x" * 43
    async with app.sessions() as session:
        assert set(await session.scalars(select(StoredSecret.value))) == agreed


async def test_a_new_secret_over_stored_codes_says_to_import_again(
    programme: Services, caplog: pytest.LogCaptureFixture
) -> None:
    """Codes hashed under an earlier secret cannot link: the log says to import the file."""
    async with programme.sessions.begin() as session:
        await session.execute(StoredSecret.__table__.delete())
        await invite_secret(session, None, programme.clock.now())
    assert (
        f"{len(CODES)} invite codes" in caplog.text and "import the programme file" in caplog.text
    )


# ---- one code, one account ----


async def test_one_code_sent_by_many_accounts_at_once_links_one(programme: Services) -> None:
    """Twenty accounts with the same code in the same moment: one links, the rest hear 'used'."""
    attempts = [(500 + n, CODES["P05"]) for n in range(20)]
    results = await concurrently(programme, attempts)
    assert outcomes(results) == {LinkOutcome.LINKED: 1, LinkOutcome.CODE_USED: 19}
    (winner,) = [a for (a, _), r in zip(attempts, results, strict=True) if r.participant]
    async with programme.sessions() as session:
        person = await session.get(Participant, "P05")
    assert person is not None and person.telegram_user_id == winner


async def test_one_code_over_the_wire_from_many_accounts_links_one(bot: Harness) -> None:
    """Over Telegram, twelve accounts send one code at once: exactly one is welcomed."""
    replies = await at_once(bot, [(600 + n, f"/start {CODES['P07']}") for n in range(12)])
    welcomed = [user for user, texts in replies.items() if any(NAMES["P07"] in t for t in texts)]
    refused = [
        user for user, texts in replies.items() if any("already been used" in t for t in texts)
    ]
    assert len(welcomed) == 1 and len(refused) == 11, replies
    async with bot.app.sessions() as session:
        person = await session.get(Participant, "P07")
    assert person is not None and person.telegram_user_id == welcomed[0]


# ---- guessing ----


async def test_thirty_wrong_codes_at_once_are_five_checks(bot: Harness) -> None:
    """However many arrive together, one account gets five codes checked an hour."""
    replies = await at_once(bot, [(7, f"/start WRONG-{n:04d}") for n in range(30)])
    texts = replies[7]
    assert len(texts) == 30
    assert sum("not valid" in t for t in texts) == 5
    assert sum("Too many wrong codes" in t for t in texts) == 25
    assert "Too many wrong codes" in readable(await bot.link(7, "P12"))


async def test_wrong_codes_at_once_from_one_account_stop_at_the_limit(
    programme: Services,
) -> None:
    """At the use case: thirty concurrent wrong codes of one account, five checked."""
    results = await concurrently(programme, [(8, f"BAD{n:04d}") for n in range(30)])
    assert outcomes(results) == {LinkOutcome.WRONG_CODE: 5, LinkOutcome.COOLING_DOWN: 25}
    assert sorted(r.tries_left for r in results if r.outcome is LinkOutcome.WRONG_CODE) == [
        0,
        1,
        2,
        3,
        4,
    ]


async def test_guessing_from_many_accounts_pauses_checking_for_everyone(
    programme: Services,
) -> None:
    """Past the limit for everyone, no code is checked (a right one neither) until an hour
    after the pause began; right codes never count; exactly one attempt trips the pause."""
    limits = LinkLimits(everyone=10)
    (linked,) = await concurrently(programme, [(900, CODES["P01"])], limits)
    assert linked.outcome is LinkOutcome.LINKED
    results = await concurrently(programme, [(1000 + n, f"BAD{n:04d}") for n in range(30)], limits)
    assert outcomes(results) == {LinkOutcome.WRONG_CODE: 10, LinkOutcome.PAUSED: 20}
    assert sum(r.paused_everyone for r in results) == 1
    (paused,) = await concurrently(programme, [(901, CODES["P02"])], limits)
    assert paused.outcome is LinkOutcome.PAUSED
    hour = timedelta(minutes=59)
    (still,) = await concurrently(programme, [(901, CODES["P02"])], limits, later=hour)
    assert still.outcome is LinkOutcome.PAUSED
    hour = timedelta(minutes=61)
    (resumed,) = await concurrently(programme, [(901, CODES["P02"])], limits, later=hour)
    assert resumed.outcome is LinkOutcome.LINKED
    # An account whose attempt was paused has lost none of its tries.
    refused = next(1000 + n for n, r in enumerate(results) if r.outcome is LinkOutcome.PAUSED)
    (wrong,) = await concurrently(programme, [(refused, "BAD9999")], limits, later=hour)
    assert wrong.outcome is LinkOutcome.WRONG_CODE and wrong.tries_left == 4


async def test_staff_hear_once_when_guessing_pauses_checking(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six accounts guess at once with WRONG_CODES_PER_HOUR=3: three checks, the others are
    told to wait, and the staff channel gets one alert with the count and no code."""
    monkeypatch.setenv("WRONG_CODES_PER_HOUR", "3")
    async for c in _console(database_url, tmp_path, FIXTURE):
        await _guess_and_alert(c)


async def _guess_and_alert(c: Console) -> None:
    mark = len(c.slack.calls)
    guesses = [(700 + n, f"/start GUESS-{n:04d}") for n in range(6)]
    replies = await at_once(c.tg, guesses)
    texts = [t for user, _ in guesses for t in replies[user]]
    assert sum("not valid" in t for t in texts) == 3
    assert sum("checks no codes" in t for t in texts) == 3
    alert = await c.slack.wait_for(
        lambda call: call.method == "chat.postMessage" and "wrong invite code" in call.text(),
        since=mark,
    )
    assert "3 wrong invite codes" in alert.text()
    assert "GUESS" not in alert.text() and "guess" not in alert.text()
    # More guesses while paused, and a sync of the desk: still one alert.
    await at_once(c.tg, [(800 + n, f"/start GUESS-{n:04d}") for n in range(4)])
    await c.app.desk.sync_once()  # type: ignore[attr-defined]
    alerts = [
        call
        for call in c.slack.calls[mark:]
        if call.method == "chat.postMessage" and "wrong invite code" in call.text()
    ]
    assert len(alerts) == 1


# ---- strangers ----


@pytest.mark.parametrize(
    ("text", "plausible"),
    [
        ("VKQ7-2MXD", True),
        (" vkq7 2mxd ", True),
        ("DEMO-ES01", True),
        ("ABCD-EFGH", True),  # a roster code may have no digit; it always has the dash
        ("h8tr4nlc", True),
        ("thank you", False),
        ("Thanks!", False),
        ("thanks", False),
        ("merci beaucoup", False),
        ("hello there my friend", False),
        ("/start", False),
        ("AB-12", False),  # shorter than any code the programme file allows
        ("A1" * 33, False),  # longer than a deep link can carry
    ],
)
def test_what_looks_like_a_code(text: str, plausible: bool) -> None:
    """A code has 6 to 64 letters and digits, a digit or a dash, and few groups."""
    assert plausible_code(text) is plausible


async def test_a_polite_stranger_is_not_locked_out(bot: Harness) -> None:
    """After /start, thanks and greetings get the stranger's answer and are no attempts."""
    assert "invite code" in readable(await bot.say(41, "/start"))
    for text in ("thank you", "Thanks!", "ok", "thank you so much", "hello", "good morning"):
        reply = readable(await bot.say(41, text))
        assert "not valid" not in reply and "Too many" not in reply, text
        assert "link your account" in reply, text
    assert NAMES["P03"] in readable(await bot.say(41, CODES["P03"]))


# ---- files ----


async def test_the_store_and_its_folder_are_owner_only(tmp_path: Path, open_umask: None) -> None:
    """The default SQLite store: folder 0700, file and journal 0600, older ones tightened."""
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    (folder / "bot.sqlite3").touch(mode=0o644)  # as an earlier version left them
    async with services(Settings(database_url="", data_dir=folder)) as app:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE((folder / "bot.sqlite3").stat().st_mode) == 0o600
        async with app.sessions.begin() as session:
            session.add(Place(key="probe", name="Probe", notes={}))
            await session.flush()
            journal = folder / "bot.sqlite3-journal"
            assert journal.exists()
            assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    fresh = tmp_path / "fresh" / "data"
    async with services(Settings(database_url="", data_dir=fresh)):
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
        assert stat.S_IMODE((fresh / "bot.sqlite3").stat().st_mode) == 0o600


async def test_invite_qr_codes_are_owner_only(
    programme: Services, tmp_path: Path, open_umask: None
) -> None:
    """`invites` writes each QR code 0600 into a 0700 folder, whatever the umask."""
    from bot.cli import _cmd_invites

    out = tmp_path / "qr"
    args = argparse.Namespace(programme=str(FIXTURE), bot="ProgrammeBot", out=str(out))
    with contextlib.redirect_stdout(io.StringIO()):
        assert await _cmd_invites(programme, args) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    pngs = list(out.glob("*.png"))
    assert len(pngs) == len(CODES)
    assert {stat.S_IMODE(p.stat().st_mode) for p in pngs} == {0o600}
