"""Readiness: the store, Telegram and Slack answer; the sweeps and the sender keep up."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.operations import oldest_due_age, sweeps
from bot.store.database import ping

# A call that raises unless a platform answers (Telegram's getMe, Slack's auth.test).
Probe = Callable[[], Awaitable[object]]
# The sweeps whose age readiness watches: without them no agenda and no change notice go out.
WATCHED_SWEEPS = ("agenda_sweep", "change_sweep")


@dataclass(frozen=True)
class Check:
    """One readiness check: its name, whether it passed, and why not (never a secret)."""

    name: str
    ok: bool
    detail: str = "ok"


@dataclass(frozen=True)
class Limits:
    """Thresholds of readiness; a zero age or lag turns that check off."""

    timeout: float = 5.0
    sweep_age: float = 300.0
    outbox_lag: float = 300.0


async def _probe(name: str, probe: Probe, limit: float) -> Check:
    try:
        await asyncio.wait_for(probe(), limit)
    except TimeoutError:
        return Check(name, False, f"no answer within {limit:g} s")
    except Exception as exc:  # any failure of the platform call means not ready
        # The type only: messages of client errors may carry request details.
        return Check(name, False, type(exc).__name__)
    return Check(name, True)


async def _store_checks(
    sessions: async_sessionmaker[AsyncSession], limits: Limits, now: datetime
) -> list[Check]:
    checks = []
    async with sessions() as session:
        if limits.sweep_age > 0:
            last = {s.name: s.last_success_at for s in await sweeps(session)}
            for name in WATCHED_SWEEPS:
                at = last.get(name)
                age = None if at is None else (now - at).total_seconds()
                if age is None:
                    checks.append(Check(name, False, "never ran"))
                elif age > limits.sweep_age:
                    checks.append(Check(name, False, f"last ran {age:.0f} s ago"))
                else:
                    checks.append(Check(name, True, f"last ran {age:.0f} s ago"))
        if limits.outbox_lag > 0:
            lag = await oldest_due_age(session, now)
            detail = f"oldest due message waiting {lag:.0f} s"
            checks.append(Check("outbox", lag <= limits.outbox_lag, detail))
    return checks


async def readiness(
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
    probes: Mapping[str, Probe],
    limits: Limits,
    now: datetime,
) -> list[Check]:
    """Run every check; the platforms are asked side by side, each within the time limit."""
    store = await _probe("store", lambda: ping(engine), limits.timeout)

    async def figures() -> list[Check]:
        if not store.ok:
            return []
        try:
            return await asyncio.wait_for(_store_checks(sessions, limits, now), limits.timeout)
        except TimeoutError:
            return [Check("store", False, f"queries took over {limits.timeout:g} s")]
        except Exception as exc:  # a failing query is a failing store
            return [Check("store", False, type(exc).__name__)]

    found, *platforms = await asyncio.gather(
        figures(), *(_probe(name, probe, limits.timeout) for name, probe in sorted(probes.items()))
    )
    return [store, *platforms, *found]
