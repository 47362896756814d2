"""Staff console at scale: a broadcast to 10,000 participants, from preview to live report.

    python bench/staff.py [--participants 10000] [--runs 5] [--database-url URL]

Printed (medians of the runs): the per-language preview, confirming (recording the audience
and queueing one outbox row each), one report computed from the outbox with half delivered
and a tenth acknowledged, the report rendered as Slack blocks, the reminders to those
delivered but not acknowledged, the owed help alerts of a check-in in which 100 people
need help, the staff Home tab (read from the store, and rendered as blocks), a search of the
participant picker, and "remind now" from the report.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on the path, and bench/telegram.py would hide
# the python-telegram-bot package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, select, update  # noqa: E402

from bench import answers  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.programme.importer import import_programme  # noqa: E402
from bot.programme.schema import validate  # noqa: E402
from bot.services import services  # noqa: E402
from bot.staff import campaigns as cmp  # noqa: E402
from bot.staff.audience import Audience  # noqa: E402
from bot.staff.home import overview  # noqa: E402
from bot.staff.roster import find_participants  # noqa: E402
from bot.store.models import (  # noqa: E402
    Campaign,
    CampaignKind,
    CampaignMember,
    DeliveryStatus,
    Outgoing,
    Participant,
    Response,
)
from handlers.slack.blocks import home_view, report_blocks  # noqa: E402

NOW = datetime.fromisoformat("2025-03-04T10:00-05:00")


async def timed(work: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    """Run the work once; return seconds and its result."""
    started = time.perf_counter()
    result = await work()
    return time.perf_counter() - started, result


async def run(args: argparse.Namespace) -> None:
    """Import a generated programme, link everyone, then time each step of a broadcast."""
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{tmp}/staff.sqlite3"
        async with services(Settings(database_url=url), FixedClock(NOW)) as app:
            doc = validate(answers.generate(args.participants, 11), "generated")
            async with app.sessions.begin() as session:
                for model in (Outgoing, CampaignMember, Campaign):
                    await session.execute(delete(model))
                await import_programme(session, doc, invite_secret="b", now=NOW)
                await session.execute(
                    update(Participant).values(telegram_user_id=Participant.position + 10_000_000)
                )
            async with app.sessions() as session:
                k = await app.assistant.knowledge(session)
            assert k is not None
            t = app.i18n.translator("en")
            figures: dict[str, list[float]] = {}
            for _ in range(args.runs):
                async with app.sessions.begin() as session:
                    for model in (Outgoing, CampaignMember, Campaign):
                        await session.execute(delete(model))
                    draft = cmp.Draft(
                        CampaignKind.BROADCAST,
                        Audience(),
                        "The bus leaves at 09:15 from the hotel lobby.",
                        {"es": "El autobús sale a las 09:15 del vestíbulo del hotel."},
                        requires_ack=True,
                    )
                    campaign = await cmp.save_draft(session, draft, "USTAFF", NOW)
                    seconds, preview = await timed(
                        lambda c=campaign, s=session: cmp.preview(s, k, app.i18n, c)
                    )
                    figures.setdefault("preview", []).append(seconds)
                    seconds, _ = await timed(
                        lambda c=campaign, s=session: cmp.confirm(s, k, app.i18n, c.id, NOW)
                    )
                    figures.setdefault("confirm (audience + outbox)", []).append(seconds)
                    half = Outgoing.id % 2 == 0
                    await session.execute(
                        update(Outgoing).where(half).values(status=DeliveryStatus.SENT)
                    )
                    await session.execute(
                        update(CampaignMember)
                        .where(
                            CampaignMember.participant_key.in_(
                                select(Outgoing.participant_key).where(Outgoing.id % 10 == 0)
                            )
                        )
                        .values(response=Response.ACK)
                    )
                    campaign_id = campaign.id
                async with app.sessions() as session:
                    seconds, report = await timed(lambda s=session, c=campaign_id: cmp.report(s, c))
                figures.setdefault("report from the store", []).append(seconds)
                started = time.perf_counter()
                report_blocks(t, k, report)
                figures.setdefault("report as Slack blocks", []).append(
                    time.perf_counter() - started
                )
                async with app.sessions.begin() as session:
                    seconds, reminded = await timed(
                        lambda s=session: cmp.remind_unacknowledged(
                            s, k, app.i18n, NOW + timedelta(hours=1), timedelta(hours=1)
                        )
                    )
                figures.setdefault("acknowledgement reminders", []).append(seconds)
                async with app.sessions.begin() as session:
                    check = await cmp.save_draft(
                        session,
                        cmp.Draft(CampaignKind.CHECKIN, Audience(), "", drill=True),
                        "U",
                        NOW,
                    )
                    await cmp.confirm(session, k, app.i18n, check.id, NOW)
                    helpers = await session.scalars(
                        select(CampaignMember.participant_key)
                        .where(CampaignMember.campaign_id == check.id)
                        .limit(100)
                    )
                    for key in list(helpers):
                        await cmp.answer(session, key, check.id, Response.HELP, NOW)
                async with app.sessions() as session:
                    seconds, alerts = await timed(lambda s=session: cmp.owed_alerts(s, k, NOW))
                figures.setdefault("100 help alerts owed", []).append(seconds)
                async with app.sessions() as session:
                    seconds, seen = await timed(lambda s=session: overview(s, k, NOW))
                figures.setdefault("Home tab from the store", []).append(seconds)
                started = time.perf_counter()
                home = home_view(t, k, seen, NOW)
                figures.setdefault("Home tab as Slack blocks", []).append(
                    time.perf_counter() - started
                )
                async with app.sessions() as session:
                    seconds, found = await timed(
                        lambda s=session: find_participants(s, "ar", 100)
                    )
                figures.setdefault("participant search (100 options)", []).append(seconds)
                async with app.sessions.begin() as session:
                    seconds, _ = await timed(
                        lambda s=session, c=campaign_id: cmp.remind_now(s, k, app.i18n, c, NOW)
                    )
                figures.setdefault("remind now (after the sweep: none twice)", []).append(seconds)
            print(
                f"{report.total} participants, {len(preview.texts)} languages in the preview, "
                f"{len(report.delivered)} delivered, {reminded} reminded, {len(alerts)} alerts, "
                f"{len(home['blocks'])} Home tab blocks, {len(found)} search options; "
                f"medians of {args.runs} runs:"
            )
            for name, values in figures.items():
                print(f"  {name}: {statistics.median(values) * 1000:.0f} ms")


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
