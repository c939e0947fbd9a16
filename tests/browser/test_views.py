"""The view pages in Chromium over the real stack (issue 13): Việc cần làm (home), Tình hình báo cáo (completeness)
and Khai thác số liệu (explore), on a desktop and on a 360 px phone, and the 403 page outside the person's scope.

Each page: what a person must see on it, a screenshot kept under the artifacts folder, axe-core with no serious
violation, and on the phone nothing wider than the screen. Figures: `seed_views` (0101 of communes 03226 and 03229
of district 098 in VIEWS_PERIODS), read as huyen.tuachua, the reviewer of district 098."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Download, Locator, Page, expect

from tests.support.browser import assert_accessible, screenshot
from tests.support.portal import VIEWS_FIGURES, VIEWS_PERIODS, PortalStack, portal_stack_of, seed_views, sign_in_home

pytestmark = pytest.mark.timeout(300)

REVIEWER, ENTRY = "huyen.tuachua", "xa.huoiso"
DISTRICT, PERIOD, FIRST = "098", VIEWS_PERIODS[-1], VIEWS_PERIODS[0]
SEEDED = tuple(VIEWS_FIGURES)  # 03226 Tả Sìn Thàng, 03229 Lao Xả Phình
PHONE_WIDTH = 360
_SEEDED_STACKS: set[str] = set()


@pytest.fixture
def stack(request: pytest.FixtureRequest) -> PortalStack:
    return portal_stack_of(request)


@pytest.fixture
def seeded(stack: PortalStack) -> PortalStack:
    """The stack with the views' figures served by the gateway (sent once per stack; sending again changes nothing)."""
    if stack.url not in _SEEDED_STACKS:
        seed_views(stack)
        _SEEDED_STACKS.add(stack.url)
    return stack


def sign_in(page: Page, stack: PortalStack, username: str) -> None:
    sign_in_home(page, stack, username, stack.passwords[username])


def look(page: Page, name: str, *, phone: bool = False) -> None:
    """Keep a screenshot, run axe-core, and on a phone check that nothing is wider than the screen."""
    screenshot(page, name)
    assert_accessible(page, name)
    if phone:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH, f"{name}: the page is {width} px wide on a {PHONE_WIDTH} px phone"


def downloaded(page: Page, link: Locator) -> bytes:
    """The bytes of the file a click on `link` downloads."""
    with page.expect_download() as info:
        link.click()
    download: Download = info.value
    assert download.failure() is None, download.failure()
    return Path(download.path()).read_bytes()


def unit_order(page: Page) -> list[str]:
    return [code for code in page.locator("#units tbody tr").evaluate_all("rows => rows.map(r => r.dataset.unit)")]


# ---- Việc cần làm


def test_home_of_the_district_reviewer(page: Page, phone_page: Page, seeded: PortalStack) -> None:
    stack = seeded
    for device, view in (("desktop", page), ("phone", phone_page)):
        sign_in(view, stack, REVIEWER)
        expect(view.get_by_role("heading", name=re.compile("^Xin chào,"))).to_be_visible()
        expect(view.get_by_role("heading", name="Việc cần làm", exact=True)).to_be_visible()
        expect(view.get_by_text("Huyện Tủa Chùa (098)")).to_be_visible()
        review = view.get_by_role("region", name="Đơn vị cấp dưới chưa báo cáo")
        expect(review).to_be_visible()
        cards = review.locator(".card.review")
        expect(cards.first).to_be_visible()
        expect(cards.first.get_by_role("link", name=re.compile("^Xem tình hình báo cáo"))).to_be_visible()
        expect(view.get_by_role("region", name="Số liệu cần báo cáo")).to_have_count(0)  # a reviewer enters nothing
        look(view, f"views-home-reviewer-{device}", phone=device == "phone")
    phone_page.locator(".card.review").first.get_by_role("link", name=re.compile("^Xem tình hình báo cáo")).click()
    expect(phone_page).to_have_url(re.compile(r"/tinh-hinh-bao-cao\?unit=098&period=\d{4}&status=silent$"))
    expect(phone_page.get_by_role("heading", name="Tình hình báo cáo: Huyện Tủa Chùa")).to_be_visible()


