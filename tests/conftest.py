"""Shared fixtures: a fresh database per test on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from bot.clock import FixedClock
from bot.config import Settings, normalise_database_url
from bot.services import Services, services
from bot.store.database import create_engine, migrate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
FIXTURE = DATA / "programme-2024.yaml"
QUESTIONS = DATA / "questions-2024.yaml"
BACKENDS = ["sqlite", "postgresql"]


def _postgres_admin_url() -> str:
    url = os.environ.get("TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail("TEST_POSTGRES_URL must point at a PostgreSQL server in CI")
    pytest.skip("PostgreSQL not configured: set TEST_POSTGRES_URL")


def _blocking(work: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine to the end on its own loop, even when called under a running loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, work).result()


async def _migrated(url: str) -> None:
    engine = create_engine(url)
    try:
        await migrate(engine)
    finally:
        await engine.dispose()


async def _admin(url: str, statement: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def _database(admin: str, name: str) -> str:
    return normalise_database_url(urlunsplit(urlsplit(admin)._replace(path=f"/{name}")))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store migrated once per session; each test starts from a copy of it."""
    path = tmp_path_factory.mktemp("template") / "store.sqlite3"
    _blocking(_migrated(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A PostgreSQL database migrated once per session, the template of each test's."""
    admin = _postgres_admin_url().replace("postgresql+asyncpg://", "postgresql://")
    name = f"template_{uuid.uuid4().hex[:16]}"
    _blocking(_admin(admin, f'CREATE DATABASE "{name}"'))
    _blocking(_migrated(_database(admin, name)))
    yield name
    _blocking(_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A URL of a migrated, empty database of each backend, dropped afterwards.

    Migrating from nothing is tested once per session by building the template (and
    ``test_store`` compares its result with the models); copies keep each test short.
    """
    if request.param == "sqlite":
        store = tmp_path / "store.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), store)
        yield f"sqlite+aiosqlite:///{store}"
        return
    template = request.getfixturevalue("postgres_template")
    admin = _postgres_admin_url().replace("postgresql+asyncpg://", "postgresql://")
    name = f"test_{uuid.uuid4().hex[:16]}"
    await _admin(admin, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield _database(admin, name)
    await _admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
