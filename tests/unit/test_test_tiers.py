"""Test tiers that mean what they say: a test module imports shared builders from `tests/support/` only, never a
test module, a conftest or a module of another tier (read from the source, no import)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def imported_test_modules(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found += [name for name in names if name == "tests" or name.startswith("tests.")]
    return found


def test_tests_import_only_the_shared_support() -> None:
    imports = {str(path.relative_to(TESTS)): imported_test_modules(path) for path in TESTS.rglob("*.py")}
    assert sum(len(found) for found in imports.values()) > 50  # the scan sees the imports there are
    wrong = {path: [m for m in found if not m.startswith("tests.support")] for path, found in imports.items()}
    assert not {path: found for path, found in wrong.items() if found}


def test_the_support_holds_no_test_module() -> None:
    assert not [p for p in (TESTS / "support").rglob("test_*.py")]
