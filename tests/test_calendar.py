"""Calendar subscriptions: the feed served over HTTP, its versions, tokens and caching."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import icalendar
import pytest
import yaml
from aiohttp import web
from multidict import CIMultiDict

from bot import logs
from bot.calendars.links import STAFF, participant_owner
from bot.config import Settings
from bot.services import Services, import_file, services
from bot.yamlio import load_yaml
from handlers.web import build_web_app
from tests.conftest import FIXTURE, ROOT
from tests.fake_telegram import TOKEN, FakeBotAPI

PUBLIC = "https://bot.example.org"
PROGRAMME = "tmssw-2024"


class MutableClock:
    """A clock the test moves by hand."""

    def __init__(self, instant: datetime) -> None:
        self.instant = instant

    def now(self) -> datetime:
        """Return the instant the test set."""
        return self.instant


@dataclass
class Served:
    """The web app on loopback, its services and the test's clock."""

    app: Services
    clock: MutableClock
    url: str
    client: aiohttp.ClientSession
    tmp: Path

    async def token(self, owner: str, *, reset: bool = False) -> str:
        """The owner's feed token."""
        return await self.app.calendars.token(owner, self.clock.now(), reset=reset)

    async def get(self, path: str, **headers: str) -> tuple[int, CIMultiDict[str], bytes]:
        """GET a path; the status, headers and body."""
        async with self.client.get(self.url + path, headers=headers, allow_redirects=False) as r:
            return r.status, r.headers.copy(), await r.read()

    async def feed(self, token: str) -> tuple[CIMultiDict[str], icalendar.Calendar]:
        """Fetch a feed that must be there, parsed."""
        status, headers, body = await self.get(f"/calendar/{token}.ics")
        assert status == 200, body
        return headers, icalendar.Calendar.from_ical(body)

    async def reimport(self, edit: Any) -> None:
        """Import the fixture programme after ``edit(doc)`` changed it, an hour later."""
        doc = load_yaml(FIXTURE.read_text(encoding="utf-8"))
        edit(doc)
        path = self.tmp / "edited.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        self.clock.instant += timedelta(hours=1)
        await import_file(self.app, path)


@pytest.fixture
async def served(database_url: str, tmp_path: Path) -> AsyncIterator[Served]:
    """The web app of `serve` with PUBLIC_URL set, on the fixture programme."""
    settings = Settings(database_url=database_url, data_dir=tmp_path / "data", public_url=PUBLIC)
    clock = MutableClock(datetime.fromisoformat("2024-04-25T09:00-04:00"))
    async with services(settings, clock) as app:
        await import_file(app, FIXTURE)
        runner = web.AppRunner(build_web_app(app, None, ""))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        try:
            async with aiohttp.ClientSession() as client:
                yield Served(app, clock, f"http://127.0.0.1:{port}", client, tmp_path)
        finally:
            await runner.cleanup()


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    """The calendar's events by UID (asserting there are no duplicates)."""
    found = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert len(found) == len(set(found)), "duplicate UIDs"
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def check_valid(calendar: icalendar.Calendar) -> None:
    """No duplicate UIDs; every TZID used is defined; the fields every event needs."""
    defined = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    for event in events(calendar).values():
        for name in ("UID", "DTSTAMP", "DTSTART", "SEQUENCE", "LAST-MODIFIED", "STATUS"):
            assert name in event, (name, event["UID"])
        for name in ("DTSTART", "DTEND"):
            tzid = event[name].params.get("TZID")
            assert tzid is None or tzid in defined, (tzid, defined)
    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar


