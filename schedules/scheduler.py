"""The APScheduler that runs the sweeps (exactly one per deployment: ``python -m bot clock``)."""

from __future__ import annotations

from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

# Sweep (import path) and how often it runs, in sweep intervals (10 seconds by default).
JOBS = {
    "schedules.sweeps:agenda_sweep": 6,
    "schedules.sweeps:change_sweep": 1,
    "schedules.sweeps:reminder_sweep": 6,
    "schedules.sweeps:campaign_sweep": 1,
}


# Personal data past the retention period goes once a day (only when RETENTION_DAYS is set).
RETENTION_JOB = "schedules.sweeps:retention_sweep"


def build_scheduler(
    runtime: str, interval: float = 10.0, *, retention: bool = False
) -> AsyncIOScheduler:
    """Return a scheduler with every sweep registered by import path."""
    scheduler = AsyncIOScheduler(
        timezone="UTC",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
    )
    for path, intervals in JOBS.items():
        # The first run is at start: a restart catches up at once.
        scheduler.add_job(
            path,
            "interval",
            seconds=intervals * interval,
            kwargs={"runtime": runtime},
            id=path.rsplit(":", 1)[1],
            next_run_time=datetime.now(UTC),
        )
    if retention:
        scheduler.add_job(
            RETENTION_JOB,
            "interval",
            days=1,
            kwargs={"runtime": runtime},
            id=RETENTION_JOB.rsplit(":", 1)[1],
            next_run_time=datetime.now(UTC),
        )
    return scheduler
