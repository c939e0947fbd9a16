"""The browser tier: pages in Debian's headless Chromium through Playwright (helpers in `tests/support/browser.py`).

Every test here is marked `browser` and `integration` by tests/conftest.py (it runs with `make test-integration`
and `make test`; alone: `.venv/bin/pytest tests/browser -m browser`). Fixtures: per test a browser (see `playwright`),
a Vietnamese desktop `context` and its `page`, or a `phone_page` (360x740, mobile). When a test fails, every page
it held is saved (screenshot and HTML) under the artifacts folder and the paths are added to the report.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.support.browser import dump_page, launch_chromium, new_context, phone_context


@pytest.fixture
def playwright() -> Iterator[Playwright]:
    """Per test: Playwright's sync API marks an event loop as running in the main thread while it is started, which
    would stop every async fixture and test after it; per test, the session's async fixtures (the portal stack) are
    set up before it starts (wider scopes first) and it is stopped before the next test."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = launch_chromium(playwright)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh desktop context (vi-VN, Asia/Ho_Chi_Minh): no cookies, no cache from another test."""
    context = new_context(browser)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh phone context: 360x740, mobile, touch (vi-VN, Asia/Ho_Chi_Minh)."""
    context = phone_context(browser)
    yield context
    context.close()


@pytest.fixture
def phone_page(phone: BrowserContext) -> Page:
    return phone.new_page()


def _pages_of(item: pytest.Item) -> list[Page]:
    """The open pages a test holds: its Page fixtures and the pages of its BrowserContext fixtures."""
    pages: list[Page] = []
    for value in getattr(item, "funcargs", {}).values():
        candidates = [value] if isinstance(value, Page) else value.pages if isinstance(value, BrowserContext) else []
        pages += [p for p in candidates if p not in pages and not p.is_closed()]
    return pages


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, object, object]:
    """dump_on_failure: when a browser test fails (before its fixtures close), save a screenshot and the HTML of each
    page it held, named after the test; a failure to save is reported beside, never in place of, the test's own."""
    report = yield
    if isinstance(report, pytest.TestReport) and report.when == "call" and report.failed:
        saved: list[str] = []
        for index, page in enumerate(_pages_of(item)):
            try:
                saved += [str(path) for path in dump_page(page, f"{item.nodeid}.failure.{index}")]
            except Exception as error:
                saved.append(f"(page {index} not saved: {error!r})")
        if saved:
            report.sections.append(("browser pages at failure", "\n".join(saved)))
    return report