async def test_the_feed_is_the_participants_own_and_valid(served: Served) -> None:
    """Own events, hotel nights, meeting points, zones, alarms and refresh hints; no name."""
    token = await served.token(participant_owner("P02"))
    assert "P02" not in token and "Villalobos" not in token and len(token) >= 32
    headers, calendar = await served.feed(token)
    assert headers["Content-Type"].startswith("text/calendar")
    check_valid(calendar)
    found = events(calendar)
    assert f"cpd-gangs@{PROGRAMME}" in found and f"tpd-ops@{PROGRAMME}" not in found
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} >= {
        "America/New_York",
        "America/Chicago",
    }
    meeting = found[f"cpd-gangs@{PROGRAMME}"]
    assert meeting.decoded("DTSTART") == datetime.fromisoformat("2024-05-06T09:00-05:00")
    assert meeting["LOCATION"] and meeting["GEO"]
    # Travel: the meeting point, and an alarm at the participant's reminder time.
    flight = found[f"flight-chicago@{PROGRAMME}"]
    assert "Dupont Circle Hotel" in str(flight["DESCRIPTION"])
    alarm = flight.walk("VALARM")[0]
    assert alarm.decoded("TRIGGER") == timedelta(minutes=-30)
    assert not meeting.walk("VALARM")
    # Hotels per night, all day, the group's own city: Chicago for group B in week two.
    night = found[f"night-2024-05-06-B@{PROGRAMME}"]
    assert str(night.decoded("DTSTART")) == "2024-05-06"
    assert "Chicago" in str(night["LOCATION"]) and night["GEO"]
    assert f"night-2024-05-06-A@{PROGRAMME}" not in found
    assert f"night-2024-04-30-all@{PROGRAMME}" in found
    # In the participant's language (P02 reads Spanish).
    assert str(found[f"welcome-dinner@{PROGRAMME}"]["SUMMARY"]) == "Cena de bienvenida"
    assert str(calendar["REFRESH-INTERVAL"].to_ical().decode()) == "PT1H"
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert "X-PUBLISHED-TTL" in calendar


async def test_a_move_bumps_the_sequence_the_etag_and_last_modified(served: Served) -> None:
    """An import that moves an event: new SEQUENCE, LAST-MODIFIED and ETag; others unchanged."""
    token = await served.token(participant_owner("P02"))
    before_headers, before = await served.feed(token)
    old = events(before)

    def move(doc: dict[str, Any]) -> None:
        event = next(e for e in doc["events"] if e["key"] == "cpd-gangs")
        event["start"], event["end"] = "2024-05-06 10:00", "2024-05-06 12:00"

    await served.reimport(move)
    after_headers, after = await served.feed(token)
    new = events(after)
    check_valid(after)
    moved = f"cpd-gangs@{PROGRAMME}"
    assert int(new[moved]["SEQUENCE"]) == int(old[moved]["SEQUENCE"]) + 1
    assert new[moved].decoded("DTSTART") == datetime.fromisoformat("2024-05-06T10:00-05:00")
    assert new[moved].decoded("LAST-MODIFIED") == served.clock.now()
    assert after_headers["ETag"] != before_headers["ETag"]
    assert after_headers["Last-Modified"] != before_headers["Last-Modified"]
    other = f"cpd-cyber@{PROGRAMME}"
    assert new[other]["SEQUENCE"] == old[other]["SEQUENCE"]
    assert new[other].decoded("LAST-MODIFIED") == old[other].decoded("LAST-MODIFIED")
    # The same programme imported again changes nothing: same bytes, same ETag.
    await served.reimport(move)
    again_headers, _ = await served.feed(token)
    assert again_headers["ETag"] == after_headers["ETag"]


