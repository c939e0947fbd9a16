"""The browser tier's helpers: Debian's Chromium driven by Playwright (sync API), screenshots, axe-core accessibility
checks, and the bytes a navigation moves on the wire.

- `launch_chromium(playwright)`: headless Chromium from `DANTOC_CHROMIUM` (default `/usr/bin/chromium`) with the flags
  this machine needs, in a fresh temporary profile;
- `new_context(browser)` / `phone_context(browser)`: a Vietnamese desktop context, or a 360x740 mobile one;
- `screenshot(page, name)`, `dump_page(page, name)`: PNGs (and the HTML) under `artifacts_dir()`;
- `assert_accessible(page, name)`: axe-core from `tests/browser/node_modules` (installed by `make setup`), failing
  on every serious or critical violation; the full axe result is written beside the screenshots;
- `transferred_bytes(page, action)`: the bytes on the wire (compressed, headers included) per URL during `action`.

The pytest fixtures that use these are in `tests/browser/conftest.py`.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, CDPSession, Page, Playwright

REPO = Path(__file__).resolve().parents[2]
AXE_JS = REPO / "tests/browser/node_modules/axe-core/axe.min.js"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
DEFAULT_ARTIFACTS = REPO / ".local/test-artifacts/screenshots"

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""Headless, no sandbox (containers), no GPU, no QUIC, and no traffic of the browser's own (first run, background
networking, component updates, sync), so that what a page loads is all that is on the wire."""

LOCALE = "vi-VN"
TIMEZONE = "Asia/Ho_Chi_Minh"
PHONE_VIEWPORT = {"width": 360, "height": 740}
DEFAULT_TIMEOUT_MS = 15_000
"""Playwright's waits fail after this long (its default, 30 s, makes a broken page a slow failure)."""

FAILING_IMPACTS = frozenset({"serious", "critical"})


def chromium_executable() -> str:
    return os.environ.get("DANTOC_CHROMIUM", DEFAULT_CHROMIUM)


def launch_chromium(playwright: Playwright) -> Browser:
    """Headless Chromium from `DANTOC_CHROMIUM` (default Debian's `/usr/bin/chromium`), not Playwright's download.

    The profile is a fresh temporary user-data dir: Playwright makes one for every non-persistent launch
    (`playwright_chromiumdev_profile-*` under the temporary directory, passed as `--user-data-dir`) and removes it
    when the browser closes; Playwright refuses a `--user-data-dir` argument of ours for `launch()`.
    """
    executable = chromium_executable()
    if not Path(executable).is_file():
        raise FileNotFoundError(f"no Chromium at {executable} (DANTOC_CHROMIUM): run make setup")
    return playwright.chromium.launch(
        executable_path=executable,
        headless=True,
        chromium_sandbox=False,
        args=list(CHROMIUM_ARGS),
    )


def new_context(browser: Browser, **options: Any) -> BrowserContext:
    """A browsing context as a Vietnamese official's: locale `vi-VN`, time zone `Asia/Ho_Chi_Minh`; `options` are
    Playwright's `new_context` options (they override these)."""
    context = browser.new_context(**{"locale": LOCALE, "timezone_id": TIMEZONE, **options})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context


def phone_context(browser: Browser, **options: Any) -> BrowserContext:
    """A phone's context: a 360x740 viewport, mobile (the meta viewport applies) and touch, same locale and zone."""
    phone = {"viewport": PHONE_VIEWPORT, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
    return new_context(browser, **{**phone, **options})


def artifacts_dir() -> Path:
    """Where screenshots, page dumps and axe reports go: `DANTOC_TEST_ARTIFACTS` or `.local/test-artifacts/screenshots/`
    under the repository (created)."""
    configured = os.environ.get("DANTOC_TEST_ARTIFACTS")
    directory = Path(configured) if configured else DEFAULT_ARTIFACTS
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def safe_name(name: str) -> str:
    """A file name from any text (a test id, Vietnamese words): ASCII letters, digits, `.`, `_` and `-` only."""
    folded = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_only = folded.encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_only).strip("-.")
    return cleaned[:150] or "page"


def write_artifact(name: str, data: bytes) -> Path:
    """`<artifacts>/<name>`, written whole (a temporary file renamed into place: a reader, or another run writing the
    same name, never sees half a file); its path."""
    path = artifacts_dir() / name
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)
    return path


def screenshot(page: Page, name: str) -> Path:
    """A full-page PNG of `page` as `<artifacts>/<name>.png` (name sanitised); its path."""
    return write_artifact(f"{safe_name(name)}.png", page.screenshot(full_page=True))