def test_home_of_the_commune_official(page: Page, phone_page: Page, stack: PortalStack) -> None:
    """(The page asks ingest five things at once; on a cold ingest they once met its first JWKS fetch and four were
    refused: tests/unit/ingest/test_jwks.py keeps that fixed.)"""
    for device, view in (("desktop", page), ("phone", phone_page)):
        sign_in(view, stack, ENTRY)
        expect(view.get_by_role("heading", name=re.compile("^Xin chào,"))).to_be_visible()
        expect(view.get_by_text(re.compile(r"Phạm vi: Xã [^(]+ \(03220\)"))).to_be_visible()  # renamed in 2025
        entry = view.get_by_role("region", name="Số liệu cần báo cáo")
        expect(entry).to_be_visible()
        card = entry.locator(".card.period").first
        expect(card.get_by_role("heading", level=4)).to_contain_text(re.compile(r"Năm \d{4}"))
        expect(card.locator("tr[data-group='01']")).to_be_visible()
        link = card.locator("tr[data-group='01'] a")
        expect(link).to_have_attribute("href", re.compile(r"^/nhap-lieu\?unit=03220&period=\d{4}&group=01$"))
        expect(view.get_by_role("region", name="Đơn vị cấp dưới chưa báo cáo")).to_have_count(0)
        look(view, f"views-home-entry-{device}", phone=device == "phone")
    phone_page.locator(".card.period").first.locator("tr[data-group='01'] a").click()
    expect(phone_page).to_have_url(re.compile(r"/nhap-lieu\?unit=03220&period=\d{4}&group=01$"))
    expect(phone_page.locator("#entry-grid")).to_be_visible()


# ---- Tình hình báo cáo


def completeness_url(stack: PortalStack, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"unit": DISTRICT, "period": PERIOD, **params}.items())
    return f"{stack.url}/tinh-hinh-bao-cao?{query}"


