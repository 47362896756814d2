"""Programme import: the fixture imports; broken files are rejected whole with every problem."""

from __future__ import annotations

import asyncio
import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import insert, update

from bot.cli import main
from bot.store.database import create_engine
from bot.store.models import CalendarFeed, Participant
from bot.yamlio import load_yaml
from tests.conftest import DATA, FIXTURE
from tests.store_dump import dump


@pytest.fixture
def fixture_doc() -> dict[str, Any]:
    """The sample programme as data, to break in different ways."""
    return load_yaml(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture
def env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the command line at the test database, with the fixture already imported."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BOT_NOW", raising=False)
    assert main(["import", str(FIXTURE)]) == 0
    return database_url


def _write(tmp_path: Path, doc: Any) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _event(doc: dict[str, Any], key: str) -> dict[str, Any]:
    return next(e for e in doc["events"] if e["key"] == key)


def _break_unknown_key(doc: dict[str, Any], key: str = "fbi-tcos") -> None:
    _event(doc, key)["room"] = "B-12"


def _break_missing_field(doc: dict[str, Any], key: str = "fbi-tcos") -> None:
    del _event(doc, key)["start"]


def _break_reference(doc: dict[str, Any], key: str = "fbi-tcos") -> None:
    _event(doc, key)["place"] = "fbi-field-office"


def _break_end_before_start(doc: dict[str, Any], key: str = "fbi-tcos") -> None:
    event = _event(doc, key)
    event["end"] = event["start"][:10] + " 00:00"


def _break_timezone(doc: dict[str, Any], key: str = "fbi-tcos") -> None:
    _event(doc, key)["timezone"] = "America/Gotham"


def _break_language(doc: dict[str, Any], key: str = "fbi-tcos") -> None:
    doc["participants"][0]["language"] = "klingon"


def _break_language_not_offered(doc: dict[str, Any], key: str = "fbi-tcos") -> None:
    # German is a language, but not one this programme sends messages in.
    doc["participants"][1]["language"] = "de"


def _break_invite_space(doc: dict[str, Any], key: str = "fbi-tcos") -> None:
    doc["participants"][2]["invite_code"] = "Z3PW 9FJA"


def _break_invite_length(doc: dict[str, Any], key: str = "fbi-tcos") -> None:
    doc["participants"][3]["invite_code"] = "R6BN-" + "7" * 60


def _break_duplicate(doc: dict[str, Any], key: str = "fbi-tcos") -> None:
    doc["events"].append(copy.deepcopy(_event(doc, key)))


def _break_outside(doc: dict[str, Any], key: str = "fbi-tcos") -> None:
    _event(doc, key).update(start="2024-06-02 10:00", end="2024-06-02 12:00")


CASES = [
    (_break_unknown_key, ["events[fbi-tcos].room", "unknown key"]),
    (_break_missing_field, ["events[fbi-tcos].start", "missing required field"]),
    (_break_reference, ["events[fbi-tcos].place", "fbi-field-office", "does not exist"]),
    (_break_end_before_start, ["events[fbi-tcos].end", "before start"]),
    (_break_timezone, ["events[fbi-tcos].timezone", "unknown timezone", "America/Gotham"]),
    (_break_language, ["participants[P01].language", "unknown language", "klingon"]),
    (
        _break_language_not_offered,
        ["participants[P02].language", "'de' is not one of the programme's languages"],
    ),
    (_break_invite_space, ["participants[P03].invite_code", "' '", "Telegram link cannot carry"]),
    (_break_invite_length, ["participants[P04].invite_code", "65 characters", "at most 64"]),
    (_break_duplicate, ["events[fbi-tcos]", "duplicate key"]),
    (_break_outside, ["events[fbi-tcos].start", "outside the programme"]),
]


@pytest.mark.parametrize(("breaker", "expected"), CASES, ids=[c[0].__name__[7:] for c in CASES])
def test_broken_file_is_rejected_whole(
    env: str,
    fixture_doc: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    breaker: Any,
    expected: list[str],
) -> None:
    """Each error kind: located problem, non-zero exit, store content unchanged."""
    before = asyncio.run(dump(env))
    breaker(fixture_doc)
    # Change something valid too: it must not be applied either.
    fixture_doc["faq"][0]["answer"] = {"en": "Changed"}
    path = _write(tmp_path, fixture_doc)
    capsys.readouterr()
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    problem_lines = [line for line in err.splitlines() if line.startswith("  ")]
    assert problem_lines, err
    assert any(all(part in line for part in expected) for line in problem_lines), err
    assert all(str(path) in line for line in problem_lines), err
    assert asyncio.run(dump(env)) == before


