"""Which unit codes an answer carries, in any of the gateway's formats (for the access tests)."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import openpyxl

UNIT_HEADER = "Mã đơn vị"  # the unit column of CSV and XLSX exports (Vietnamese headers by default)


def _json_units(body: dict[str, Any]) -> set[str]:
    if "data" in body:  # SDMX-JSON: the values of the REF_AREA dimension
        dimensions = body["data"]["structures"][0]["dimensions"]["observation"]
        return {value["id"] for d in dimensions if d["id"] == "REF_AREA" for value in d["values"]}
    found = {o["unit_code"] for o in body.get("observations", []) + body.get("changes", [])}
    found |= {u["code"] for u in body.get("units", [])}  # completeness
    found |= {c["code"] for c in body.get("children") or []}  # drill-down
    return found


def _xlsx_units(content: bytes) -> set[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    header = [cell.value for cell in sheet[4]]
    column = header.index(UNIT_HEADER)
    return {str(row[column]) for row in sheet.iter_rows(min_row=5, values_only=True) if row[column] is not None}


def units_in(response: httpx.Response, fmt: str) -> set[str]:
    """Every unit code of the answer's figures (and listed units), read from the format it came in."""
    if fmt in ("json", "sdmx-json"):
        return _json_units(response.json())
    if fmt == "xlsx":
        return _xlsx_units(response.content)
    column = "REF_AREA" if fmt == "sdmx-csv" else UNIT_HEADER
    return {row[column] for row in csv.DictReader(io.StringIO(response.text.lstrip("\ufeff")))}