async def test_cancelled_removed_and_withdrawn_events_stay_as_cancelled(served: Served) -> None:
    """Cancelled, deleted, or moved to another group: kept as CANCELLED so calendars drop it."""
    b = await served.token(participant_owner("P02"))
    a = await served.token(participant_owner("P01"))
    _, first = await served.feed(b)
    sequences = {uid: int(e["SEQUENCE"]) for uid, e in events(first).items()}

    def edit(doc: dict[str, Any]) -> None:
        by_key = {e["key"]: e for e in doc["events"]}
        by_key["cpd-gangs"]["status"] = "cancelled"
        by_key["cpd-cyber"]["groups"] = ["A"]
        doc["events"].remove(by_key["free-dc"])

    await served.reimport(edit)
    _, calendar = await served.feed(b)
    check_valid(calendar)
    found = events(calendar)
    for key in ("cpd-gangs", "cpd-cyber", "free-dc"):
        uid = f"{key}@{PROGRAMME}"
        assert str(found[uid]["STATUS"]) == "CANCELLED", key
        assert int(found[uid]["SEQUENCE"]) == sequences[uid] + 1, key
    assert str(found[f"orientation@{PROGRAMME}"]["STATUS"]) == "CONFIRMED"
    # The group that now has the event sees it as it is.
    group_a = events((await served.feed(a))[1])
    assert str(group_a[f"cpd-cyber@{PROGRAMME}"]["STATUS"]) == "CONFIRMED"
    assert str(group_a[f"free-dc@{PROGRAMME}"]["STATUS"]) == "CANCELLED"
    # Restored: confirmed again, with a newer sequence still.
    await served.reimport(lambda doc: None)
    restored = events((await served.feed(b))[1])
    uid = f"free-dc@{PROGRAMME}"
    assert str(restored[uid]["STATUS"]) == "CONFIRMED"
    assert int(restored[uid]["SEQUENCE"]) == sequences[uid] + 2


async def test_unchanged_feeds_answer_304(served: Served) -> None:
    """If-None-Match and If-Modified-Since: 304 with no body while nothing changed."""
    token = await served.token(participant_owner("P03"))
    path = f"/calendar/{token}.ics"
    status, headers, _ = await served.get(path)
    assert status == 200 and headers["ETag"].startswith('"')
    etag, modified = headers["ETag"], headers["Last-Modified"]
    status, headers304, body = await served.get(path, **{"If-None-Match": etag})
    assert (status, body, headers304["ETag"]) == (304, b"", etag)
    status, _, body = await served.get(path, **{"If-Modified-Since": modified})
    assert (status, body) == (304, b"")
    # A stale tag gets the feed, whatever the date says.
    status, _, body = await served.get(
        path, **{"If-None-Match": '"stale"', "If-Modified-Since": modified}
    )
    assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")

    def move(doc: dict[str, Any]) -> None:
        event = next(e for e in doc["events"] if e["key"] == "orientation")
        event["start"] = "2024-04-30 08:30"

    await served.reimport(move)
    status, _, _ = await served.get(path, **{"If-None-Match": etag})
    assert status == 200
    status, _, _ = await served.get(path, **{"If-Modified-Since": modified})
    assert status == 200


async def test_wrong_and_revoked_tokens_get_the_same_404(served: Served) -> None:
    """A reset revokes the old link; wrong, revoked and malformed tokens look alike."""
    old = await served.token(participant_owner("P02"))
    assert await served.token(participant_owner("P02")) == old  # shown again, not renewed
    new = await served.token(participant_owner("P02"), reset=True)
    assert new != old and len(new) == len(old)
    wrong = "A" * len(old)
    answers = [await served.get(f"/calendar/{t}.ics") for t in (old, wrong, "x", "%00" * 3)]
    for status, headers, body in answers:
        assert (status, body) == (404, answers[0][2])
        assert {k: v for k, v in headers.items() if k != "Date"} == {
            k: v for k, v in answers[0][1].items() if k != "Date"
        }
    status, _, _ = await served.get(f"/calendar/{old}/subscribe")
    assert status == 404
    await served.feed(new)


async def test_subscribe_redirects_to_webcal(served: Served) -> None:
    """The Apple button's address sends the calendar app to the webcal:// feed."""
    token = await served.token(participant_owner("P02"))
    status, headers, _ = await served.get(f"/calendar/{token}/subscribe")
    assert status == 302
    assert headers["Location"] == f"webcal://bot.example.org/calendar/{token}.ics"


