"""Accounts and what protects them: owner-only files."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.services import Services, import_file, services
from bot.store.models import Place
from tests.conftest import FIXTURE
from tests.test_telegram import CODES


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
