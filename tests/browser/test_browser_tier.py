"""The browser tier itself: Chromium launches with this machine's flags, the phone viewport is a phone's, screenshots
are written, axe-core passes a good page and fails a bad one, and the byte count matches a file of known size.

The pages are static files of this folder's `fixtures/` (a Vietnamese form, a deliberately inaccessible copy),
served by `http.server` in a thread on a free port with a strict Content-Security-Policy, as the portal's will be.
"""

from __future__ import annotations

import contextlib
import functools
import json
import random
import shutil
import string
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psutil
import pytest
from playwright.sync_api import Browser, Page

from tests.support import browser as support
from tests.support.browser import (
    AXE_JS,
    CHROMIUM_ARGS,
    LOCALE,
    TIMEZONE,
    artifacts_dir,
    assert_accessible,
    dump_page,
    safe_name,
    screenshot,
    transferred_bytes,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PAYLOAD_SIZE = 48_000
CSP = "default-src 'self'; script-src 'self'; style-src 'self'"


class _Handler(SimpleHTTPRequestHandler):
    """Static files, not cached, under a strict CSP (no inline script or style); quiet."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture pages, and a `payload.js` of exactly PAYLOAD_SIZE incompressible-looking bytes, served on a free
    loopback port; yields the base URL."""
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(FIXTURES, root, dirs_exist_ok=True)
    (root / "payload.js").write_bytes(payload(PAYLOAD_SIZE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def payload(size: int) -> bytes:
    """A script of exactly `size` bytes: it sets `window.payloadLoaded`, then a comment of random letters."""
    head = b"window.payloadLoaded = true;\n/* "
    tail = b" */\n"
    letters = random.Random(13).choices(string.ascii_letters + string.digits, k=size - len(head) - len(tail))
    return head + "".join(letters).encode("ascii") + tail


def browser_command_line() -> list[str]:
    """The command line of the session's Chromium browser process (Debian's wrapper execs it): a descendant of this
    process (through Playwright's driver), the one with the debugging pipe and no `--type` (renderers, GPU...)."""
    found = []
    for process in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            arguments = process.cmdline()
            if "--remote-debugging-pipe" in arguments and not any(a.startswith("--type=") for a in arguments):
                found.append(arguments)
    assert len(found) == 1, found
    return found[0]


def test_chromium_launches_with_this_machines_flags(browser: Browser) -> None:
    arguments = browser_command_line()
    assert Path(arguments[0]).name == "chromium"
    assert set(CHROMIUM_ARGS) <= set(arguments), set(CHROMIUM_ARGS) - set(arguments)
    profiles = [a.split("=", 1)[1] for a in arguments if a.startswith("--user-data-dir=")]
    assert len(profiles) == 1
    assert "playwright_chromiumdev_profile-" in profiles[0], "a fresh temporary profile"
    assert Path(profiles[0]).is_dir()
    assert browser.version.split(".")[0].isdigit()


def test_the_context_is_vietnamese(page: Page, site: str) -> None:
    page.goto(f"{site}/good.html")
    assert page.evaluate("() => navigator.language") == LOCALE
    zone = page.evaluate("() => Intl.DateTimeFormat().resolvedOptions().timeZone")
    assert zone in {TIMEZONE, "Asia/Saigon"}  # ICU may answer with the zone's older name
    assert page.evaluate("() => new Date('2026-01-01T00:00:00Z').getTimezoneOffset()") == -7 * 60
    assert page.get_by_label("Số hộ đồng bào dân tộc thiểu số").is_visible()


def test_the_phone_viewport_is_360_px_wide(phone_page: Page, site: str) -> None:
    phone_page.goto(f"{site}/good.html")
    assert phone_page.viewport_size == {"width": 360, "height": 740}
    assert phone_page.evaluate("() => [window.innerWidth, document.documentElement.clientWidth]") == [360, 360]
    assert phone_page.evaluate("() => matchMedia('(pointer: coarse)').matches")
    box = phone_page.get_by_label("Số hộ đồng bào dân tộc thiểu số").bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 360, "the form fits the phone's width"


def test_a_screenshot_is_written(phone_page: Page, site: str) -> None:
    phone_page.goto(f"{site}/good.html")
    path = screenshot(phone_page, "tier/màn hình điện thoại: good?")
    assert path.parent == artifacts_dir()
    assert path.name == "tier-man-hinh-dien-thoai-good.png"
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(data[16:20], "big")
    assert width == 360 * 2, "the full page at the phone's device scale factor"


def test_artifacts_go_where_dantoc_test_artifacts_says(
    page: Page, site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DANTOC_TEST_ARTIFACTS", str(tmp_path / "shots"))
    page.goto(f"{site}/good.html")
    png, html = dump_page(page, "test_x[failure]")  # what the failure hook saves for each page
    assert (png.parent, png.name, html.name) == (tmp_path / "shots", "test_x-failure.png", "test_x-failure.html")
    assert png.read_bytes().startswith(b"\x89PNG")
    assert "Nhập số liệu chỉ tiêu" in html.read_text(encoding="utf-8")


def test_names_are_sanitised() -> None:
    assert safe_name("tests/browser/test_x.py::test_y[Đắk Lắk]") == "tests-browser-test_x.py-test_y-Dak-Lak"
    assert safe_name("../..") == "page"


def test_axe_passes_the_good_page(page: Page, site: str) -> None:
    page.goto(f"{site}/good.html")
    result = assert_accessible(page, "tier-good")
    assert result["testEngine"]["version"] == "4.14.1"
    assert not [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
    report = artifacts_dir() / "tier-good.axe.json"
    assert json.loads(report.read_text(encoding="utf-8"))["url"] == f"{site}/good.html"


def test_axe_fails_the_bad_page_naming_each_rule(page: Page, site: str) -> None:
    page.goto(f"{site}/bad.html")
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, "tier-bad")
    message = str(failure.value)
    assert "- label (critical)" in message
    assert "- color-contrast (serious)" in message
    assert "at #so-ho" in message
    assert "at p" in message  # the pale paragraph
    saved = json.loads((artifacts_dir() / "tier-bad.axe.json").read_text(encoding="utf-8"))
    assert {"label", "color-contrast"} <= {v["id"] for v in saved["violations"]}


def test_axe_not_installed_is_a_clear_error(page: Page, site: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(support, "AXE_JS", AXE_JS.with_name("absent.min.js"))
    page.goto(f"{site}/good.html")
    with pytest.raises(support.AxeNotInstalled, match="run make setup"):
        assert_accessible(page, "tier-no-axe")


def test_transferred_bytes_counts_a_known_file(page: Page, site: str) -> None:
    transfer = transferred_bytes(page, lambda: page.goto(f"{site}/transfer.html"))
    assert page.evaluate("() => window.payloadLoaded") is True
    counted = transfer.by_url[f"{site}/payload.js"]
    assert PAYLOAD_SIZE <= counted <= PAYLOAD_SIZE * 1.03, counted  # the body and its response headers
    html_size = (FIXTURES / "transfer.html").stat().st_size
    assert html_size <= transfer.by_url[f"{site}/transfer.html"] <= html_size + 1_000
    assert transfer.total >= counted + html_size