async def test_fetches_are_rate_limited_per_token(served: Served) -> None:
    """A client polling in a loop gets 429 with Retry-After; others and later fetches do not."""
    token = await served.token(participant_owner("P02"))
    other = await served.token(participant_owner("P03"))
    statuses = [(await served.get(f"/calendar/{token}.ics"))[0] for _ in range(21)]
    assert statuses[:20] == [200] * 20
    status, headers, _ = await served.get(f"/calendar/{token}.ics")
    assert status == 429 and int(headers["Retry-After"]) > 0
    await served.feed(other)
    served.clock.instant += timedelta(seconds=int(headers["Retry-After"]))
    await served.feed(token)


async def test_the_staff_feed_has_every_group(served: Served) -> None:
    """The staff token opens the whole programme, each group's items labelled."""
    token = await served.token(STAFF)
    _, calendar = await served.feed(token)
    check_valid(calendar)
    found = events(calendar)
    for key in ("cpd-gangs", "tpd-ops", "flight-phoenix", "orientation"):
        assert f"{key}@{PROGRAMME}" in found
    assert "Group B" in str(found[f"cpd-gangs@{PROGRAMME}"]["SUMMARY"])
    assert "Group" not in str(found[f"orientation@{PROGRAMME}"]["SUMMARY"])
    assert {f"night-2024-05-06-{g}@{PROGRAMME}" for g in "ABC"} <= set(found)


def test_logs_mask_feed_tokens() -> None:
    """A feed's address in a log line shows no token."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.Redactor([]))
    logger = logging.getLogger("tests.calendar")
    logger.addHandler(handler)
    try:
        logger.warning("GET /calendar/AbCdEfGhIjKlMnOpQrStUvWxYz012345.ics failed")
    finally:
        logger.removeHandler(handler)
    assert "AbCdEfGhIj" not in stream.getvalue() and "/calendar/" in stream.getvalue()


async def _bot(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=env, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@pytest.mark.parametrize("command", ["serve", "run"])
async def test_processes_serve_feeds_under_public_url(
    command: str, subprocess_env: dict[str, str], database_url: str
) -> None:
    """`calendar-token` prints the addresses; `serve`, and `run` with PUBLIC_URL, serve them."""
    if not database_url.startswith("sqlite"):
        pytest.skip("one backend is enough for the processes")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**subprocess_env, "PORT": str(port), "PUBLIC_URL": PUBLIC}
    assert (await _bot(env, "import", str(FIXTURE)))[0] == 0
    if command == "serve":  # the command line once is enough
        code, _, err = await _bot(env, "calendar-token")
        assert code == 2 and "--staff" in err
        assert (await _bot(env, "calendar-token", "nobody"))[0] == 1
        code, out, _ = await _bot(env, "calendar-token", "p02")
        assert code == 0 and "/calendar/" in out
    code, out, _ = await _bot(env, "calendar-token", "--staff")
    webcal, https = out.split()
    assert code == 0 and webcal.startswith("webcal://bot.example.org/calendar/")
    token = https.removeprefix(f"{PUBLIC}/calendar/").removesuffix(".ics")
    tg = FakeBotAPI()
    if command == "run":
        env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=await tg.start())
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", command, env=env, cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(600):
                with contextlib.suppress(aiohttp.ClientError):
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                        if response.status == 200:
                            break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError(f"{command} did not come up")
            async with http.get(f"http://127.0.0.1:{port}/calendar/{token}.ics") as response:
                assert response.status == 200
                calendar = icalendar.Calendar.from_ical(await response.read())
            assert f"tpd-ops@{PROGRAMME}" in events(calendar)
    finally:
        if command == "run":
            await tg.closing()
        process.terminate()
        assert await asyncio.wait_for(process.wait(), 30) == 0
        await tg.stop()
