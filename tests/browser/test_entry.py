"""The data-entry page in Chromium over the real stack: sign in, type a group of values with the keyboard (one
wrong), see the Vietnamese message beside the cell, fix it, submit, see the value served by the gateway; the draft
kept in the browser across a reload; screenshots (desktop and 360 px), accessibility, and the first load's weight."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import assert_accessible, screenshot, transferred_bytes
from tests.support.kafka import eventually
from tests.support.portal import PortalStack, entry_official, portal_stack_of, run_async, sign_in_home

UNIT, PERIOD, GROUP = "03238", "2024", "01"  # Trung Thu: no other test writes its cells
PAGE_BUDGET = 150 * 1024
TOTAL_ID, MEN_ID, WOMEN_ID = "#c-0101-T-T-T-T", "#c-0101-T-1-T-T", "#c-0101-T-2-T-T"


@pytest.fixture
def stack(request: pytest.FixtureRequest) -> PortalStack:
    return portal_stack_of(request)


def grid_url(portal: PortalStack) -> str:
    return f"{portal.url}/nhap-lieu?unit={UNIT}&period={PERIOD}&group={GROUP}"


def test_enter_a_group_with_one_wrong_value_fix_it_submit_and_the_gateway_serves_it(
    page: Page, stack: PortalStack
) -> None:
    password = run_async(lambda: entry_official(stack, "nhaplieu.b3", UNIT))
    sign_in_home(page, stack, "nhaplieu.b3", password)
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")  # a first load: no stylesheet or script kept
    transfer = transferred_bytes(page, lambda: page.goto(grid_url(stack)))
    print(f"data-entry page first load (cold cache): {transfer.total} bytes on the wire, {transfer.by_url}")
    assert any(url.endswith("/static/portal.css") for url in transfer.by_url), transfer.by_url
    assert transfer.total <= PAGE_BUDGET, transfer.by_url
    expect(page.locator("#entry-grid")).to_be_visible()
    screenshot(page, "entry-grid-desktop")
    assert_accessible(page, "entry-grid-desktop")

    page.locator(TOTAL_ID).click()
    page.keyboard.type("1.520")
    page.keyboard.press("Enter")  # Enter moves on, like Tab
    expect(page.locator(MEN_ID)).to_be_focused()
    page.keyboard.type("7OO")
    page.keyboard.press("Enter")
    expect(page.locator(WOMEN_ID)).to_be_focused()
    page.keyboard.type("820")
    page.reload()  # nothing typed is lost: the browser's copy is put back
    expect(page.locator("#restored-note")).to_be_visible()
    expect(page.locator(MEN_ID)).to_have_value("7OO")

    page.get_by_role("button", name="Lưu và kiểm tra").click()
    message = page.locator(f"{MEN_ID}-msg")
    expect(message).to_contain_text("không phải là một số")
    expect(page.locator(MEN_ID)).to_have_attribute("aria-invalid", "true")
    expect(page.locator(TOTAL_ID)).to_have_value("1.520")
    screenshot(page, "entry-grid-problem-desktop")
    assert_accessible(page, "entry-grid-problem-desktop")

    page.locator(MEN_ID).fill("700")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#entry-notice")).to_contain_text("Đã gửi báo cáo: 3 giá trị được chấp nhận")
    expect(page.locator(TOTAL_ID)).to_have_value("1520")
    screenshot(page, "entry-grid-submitted-desktop")
    assert_accessible(page, "entry-grid-submitted-desktop")

    token = stack.stack.token()

    async def served() -> Any:
        async with httpx.AsyncClient(timeout=10) as client:
            answer = await client.get(
                stack.service_url("gateway") + "/v1/values",
                params={"indicator": "0101", "unit": UNIT, "period": PERIOD},
                headers={"Authorization": f"Bearer {token}"},
            )
        body = answer.json() if answer.status_code == 200 else {}
        return [
            o
            for o in body.get("observations", [])
            if o.get("ethnic_group") == "_T" and o.get("sex") == "_T" and o.get("value") == 1520
        ]

    assert run_async(lambda: eventually(served, timeout=30))

    page.locator(f"{TOTAL_ID}-info a").click()
    expect(page.locator("#history")).to_contain_text("portal:nhaplieu.b3")
    screenshot(page, "entry-history-desktop")
    assert_accessible(page, "entry-history-desktop")

    page.get_by_role("button", name="Đăng xuất").click()  # the district's reviewer sees the commune counted
    sign_in_home(page, stack, "huyen.tuachua", stack.passwords["huyen.tuachua"])
    assert reported_on_completeness(page, stack) >= 1


def reported_on_completeness(page: Page, stack: PortalStack, timeout: float = 30) -> int:
    """The commune's "reported" count on the district's completeness page for the group, once it is not zero (the
    gateway counts what the aggregate publishes: the page is opened again until then)."""
    url = f"{stack.url}/tinh-hinh-bao-cao?unit=098&period={PERIOD}&group={GROUP}"
    deadline = time.monotonic() + timeout
    while True:
        page.goto(url)
        row = page.locator(f"#units tr[data-unit='{UNIT}']")
        expect(row).to_be_visible()
        reported = int(row.locator("td").nth(1).inner_text())  # Cấp, Đã báo cáo, ...
        if reported >= 1 or time.monotonic() > deadline:
            return reported
        page.wait_for_timeout(200)  # a poll's interval, as tests.support.kafka.eventually's


def test_the_entry_page_on_a_phone(phone_page: Page, stack: PortalStack) -> None:
    password = run_async(lambda: entry_official(stack, "nhaplieu.b3", UNIT))
    sign_in_home(phone_page, stack, "nhaplieu.b3", password)
    phone_page.goto(grid_url(stack))
    expect(phone_page.locator("#entry-grid")).to_be_visible()
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide on a 360 px phone"
    for cell in (TOTAL_ID, MEN_ID, WOMEN_ID):  # the cells stack, each in view without scrolling sideways
        box = phone_page.locator(cell).bounding_box()
        assert box is not None, cell
        assert 0 <= box["x"] <= box["x"] + box["width"] <= 360, (cell, box)
    screenshot(phone_page, "entry-grid-phone")
    assert_accessible(phone_page, "entry-grid-phone")
    phone_page.goto(f"{stack.url}/nhap-lieu/lich-su?unit={UNIT}&period={PERIOD}&indicator=0101&key=_T|_T|_T|_T")
    screenshot(phone_page, "entry-history-phone")
    assert_accessible(phone_page, "entry-history-phone")