def test_completeness_of_the_district(page: Page, phone_page: Page, seeded: PortalStack) -> None:
    sign_in(page, seeded, REVIEWER)
    page.goto(completeness_url(seeded, group="01"))
    expect(page.get_by_role("heading", name="Tình hình báo cáo: Huyện Tủa Chùa", level=1)).to_be_visible()
    table = page.locator("#units")
    expect(table.locator("thead")).to_contain_text("Nhóm 01")
    for code in SEEDED:
        row = table.locator(f"tr[data-unit='{code}']")
        expect(row).to_be_visible()
        expect(row).not_to_have_attribute("data-state", "silent")
        reported = row.locator("td").nth(1)  # Cấp, Đã báo cáo, ...
        assert int(reported.inner_text()) >= 1, f"{code}: {row.inner_text()}"
        expect(row.locator("td .badge")).to_have_text(re.compile(r"^[1-9]\d*/\d+$"))
    charts = page.locator("#charts-h + .chart-grid svg[role='img']")
    expect(charts).to_have_count(2)  # by group and by unit
    expect(charts.first).to_be_visible()
    look(page, "views-completeness-desktop")

    by_name = unit_order(page)
    page.get_by_role("link", name="Tỷ lệ đã báo cáo").click()
    expect(page).to_have_url(re.compile(r"sort=share"))
    by_share = unit_order(page)
    assert sorted(by_share) == sorted(by_name), (by_name, by_share)
    assert by_share != by_name, by_share
    shares = [_share(text) for text in table.locator("tbody tr td:nth-of-type(5)").all_inner_texts()]
    assert shares == sorted(shares), shares
    page.get_by_role("link", name="Tỷ lệ đã báo cáo").click()
    expect(page).to_have_url(re.compile(r"sort=-share"))
    shares = [_share(text) for text in table.locator("tbody tr td:nth-of-type(5)").all_inner_texts()]
    assert shares == sorted(shares, reverse=True), shares

    every = table.locator("tbody tr").count()
    filters = page.get_by_role("form", name="Bộ lọc")
    filters.get_by_label("Tình trạng").select_option(label="Đã báo cáo")
    filters.get_by_role("button", name="Xem").click()
    expect(page).to_have_url(re.compile(r"status=reported"))
    narrowed = unit_order(page)
    assert set(SEEDED) <= set(narrowed), narrowed
    assert len(narrowed) < every, (narrowed, every)
    expect(table.locator("tbody tr[data-state='silent']")).to_have_count(0)

    csv_link = page.locator("a[href^='/tinh-hinh-bao-cao/tai-ve?'][href*='format=csv']")
    csv = downloaded(page, csv_link).decode("utf-8-sig")
    for code in SEEDED:
        assert code in csv, csv[:500]
    assert "Đã báo cáo" in csv, csv[:500]

    table.locator(f"tr[data-unit='{SEEDED[0]}']").get_by_role("link", name="Khai thác").click()
    expect(page).to_have_url(re.compile(rf"/khai-thac\?unit={SEEDED[0]}&period={PERIOD}$"))
    expect(page.get_by_role("heading", name="Khai thác số liệu: Xã Tả Sìn Thàng", level=1)).to_be_visible()

    sign_in(phone_page, seeded, REVIEWER)
    phone_page.goto(completeness_url(seeded, group="01"))
    expect(phone_page.locator(f"#units tr[data-unit='{SEEDED[1]}']")).to_be_attached()
    expect(phone_page.locator("#charts-h + .chart-grid svg[role='img']").first).to_be_visible()
    look(phone_page, "views-completeness-phone", phone=True)
    name = phone_page.locator(f"#units tr[data-unit='{SEEDED[1]}'] th")
    name.scroll_into_view_if_needed()
    start = name.bounding_box()
    phone_page.locator("#units").locator("xpath=..").evaluate("wrap => { wrap.scrollLeft = wrap.scrollWidth; }")
    expect(phone_page.locator(f"#units tr[data-unit='{SEEDED[1]}'] td a", has_text="Khai thác")).to_be_in_viewport()
    assert start is not None
    assert name.bounding_box() == start  # the unit's name stays while its figures scroll
    screenshot(phone_page, "views-completeness-phone-scrolled")


def _share(text: str) -> float:
    return float(text.removesuffix("%").strip().replace(".", "").replace(",", "."))


# ---- Khai thác số liệu


def explore_url(stack: PortalStack, unit: str) -> str:
    return f"{stack.url}/khai-thac?indicator=0101&unit={unit}&period={PERIOD}&from={FIRST}&to={PERIOD}"


