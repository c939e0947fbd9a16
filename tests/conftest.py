"""Session-wide real infrastructure, per-test isolation (own topics namespace, own database), and the test tiers.

The tiers are the top folders, marked here and nowhere else:
- `tests/unit/` and `tests/fuzz/`: pure; no broker, no database, no process (`make test-unit`, seconds);
- `tests/integration/`: marked `integration`, against the real Kafka broker and PostgreSQL/SQLite;
- `tests/e2e/`: marked `integration` and `e2e`, whole services as processes;
- `tests/browser/`: marked `integration` and `browser`, pages in Debian's Chromium driven by Playwright.
A unit-tier test that asks for a broker or a database fixture is a collection error, not a slow unit test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.support.databases import create_postgres_database, drop_postgres_database
from tests.support.infra import kafka_bootstrap, postgres_server
from tests.support.kafka import create_namespace
from tests.support.portal import PortalStack, start_portal_stack

_TESTS = Path(__file__).resolve().parent
_TIER_MARKS = {
    "integration": ("integration",),
    "e2e": ("integration", "e2e"),
    "browser": ("integration", "browser"),
}
_PURE_TIERS = frozenset({"unit", "fuzz"})
_INFRA_FIXTURES = frozenset(
    {"kafka", "namespace", "postgres", "postgres_url", "database_url", "sqlite_url", "portal_stack"}
)


def tier_of(path: Path) -> str:
    """The tier of a test file: the name of its top folder under `tests/`."""
    return path.resolve().relative_to(_TESTS).parts[0]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    misplaced = []
    for item in items:
        tier = tier_of(item.path)
        for mark in _TIER_MARKS.get(tier, ()):
            item.add_marker(mark)
        if tier in _PURE_TIERS and _INFRA_FIXTURES & set(getattr(item, "fixturenames", ())):
            misplaced.append(item.nodeid)
    if misplaced:
        raise pytest.UsageError(f"pure-tier tests that use a broker or database fixture: {', '.join(misplaced)}")


@pytest.fixture(scope="session")
def kafka() -> Iterator[str]:
    """Bootstrap address of the session's real Kafka broker."""
    with kafka_bootstrap() as bootstrap:
        yield bootstrap


@pytest.fixture
async def namespace(kafka: str) -> str:
    """A fresh topic namespace with every topic created."""
    return await create_namespace(kafka)


@pytest.fixture(scope="session")
async def portal_stack(kafka: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[PortalStack]:
    """The portal and the four services as processes, shared by the session's portal tests (started on first use)."""
    stack = start_portal_stack(tmp_path_factory.mktemp("portal"), kafka, await create_namespace(kafka))
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """URL template of the session's real PostgreSQL server."""
    with postgres_server() as template:
        yield template


@pytest.fixture
async def postgres_url(postgres: str) -> AsyncIterator[str]:
    url = await create_postgres_database(postgres)
    yield url
    await drop_postgres_database(postgres, url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each repository test runs on both backends."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))
