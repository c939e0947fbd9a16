"""The Excel pages over the real stack: the template of a unit and period (ingest's XLSX through the portal), an
upload with three mistakes listing all three with sheet, row and cell, and a good upload shown in the grid."""

from __future__ import annotations

import html
import io
import re

import pytest
from openpyxl import load_workbook

from tests.support.portal import PortalStack, csrf_of, entry_official, signed_in

pytestmark = pytest.mark.timeout(300)

UNIT, PERIOD, GROUP = "03247", "2024", "01"  # Mường Đun: no other test writes its cells
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET, FIRST_ROW = "Số liệu", 8


def rows_of(book: bytes) -> dict[tuple[str, str | None, str | None], int]:
    """(indicator, sex, age group) → row of the template's data sheet, for the cells without an ethnic group."""
    sheet = load_workbook(io.BytesIO(book))[SHEET]
    found = {}
    for number, row in enumerate(sheet.iter_rows(min_row=FIRST_ROW, values_only=True), start=FIRST_ROW):
        if row[0] and row[3] is None and row[9] is None:
            found[(str(row[0]), None if row[5] is None else str(row[5]), None if row[7] is None else str(row[7]))] = (
                number
            )
    return found


def filled(book: bytes, cells: dict[str, str]) -> bytes:
    workbook = load_workbook(io.BytesIO(book))
    for ref, value in cells.items():
        workbook[SHEET][ref] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


async def test_template_download_then_three_mistakes_are_all_listed_then_a_good_file_fills_the_grid(
    portal_stack: PortalStack,
) -> None:
    password = await entry_official(portal_stack, "nhaplieu.b2", UNIT)
    async with signed_in(portal_stack, "nhaplieu.b2", password) as client:
        page = await client.get("/excel", params={"unit": UNIT, "period": PERIOD, "group": GROUP})
        assert page.status_code == 200, page.text
        link = re.search(r'id="template-link"[^>]*href="([^"]+)"', page.text) or re.search(
            r'href="([^"]+)"[^>]*id="template-link"', page.text
        )
        assert link, page.text
        template = await client.get(html.unescape(link.group(1)))
        assert template.status_code == 200, template.text
        assert template.headers["content-type"].startswith(XLSX)
        assert f"bieu-nhap-{UNIT}-{PERIOD}-{GROUP}.xlsx" in template.headers["content-disposition"]
        meta = {
            str(k): str(v) for k, v in load_workbook(io.BytesIO(template.content))["_meta"].iter_rows(values_only=True)
        }
        assert meta["unit_code"] == UNIT
        assert meta["period"] == PERIOD
        rows = rows_of(template.content)
        total, men, women = rows[("0101", None, None)], rows[("0101", "1", None)], rows[("0101", "2", None)]

        wrong = filled(template.content, {f"L{total}": "abc", f"L{men}": "-5", f"M{women}": "x"})
        csrf = csrf_of(page.text)
        files = {"file": ("bieu.xlsx", wrong, XLSX)}
        result = await client.post("/excel/tai-len", data={"csrf_token": csrf, "group": GROUP}, files=files)
        assert result.status_code == 422, result.text
        table = re.search(r'<table id="file-problems">(.*?)</table>', result.text, re.S)
        assert table
        listed = re.findall(r"<tr><td>([^<]*)</td><td class=\"num\">(\d*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>",
                            table.group(1))  # fmt: skip
        assert len(listed) == 3, listed
        assert {(s, int(r)) for s, r, _, _ in listed} == {(SHEET, total), (SHEET, men), (SHEET, women)}
        cells = {c for _, _, c, _ in listed}
        assert f"L{total}" in cells
        assert f"L{men}" in cells
        assert all(html.unescape(m) for _, _, _, m in listed)

        good = filled(template.content, {f"L{total}": "1.500", f"L{men}": "700", f"L{women}": "800"})
        accepted = await client.post(
            "/excel/tai-len", data={"csrf_token": csrf, "group": GROUP}, files={"file": ("bieu.xlsx", good, XLSX)}
        )
        assert accepted.status_code == 200, accepted.text
        assert 'id="upload-accepted"' in accepted.text
        grid_link = re.search(r'id="grid-link" href="([^"]+)"', accepted.text)
        assert grid_link
        grid = await client.get(html.unescape(grid_link.group(1)))
        assert grid.status_code == 200
        assert re.search(r'name="v:0101:_T\|_T\|_T\|_T"\s+value="1500"', grid.text)
        assert re.search(r'name="v:0101:_T\|2\|_T\|_T"\s+value="800"', grid.text)


async def test_a_template_outside_the_scope_is_refused_and_an_upload_needs_its_csrf_token(
    portal_stack: PortalStack,
) -> None:
    password = await entry_official(portal_stack, "nhaplieu.b2", UNIT)
    async with signed_in(portal_stack, "nhaplieu.b2", password) as client:
        outside = await client.get("/excel/mau", params={"unit": "03220", "period": PERIOD, "group": GROUP})
        assert outside.status_code == 403
        refused = await client.post("/excel/tai-len", files={"file": ("x.xlsx", b"PK", XLSX)})
        assert refused.status_code == 403
        page = await client.get("/excel")
        junk = await client.post(
            "/excel/tai-len", data={"csrf_token": csrf_of(page.text)}, files={"file": ("x.xlsx", b"not a file", XLSX)}
        )
        assert junk.status_code == 422
        assert 'id="upload-problems"' in junk.text
