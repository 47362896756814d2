"""Every question of the shared fixture, through the console contract ``ask --jsonl``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

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


def test_ask_prints_the_reply_or_fails_clearly(subprocess_env: dict[str, str]) -> None:
    """The single-question form prints the reply text with venue and map link; an unknown
    key is an error, not a stranger's answer."""
    assert _run(["import", str(FIXTURE)], subprocess_env).returncode == 0
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
