"""Malformed programme files: located messages, short output, bounded memory, store untouched."""

from __future__ import annotations

import asyncio
import copy
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli import main
from bot.programme import schema
from bot.programme.importer import import_programme
from bot.programme.schema import (
    MAX_PROBLEMS,
    SCHEMA,
    ProgrammeDoc,
    ProgrammeError,
    load_file,
    load_text,
)
from bot.store.database import create_engine
from bot.store.models import Alias, Event, Group, Leg, Participant, Place, Programme
from bot.yamlio import MAX_DEPTH, MAX_VALUES, CLoader, PythonLoader, load_yaml
from tests.conftest import FIXTURE, ROOT
from tests.store_dump import dump

TEXT = FIXTURE.read_text(encoding="utf-8")
# However a file is broken, what staff read about it stays short.
MAX_OUTPUT = 10_000

Builder = Callable[[str], str | bytes]


def _edit(change: Callable[[dict[str, Any]], None]) -> Builder:
    """A builder that changes the fixture as data and writes it back as YAML."""

    def build(text: str) -> str:
        doc = load_yaml(text)
        change(doc)
        return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)

    return build


def _replace(old: str, new: str) -> Builder:
    """A builder that replaces the first occurrence of ``old`` in the fixture's text."""

    def build(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return build


def _event(doc: dict[str, Any], key: str = "fbi-tcos") -> dict[str, Any]:
    return next(e for e in doc["events"] if e["key"] == key)


def _limit(column: Any) -> int:
    """The store's length of a column: the tests take the limits where the validator does."""
    length: int = column.type.length
    return length


def _alias_bomb(text: str) -> str:
    # Nine levels of nine aliases: 9**9 strings from a few hundred bytes.
    lines = ['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"lol{level}: &l{level} [{refs}]")
    return text + "\n".join(lines) + "\n"


def _many_groups(doc: dict[str, Any]) -> None:
    # Each key fits its column; joined, they do not fit the leg's groups_key.
    keys = [f"{letter}{'g' * 98}" for letter in "DEFGHI"]
    doc["groups"].extend({"key": key, "name": f"Group {key[0]}"} for key in keys)
    doc["legs"][1]["groups"] = keys


def _many_problems(doc: dict[str, Any]) -> None:
    doc["participants"] = [{"key": f"X{n}"} for n in range(3 * MAX_PROBLEMS)]


# (id, builder, parts one problem line must contain). Each kind of breakage once.
CASES: list[tuple[str, Builder, list[str]]] = [
    # a. dates that are not on the calendar, wherever a date goes
    (
        "impossible_programme_date",
        _replace("  start: 2024-04-29", "  start: 2024-02-30"),
        ["programme.start", "'2024-02-30' is not a date on the calendar"],
    ),
    (
        "impossible_programme_end",
        _replace("  end: 2024-05-17", "  end: 2023-02-29"),
        ["programme.end", "'2023-02-29' is not a date on the calendar"],
    ),
    (
        "impossible_leg_date",
        _replace("    to: 2024-05-04", "    to: 2024-04-31"),
        ["legs[#1 everyone from 2024-04-29].to", "not a date on the calendar"],
    ),
    (
        "impossible_event_time",
        _replace("start: 2024-05-02 10:00", "start: 2024-05-32 10:00"),
        ["events[fbi-tcos].start", "'2024-05-32 10:00' is not a date on the calendar"],
    ),
    # c. years out of the range the store and timezone arithmetic handle
    (
        "year_1",
        _replace("  start: 2024-04-29", "  start: 0001-01-01"),
        ["programme.start", "years 2000 to 2100", "0001-01-01"],
    ),
    (
        "year_9999",
        _replace(
            "start: 2024-05-02 10:00\n    end: 2024-05-02 12:00",
            "start: 9999-12-31 23:00\n    end: 9999-12-31 23:30",
        ),
        ["events[fbi-tcos].start", "years 2000 to 2100", "9999-12-31 23:00"],
    ),
    (
        "offset_time",
        _replace("start: 2024-05-02 10:00", "start: 2024-05-02 10:00:00+05:00"),
        ["events[fbi-tcos].start", "without a UTC offset"],
    ),
    # b. nesting and size
    ("deep_nesting", lambda text: "[" * 100_000, ["line 1, column", "nest"]),
    (
        "nested_deeper_than_allowed",
        lambda text: text + "extra: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n",
        [f"nested more than {MAX_DEPTH} levels deep"],
    ),
    (
        "too_large",
        lambda text: text + ("# padding\n" * (schema.MAX_FILE_BYTES // 10 + 1)),
        ["larger than 4 MB"],
    ),
    # f. aliases
    ("alias_bomb", _alias_bomb, [f"more than {MAX_VALUES} values"]),
    ("alias_inside_itself", lambda text: text + "extra: &a [*a]\n", ["inside the value it names"]),
    ("undefined_alias", lambda text: text + "extra: *nowhere\n", ["undefined alias 'nowhere'"]),
    # the shape of the document
    ("top_level_list", lambda text: "- version: 1\n", ["expected a mapping at the top level"]),
    ("top_level_scalar", lambda text: "programme\n", ["expected a mapping at the top level"]),
    ("empty", lambda text: "", ["expected a mapping at the top level"]),
    (
        "two_documents",
        lambda text: text + "---\nversion: 1\n",
        ["but found another document (expected a single document"],
    ),
    (
        "scalar_for_a_section",
        _edit(lambda doc: doc.update(events="none")),
        ["events: expected a list, got 'none'"],
    ),
    (
        "scalar_for_a_list",
        _edit(lambda doc: _event(doc).update(groups="A")),
        ["events[fbi-tcos].groups", "expected a list, got 'A'"],
    ),
    (
        "duplicate_key",
        _replace("  key: tmssw-2024\n", "  key: tmssw-2024\n  key: tmssw-2025\n"),
        ["line 8, column 3", "duplicate key 'key' (first given on line 7)"],
    ),
    (
        "duplicate_section",
        lambda text: text + "faq: []\n",
        ["duplicate key 'faq'"],
    ),
    # bytes that are not text
    ("nul_byte", _replace("version: 1", "version: 1\x00"), ["line 4, column 11", "U+0000"]),
    ("binary", lambda text: bytes(range(256)) * 4, ["not UTF-8 text", "binary"]),
    ("utf16", lambda text: text.encode("utf-16"), ["UTF-16", "UTF-8"]),
    (
        "control_character_escaped",
        _edit(lambda doc: _event(doc).update(title="FBI\x00 briefing")),
        ["events[fbi-tcos].title", "control character U+0000"],
    ),
    # wrong types
    (
        "number_as_title",
        _edit(lambda doc: _event(doc).update(title=12)),
        ["events[fbi-tcos].title", "expected text, got the number 12", "quotes"],
    ),
    (
        "list_as_date",
        _edit(lambda doc: _event(doc).update(start=["2024-05-02 10:00"])),
        ["events[fbi-tcos].start", "got a list"],
    ),
    (
        "mapping_as_name",
        _edit(lambda doc: doc["participants"][0].update(name={"first": "Ana"})),
        ["participants[P01].name", "expected text, got a mapping"],
    ),
    (
        "boolean_as_version",
        _replace("version: 1", "version: true"),
        ["version", "expected 1, got true"],
    ),
    (
        "binary_as_text",
        _replace("    kind: hotel", "    kind: !!binary aGVsbG8="),
        ["places[hotel-dc].kind", "expected text, got binary data"],
    ),
    (
        "huge_number",
        _replace("lat: 38.9106", "lat: 1" + "0" * 5000),
        ["places[hotel-dc].lat", "expected a number"],
    ),
    (
        "huge_integer",
        _edit(lambda doc: doc["places"][0].update(lat=10**400)),
        ["places[hotel-dc].lat", "between -90 and 90", "more than 38 digits"],
    ),
    (
        "python_object",
        lambda text: text + "extra: !!python/object:os.system {}\n",
        ["could not determine a constructor"],
    ),
    # e. texts longer than their column
    (
        "long_name",
        _edit(lambda doc: doc["participants"][0].update(name="n" * (_limit(Participant.name) + 1))),
        ["participants[P01].name", f"longer than {_limit(Participant.name)} characters"],
    ),
    (
        "long_key",
        _edit(lambda doc: _event(doc).update(key="k" * 5000)),
        [f"events[{'k' * 60}…].key", f"longer than {_limit(Event.key)} characters (5000)"],
    ),
    (
        "long_alias",
        _edit(lambda doc: doc["places"][0].update(aliases=["ok", "a" * (_limit(Alias.text) + 1)])),
        ["places[hotel-dc].aliases[#2]", f"longer than {_limit(Alias.text)} characters"],
    ),
    (
        "long_kind",
        _edit(lambda doc: doc["places"][0].update(kind="k" * (_limit(Place.kind) + 1))),
        ["places[hotel-dc].kind", f"longer than {_limit(Place.kind)} characters"],
    ),
    (
        "long_leg_groups",
        _edit(_many_groups),
        ["legs[#2", ".groups", f"longer than {_limit(Leg.groups_key)} characters together"],
    ),
    # d. what the store keeps unique
    (
        "shared_invite_code",
        _edit(lambda doc: doc["participants"][1].update(invite_code="vkq7-2mxd")),
        ["participants[P02].invite_code", "duplicate invite code; also participants[P01]"],
    ),
    (
        "alias_twice",
        _edit(lambda doc: doc["places"][0].update(aliases=["the hotel", "the hotel"])),
        ["places[hotel-dc].aliases[#2]", "'the hotel' is listed twice"],
    ),
    # output stays bounded however many problems and however long the values
    (
        "many_problems",
        _edit(_many_problems),
        [f"and {3 * MAX_PROBLEMS - MAX_PROBLEMS} more problems"],
    ),
    (
        "long_unknown_key",
        _edit(lambda doc: doc["programme"].update({"x" * 100_000: 1})),
        [f"programme.{'x' * 60}…: unknown key"],
    ),
    (
        "long_wrong_value",
        _edit(lambda doc: _event(doc).update(kind="v" * 100_000)),
        ["events[fbi-tcos].kind", f"got '{'v' * 59}…"],
    ),
]
IDS = [case[0] for case in CASES]


def _write(tmp_path: Path, content: str | bytes, name: str = "broken.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture(params=["libyaml", "python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> type:
    """Each YAML reader in turn: libyaml's parser, and PyYAML's own where libyaml is missing."""
    if request.param == "libyaml":
        if CLoader is None:
            pytest.skip("PyYAML without libyaml")
        chosen: type = CLoader
    else:
        chosen = PythonLoader
    monkeypatch.setattr("bot.yamlio.BoundedLoader", chosen)
    return chosen


@pytest.mark.parametrize(("name", "build", "expected"), CASES, ids=IDS)
def test_malformed_file_is_located(
    loader: type, tmp_path: Path, name: str, build: Builder, expected: list[str]
) -> None:
    """Each kind: a ProgrammeError whose lines name the file and place; short, whatever the size."""
    path = _write(tmp_path, build(TEXT))
    with pytest.raises(ProgrammeError) as caught:
        load_file(path)
    problems = caught.value.problems
    assert any(all(part in line for part in expected) for line in problems), problems
    assert all(line.startswith(f"{path}: ") for line in problems), problems
    assert len("\n".join(problems)) < _output_bound(name)
    assert len(problems) <= MAX_PROBLEMS + 1


@pytest.fixture
def env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the command line at the test database, with the fixture already imported."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BOT_NOW", raising=False)
    assert main(["import", str(FIXTURE)]) == 0
    return database_url


# One of each family (reading, YAML, values, the store's limits, many problems): the command
# line reports every ProgrammeError alike, and the cases above check each kind's message.
THROUGH_THE_COMMAND = [
    "impossible_leg_date",
    "year_9999",
    "deep_nesting",
    "too_large",
    "alias_bomb",
    "duplicate_key",
    "binary",
    "number_as_title",
    "long_name",
    "shared_invite_code",
    "many_problems",
]


def _output_bound(name: str) -> int:
    # Past a hundred problems the rest are counted; each listed one is a line.
    return MAX_OUTPUT + 300 * MAX_PROBLEMS if name == "many_problems" else MAX_OUTPUT


def test_malformed_files_leave_the_store_unchanged(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through the command line: exit 1, a short located report, no traceback, nothing changed."""
    before = asyncio.run(dump(env))
    capsys.readouterr()
    for name, build, expected in CASES:
        if name not in THROUGH_THE_COMMAND:
            continue
        path = _write(tmp_path, build(TEXT), f"{name}.yaml")
        assert main(["import", str(path)]) == 1, name
        err = capsys.readouterr().err
        assert err.startswith(f"Rejected {path}: "), err[:500]
        assert "nothing was changed" in err.splitlines()[0]
        assert any(all(part in line for part in expected) for line in err.splitlines()), err
        assert "Traceback" not in err
        assert len(err) < _output_bound(name), name
    assert asyncio.run(dump(env)) == before


def test_many_problems_are_counted_not_all_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Past the first problems, the report counts the rest: the total is the real one."""
    path = _write(tmp_path, _edit(_many_problems)(TEXT))
    with pytest.raises(ProgrammeError) as caught:
        load_file(path)
    assert caught.value.total == 3 * MAX_PROBLEMS  # each person's missing name
    assert len(caught.value.problems) == MAX_PROBLEMS + 1


# The child reports its own peak memory: a parent's usage would count the memory of the test
# process it was spawned from (vfork shares it until exec).
_CHILD = """
import os, runpy, sys
sys.argv = ["bot", "import", sys.argv[1]]
try:
    runpy.run_module("bot", run_name="__main__", alter_sys=True)
finally:
    with open("/proc/self/status") as status:
        peak = next(line for line in status if line.startswith("VmHWM:"))
    with open(os.environ["PEAK_FILE"], "w") as out:
        out.write(peak.split()[1])
"""


def _spawn(env: dict[str, str], path: Path, tmp_path: Path) -> tuple[int, str, int]:
    """Run ``python -m bot import path``; return its exit code, stderr and peak memory in kB."""
    peak = tmp_path / "peak"
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)],
        env={**env, "PEAK_FILE": str(peak)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result.returncode, result.stderr, int(peak.read_text())


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc to measure")
def test_command_rejects_bad_files_without_traceback(tmp_path: Path) -> None:
    """``python -m bot import``: exit 1 and a few lines, in little memory, for a billion laughs.

    The file is refused before anything is written (the cases above check the store stays
    as it was), so one backend is enough here.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_NOW", "TELEGRAM_BOT_TOKEN")}
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'store.sqlite3'}",
        DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(ROOT),
    )
    bomb = _write(tmp_path, _alias_bomb(TEXT), "bomb.yaml")
    code, err, peak_kb = _spawn(env, bomb, tmp_path)
    assert code == 1, err
    assert "Traceback" not in err
    assert f"more than {MAX_VALUES} values" in err
    assert len(err.encode()) < MAX_OUTPUT
    # The interpreter and its libraries take about 100 MB; expanding took several hundred.
    assert peak_kb < 250 * 1024, peak_kb


def test_yaml_guesses_keep_the_text_as_written(loader: type) -> None:
    """Codes, phone numbers, countries and times are not turned into numbers or booleans."""
    doc = load_yaml(TEXT)
    doc["participants"][0].update(country="NO", phone="0123", invite_code="0123456")
    doc["programme"]["daily_agenda_time"] = "10:30"
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    # safe_dump quotes what YAML 1.1 would misread; a person writing the file does not.
    for quoted in ("'NO'", "'0123'", "'0123456'", "'10:30'"):
        assert quoted in text
        text = text.replace(quoted, quoted.strip("'"))
    doc = load_text(text)
    person = doc.participants[0]
    assert (person["country"], person["phone"], person["invite_code"]) == ("NO", "0123", "0123456")
    assert doc.programme["daily_agenda_time"] == "10:30"


def test_a_windows_file_is_accepted(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Editors on Windows start UTF-8 files with a BOM and end lines with CR LF: the file
    imports as without them."""
    before = asyncio.run(dump(env))
    path = _write(tmp_path, TEXT.replace("\n", "\r\n").encode("utf-8-sig"))
    capsys.readouterr()
    assert main(["import", str(path)]) == 0, capsys.readouterr().err
    assert "No changes" in capsys.readouterr().out
    assert asyncio.run(dump(env)) == before


def test_texts_at_their_column_length_import_on_every_backend(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The validator's limits are the store's: the longest accepted text is stored (PostgreSQL
    enforces VARCHAR lengths, SQLite does not), one more character is refused."""
    doc = load_yaml(TEXT)
    person = doc["participants"][0]
    longest = {
        "name": "n" * _limit(Participant.name),
        "country": "c" * _limit(Participant.country),
        "email": "e" * _limit(Participant.email),
        "phone": "1" * _limit(Participant.phone),
    }
    person.update(longest)
    doc["places"][0]["aliases"] = ["a" * _limit(Alias.text)]
    doc["places"][0]["kind"] = "k" * _limit(Place.kind)
    _event(doc)["dress"] = "d" * _limit(Event.dress)
    doc["programme"]["organizer"] = "o" * _limit(Programme.organizer)
    assert main(["import", str(_write(tmp_path, yaml.safe_dump(doc)))]) == 0
    assert asyncio.run(_participant(env, "P01", list(longest))) == longest

    before = asyncio.run(dump(env))
    person["name"] += "n"
    capsys.readouterr()
    assert main(["import", str(_write(tmp_path, yaml.safe_dump(doc)))]) == 1
    err = capsys.readouterr().err
    assert f"participants[P01].name: longer than {_limit(Participant.name)} characters" in err
    assert asyncio.run(dump(env)) == before


def test_every_text_column_a_file_fills_has_its_limit() -> None:
    """One source of truth: each String(n) column of the programme's tables is checked by a
    field of the schema, except the columns a file does not fill or that are checked apart."""
    checked = {
        rule.column.property.columns[0]
        for fields in SCHEMA.values()
        for rule in fields.values()
        if rule.column is not None
    }
    apart = {
        Leg.groups_key,  # the leg's groups joined: checked as a whole
        Event.timezone,  # the effective timezone: one of the checked timezone fields
        Participant.invite_hash,  # a hash of fixed length
        Participant.link_hash,
        Participant.agenda_time,  # set in chat, not by the file
        Alias.target_type,  # place, contact or event
        Alias.target_key,  # a checked key
    }
    apart_columns = {attribute.property.columns[0] for attribute in apart}
    tables = [Programme, Group, Place, Leg, Participant, Event, Alias]
    missing = [
        f"{column.table.name}.{column.name}"
        for model in tables
        for column in model.__table__.columns
        if isinstance(column.type, String)
        and column.type.length is not None
        and column not in checked
        and column not in apart_columns
    ]
    assert missing == []


async def _participant(url: str, key: str, names: list[str]) -> dict[str, Any]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            columns = [getattr(Participant, name) for name in names]
            query = select(*columns).where(Participant.key == key)
            row = (await connection.execute(query)).one()
    finally:
        await engine.dispose()
    return dict(zip(names, row, strict=True))


async def _invite_hashes(url: str) -> dict[str, str | None]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(select(Participant.key, Participant.invite_hash))
            return {key: digest for key, digest in rows}
    finally:
        await engine.dispose()


def _import(tmp_path: Path, doc: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    path = _write(tmp_path, yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    code = main(["import", str(path)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Traceback" not in captured.err
    return captured.out


def test_a_participant_renamed_keeps_the_invite_code(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new key with the old code: the old row goes, the new one holds the code."""
    before = asyncio.run(_invite_hashes(env))
    doc = load_yaml(TEXT)
    doc["participants"][0]["key"] = "P01-new"
    out = _import(tmp_path, doc, capsys)
    assert "Added: 1 participants" in out and "Removed: 1 participants" in out
    hashes = asyncio.run(_invite_hashes(env))
    assert "P01" not in hashes
    assert hashes["P01-new"] == before["P01"] is not None


def test_invite_codes_may_move_between_participants(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two codes swapped, and a code given to someone whose old holder lists none: each ends
    with its new holder (the store allows a code once, and checks it row by row)."""
    before = asyncio.run(_invite_hashes(env))
    doc = load_yaml(TEXT)
    first, second, third = doc["participants"][:3]
    first["invite_code"], second["invite_code"] = second["invite_code"], first["invite_code"]
    _import(tmp_path, doc, capsys)
    hashes = asyncio.run(_invite_hashes(env))
    assert (hashes["P01"], hashes["P02"]) == (before["P02"], before["P01"])

    # A file without a participant's code keeps the stored one, unless someone takes it.
    first["invite_code"] = third.pop("invite_code")
    del second["invite_code"]
    _import(tmp_path, doc, capsys)
    hashes = asyncio.run(_invite_hashes(env))
    assert (hashes["P01"], hashes["P02"], hashes["P03"]) == (before["P03"], before["P01"], None)


def test_renamed_keys_are_followed_by_what_refers_to_them(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A place, a group and a contact renamed, with every reference: the import goes through."""
    doc = load_yaml(TEXT)
    renames = {"fbi-hq": "fbi-headquarters", "A": "GA", doc["contacts"][0]["key"]: "lead"}
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    renamed = load_yaml(text)

    def rename(value: Any) -> Any:
        if isinstance(value, str):
            return renames.get(value, value)
        if isinstance(value, list):
            return [rename(item) for item in value]
        return value

    for section in ("groups", "places", "contacts", "participants", "events", "legs"):
        for item in renamed.get(section, []):
            for name in ("key", "place", "hotel", "group", "groups", "contact"):
                if name in item:
                    item[name] = rename(item[name])
    out = _import(tmp_path, renamed, capsys)
    assert "Removed:" in out and "1 places" in out
    content = asyncio.run(dump(env))
    assert {row[0] for row in content["places"]} >= {"fbi-headquarters"}
    assert "fbi-hq" not in {row[0] for row in content["places"]}
    assert "A" not in {row[0] for row in content["groups"]}


# ---- fuzzing: whatever the file, a clean answer ----

_BASE = load_yaml(TEXT)
_NOW = datetime(2024, 4, 20, 12, 0, tzinfo=UTC)

_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**500), max_value=10**500)
    | st.floats()
    | st.text(max_size=80)
    | st.text(alphabet="0123456789-: T", max_size=20)
    | st.sampled_from(["P01", "A", "fbi-hq", "en", "2024-05-02", "2024-05-02 10:00", "09:00"])
    | st.dates()
    | st.datetimes()
    | st.binary(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=8,
)


@st.composite
def _mutated(draw: st.DrawFn) -> dict[str, Any]:
    """The fixture with a few values deleted, swapped for other types or for random ones."""
    doc = copy.deepcopy(_BASE)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        container: Any = doc
        # Walk down to a random mapping or list, then change one of its entries.
        for _ in range(draw(st.integers(min_value=0, max_value=3))):
            children = list(
                container.items() if isinstance(container, dict) else enumerate(container)
            )
            nested = [(k, v) for k, v in children if isinstance(v, dict | list) and v]
            if not nested:
                break
            _, container = draw(st.sampled_from(nested))
        slots = list(container) if isinstance(container, dict) else list(range(len(container)))
        if not slots:
            continue
        slot = draw(st.sampled_from(slots))
        if draw(st.booleans()) and isinstance(container, dict):
            del container[slot]
        else:
            container[slot] = draw(_values)
    return doc


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=_mutated())
def test_fuzzed_documents_validate_or_fail_cleanly(doc: dict[str, Any]) -> None:
    """Any mutation of a valid programme validates, or fails with short located problems."""
    try:
        schema.validate(doc, "fuzz.yaml")
    except ProgrammeError as exc:
        # At most MAX_PROBLEMS lines and a count: bounded, however many problems there are.
        assert exc.problems and len(exc.problems) <= MAX_PROBLEMS + 1
        assert len("\n".join(exc.problems)) < MAX_OUTPUT + 300 * MAX_PROBLEMS
        assert all(line.startswith("fuzz.yaml: ") for line in exc.problems)


@st.composite
def _garbled(draw: st.DrawFn) -> str:
    """The fixture's text with a few slices deleted, duplicated or replaced by random text."""
    text = TEXT
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        start = draw(st.integers(min_value=0, max_value=len(text)))
        end = min(len(text), start + draw(st.integers(min_value=0, max_value=40)))
        insert = draw(
            st.text(max_size=20)
            | st.sampled_from(["[", "{", "&a ", "*a", "!!", "- ", ": ", "\n  ", "'", '"', "\t"])
            | st.just(text[start:end])
        )
        text = text[:start] + insert + text[end:]
    return text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_garbled())
def test_fuzzed_text_parses_or_fails_cleanly(text: str) -> None:
    """Any garbling of a valid file's text reads, or fails with short located problems."""
    try:
        load_text(text, "fuzz.yaml")
    except ProgrammeError as exc:
        # At most MAX_PROBLEMS lines and a count: bounded, however many problems there are.
        assert exc.problems and len(exc.problems) <= MAX_PROBLEMS + 1
        assert len("\n".join(exc.problems)) < MAX_OUTPUT + 300 * MAX_PROBLEMS
        assert all(line.startswith("fuzz.yaml: ") for line in exc.problems)


def _text_slots(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the document holding a plain text, as a path of keys and indexes."""
    if isinstance(doc, dict):
        items: Any = doc.items()
    elif isinstance(doc, list):
        items = enumerate(doc)
    else:
        return [path] if isinstance(doc, str) else []
    return [slot for key, value in items for slot in _text_slots(value, (*path, key))]


# Free texts only: a random key, date or code would fail validation and test nothing here.
_FREE = {"name", "title", "organizer", "help_email", "address", "city", "notes", "aliases"}
_FREE |= {"role", "email", "telegram", "country", "dress", "description", "question", "answer"}
_SLOTS = [slot for slot in _text_slots(_BASE) if _FREE & set(slot[:4])]


@st.composite
def _retexted(draw: st.DrawFn) -> dict[str, Any]:
    """The fixture with a few of its texts replaced by random text, long or short."""
    doc = copy.deepcopy(_BASE)
    for slot in draw(st.lists(st.sampled_from(_SLOTS), min_size=1, max_size=4)):
        container = doc
        for step in slot[:-1]:
            container = container[step]
        length = draw(st.sampled_from([5, 50, 99, 100, 101, 300, 301, 500, 501]))
        alphabet = st.characters(codec="utf-8", exclude_categories=["Cc"])
        text = draw(st.text(alphabet, min_size=1, max_size=5))
        container[slot[-1]] = (text * length)[:length]
    return doc


async def _import_then_roll_back(url: str, doc: ProgrammeDoc) -> None:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            transaction = await connection.begin()
            session = AsyncSession(bind=connection)
            try:
                await import_programme(session, doc, invite_secret="fuzz", now=_NOW)
            finally:
                await session.close()
                await transaction.rollback()
    finally:
        await engine.dispose()


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(raw=_retexted())
def test_whatever_validates_imports(database_url: str, raw: dict[str, Any]) -> None:
    """The validator's rules are the store's: a document it accepts, the store accepts too
    (on PostgreSQL, which enforces lengths and refuses NUL, as on SQLite)."""
    try:
        doc = schema.validate(raw, "fuzz.yaml")
    except ProgrammeError:
        return
    asyncio.run(_import_then_roll_back(database_url, doc))


def test_what_the_store_refuses_is_reported_not_raised(
    env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Should the validator miss a rule of the store, staff still get a sentence, not a
    traceback, and the store stays as it was. (SQLite ignores VARCHAR lengths: it stores.)"""
    unchecked = replace(SCHEMA["participants"]["name"], column=None)
    monkeypatch.setitem(SCHEMA["participants"], "name", unchecked)
    before = asyncio.run(dump(env))
    doc = load_yaml(TEXT)
    doc["participants"][0]["name"] = "n" * (_limit(Participant.name) + 1)
    path = _write(tmp_path, yaml.safe_dump(doc))
    capsys.readouterr()
    code = main(["import", str(path)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if env.startswith("sqlite"):
        assert code == 0, err
        return
    assert code == 1
    assert f"{path}: the store refused the programme (" in err
    assert len(err) < MAX_OUTPUT
    assert asyncio.run(dump(env)) == before
