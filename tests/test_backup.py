"""`python -m bot backup FILE`: a sound copy of the SQLite store while it is being written."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
import sys
from pathlib import Path

from sqlalchemy import func, select

from bot.delivery.outbox import Message, enqueue
from bot.services import Services, import_file
from bot.store.models import MessageKind, Outgoing, Participant
from tests.conftest import FIXTURE, ROOT


async def _bot(env: dict[str, str], *args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await process.communicate()
    return int(process.returncode or 0), out.decode()


def _message(n: int) -> Message:
    return Message(
        dedupe_key=f"backup-test:{n}",
        kind=MessageKind.BROADCAST,
        participant_key="P01",
        chat_id=1001,
        language="en",
        text=f"message {n}",
        timezone="America/New_York",
    )


async def test_backup_while_writing_is_consistent_and_restores(
    app: Services, subprocess_env: dict[str, str], database_url: str, tmp_path: Path
) -> None:
    """Rows written during the copy: the copy is sound, a prefix of them, and restores."""
    target = tmp_path / "copy.sqlite3"
    if not database_url.startswith("sqlite"):
        code, said = await _bot(subprocess_env, "backup", str(target))
        assert code == 2 and "pg_dump" in said and not target.exists()
        return
    await import_file(app, FIXTURE)
    stop = asyncio.Event()
    written = 0

    async def write() -> None:
        nonlocal written
        while not stop.is_set():
            async with app.sessions.begin() as session:
                await enqueue(session, [_message(written)], app.clock.now())
            written += 1
            await asyncio.sleep(0)

    writer = asyncio.create_task(write())
    try:
        code, said = await _bot(subprocess_env, "backup", str(target))
    finally:
        stop.set()
        await writer
    assert code == 0, said
    assert f"Wrote {target}" in said and "integrity ok" in said
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".partial")]
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        ids = [row[0] for row in copy.execute("SELECT id FROM outbox ORDER BY id")]
        people = copy.execute("SELECT count(*) FROM participants").fetchone()[0]
    # A snapshot: the rows committed before some moment, every one of them.
    assert ids == list(range(1, len(ids) + 1))
    # Writes went on before, during and after the copy.
    assert 0 < len(ids) < written
    async with app.sessions() as session:
        assert people == await session.scalar(select(func.count()).select_from(Participant))
        assert len(ids) <= int(await session.scalar(select(func.count(Outgoing.id))) or 0)

    # Restoring is using the copy as the store: the programme exports the same.
    live = tmp_path / "live.yaml"
    restored = tmp_path / "restored.yaml"
    assert (await _bot(subprocess_env, "export", str(live)))[0] == 0
    env = {**subprocess_env, "DATABASE_URL": f"sqlite:///{target}"}
    assert (await _bot(env, "export", str(restored)))[0] == 0
    assert restored.read_text(encoding="utf-8") == live.read_text(encoding="utf-8")

    # An existing file is never overwritten.
    before = target.read_bytes()
    code, said = await _bot(subprocess_env, "backup", str(target))
    assert code == 1 and "exists" in said
    assert target.read_bytes() == before
