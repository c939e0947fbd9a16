"""Templates never carry a formula: text starting with `= + - @`, a tab or a CR is made inert, in CSV and XLSX."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from dantoc_contracts.cells import neutralised as neutral
from dantoc_contracts.codes import UnitLevel
from dantoc_contracts.periods import Period
from dantoc_ingest.domain.model import Content
from dantoc_ingest.domain.templates import TemplateSpec, applicable, template_rows
from dantoc_ingest.files.templates import render_csv, render_xlsx
from tests.support.ingest.catalog import catalog_view

CATALOG = catalog_view()
HOSTILE = '=HYPERLINK("http://x","bấm")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "+1"),  # a plain number cannot run: it stays as it is
        ("-1", "-1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Chưa điều tra", "Chưa điều tra"),
        ("a=b", "a=b"),
        (Decimal(-3), Decimal(-3)),  # numbers stay numbers
        (None, None),
    ],
)
def test_neutral(value: object, expected: object) -> None:
    assert neutral(value) == expected


def spec() -> TemplateSpec:
    indicators = applicable(CATALOG, Period.parse("2024"), UnitLevel.COMMUNE, "01")
    current = {("0104", "_T|_T|_T|_T"): Content(no_data=True, no_data_reason=HOSTILE)}
    rows = template_rows(CATALOG, indicators, [], "standard", current)
    return TemplateSpec("00715", "Xã Lũng Cú", "2024", "01", "@nhóm", "BDT-02", rows)


def test_csv_template_has_no_formula() -> None:
    rows = list(csv.reader(io.StringIO(render_csv(spec(), CATALOG).decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert f"'{HOSTILE}" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_xlsx_template_has_no_formula() -> None:
    book = load_workbook(io.BytesIO(render_xlsx(spec(), CATALOG)))
    values = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in values if c.data_type == "f"]
    assert f"'{HOSTILE}" in {c.value for c in values}
