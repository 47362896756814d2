"""Every question of the shared fixture, through the console contract ``ask --jsonl``."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest

from bot.services import Services, import_file
from bot.yamlio import load_yaml
from tests.conftest import FIXTURE, QUESTIONS, ROOT
from tests.facts import fact_present, problems


def _run(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def test_every_fixture_question_is_answered(subprocess_env: dict[str, str]) -> None:
    """Import the fixture, ask every question in one process, check every fact."""
    imported = _run(["import", str(FIXTURE)], subprocess_env)
    assert imported.returncode == 0, imported.stderr
    questions = load_yaml(QUESTIONS.read_text(encoding="utf-8"))
    lines = "".join(
        json.dumps({"as": q["as"], "now": str(q["now"]), "text": q["text"]}) + "\n"
        for q in questions
    )
    asked = _run(["ask", "--jsonl"], subprocess_env, lines)
    assert asked.returncode == 0, asked.stderr
    replies = [json.loads(line)["reply"] for line in asked.stdout.splitlines()]
    assert len(replies) == len(questions)
    failures = [
        f"{q['as']} {q['text']!r}: {', '.join(p)}\n{reply}"
        for q, reply in zip(questions, replies, strict=True)
        if (p := problems(q, reply))
    ]
    assert not failures, "\n\n".join(failures)


async def test_ask_prints_the_reply_or_fails_clearly(
    app: Services, subprocess_env: dict[str, str]
) -> None:
    """The single-question form prints the reply text with venue and map link; an unknown
    key is an error, not a stranger's answer."""
    await import_file(app, FIXTURE)
    result = _run(
        ["ask", "--as", "P11", "--now", "2024-05-02T09:00-04:00", "Where is the FBI briefing?"],
        subprocess_env,
    )
    assert result.returncode == 0, result.stderr
    assert "935 Pennsylvania Avenue NW" in result.stdout
    assert "FBI J. Edgar Hoover Building" in result.stdout
    assert "maps" in result.stdout
    result = _run(["ask", "--as", "NOPE", "hello"], subprocess_env)
    assert result.returncode == 2
    assert "Unknown participant" in result.stdout


@pytest.mark.parametrize(
    ("reply", "fact", "expected"),
    [
        ("at 2:00 PM", {"time": "14:00"}, True),
        ("at 2:00 p.m.", {"time": "14:00"}, True),
        ("à 14 h 00", {"time": "14:00"}, True),
        ("٠٩:٣٠", {"time": "09:30"}, True),
        ("9:30", {"time": "09:30"}, True),
        ("19:30", {"time": "09:30"}, False),
        ("2:00 AM", {"time": "14:00"}, False),
        ("Tampa Police", "tampa police", True),
    ],
)
def test_fact_matching_follows_the_fixture_header(reply: str, fact: object, expected: bool) -> None:
    """The checker itself can fail: wrong hours and wrong halves of the day do not match."""
    assert fact_present(reply, fact) is expected


async def test_ask_jsonl_answers_every_line_and_flags_the_bad_ones(
    app: Services, subprocess_env: dict[str, str]
) -> None:
    """A bad line gets an error line of its own; the lines after it are still answered."""
    # Imported in process (the CLI import is the first test's): the child only asks.
    await import_file(app, FIXTURE)
    good = {"as": "P11", "now": "2024-05-02T09:00-04:00", "text": "Where is the FBI briefing?"}
    bad: list[object] = [
        {"text": "x", "now": 12},
        {"text": "x", "now": ["2024-05-02T09:00-04:00"]},
        {"text": "x", "now": "next tuesday"},
        {"text": "x", "now": ""},
        {"text": "x", "now": "2024-05-02T09:00"},
        {"text": "x", "as": 11},
        {"text": "x", "as": ["P11"]},
        {"text": "x", "as": {"key": "P11"}},
        {"text": "x", "as": "P1\x001"},
        {"as": "P11"},
        {"as": "P11", "text": 5},
        {"as": "P11", "text": None},
        {"as": "P11", "text": "\ud800"},
        {"as": "P11", "text": "x" * 5000},
        [good],
        "Where is the FBI briefing?",
        12,
        None,
    ]
    unreadable = ["{not json", "[" * 100_000, json.dumps({"text": "y" * 2_000_000})]
    lines = [json.dumps(good), *map(json.dumps, bad), *unreadable, json.dumps(good)]
    asked = _run(["ask", "--jsonl"], subprocess_env, "".join(line + "\n" for line in lines))
    assert asked.returncode == 1, asked.stderr[-2000:]
    assert "Traceback" not in asked.stderr, asked.stderr[-2000:]
    answers = [json.loads(line) for line in asked.stdout.splitlines()]
    assert len(answers) == len(lines)
    for answer in (answers[0], answers[-1]):
        assert set(answer) == {"reply"} and "935 Pennsylvania Avenue NW" in answer["reply"]
    for line, answer in zip(lines[1:-1], answers[1:-1], strict=True):
        assert answer["reply"] == "", line[:80]
        assert isinstance(answer["error"], str) and answer["error"], line[:80]

    # Bytes that are not UTF-8, inside a string and outside one.
    raw = b'{"text": "\xff"}\n\xfe\n' + json.dumps(good).encode() + b"\n"
    asked_raw = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", "ask", "--jsonl"],
        input=raw,
        capture_output=True,
        env=subprocess_env,
        cwd=ROOT,
        timeout=300,
    )
    assert b"Traceback" not in asked_raw.stderr, asked_raw.stderr[-2000:]
    answers = [json.loads(line) for line in asked_raw.stdout.decode().splitlines()]
    assert [bool(a.get("error")) for a in answers] == [True, True, False]
    assert "935 Pennsylvania Avenue NW" in answers[-1]["reply"]