def test_explore_the_district_and_a_commune(page: Page, phone_page: Page, seeded: PortalStack) -> None:
    sign_in(page, seeded, REVIEWER)
    page.goto(explore_url(seeded, DISTRICT))
    expect(page.get_by_role("heading", name="Khai thác số liệu: Huyện Tủa Chùa", level=1)).to_be_visible()
    drill = page.locator("#drilldown")
    expect(drill.locator("tr[data-code='03226'] td")).to_have_text("1.500")
    expect(drill.locator("tr[data-code='03229'] td")).to_have_text("2.700")
    expect(page.locator("section[aria-labelledby='series-h'] svg[role='img'] polyline")).to_have_count(1)
    expect(page.locator("section[aria-labelledby='drill-h'] svg[role='img'] rect[data-value='2.700']")).to_be_visible()
    look(page, "views-explore-district-desktop")

    section = page.locator("section[aria-labelledby='drill-h']")
    csv = downloaded(page, section.get_by_role("link", name="CSV")).decode("utf-8-sig")
    for code, value in VIEWS_FIGURES.items():
        assert code in csv, csv[:500]
        assert re.search(rf"\b{value // 1000}\.?{value % 1000:03d}\b", csv), csv[:500]
    xlsx = downloaded(page, section.get_by_role("link", name="XLSX"))
    assert xlsx[:2] == b"PK", xlsx[:20]

    page.locator("nav.children").get_by_role("link", name="Xã Lao Xả Phình").click()
    expect(page.get_by_role("heading", name="Khai thác số liệu: Xã Lao Xả Phình", level=1)).to_be_visible()
    series = page.locator("#series")
    expect(series.locator(f"tr[data-code='{FIRST}'] td")).to_have_text("2.430")
    expect(series.locator(f"tr[data-code='{PERIOD}'] td")).to_have_text("2.700")
    expect(page.locator("#comparison tr[data-code='02'] td")).to_have_text("1.620")  # 60 % Tày
    line = page.locator("section[aria-labelledby='series-h'] svg[role='img']")
    expect(line.locator("polyline")).to_have_count(1)
    expect(page.locator("section[aria-labelledby='ethnic-h'] svg[role='img'] rect[data-value]")).to_have_count(2)
    look(page, "views-explore-commune-desktop")
    series_csv = page.locator("section[aria-labelledby='series-h']").get_by_role("link", name="CSV")
    text = downloaded(page, series_csv).decode("utf-8-sig")
    assert "03229" in text, text[:500]
    assert re.search(r"\b2\.?700\b", text), text[:500]

    sign_in(phone_page, seeded, REVIEWER)
    phone_page.goto(explore_url(seeded, SEEDED[1]))
    expect(phone_page.locator(f"#series tr[data-code='{PERIOD}'] td")).to_have_text("2.700")
    expect(phone_page.locator("section[aria-labelledby='series-h'] svg[role='img']")).to_be_visible()
    look(phone_page, "views-explore-commune-phone", phone=True)
    phone_page.goto(explore_url(seeded, DISTRICT))
    expect(phone_page.locator("#drilldown tr[data-code='03229'] td")).to_have_text("2.700")
    look(phone_page, "views-explore-district-phone", phone=True)


# ---- outside the scope: the 403 page

OUTSIDE = {
    "completeness-hanoi": f"/tinh-hinh-bao-cao?unit=01&period={PERIOD}",
    "explore-hanoi-commune": f"/khai-thac?indicator=0101&unit=00001&period={PERIOD}",
    "explore-dienbien-city": f"/khai-thac?indicator=0101&unit=094&period={PERIOD}",
    "entry-hanoi-commune": f"/nhap-lieu?unit=00001&period={PERIOD}&group=01",
}


@pytest.mark.parametrize("name", list(OUTSIDE))
def test_the_district_reviewer_outside_the_district_gets_the_403_page(
    phone_page: Page, stack: PortalStack, name: str
) -> None:
    sign_in(phone_page, stack, REVIEWER)
    answer = phone_page.goto(stack.url + OUTSIDE[name])
    assert answer is not None
    assert answer.status == 403, answer.status
    expect(phone_page.get_by_role("heading", name="Không có quyền truy cập", level=1)).to_be_visible()
    expect(phone_page.get_by_role("link", name="Về trang chủ")).to_be_visible()
    assert "Traceback" not in phone_page.content()
    look(phone_page, f"views-403-{name}-phone", phone=True)


def test_a_commune_official_outside_the_commune_gets_the_403_page(phone_page: Page, stack: PortalStack) -> None:
    sign_in(phone_page, stack, ENTRY)
    answer = phone_page.goto(f"{stack.url}/nhap-lieu?unit=03226&period={PERIOD}&group=01")  # a neighbour commune
    assert answer is not None
    assert answer.status == 403, answer.status
    expect(phone_page.get_by_role("heading", name="Không có quyền truy cập", level=1)).to_be_visible()
    expect(phone_page.get_by_text("Đơn vị này nằm ngoài phạm vi của bạn.")).to_be_visible()
    look(phone_page, "views-403-entry-neighbour-phone", phone=True)
