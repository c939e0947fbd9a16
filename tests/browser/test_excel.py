"""The Excel pages in Chromium over the real stack: download the template of a unit and period, upload it with
three mistakes and see all three with sheet, row and cell; screenshots (desktop and 360 px) and accessibility."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.support.browser import assert_accessible, screenshot
from tests.support.portal import PortalStack, entry_official, portal_stack_of
from tests.support.portal import run_async as run
from tests.support.portal import sign_in_home as sign_in

UNIT, PERIOD, GROUP = "03241", "2024", "01"  # Sính Phình: no other test writes its cells
SHEET, FIRST_ROW = "Số liệu", 8


@pytest.fixture
def stack(request: pytest.FixtureRequest) -> PortalStack:
    return portal_stack_of(request)


def with_three_mistakes(path: Path, out: Path) -> set[str]:
    """The downloaded template with a word, a negative number and a "no data" without its reason; their cells."""
    book = load_workbook(io.BytesIO(path.read_bytes()))
    sheet = book[SHEET]
    rows = [n for n, row in enumerate(sheet.iter_rows(min_row=FIRST_ROW, values_only=True), start=FIRST_ROW)
            if row[0] == "0101" and row[3] is None and row[7] is None and row[9] is None]  # fmt: skip
    total, men, women = rows[:3]
    sheet[f"L{total}"], sheet[f"L{men}"], sheet[f"M{women}"] = "một nghìn", "-5", "x"
    book.save(out)
    return {f"L{total}", f"L{men}", f"{women}"}


@pytest.mark.parametrize("small", [False, True], ids=["desktop", "phone"])
def test_upload_a_template_with_three_mistakes_and_see_all_three(
    stack: PortalStack, page: Page, phone_page: Page, small: bool, tmp_path: Path
) -> None:
    tab = phone_page if small else page
    name = "phone" if small else "desktop"
    password = run(lambda: entry_official(stack, "nhaplieu.b4", UNIT))
    sign_in(tab, stack, "nhaplieu.b4", password)
    tab.goto(f"{stack.url}/excel?unit={UNIT}&period={PERIOD}&group={GROUP}")
    if small:
        assert tab.evaluate("() => document.documentElement.scrollWidth") <= 360
    screenshot(tab, f"excel-{name}")
    assert_accessible(tab, f"excel-{name}")
    with tab.expect_download() as download:
        tab.locator("#template-link").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    expected = with_three_mistakes(template, tmp_path / "filled.xlsx")
    tab.set_input_files("input[type=file]", str(tmp_path / "filled.xlsx"))
    tab.get_by_role("button", name="Tải lên và gửi").click()
    rows = tab.locator("#file-problems tbody tr")
    expect(rows).to_have_count(3)
    texts = rows.all_inner_texts()
    assert all(SHEET in t for t in texts), texts
    for ref in sorted(expected):
        assert any(ref in t for t in texts), (ref, texts)
    expect(tab.locator("#upload-problems")).to_contain_text("Tệp có 3 lỗi")
    screenshot(tab, f"excel-result-{name}")
    assert_accessible(tab, f"excel-result-{name}")
