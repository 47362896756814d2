"""The layers: the domain imports no chat platform, adapters hold no SQL, only the
composition root wires adapters, and it loads them only when a command needs them."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PLATFORMS = ("telegram", "slack_bolt", "slack_sdk", "handlers")
# The domain, and the sweeps that run on it; bot/cli.py is the composition root.
DOMAIN = sorted(
    p
    for p in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "schedules").rglob("*.py")]
    if p != ROOT / "bot" / "cli.py"
)
ADAPTERS = sorted((ROOT / "handlers").rglob("*.py"))


def _imports(tree: ast.AST) -> set[str]:
    """Every module an import statement anywhere in the tree names (inside functions too)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _parse(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"))


def _top(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", DOMAIN, ids=_id)
def test_domain_module_imports_no_platform(path: Path) -> None:
    """No module of bot/ (but the composition root) or schedules/ imports a chat platform or
    an adapter."""
    wrong = {n for n in _imports(_parse(path)) if n.split(".")[0] in PLATFORMS}
    assert not wrong, wrong


@pytest.mark.parametrize("path", ADAPTERS, ids=_id)
def test_adapters_hold_no_sql(path: Path) -> None:
    """Adapters call use cases; queries, sessions and their types live in bot/."""
    assert "sqlalchemy" not in _top(_imports(_parse(path)))


@pytest.mark.parametrize("path", ADAPTERS, ids=_id)
def test_adapters_do_not_reach_into_the_composition_root(path: Path) -> None:
    """Adapters take the Services of bot/services.py; only bot/cli.py composes."""
    names = _imports(_parse(path))
    assert not {n for n in names if n == "bot.cli" or n.startswith("bot.cli.")}
    assert "bot.__main__" not in names


def test_composition_root_loads_adapters_only_inside_commands() -> None:
    """bot/cli.py imports adapters and platforms inside the command that runs them, never
    at module level (type-only imports aside), so `import` and `ask` start without them."""
    tree = ast.parse((ROOT / "bot" / "cli.py").read_text(encoding="utf-8"))
    top_level: set[str] = set()
    for node in tree.body:
        typing_only = (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Name)
            and node.test.id == "TYPE_CHECKING"
        )
        if not typing_only and not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            top_level |= _imports(node)
    assert not _top(top_level) & set(PLATFORMS), top_level
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, bot.cli; print(sorted({m.split('.')[0] for m in sys.modules}))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert not [p for p in PLATFORMS if f"'{p}'" in loaded], loaded


def test_readme_documents_every_setting() -> None:
    """Each environment variable the settings read has a row in the README."""
    from bot.config import Settings

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [n.upper() for n in Settings.model_fields if f"`{n.upper()}`" not in readme]
    assert not missing, missing
