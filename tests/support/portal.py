"""The portal over the real system: the four services and the portal as processes, the services verifying the
portal's tokens through its JWKS (as `make up` runs them), and the demo accounts with their passwords.

One such stack serves a whole test session (`portal_stack` in tests/conftest.py): starting five processes is the
expensive part, and each test signs in as its own demo account or creates its own."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.support.infra import free_port
from tests.support.stack import SERVICES, Stack, base_env, serve, service_env, wait_ready

DEMO_ACCOUNTS = ("xa.huoiso", "huyen.tuachua", "tinh.dienbien", "trunguong", "quantri")


@dataclass
class PortalStack:
    stack: Stack
    passwords: dict[str, str]

    @property
    def url(self) -> str:
        return self.stack.services["portal"].url

    def service_url(self, name: str) -> str:
        return self.stack.services[name].url

    def stop(self) -> None:
        self.stack.stop()


def start_portal_stack(
    directory: Path, kafka: str, namespace: str, timeout: float = 240, databases: Mapping[str, str] | None = None
) -> PortalStack:
    """The portal first (its JWKS is what the others verify with), then the four services; every one ready. Each on
    a SQLite file unless `databases` gives its URL."""
    directory.mkdir(parents=True, exist_ok=True)
    env = base_env(directory, kafka, namespace)
    stack = Stack(directory, kafka, namespace, env, databases=dict(databases or {}))
    portal_port = free_port()
    jwks = f"http://127.0.0.1:{portal_port}/.well-known/jwks.json"
    ports = {name: free_port() for name in SERVICES}
    portal_env = {
        **service_env("portal", portal_port, stack),
        **{f"DANTOC_PORTAL_{n.upper()}_URL": f"http://127.0.0.1:{p}" for n, p in ports.items() if n != "aggregate"},
    }
    try:
        stack.services["portal"] = serve("portal", portal_port, portal_env, directory, directory / "portal.log")
        wait_ready([stack.services["portal"]], timeout)
        for name in SERVICES:
            service = {**service_env(name, ports[name], stack), "DANTOC_JWT_JWKS_URL": jwks}
            service.pop("DANTOC_JWT_PUBLIC_KEY_FILE", None)
            stack.services[name] = serve(name, ports[name], service, directory, directory / f"{name}.log")
        wait_ready(stack.services.values(), timeout)
        passwords_file = directory / "demo-accounts.json"
        command = [sys.executable, "-m", "dantoc_portal", "demo-accounts", "--passwords", str(passwords_file)]
        subprocess.run(command, env=portal_env, cwd=directory, check=True, capture_output=True, timeout=120)
    except BaseException:
        stack.stop()
        raise
    return PortalStack(stack, json.loads(passwords_file.read_text()))


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = CSRF.search(html)
    assert found, f"no CSRF token in: {html[:300]}"
    return found.group(1)


@asynccontextmanager
async def signed_in(
    portal: PortalStack, username: str, password: str | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client signed in to the portal as `username` (a demo account's password unless given)."""
    async with httpx.AsyncClient(base_url=portal.url, timeout=60) as client:
        form = await client.get("/dang-nhap")
        secret = password or portal.passwords[username]
        answer = await client.post(
            "/dang-nhap", data={"username": username, "password": secret, "csrf_token": csrf_of(form.text)}
        )
        assert answer.status_code == 303, answer.text
        yield client


