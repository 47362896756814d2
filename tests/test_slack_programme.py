"""A programme workbook dropped into the staff channel: preview in a thread, Import, notices.

Signed events and button clicks to the real Bolt app; its Web API, file downloads and
uploads a fake on loopback; participants on the real PTB stack against a fake Bot API.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook
from sqlalchemy import select

from bot.programme.schema import validate
from bot.programme.workbook import write_workbook
from bot.services import import_file
from bot.store.models import Change, Programme
from bot.yamlio import load_yaml
from handlers.slack.programme import CANCEL, IMPORT
from schedules.sweeps import change_sweep
from tests import test_slack
from tests.conftest import FIXTURE
from tests.fake_slack import STAFF_CHANNEL, TEAM, Call
from tests.fake_slack_files import FakeSlackFiles
from tests.test_slack import NAMES, Console, _link, _messages_to


@pytest.fixture
async def console(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Console]:
    """The console on the fixture programme, its fake Web API serving files."""
    monkeypatch.setattr(test_slack, "FakeSlack", FakeSlackFiles)
    async for built in test_slack._console(database_url, tmp_path, FIXTURE):
        yield built


def _edited(start_shift: timedelta) -> tuple[bytes, str, str]:
    """The fixture as a workbook: tomorrow's first event for everyone moved, P12 gone, P99 new."""
    raw = load_yaml(FIXTURE.read_text(encoding="utf-8"))
    tomorrow = "2024-05-02"
    event = next(
        e for e in raw["events"] if e["start"].startswith(tomorrow) and not e.get("groups")
    )
    for name in ("start", "end"):
        moved = datetime.fromisoformat(event[name]) + start_shift
        event[name] = moved.strftime("%Y-%m-%d %H:%M")
    gone = raw["participants"].pop()
    raw["participants"].append(
        {"key": "P99", "name": "Nadia Benali", "country": "Morocco", "language": "fr", "group": "A"}
    )
    return write_workbook(validate(raw, "edited")), event["key"], gone["name"]


_events = 0


async def _share(c: Console, name: str, content: bytes, *, user: str = "USTAFF") -> str:
    """Share a file in the staff channel and send the signed file_shared event; return its ts."""
    global _events
    _events += 1
    fake = c.slack
    assert isinstance(fake, FakeSlackFiles)
    ts = f"{1800000000 + _events}.000200"
    file_id = f"F{_events}"
    fake.share(file_id, name, content, channel=STAFF_CHANNEL, ts=ts, user=user)
    body = json.dumps(
        {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": f"EvF{_events}",
            "event_time": int(time.time()),
            "event": {
                "type": "file_shared",
                "channel_id": STAFF_CHANNEL,
                "file_id": file_id,
                "user_id": user,
                "file": {"id": file_id},
                "event_ts": ts,
            },
        }
    )
    status, _ = await c.client.post(body, "application/json")
    assert status == 200
    return ts


def _button(call: Call, action: str) -> dict[str, Any]:
    for block in call.params.get("blocks", []):
        for element in block.get("elements", []):
            if element.get("action_id") == action:
                return dict(element)
    raise AssertionError(f"no {action} button")


async def _click(c: Console, preview: Call, action: str, user: str = "USTAFF") -> None:
    button = _button(preview, action)
    ts = preview.result["ts"]
    status, _ = await c.client.interaction(
        {
            "type": "block_actions",
            "team": {"id": TEAM},
            "user": {"id": user},
            "api_app_id": "A1",
            "trigger_id": "trigger-button",
            "channel": {"id": STAFF_CHANNEL},
            "container": {"type": "message", "message_ts": ts, "channel_id": STAFF_CHANNEL},
            "message": {
                "ts": ts,
                "thread_ts": preview.params.get("thread_ts"),
                "blocks": preview.params["blocks"],
            },
            "actions": [
                {
                    "type": "button",
                    "action_id": action,
                    "block_id": "b",
                    "value": button["value"],
                    "action_ts": str(time.time()),
                }
            ],
        }
    )
    assert status == 200


async def _reply_in(c: Console, ts: str, since: int) -> Call:
    return await c.slack.wait_for(
        lambda call: call.method == "chat.postMessage" and call.params.get("thread_ts") == ts,
        since=since,
    )


