"""Accounts and what protects them: no public invite secret, owner-only files."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import stat
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.accounts import (
    invite_secret,
)
from bot.config import Settings
from bot.programme.invites import roster_code
from bot.services import Services, import_file, services
from bot.staff.roster import roster
from bot.store.models import Place, StoredSecret
from tests.conftest import FIXTURE
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