def dump_page(page: Page, name: str) -> list[Path]:
    """A screenshot and the page's HTML (`<name>.png`, `<name>.html`), for a failed test; the paths written."""
    return [screenshot(page, name), write_artifact(f"{safe_name(name)}.html", page.content().encode("utf-8"))]


class AxeNotInstalled(RuntimeError):
    pass


def load_axe(page: Page) -> None:
    """Put axe-core into the page. Evaluated through the DevTools protocol rather than added as a `<script>`, so that
    a page's Content-Security-Policy (the portal's forbids inline scripts) does not stop it."""
    if not AXE_JS.is_file():
        raise AxeNotInstalled(f"axe-core is not installed ({AXE_JS.relative_to(REPO)} is missing): run make setup")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(f"{AXE_JS.read_text(encoding='utf-8')}\n;undefined")
    if not page.evaluate("() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"):
        raise AxeNotInstalled(f"axe-core did not load into {page.url}")


def axe_run(page: Page) -> dict[str, Any]:
    """axe-core's full result for the page's document (`axe.run(document)`)."""
    load_axe(page)
    result: dict[str, Any] = page.evaluate("async () => JSON.parse(JSON.stringify(await axe.run(document)))")
    return result


def failing_violations(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for v in result.get("violations", []) if v.get("impact") in FAILING_IMPACTS]


def describe_violations(violations: Iterable[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [_target_text(node.get("target", [])) for node in violation.get("nodes", [])]
        impact, help_text, url = violation.get("impact"), violation.get("help"), violation.get("helpUrl")
        lines.append(f"- {violation['id']} ({impact}): {help_text}; {url}")
        lines += [f"    at {target}" for target in targets]
    return "\n".join(lines)


def _target_text(target: list[Any]) -> str:
    """An axe target: a list of selectors, each a string or (through frames and shadow roots) a list of strings."""
    return " >> ".join(" ".join(part) if isinstance(part, list) else str(part) for part in target)


def assert_accessible(page: Page, name: str) -> dict[str, Any]:
    """Run axe-core on the page; write its full result to `<artifacts>/<name>.axe.json`; fail (AssertionError)
    listing every violation of impact serious or critical: rule id, impact, help and the target selectors."""
    result = axe_run(page)
    report = write_artifact(f"{safe_name(name)}.axe.json", json.dumps(result, ensure_ascii=False, indent=1).encode())
    failing = failing_violations(result)
    if failing:
        raise AssertionError(
            f"{len(failing)} serious or critical accessibility violation(s) on {page.url} (report: {report}):\n"
            + describe_violations(failing)
        )
    return result


@dataclass
class Transfer:
    """Bytes received on the wire during an action, as Chromium counts them (`Network.loadingFinished`'s
    `encodedDataLength`: compressed bodies, response headers included), in total and per URL (summed over repeats,
    redirect responses included under their own URL)."""

    by_url: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_url.values())

    def add(self, url: str, size: float) -> None:
        if url.startswith(("data:", "blob:")):
            return
        self.by_url[url] = self.by_url.get(url, 0) + int(size)


def transferred_bytes(page: Page, action: Callable[[], object], *, timeout: float = 15.0) -> Transfer:
    """Run `action` (say `lambda: page.goto(url)`) and count the bytes of every response received meanwhile; waits,
    after the action, until every request it started has finished or failed (no fixed sleep)."""
    cdp = page.context.new_cdp_session(page)
    transfer = Transfer()
    urls: dict[str, str] = {}
    pending: set[str] = set()

    def sent(event: dict[str, Any]) -> None:
        redirect = event.get("redirectResponse")
        if redirect is not None:
            transfer.add(redirect["url"], redirect.get("encodedDataLength", 0))
        urls[event["requestId"]] = event["request"]["url"]
        pending.add(event["requestId"])

    def finished(event: dict[str, Any]) -> None:
        request = event["requestId"]
        pending.discard(request)
        if request in urls:
            transfer.add(urls[request], event["encodedDataLength"])

    def failed(event: dict[str, Any]) -> None:
        pending.discard(event["requestId"])

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.loadingFailed", failed)
    cdp.send("Network.enable")
    try:
        action()
        page.wait_for_load_state("load")
        _settle(page, cdp, pending, timeout)
    finally:
        cdp.detach()
    return transfer


def _settle(page: Page, cdp: CDPSession, pending: set[str], timeout: float) -> None:
    """Wait until no request is pending. A protocol round trip first: the events Chromium sent before its answer
    have been delivered by then; requests still in flight are polled for, until the deadline."""
    deadline = time.monotonic() + timeout
    cdp.send("Runtime.evaluate", {"expression": "0"})
    while pending:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(pending)} request(s) still loading after {timeout:.0f} s")
        page.wait_for_timeout(20)
        cdp.send("Runtime.evaluate", {"expression": "0"})
