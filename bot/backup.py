"""An online copy of a SQLite store, consistent while the bot keeps writing to it."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.files import FILE_MODE

# Pages copied per step; between steps writers may go on (the copy restarts if they do).
PAGES_PER_STEP = 256


class BackupError(Exception):
    """The copy could not be made; the message says why."""


@dataclass(frozen=True)
class Backup:
    """A finished copy: where it is, how big, and that SQLite finds it sound."""

    path: Path
    size: int
    tables: int


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None for other databases."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def backup_sqlite(source: Path, target: Path) -> Backup:
    """Copy the store with SQLite's online backup API into ``target`` (owner-only).

    The copy is written beside the target and renamed into place once checked, so a
    failed or interrupted backup never leaves a half-written file under the given name.
    """
    if target.exists():
        raise BackupError(f"{target} exists; give a new file name")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} is not a folder")
    partial = target.with_name(target.name + ".partial")
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE))
    try:
        # Read-only: the backup must never write to the live store.
        live = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        with closing(live), closing(sqlite3.connect(partial)) as copy:
            live.backup(copy, pages=PAGES_PER_STEP)
            (status,) = copy.execute("PRAGMA integrity_check").fetchone()
            if status != "ok":
                raise BackupError(f"the copy failed SQLite's integrity check: {status}")
            (tables,) = copy.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not copy {source}: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return Backup(target, target.stat().st_size, int(tables))
