"""Malformed programme files: located messages, short output, bounded memory, store untouched."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import main
from bot.programme import schema
from bot.programme.schema import (
    ProgrammeError,
    load_file,
    load_text,
)
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


def _alias_bomb(text: str) -> str:
    # Nine levels of nine aliases: 9**9 strings from a few hundred bytes.
    lines = ['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"lol{level}: &l{level} [{refs}]")
    return text + "\n".join(lines) + "\n"


# (id, builder, parts one problem line must contain). Each kind of breakage once.
CASES: list[tuple[str, Builder, list[str]]] = [
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
    # wrong types
    (
        "python_object",
        lambda text: text + "extra: !!python/object:os.system {}\n",
        ["could not determine a constructor"],
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
    assert len("\n".join(problems)) < MAX_OUTPUT


@pytest.fixture
def env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the command line at the test database, with the fixture already imported."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BOT_NOW", raising=False)
    assert main(["import", str(FIXTURE)]) == 0
    return database_url


# One of each family (reading, YAML limits, YAML syntax): the command line reports every
# ProgrammeError alike, and the cases above check each kind's message.
THROUGH_THE_COMMAND = [
    "deep_nesting",
    "too_large",
    "alias_bomb",
    "duplicate_key",
    "nul_byte",
    "binary",
]


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
        assert len(err) < MAX_OUTPUT, name
    assert asyncio.run(dump(env)) == before


def _spawn(env: dict[str, str], path: Path, tmp_path: Path) -> tuple[int, str, int]:
    """Run ``python -m bot import path``; return its exit code, stderr and peak memory in kB."""
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    pid = os.posix_spawn(
        sys.executable,
        [sys.executable, "-m", "bot", "import", str(path)],
        env,
        file_actions=[
            (os.POSIX_SPAWN_OPEN, 1, str(out), flags, 0o600),
            (os.POSIX_SPAWN_OPEN, 2, str(err), flags, 0o600),
        ],
    )
    # wait4 reports this child's own peak memory, not that of every child so far.
    _, status, usage = os.wait4(pid, 0)
    return os.waitstatus_to_exitcode(status), err.read_text(encoding="utf-8"), usage.ru_maxrss


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs wait4 to measure the child")
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
