"""Exported files never hand a spreadsheet a formula: CSV cells get a leading apostrophe, XLSX cells are text; both
import back unchanged."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from dantoc_catalog.domain.table_files import DEFAULT_LIMITS, FileFormat, decode_rows, encode_rows

DANGEROUS = ["=1+1", "+1+1", "-1-1", "@SUM(A1)", "\tx", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("cell", DANGEROUS)
def test_csv_cells_that_start_a_formula_get_an_apostrophe(cell: str) -> None:
    data = encode_rows([["code", "name"], ["0101", cell]], file_format=FileFormat.CSV, sheet="s")
    rows, problems, _ = decode_rows(data, sheet="s", widths={}, limits=DEFAULT_LIMITS)
    assert problems == []
    assert rows[1] == ["0101", cell]  # imports back as written
    assert data.decode().splitlines()[1].replace('"', "") in (f"0101,'{cell}".replace('"', ""),)


@pytest.mark.parametrize("cell", DANGEROUS)
def test_xlsx_cells_are_text_never_formulas(cell: str) -> None:
    data = encode_rows([["code", "name"], ["0101", cell]], file_format=FileFormat.XLSX, sheet="s")
    sheet = load_workbook(io.BytesIO(data))["s"]
    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].value == cell


@pytest.mark.parametrize("cell", ["0101", "a=b", "'quoted", "Nam"])
def test_ordinary_cells_are_untouched(cell: str) -> None:
    data = encode_rows([["name"], [cell]], file_format=FileFormat.CSV, sheet="s")
    assert decode_rows(data, sheet="s", widths={}, limits=DEFAULT_LIMITS)[0][1] == [cell]