def sign_in_page(page: Page, base_url: str, username: str, password: str) -> None:
    """Sign in through the portal's form, as a person would (the page ends where the portal sends it)."""
    page.goto(f"{base_url}/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state("domcontentloaded")


# ---- the views' figures (helper C): home, completeness and explore tests

VIEWS_FIGURES = {"03226": 1500, "03229": 2700}
"""0101 of two communes of district 098 in 2023 (90 % of it in 2022), 60 % Tày (02) and 40 % Hoa (04)."""
VIEWS_PERIODS = ("2022", "2023")


def seed_views(portal: PortalStack, timeout: float = 60) -> None:
    """Submit the views' figures through ingest with a national token (fixed submission ids: sending them again
    changes nothing) and wait until the gateway serves every one of them."""
    import time

    token = portal.stack.token()
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(timeout=30, headers=headers) as client:
        for unit, total in VIEWS_FIGURES.items():
            for period in VIEWS_PERIODS:
                value = total if period == "2023" else total * 9 // 10
                body = {
                    "submission_id": f"views-{unit}-{period}",
                    "agency": "BDTTG",
                    "unit_code": unit,
                    "period": period,
                    "values": [
                        {"indicator": "0101", "value": value},
                        *(
                            {"indicator": "0101", "disaggregation": _ethnic(code), "value": value * share // 10}
                            for code, share in (("02", 6), ("04", 4))
                        ),
                        {"indicator": "0104", "no_data": True, "no_data_reason": "Chưa điều tra"},
                    ],
                }  # fmt: skip
                answer = client.post(portal.service_url("ingest") + "/submissions", json=body)
                assert answer.status_code == 200, answer.text
        params = {"indicator": "0101", "unit": ",".join(VIEWS_FIGURES), "period": ",".join(VIEWS_PERIODS)}
        deadline = time.monotonic() + timeout
        while True:
            found = client.get(portal.service_url("gateway") + "/v1/values", params=params)
            served = [o for o in found.json().get("observations", []) if o.get("value") is not None]
            if found.status_code == 200 and len(served) == len(VIEWS_FIGURES) * len(VIEWS_PERIODS):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"the gateway does not serve the views' figures: {found.text[:500]}")
            time.sleep(0.1)


def _ethnic(code: str) -> dict[str, object]:
    return {"ethnic_group": {"code_list": "GSO1979", "code": code}}


_OFFICIALS: dict[tuple[str, str], str] = {}


async def entry_official(portal: PortalStack, username: str, unit_code: str, agency: str = "BDT-11") -> str:
    """The password of a data-entry account of `unit_code` (created by tinh.dienbien, its first password changed),
    made once per stack: tests that write cells use their own unit so as not to collide with others."""
    known = _OFFICIALS.get((portal.url, username))
    if known is not None:
        return known
    async with signed_in(portal, "tinh.dienbien") as admin:
        listing = await admin.get("/tai-khoan")
        form = {
            "csrf_token": csrf_of(listing.text),
            "username": username,
            "display_name": f"Cán bộ {username}",
            "role": "entry",
            "unit_code": unit_code,
            "agency": agency,
        }
        created = await admin.post("/tai-khoan", data=form)
        assert created.status_code == 200, created.text
        found = re.search(r'class="secret">([^<]+)<', created.text)
        assert found, created.text
    temporary, password = found.group(1), f"Sổ số liệu xã {unit_code} năm 2026!"
    async with signed_in(portal, username, temporary) as official:
        change = await official.get("/doi-mat-khau")
        changed = await official.post(
            "/doi-mat-khau",
            data={
                "csrf_token": csrf_of(change.text),
                "old_password": temporary,
                "new_password": password,
                "new_password_again": password,
            },
        )
        assert changed.status_code == 303, changed.text
    _OFFICIALS[(portal.url, username)] = password
    return password


def portal_stack_of(request: pytest.FixtureRequest) -> PortalStack:
    """The session's `portal_stack` for a sync (Playwright) test. Playwright's sync API leaves its event loop marked
    as running in the main thread, so pytest-asyncio can neither set the async fixture up nor tear it down while a
    browser is open: the mark is lifted while it is set up and, at the end of the session, while it is torn down
    (the Playwright loop is suspended then), and put back each time."""
    running = asyncio._get_running_loop()
    request.session.addfinalizer(lambda: asyncio._set_running_loop(running))  # runs after the stack's teardown
    asyncio._set_running_loop(None)
    try:
        stack: PortalStack = request.getfixturevalue("portal_stack")
    finally:
        asyncio._set_running_loop(running)
    request.session.addfinalizer(lambda: asyncio._set_running_loop(None))  # runs before it
    return stack


T = TypeVar("T")


def run_async(make: Callable[[], Awaitable[T]]) -> T:
    """An async helper from a sync (Playwright) test: in a thread of its own, away from any running loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()  # type: ignore[arg-type]


def sign_in_home(page: Page, portal: PortalStack, username: str, password: str) -> None:
    page.goto(f"{portal.url}/dang-nhap")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{portal.url}/")
