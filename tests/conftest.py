"""Shared fixtures: a fresh database per test on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from bot.clock import FixedClock
from bot.config import Settings, normalise_database_url
from bot.services import Services, services

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
FIXTURE = DATA / "programme-2024.yaml"
QUESTIONS = DATA / "questions-2024.yaml"
BACKENDS = ["sqlite", "postgresql"]


def _postgres_admin_url() -> str | None:
    url = os.environ.get("TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail("TEST_POSTGRES_URL must point at a PostgreSQL server in CI")
    pytest.skip("PostgreSQL not configured: set TEST_POSTGRES_URL")
    return None


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A URL of an empty database of each backend, dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'store.sqlite3'}"
        return
    admin = _postgres_admin_url()
    assert admin is not None
    name = f"test_{uuid.uuid4().hex[:16]}"
    plain = admin.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(plain)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    parts = urlsplit(plain)
    yield normalise_database_url(urlunsplit(parts._replace(path=f"/{name}")))
    connection = await asyncpg.connect(plain)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings for a test process, on the test database."""
    return Settings(database_url=database_url, data_dir=tmp_path / "data")


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Services]:
    """The composed services on a migrated, empty test database."""
    async with services(
        settings, FixedClock(datetime.fromisoformat("2024-04-29T08:00-04:00"))
    ) as built:
        yield built


@pytest.fixture
def subprocess_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    """Environment for ``python -m bot`` child processes on the test database."""
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_NOW", "TELEGRAM_BOT_TOKEN")}
    env.update(DATABASE_URL=database_url, DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    return env
