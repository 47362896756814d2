"""Staff use cases on the store: audiences, reports, answers, schedule queries."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.assistant.knowledge import Knowledge
from bot.services import Services, import_file
from bot.staff import campaigns as cmp
from bot.staff.audience import Audience, resolve
from bot.staff.home import overview
from bot.staff.relay import ask_staff, close_thread, waiting
from bot.staff.schedule import agenda_query
from bot.store.models import CampaignKind, Outgoing, Participant, Response, ThreadClosing
from tests.conftest import FIXTURE

NOW = datetime.fromisoformat("2024-05-01T09:00-04:00")


@pytest.fixture
async def staffed(app: Services) -> Services:
    """The fixture programme with every participant linked."""
    await import_file(app, FIXTURE)
    async with app.sessions.begin() as session:
        for person in await session.scalars(select(Participant)):
            person.telegram_user_id = 1000 + int(person.key[1:])
    return app


async def _knowledge(app: Services) -> Knowledge:
    async with app.sessions() as session:
        k = await app.assistant.knowledge(session)
    assert k is not None
    return k


async def test_audiences_by_group_city_date_and_name(staffed: Services) -> None:
    """A city on a date follows the legs: Tampa in the second week is group A only."""
    k = await _knowledge(staffed)
    async with staffed.sessions() as session:
        tampa = await resolve(session, k, Audience("city", city="Tampa, FL", day=date(2024, 5, 6)))
        washington = await resolve(
            session, k, Audience("city", city="washington, dc", day=date(2024, 5, 1))
        )
        nobody = await resolve(session, k, Audience("city", city="Tampa, FL", day=date(2024, 5, 1)))
        groups = await resolve(session, k, Audience("groups", groups=("B", "C")))
        named = await resolve(session, k, Audience("participants", participants=("P02", "P09")))
    assert {p.group_key for p in tampa.people} == {"A"} and len(tampa.people) == 4
    assert len(washington.people) == 12 and nobody.people == []
    assert {p.group_key for p in groups.people} == {"B", "C"}
    assert [p.key for p in named.people] == ["P02", "P09"]
    assert Audience("groups").missing() == "groups" and Audience().missing() is None
    assert Audience.from_json(Audience("city", city="X", day=date(2024, 5, 2)).to_json()) == (
        Audience("city", city="X", day=date(2024, 5, 2))
    )


async def test_report_sorts_everyone_into_one_bucket(staffed: Services) -> None:
    """Delivered, pending, failed, blocked and not linked add up to the audience."""
    k = await _knowledge(staffed)
    async with staffed.sessions.begin() as session:
        person = await session.get(Participant, "P12")
        assert person is not None
        person.telegram_user_id = None  # never linked
        blocked = await session.get(Participant, "P11")
        assert blocked is not None
        blocked.unreachable = True  # blocked before the broadcast
        draft = cmp.Draft(CampaignKind.BROADCAST, Audience(), "Hello", requires_ack=True)
        campaign = await cmp.save_draft(session, draft, "USTAFF", NOW)
        assert await cmp.confirm(session, k, staffed.i18n, campaign.id, NOW) is not None
        assert await cmp.confirm(session, k, staffed.i18n, campaign.id, NOW) is None
        await session.execute(
            update(Outgoing)
            .where(Outgoing.participant_key.in_(["P01", "P02", "P03"]))
            .values(status="sent")
        )
        await session.execute(
            update(Outgoing).where(Outgoing.participant_key == "P04").values(status="failed")
        )
        assert (await cmp.answer(session, "P01", campaign.id, Response.ACK, NOW)) is not None
        assert (
            await cmp.answer(session, "P01", campaign.id, Response.HELP, NOW) is None
        )  # not a check-in
        assert (
            await cmp.answer(session, "P99", campaign.id, Response.ACK, NOW) is None
        )  # not a member
        report = await cmp.report(session, campaign.id)
    assert report is not None
    assert report.total == 12
    assert len(report.delivered) == 3 and len(report.failed) == 1
    assert len(report.blocked) == 1 and len(report.not_linked) == 1
    assert len(report.pending) == 12 - 3 - 1 - 1 - 1
    assert len(report.responses[Response.ACK]) == 1 and len(report.unanswered) == 2


async def test_help_answers_are_owed_to_staff_until_posted(staffed: Services) -> None:
    """Each new "need help" is alerted once, with the city the participant is in."""
    k = await _knowledge(staffed)
    async with staffed.sessions.begin() as session:
        draft = cmp.Draft(CampaignKind.CHECKIN, Audience("groups", groups=("A",)), "", drill=False)
        campaign = await cmp.save_draft(session, draft, "USTAFF", NOW)
        assert campaign.urgent  # a real check-in goes through quiet hours
        await cmp.confirm(session, k, staffed.i18n, campaign.id, NOW)
        await cmp.answer(session, "P01", campaign.id, Response.HELP, NOW)
        later = NOW + timedelta(days=5)
        (alert,) = await cmp.owed_alerts(session, k, later)
        assert alert.city == "Tampa, FL" and not alert.drill
        await cmp.mark_alerted(session, campaign.id, "P01", later)
        assert await cmp.owed_alerts(session, k, later) == []
        await cmp.answer(session, "P01", campaign.id, Response.SAFE, later)
        await cmp.answer(session, "P01", campaign.id, Response.HELP, later)
        assert len(await cmp.owed_alerts(session, k, later)) == 1


async def test_agenda_queries(staffed: Services) -> None:
    """Dates and groups in either order of words, or a clear refusal."""
    k = await _knowledge(staffed)
    today = date(2024, 5, 1)
    assert agenda_query(k, "", today, "en") == (today, None)
    assert agenda_query(k, "tomorrow", today, "en") == (date(2024, 5, 2), None)
    assert agenda_query(k, "friday B", today, "en") == (date(2024, 5, 3), "B")
    assert agenda_query(k, "2024-05-07 c", today, "en") == (date(2024, 5, 7), "C")
    assert agenda_query(k, "B", today, "en") == (today, "B")
    with pytest.raises(ValueError):
        agenda_query(k, "someday maybe", today, "en")


async def test_overview_counts_what_waits_and_the_last_campaigns(staffed: Services) -> None:
    """Home tab data: campaigns counted in the store, alerts until resolved, open questions."""
    k = await _knowledge(staffed)
    async with staffed.sessions.begin() as session:
        draft = cmp.Draft(CampaignKind.BROADCAST, Audience(), "Hello", requires_ack=True)
        broadcast = await cmp.save_draft(session, draft, "USTAFF", NOW)
        await cmp.confirm(session, k, staffed.i18n, broadcast.id, NOW)
        await session.execute(
            update(Outgoing)
            .where(Outgoing.participant_key.in_(["P01", "P02"]))
            .values(status="sent")
        )
        await cmp.answer(session, "P01", broadcast.id, Response.ACK, NOW)
        check = await cmp.save_draft(
            session, cmp.Draft(CampaignKind.CHECKIN, Audience(), "", drill=True), "USTAFF", NOW
        )
        await cmp.confirm(session, k, staffed.i18n, check.id, NOW)
        await cmp.answer(session, "P03", check.id, Response.HELP, NOW)
        person = await session.get(Participant, "P05")
        assert person is not None
        message = await ask_staff(session, person, "Where is the badge desk?", NOW)
        seen = await overview(session, k, NOW)
        newest, older = seen.campaigns
        assert newest.campaign.id == check.id and newest.responses == {"help": 1}
        assert older.total == 12 and older.delivered == 2 and older.responses == {"ack": 1}
        assert [a.participant_key for a in seen.alerts] == ["P03"]
        assert seen.questions == 1 and seen.waiting[0].text == "Where is the badge desk?"
        assert seen.reach.total == 12 and seen.reach.not_linked == 0
        assert {g.key for g in seen.groups} == {"A", "B", "C"}

        assert await cmp.take_alert(session, check.id, "P03", "U1", NOW)
        assert not await cmp.take_alert(session, check.id, "P03", "U2", NOW)
        assert await cmp.resolve_alert(session, check.id, "P03", "U2", NOW)
        assert not await cmp.resolve_alert(session, check.id, "P03", "U1", NOW)
        alert = await cmp.help_alert(session, k, check.id, "P03", NOW)
        assert alert is not None and (alert.taken_by, alert.resolved_by) == ("U1", "U2")
        assert await cmp.open_alerts(session, k, NOW) == []

        assert await close_thread(session, message.thread_id, ThreadClosing.ANSWERED, "U1", NOW)
        assert not await close_thread(session, message.thread_id, ThreadClosing.NO_REPLY, "U2", NOW)
        assert (await waiting(session))[0] == 0
        await ask_staff(session, person, "And the lunch?", NOW)  # reopens
        assert (await waiting(session))[0] == 1

        await session.execute(
            update(Outgoing).where(Outgoing.participant_key == "P04").values(status="failed")
        )
        assert await cmp.retry_failed(session, broadcast.id, NOW) == 1
        assert await cmp.retry_failed(session, broadcast.id, NOW) == 0
        assert await cmp.remind_now(session, k, staffed.i18n, broadcast.id, NOW) == 1  # P02
        assert await cmp.remind_now(session, k, staffed.i18n, broadcast.id, NOW) == 0
        assert await cmp.remind_now(session, k, staffed.i18n, check.id, NOW) is None
