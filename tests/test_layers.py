"""The domain imports no chat platform; only the composition root knows the adapters."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

PLATFORMS = ("telegram", "slack_bolt", "slack_sdk", "handlers")
DOMAIN = sorted(p for p in (ROOT / "bot").rglob("*.py") if p.name != "cli.py")


def _imports(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", DOMAIN, ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_module_imports_no_platform(path: object) -> None:
    """No module of bot/ (but the composition root) imports Telegram, Slack or a handler."""
    tree = ast.parse(path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    wrong = {n for n in _imports(tree) if n.split(".")[0] in PLATFORMS}
    assert not wrong, wrong


def test_staff_handlers_hold_no_sql() -> None:
    """Slack adapters call use cases; queries live in bot/ (SQLAlchemy's select is the tell)."""
    for path in (ROOT / "handlers" / "slack").rglob("*.py"):
        names = _imports(ast.parse(path.read_text(encoding="utf-8")))
        assert "sqlalchemy" not in names, path


def test_readme_documents_every_setting() -> None:
    """Each environment variable the settings read has a row in the README."""
    from bot.config import Settings

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [n.upper() for n in Settings.model_fields if f"`{n.upper()}`" not in readme]
    assert not missing, missing