async def test_upload_preview_import_and_notices(console: Console) -> None:
    """Drop a workbook: the preview lists each change and who is told; Import; notices go out."""
    c = console
    await _link(c, "P01", "P02", "P03")
    content, moved, gone = _edited(timedelta(hours=1))
    mark = len(c.slack.calls)
    ts = await _share(c, "programme.xlsx", content)
    preview = await _reply_in(c, ts, mark)
    assert any(call.method == "download" for call in c.slack.calls[mark:])
    text = preview.text()
    assert f"changed {moved}" in text and "→" in text and "start" in text
    assert "notifies 3 people" in text
    assert "Nadia Benali" in text and gone in text
    _button(preview, CANCEL)
    async with c.app.sessions() as session:
        assert await session.scalar(select(Programme.revision)) == 1  # nothing imported yet
    mark = len(c.slack.calls)
    await _click(c, preview, IMPORT)
    done = await c.slack.wait_for(lambda call: call.method == "chat.update", since=mark)
    assert "imported by" in done.text() and "revision 2" in done.text()
    async with c.app.sessions() as session:
        change = await session.scalar(
            select(Change).where(Change.event_key == moved, Change.revision == 2)
        )
        assert change is not None and change.fields == ["time"] and change.revision == 2
    c.clock.instant += timedelta(minutes=2)
    assert await c.sweep(change_sweep) == 3
    await c.drain()
    for key in ("P01", "P02", "P03"):
        assert len(_messages_to(c, key)) == 1, key
    # The same button again does nothing more.
    mark = len(c.slack.calls)
    await _click(c, preview, IMPORT)
    again = await c.slack.wait_for(lambda call: call.method == "chat.postEphemeral", since=mark)
    assert "no longer current" in again.text()


async def test_newer_upload_supersedes_and_an_old_revision_is_refused(console: Console) -> None:
    """The first of two previews is dead; a preview made before another import is refused."""
    c = console
    first_content, _, _ = _edited(timedelta(hours=1))
    second_content, _, _ = _edited(timedelta(hours=2))
    mark = len(c.slack.calls)
    first = await _reply_in(c, await _share(c, "a.xlsx", first_content), mark)
    mark = len(c.slack.calls)
    second = await _reply_in(c, await _share(c, "b.xlsx", second_content), mark)
    mark = len(c.slack.calls)
    await _click(c, first, IMPORT)
    refused = await c.slack.wait_for(lambda call: call.method == "chat.postEphemeral", since=mark)
    assert "no longer current" in refused.text()
    # Someone imports another version from the command line meanwhile.
    raw = load_yaml(FIXTURE.read_text(encoding="utf-8"))
    raw["faq"][0]["answer"] = "Changed elsewhere"
    c.app.settings.data_dir.mkdir(parents=True, exist_ok=True)
    other = c.app.settings.data_dir / "other.yaml"
    other.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    await import_file(c.app, other)
    mark = len(c.slack.calls)
    await _click(c, second, IMPORT)
    stale = await c.slack.wait_for(lambda call: call.method == "chat.update", since=mark)
    assert "changed since this preview" in stale.text()
    async with c.app.sessions() as session:
        assert await session.scalar(select(Programme.revision)) == 2


async def test_a_broken_workbook_gets_its_errors_by_cell(console: Console) -> None:
    """Errors come back in the thread, located by sheet and cell; non-staff uploads are ignored."""
    c = console
    content, _, _ = _edited(timedelta(hours=1))
    book = load_workbook(io.BytesIO(content))
    events = book["Events"]
    headers = [cell.value for cell in events[1]]
    events.cell(row=2, column=headers.index("end") + 1).value = datetime(2024, 4, 1, 9)
    out = io.BytesIO()
    book.save(out)
    mark = len(c.slack.calls)
    ts = await _share(c, "broken.xlsx", out.getvalue())
    reply = await _reply_in(c, ts, mark)
    letter = chr(ord("A") + headers.index("end"))
    assert f"Events!{letter}2 (end)" in reply.text() and "before start" in reply.text()
    assert not any(b.get("type") == "actions" for b in reply.params.get("blocks", []))
    # Someone outside the staff shares a file: no download, no answer.
    mark = len(c.slack.calls)
    await _share(c, "x.xlsx", content, user="UOUTSIDER")
    await _share(c, "notes.txt", b"hello")
    await _reply_in(c, await _share(c, "ok.yaml", FIXTURE.read_bytes()), mark)
    downloads = [call for call in c.slack.calls[mark:] if call.method == "download"]
    assert len(downloads) == 1


async def test_programme_command_offers_the_workbook_and_the_template(console: Console) -> None:
    """/programme uploads the current programme as a workbook, and the template."""
    c = console
    mark = len(c.slack.calls)
    status, _ = await c.client.command("/programme")
    assert status == 200
    await c.slack.wait_for(lambda call: call.method == "files.completeUploadExternal", since=mark)
    fake = c.slack
    assert isinstance(fake, FakeSlackFiles)
    assert len(fake.uploaded) == 2
    books = [load_workbook(io.BytesIO(data)) for data in fake.uploaded.values()]
    filled = [b for b in books if b["Events"].max_row > 1]
    assert len(filled) == 1
    assert NAMES["P01"] in [row[1] for row in filled[0]["Participants"].iter_rows(values_only=True)]
