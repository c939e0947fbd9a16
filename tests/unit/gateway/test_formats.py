"""Renderers on literal figures: CSV, XLSX, SDMX-CSV, SDMX-JSON, and the SDMX structure messages."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

import openpyxl

from dantoc_contracts.codes import EthnicCodeList
from dantoc_gateway.domain.selection import Observation
from dantoc_gateway.formats.csv_out import render_csv
from dantoc_gateway.formats.sdmx_data import render_sdmx_csv, render_sdmx_json
from dantoc_gateway.formats.sdmx_ml import render_structure_ml
from dantoc_gateway.formats.sdmx_structure import render_structure_json
from dantoc_gateway.formats.table import FIGURE_COLUMNS, table_rows
from dantoc_gateway.formats.xlsx_out import HEADER_ROW, render_xlsx
from dantoc_gateway.services.labels import Labels
from dantoc_gateway.services.structure import codelists
from tests.support.gateway.literal import catalog_view

AT = datetime(2025, 1, 15, tzinfo=UTC)


def _obs(ethnic: str = "_T", value: str | None = "40", **changes: Any) -> Observation:
    base = Observation(
        "0403", "02", "province", "2024", ethnic, "_T", "_T", "_T", "FORMULA", value, "40", "160", 3, 3, 1, 1, 1, AT, AT
    )
    return base._replace(**changes)


def test_csv_has_vietnamese_headers_and_names() -> None:
    labels = Labels(catalog_view())
    body = render_csv(FIGURE_COLUMNS, table_rows([_obs("04")], labels, "vi"), "vi").decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads the Vietnamese text as UTF-8
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:4] == ["Mã chỉ tiêu", "Tên chỉ tiêu", "Mã đơn vị", "Đơn vị hành chính"]
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Đơn vị hành chính"] == "Tỉnh Hà Giang"
    assert (record["Dân tộc"], record["Giới tính"], record["Giá trị"]) == ("Hoa", "Tổng số", "40")
    assert (record["Tử số"], record["Mẫu số"], record["Chưa báo cáo"]) == ("40", "160", "1")


def test_export_in_the_gso_2008_list() -> None:
    labels = Labels(catalog_view(), EthnicCodeList.GSO_2008)
    cells = next(table_rows([_obs("04")], labels, "en"))
    assert cells[5:7] == ["06", "Hoa"]  # Hoa: 04 in GSO 1979, 06 in GSO 2008


def test_xlsx_is_ready_to_print() -> None:
    labels = Labels(catalog_view())
    body = render_xlsx(
        FIGURE_COLUMNS, table_rows([_obs(), _obs("08")], labels, "vi"), "vi", title="Tỷ lệ", subtitle="q"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    assert sheet["A1"].value == "Tỷ lệ"
    assert [c.value for c in sheet[HEADER_ROW]][:3] == ["Mã chỉ tiêu", "Tên chỉ tiêu", "Mã đơn vị"]
    assert sheet.cell(row=HEADER_ROW + 2, column=7).value == "HMông"
    assert sheet.cell(row=HEADER_ROW + 1, column=11).value == 40
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"


def test_sdmx_csv_rows_and_actions() -> None:
    labels = Labels(catalog_view(), EthnicCodeList.GSO_2008)
    rows = list(csv.DictReader(io.StringIO(render_sdmx_csv([_obs("04")], labels).decode())))
    assert rows[0]["STRUCTURE_ID"] == "VN_BDTTG:DF_DANTOC_GSO2008(1.0)"
    assert (rows[0]["ACTION"], rows[0]["ETHNIC_GROUP"], rows[0]["TIME_PERIOD"], rows[0]["OBS_VALUE"]) == (
        "I",
        "06",
        "2024",
        "40",
    )
    assert (rows[0]["OBS_STATUS"], rows[0]["NUMERATOR"], rows[0]["COMP_SILENT"]) == ("A", "40", "1")
    changes = [_obs(), _obs("08", value=None, deleted=True)]
    rows = list(csv.DictReader(io.StringIO(render_sdmx_csv(changes, Labels(catalog_view()), changes=True).decode())))
    assert [r["ACTION"] for r in rows] == ["M", "D"]


def test_sdmx_json_keys_observations_by_dimension_index() -> None:
    document = json.loads(render_sdmx_json([_obs(), _obs("08", value=None)], Labels(catalog_view())))
    structure = document["data"]["structures"][0]
    dimensions = structure["dimensions"]["observation"]
    assert [d["id"] for d in dimensions] == [
        "INDICATOR",
        "REF_AREA",
        "ETHNIC_GROUP",
        "SEX",
        "AGE",
        "RESIDENCE",
        "TIME_PERIOD",
    ]
    assert [v["id"] for v in dimensions[2]["values"]] == ["_T", "08"]
    observations = document["data"]["dataSets"][0]["observations"]
    assert observations["0:0:0:0:0:0:0"][0] == 40
    missing = observations["0:0:1:0:0:0:0"]
    status = structure["attributes"]["observation"][0]["values"][missing[1]]["id"]
    assert (missing[0], status) == (None, "M")


def test_structure_messages_carry_catalog_codelists() -> None:
    lists = codelists(catalog_view())
    document = json.loads(render_structure_json(lists, "2025-01-01T00:00:00Z"))
    found = {c["id"]: c for c in document["data"]["codelists"]}
    assert {"CL_INDICATOR", "CL_AREA", "CL_ETHNIC_GROUP", "CL_ETHNIC_GROUP_GSO2008", "CL_SEX", "CL_AGE"} <= set(found)
    hoa_2008 = next(c for c in found["CL_ETHNIC_GROUP_GSO2008"]["codes"] if c["name"] == "Hoa (Hán)")
    assert hoa_2008["id"] == "06"
    area = {c["id"]: c for c in found["CL_AREA"]["codes"]}
    assert area["00715"]["parent"] == "02"  # the newest version: the new map has no districts
    assert "2025-07-01/" in area["00715"]["annotations"][0]["text"]
    dsd = document["data"]["dataStructures"][1]
    dims = dsd["dataStructureComponents"]["dimensionList"]["dimensions"]
    assert dims[2]["localRepresentation"]["enumeration"].endswith("CL_ETHNIC_GROUP_GSO2008(1.0)")
    root = ET.fromstring(render_structure_ml(lists, "2025-01-01T00:00:00Z"))
    ns = {"s": "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/structure"}
    assert len(root.findall(".//s:DataStructure", ns)) == 2
    assert {c.get("id") for c in root.findall(".//s:Codelist", ns)} == {c["id"] for c in document["data"]["codelists"]}