def test_every_problem_is_reported_at_once(
    env: str, fixture_doc: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Several problems in one file are all listed, not only the first."""
    victims = [e["key"] for e in fixture_doc["events"][: len(CASES)]]
    for (breaker, _), key in zip(CASES, victims, strict=True):
        breaker(fixture_doc, key)
    path = _write(tmp_path, fixture_doc)
    capsys.readouterr()
    assert main(["import", str(path)]) == 1
    lines = capsys.readouterr().err.splitlines()
    for (_, expected), key in zip(CASES, victims, strict=True):
        wanted = [part.replace("fbi-tcos", key) for part in expected]
        if wanted[0].startswith("participants"):
            wanted = expected
        assert any(all(part in line for part in wanted) for line in lines), wanted


def test_unreadable_yaml_is_located(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A YAML syntax error names the line."""
    path = tmp_path / "bad.yaml"
    path.write_text("version: 1\nprogramme: [unclosed\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(path)]) == 1
    assert "line" in capsys.readouterr().err


def test_reimport_is_idempotent_and_records_changes(
    env: str, fixture_doc: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Re-importing the same file changes nothing; an edit is logged per event with a version."""
    before = asyncio.run(dump(env))
    assert main(["import", str(FIXTURE)]) == 0
    assert asyncio.run(dump(env)) == before

    _event(fixture_doc, "fbi-tcos").update(start="2024-05-02 11:00", end="2024-05-02 13:00")
    _event(fixture_doc, "dea-fentanyl")["place"] = "fbi-hq"
    _event(fixture_doc, "capitol-tour")["status"] = "cancelled"
    _event(fixture_doc, "nypd-ct")["groups"] = ["A"]
    _event(fixture_doc, "unodc")["title"] = "UNODC briefing"
    fixture_doc["events"] = [e for e in fixture_doc["events"] if e["key"] != "cultural-dc"]
    fixture_doc["events"].append(
        {
            "key": "extra",
            "title": "Extra session",
            "start": "2024-05-03 15:00",
            "end": "2024-05-03 16:00",
            "place": "meridian",
        }
    )
    assert main(["import", str(_write(tmp_path, fixture_doc))]) == 0
    changes = {row[1]: row for row in asyncio.run(dump(env))["changes"]}
    # Columns: id, event_key, version, kind, fields, details, revision, created_at.
    expected = {
        "fbi-tcos": ("changed", ["time"], 2),
        "dea-fentanyl": ("changed", ["place"], 2),
        "capitol-tour": ("changed", ["status"], 2),
        "nypd-ct": ("changed", ["audience"], 2),
        "unodc": ("changed", ["title"], 2),
        "cultural-dc": ("removed", [], 2),
        "extra": ("added", [], 1),
    }
    for key, (kind, fields, version) in expected.items():
        row = changes[key]
        assert (row[3], row[4], row[2]) == (kind, fields, version), key
        assert row[6] == 2  # the programme's new revision
    audience = changes["nypd-ct"][5]
    assert audience["before"]["groups"] == [] and audience["after"]["groups"] == ["A"]


def test_export_then_import_is_a_no_op(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """import -> export -> import changes nothing in the store."""
    before = asyncio.run(dump(env))
    exported = tmp_path / "exported.yaml"
    assert main(["export", str(exported)]) == 0
    capsys.readouterr()
    assert main(["import", str(exported)]) == 0
    assert "No changes" in capsys.readouterr().out
    assert asyncio.run(dump(env)) == before
    again = tmp_path / "again.yaml"
    assert main(["export", str(again)]) == 0
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")


def test_invite_codes_are_stored_only_as_hashes(env: str) -> None:
    """No invite code appears anywhere in the store."""
    content = repr(asyncio.run(dump(env)))
    for code in ("VKQ7-2MXD", "VKQ72MXD", "B3YU-7CKF", "B3YU7CKF"):
        assert code not in content


def _lines(out: str, prefix: str) -> list[str]:
    return [line.strip() for line in out.splitlines() if line.strip().startswith(prefix)]


def test_import_summary_says_what_changed_per_event(
    env: str, fixture_doc: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Staff read, per event, its key, title and each field old → new; added and removed too."""
    _event(fixture_doc, "fbi-tcos").update(
        start="2024-05-02 11:00", end="2024-05-02 13:00", place="doj", dress="casual"
    )
    _event(fixture_doc, "capitol-tour")["status"] = "cancelled"
    _event(fixture_doc, "nypd-ct")["groups"] = ["A"]
    _event(fixture_doc, "unodc")["title"] = "UNODC briefing"
    fixture_doc["events"] = [e for e in fixture_doc["events"] if e["key"] != "cultural-dc"]
    fixture_doc["events"].append(
        {
            "key": "extra",
            "title": "Extra session",
            "start": "2024-05-03 15:00",
            "end": "2024-05-03 16:00",
            "place": "meridian",
        }
    )
    capsys.readouterr()
    assert main(["import", str(_write(tmp_path, fixture_doc))]) == 0
    out = capsys.readouterr().out
    assert (
        'changed fbi-tcos "FBI briefing on transnational criminal organizations": '
        "start 2024-05-02 10:00 → 11:00; end 2024-05-02 12:00 → 13:00; place fbi-hq → doj; "
        "dress business → casual"
    ) in out
    assert (
        'changed capitol-tour "Capitol tour and congressional staff roundtable": '
        "status scheduled → cancelled"
    ) in out
    assert 'changed nypd-ct "NYPD Counterterrorism Bureau": groups everyone → A' in out
    assert (
        'changed unodc "UNODC briefing": '
        'title "United Nations Office on Drugs and Crime briefing" → "UNODC briefing"'
    ) in out
    assert _lines(out, "removed cultural-dc") == [
        'removed cultural-dc "National Mall walking tour" (2024-05-04 10:00–13:00, capitol)'
    ]
    assert _lines(out, "added extra") == [
        'added extra "Extra session" (2024-05-03 15:00–16:00, meridian)'
    ]
    # The events after the removed one moved up a place in the file: that is no change to them,
    # neither in the summary nor in the change log participants are notified from.
    assert len(_lines(out, "changed ")) == 4, out
    assert "Updated: 4 events" in out
    logged = {row[1] for row in asyncio.run(dump(env))["changes"] if row[6] == 2}
    assert logged == {"fbi-tcos", "capitol-tour", "nypd-ct", "unodc", "cultural-dc", "extra"}


def test_first_import_reports_no_updates(
    database_url: str,
    fixture_doc: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A fresh store gets everything added, aliases included; an edit counts aliases singly."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    fixture_doc["places"][0]["aliases"] = ["the Hilton", "our hotel"]
    _event(fixture_doc, "fbi-tcos")["aliases"] = ["FBI meeting"]
    assert main(["import", str(_write(tmp_path, fixture_doc))]) == 0
    out = capsys.readouterr().out
    assert "Updated: nothing" in out and "Removed: nothing" in out, out
    assert "33 events, 3 faq, 3 aliases" in _lines(out, "Added:")[0]

    fixture_doc["places"][0]["aliases"] = ["the Hilton"]
    assert main(["import", str(_write(tmp_path, fixture_doc))]) == 0
    out = capsys.readouterr().out
    assert _lines(out, "Added:") == ["Added: nothing"]
    assert _lines(out, "Updated:") == ["Updated: nothing"]
    assert _lines(out, "Removed:") == ["Removed: 1 aliases"]


def test_invites_use_the_configured_bot_username(
    env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """TELEGRAM_BOT_USERNAME names the bot in the links; Telegram is not asked."""
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "@SettingBot")
    out_dir = tmp_path / "qr"
    capsys.readouterr()
    assert main(["invites", str(FIXTURE), "--out", str(out_dir)]) == 0
    out = capsys.readouterr().out
    assert "P01\tAna María Restrepo\thttps://t.me/SettingBot?start=VKQ7-2MXD" in out
    assert len(list(out_dir.glob("*.png"))) == 12
    assert f"Wrote 12 QR codes to {out_dir}/" in out


def test_invites_never_claim_qr_codes_they_did_not_write(
    env: str,
    fixture_doc: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With no usable code in the file, the command says it wrote none, and writes none."""
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "SettingBot")
    for person in fixture_doc["participants"]:
        person["invite_code"] = f"XX{person['key']}-NEW0"
    out_dir = tmp_path / "qr"
    capsys.readouterr()
    assert main(["invites", str(_write(tmp_path, fixture_doc)), "--out", str(out_dir)]) == 1
    out = capsys.readouterr().out
    assert "is not the imported one" in out
    assert "Wrote no QR codes" in out and "QR codes written" not in out
    assert not out_dir.exists()


async def _link_first_participant(url: str) -> None:
    """Give P01 a Telegram account and a calendar link, as using the bot would."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                update(Participant).where(Participant.key == "P01").values(telegram_user_id=4242)
            )
            await connection.execute(
                insert(CalendarFeed).values(
                    owner="participant:P01",
                    nonce="n",
                    token_hash="h" * 64,
                    created_at=datetime.now(UTC),
                )
            )
    finally:
        await engine.dispose()


def test_a_different_programme_replaces_the_old_one_whole(env: str) -> None:
    """Another programme's file replaces every row of the old one (events pointing at its
    contacts and places included), and its "P01", someone else, inherits no account or
    calendar link of the old P01."""
    asyncio.run(_link_first_participant(env))
    assert main(["import", str(DATA / "programme-ports-2038.yaml")]) == 0
    content = asyncio.run(dump(env))
    events = {row[0] for row in content["events"]}
    assert "orientation" in events and "fbi-tcos" not in events
    assert all(row[9] is None for row in content["participants"]), content["participants"]
    assert not [row for row in content["calendar_feeds"] if row[0] != "staff"]
    # Its events point at contacts and places the next programme does not have.
    assert main(["import", str(DATA / "programme-evidence-2039.yaml")]) == 0
    assert "orientation" in {row[0] for row in asyncio.run(dump(env))["events"]}
