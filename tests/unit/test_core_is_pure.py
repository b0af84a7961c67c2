"""The core imports no platform SDK, ORM, scheduler, web framework or adapter.

import-linter checks the same contract in CI (`lint-imports`); this test keeps it
inside the suite too, reading every module's imports from its syntax tree.
"""

from __future__ import annotations

import ast
from pathlib import Path

FORBIDDEN = {
    "adapters",
    "scheduler",
    "slack_bolt",
    "slack_sdk",
    "botbuilder",
    "botframework",
    "sqlmodel",
    "sqlalchemy",
    "apscheduler",
    "aiohttp",
    "alembic",
    "msrest",
    "requests",
}
CORE = Path(__file__).resolve().parents[2] / "bot"


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_core_imports_nothing_forbidden() -> None:
    offenders = {
        str(path.relative_to(CORE.parent)): sorted(imported_roots(path) & FORBIDDEN)
        for path in CORE.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert len(offenders) > 5  # the walk really found the core
