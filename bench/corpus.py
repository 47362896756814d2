"""Accuracy of answers on question corpora, per language and per kind of question.

Each corpus file is a YAML list of questions (``as``, ``now``, ``text``, ``expect``,
``absent``, optional ``kind`` and ``lang``) on one programme, named by a top-level
``programme:`` entry when the file is a mapping (``{programme: FILE, questions: [...]}``)
or by ``--programme``. The programme is imported into a fresh SQLite store and every
question goes through ``python -m bot ask --jsonl``, the contract acceptance checks use.

    python bench/corpus.py                      # the project's corpora under tests/data/corpus
    python bench/corpus.py --programme P.yaml QUESTIONS.yaml [-v] [--jobs N]

Files on the same programme share one import and one ``ask --jsonl`` run; programmes run
side by side (``--jobs``, default the number of CPUs).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.yamlio import load_yaml  # noqa: E402
from tests.facts import problems  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "corpus"


def _bot(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )


def load_corpus(path: Path, programme: Path | None) -> tuple[Path, list[dict[str, Any]]]:
    """Return a corpus file's programme and its questions."""
    data = load_yaml(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        named = (path.parent / str(data["programme"])).resolve()
        return named, list(data["questions"])
    if programme is None:
        raise SystemExit(f"{path}: give --programme (the file names none)")
    return programme, list(data)


def answer_all(programme: Path, questions: list[dict[str, Any]]) -> list[str]:
    """Import a programme into a fresh store and answer every question in one process."""
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BOT_NOW")}
        env.update(DATA_DIR=folder, PYTHONPATH=str(ROOT))
        imported = _bot(["import", str(programme)], env)
        if imported.returncode != 0:
            raise SystemExit(f"{programme}: import failed\n{imported.stderr}")
        lines = "".join(
            json.dumps({"as": q.get("as"), "now": str(q["now"]), "text": q["text"]}) + "\n"
            for q in questions
        )
        asked = _bot(["ask", "--jsonl"], env, lines)
    replies = [json.loads(line).get("reply", "") for line in asked.stdout.splitlines()]
    if len(replies) != len(questions):
        raise SystemExit(f"{len(replies)} replies to {len(questions)} questions\n{asked.stderr}")
    return replies


def _languages(programme: Path) -> dict[str, str]:
    doc = load_yaml(programme.read_text(encoding="utf-8"))
    default = doc["programme"].get("default_language", "en")
    return {p["key"]: p.get("language", default) for p in doc.get("participants", [])}


def main() -> int:
    """Print accuracy per language and per kind; exit 1 below ``--require``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--programme", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every failure")
    parser.add_argument("--require", type=float, default=0.0, help="minimum share per language")
    parser.add_argument("--jobs", type=int, default=0, help="programmes answered at once")
    args = parser.parse_args()
    files = args.files or sorted(CORPUS.glob("*.yaml"))
    by_programme: dict[Path, list[tuple[Path, dict[str, Any]]]] = defaultdict(list)
    for path in files:
        programme, questions = load_corpus(path, args.programme)
        by_programme[programme].extend((path, q) for q in questions)
    with ThreadPoolExecutor(max_workers=args.jobs or os.cpu_count() or 1) as pool:
        answered = dict(
            zip(
                by_programme,
                pool.map(
                    lambda pair: answer_all(pair[0], [q for _, q in pair[1]]),
                    by_programme.items(),
                ),
                strict=True,
            )
        )
    by_language: dict[str, list[bool]] = defaultdict(list)
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for programme, asked in by_programme.items():
        languages = _languages(programme)
        for (path, q), reply in zip(asked, answered[programme], strict=True):
            wrong = problems(q, reply)
            language = q.get("lang") or languages.get(str(q.get("as")), "?")
            by_language[language].append(not wrong)
            by_kind[q.get("kind", "-")].append(not wrong)
            if wrong and args.verbose:
                print(f"--- {path.name} {q.get('as')} [{q.get('kind', '-')}] {q['text']!r}")
                print(f"    {'; '.join(wrong)}")
                print("    " + reply.replace("\n", "\n    "))
    rows = [("language", by_language), ("kind", by_kind)]
    worst = 1.0
    for title, table in rows:
        print(f"\n{title:<14} {'right':>6} {'of':>5} {'share':>7}")
        for name, results in sorted(table.items()):
            share = sum(results) / len(results)
            if title == "language":
                worst = min(worst, share)
            print(f"{name:<14} {sum(results):>6} {len(results):>5} {share:>7.1%}")
    total = [r for results in by_language.values() for r in results]
    print(f"\n{'all':<14} {sum(total):>6} {len(total):>5} {sum(total) / len(total):>7.1%}")
    return 1 if worst < args.require else 0


if __name__ == "__main__":
    raise SystemExit(main())
