"""Files only their owner may read: the store, the data folder, invite QR codes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.engine import make_url

DIR_MODE = 0o700
FILE_MODE = 0o600
# SQLite's companions of a database file; it creates them with the file's own mode.
SQLITE_COMPANIONS = ("-journal", "-wal", "-shm")


def private_dir(path: Path) -> Path:
    """Create a folder (and its parents) if needed; make the folder itself owner-only."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    # mkdir's mode passes through the umask, and an existing folder keeps its own: set it.
    os.chmod(path, DIR_MODE)
    return path


def private_file(path: Path) -> BinaryIO:
    """Open a file for writing (truncated) that only its owner may read, whatever the umask."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)
    return os.fdopen(descriptor, "wb")


def private_sqlite(url: str) -> None:
    """Make a SQLite store owner-only before it is opened (no-op for other databases).

    The file is created here, empty (a valid empty database), so SQLite never creates it
    with its default 0644; its journal and WAL files then inherit 0600 from it.
    """
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return
    path = Path(parsed.database)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in SQLITE_COMPANIONS)):
        if candidate.exists():
            os.chmod(candidate, FILE_MODE)
