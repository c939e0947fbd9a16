"""Every service has the same shape: the same folders for the same roles and one name per plumbing piece.

Read from the source tree (ast, no import), so that a service that drifts fails here, and a new service (the
portal) is held to the same shape as soon as its folder exists.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RESHAPING: dict[str, set[str]] = {}
"""Per check, the services not yet in the shape: expected to fail, strictly, so that each must leave its set the
moment it is reshaped (empty: every service is in the shape; a new one, the portal, may be listed while it is built)."""


def service_param(package: Path, check: str = "") -> object:
    name = package.name.removeprefix("dantoc_")
    pending = name in RESHAPING.get(check, set())
    marks = [pytest.mark.xfail(strict=True, reason="issue 12: not yet reshaped")] if pending else []
    return pytest.param(package, id=name, marks=marks)


PACKAGES_FOUND = sorted(p for p in (REPO / "services").glob("*/src/dantoc_*") if p.is_dir())
SERVICES = [service_param(p) for p in PACKAGES_FOUND]


def services_for(check: str) -> list[object]:
    return [service_param(p, check) for p in PACKAGES_FOUND]


FOLLOWERS = {"ingest", "aggregate", "gateway"}
"""The services that follow the catalog topic."""
CONSUMERS = FOLLOWERS
"""The services that consume a Kafka topic (the catalog only publishes): their `kafka/observed.py` has `consuming`."""

HTTP_ONLY = {"portal"}
"""The services that talk HTTP only (the portal, over the others' APIs): no `kafka/` package, no topics."""

TOP_MODULES = {"__init__.py", "__main__.py", "app.py", "settings.py", "metrics.py", "logs.py"}
PACKAGES = {"api", "services", "domain", "db", "kafka"}
EXTRA_PACKAGES = {"auth", "files", "formats", "clients"}
"""Allowed beside the common ones: token keys and verification, upload readers, output formats, HTTP clients of
the other services."""
REQUIRED_FILES = [
    "api/deps.py",
    "api/problems.py",
    "api/health.py",
    "db/engine.py",
    "db/models.py",
    "db/uow.py",
    "db/migrate.py",
    "db/migrations/env.py",
    "kafka/observed.py",
]
DEFINED = {
    "db/engine.py": {"create_engine", "session_factory"},
    "db/migrate.py": {"upgrade_head", "require_head", "SchemaNotAtHead"},
    "db/uow.py": {"UnitOfWork"},
    "kafka/observed.py": {"consuming", "publishing"},
}
IMPURE = ("sqlalchemy", "aiokafka", "faststream", "fastapi", "starlette", "httpx", "asyncpg", "aiosqlite")


def name_of(package: Path) -> str:
    return package.name.removeprefix("dantoc_")


def defined(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def imported(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_the_services_are_found() -> None:
    assert {name_of(p) for p in PACKAGES_FOUND} >= {"catalog", "ingest", "aggregate", "gateway"}


@pytest.mark.parametrize("package", services_for("top level"))
def test_top_level_holds_the_agreed_modules_and_packages_only(package: Path) -> None:
    modules = {p.name for p in package.glob("*.py")}
    packages = {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}
    assert modules == TOP_MODULES, f"top-level modules: extra {modules - TOP_MODULES}, missing {TOP_MODULES - modules}"
    required = PACKAGES - {"kafka"} if name_of(package) in HTTP_ONLY else PACKAGES
    assert packages >= required, f"missing packages {required - packages}"
    if name_of(package) in HTTP_ONLY:
        assert "kafka" not in packages, "an HTTP-only service has no kafka package"
    assert packages <= PACKAGES | EXTRA_PACKAGES, f"packages outside the shape: {packages - PACKAGES - EXTRA_PACKAGES}"


@pytest.mark.parametrize("package", services_for("plumbing"))
def test_the_plumbing_has_one_name(package: Path) -> None:
    http_only = name_of(package) in HTTP_ONLY
    missing = [f for f in REQUIRED_FILES if not (package / f).is_file() and not (http_only and f.startswith("kafka/"))]
    assert not missing, missing
    for module, names in DEFINED.items():
        if http_only and module.startswith("kafka/"):
            continue
        if module == "kafka/observed.py" and name_of(package) not in CONSUMERS:
            names = names - {"consuming"}
        assert names <= defined(package / module), f"{module} lacks {names - defined(package / module)}"
    assert "namespace" in defined_in_class(package / "settings.py", "Settings")
    assert "migrate" in (package / "__main__.py").read_text(encoding="utf-8"), "a `migrate` command"


@pytest.mark.parametrize("package", [service_param(p, "follower") for p in PACKAGES_FOUND if name_of(p) in FOLLOWERS])
def test_catalog_followers_have_one_design(package: Path) -> None:
    follower = package / "kafka/catalog_follower.py"
    assert follower.is_file()
    assert {"start", "stop", "ready"} <= defined_in_class(follower, "CatalogFollower")


@pytest.mark.parametrize("package", SERVICES)
def test_domain_is_pure(package: Path) -> None:
    offending = {
        str(path.relative_to(package)): sorted(m for m in imported(path) if m.split(".")[0] in IMPURE)
        for path in (package / "domain").rglob("*.py")
    }
    assert not {k: v for k, v in offending.items() if v}


def defined_in_class(path: Path, name: str) -> set[str]:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            names = set()
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(item.name)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    names.add(item.target.id)
            return names
    raise AssertionError(f"{path.name} defines no class {name}")
