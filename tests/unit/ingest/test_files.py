"""File formats: the XLSX template round trip, CSV in the same columns, and SDMX-CSV."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from dantoc_contracts.codes import UnitLevel
from dantoc_contracts.periods import Period
from dantoc_ingest.domain.model import CellAction, Content
from dantoc_ingest.domain.templates import TemplateSpec, applicable, combinations, template_rows
from dantoc_ingest.domain.validation import check_submission
from dantoc_ingest.files.readers import read_csv, read_xlsx
from dantoc_ingest.files.sdmx import read_sdmx_csv
from dantoc_ingest.files.templates import FIRST_ROW, render_csv, render_xlsx
from dantoc_ingest.services.uploads import Upload, UploadProblems, detect, drafts_from_upload
from tests.support.ingest.catalog import catalog_view

CATALOG = catalog_view()
PERIOD = Period.parse("2024")


def spec(ethnic: list[str], current: dict[tuple[str, str], Content] | None = None) -> TemplateSpec:
    indicators = applicable(CATALOG, PERIOD, UnitLevel.COMMUNE, "01")
    rows = template_rows(CATALOG, indicators, ethnic, "standard", current or {})
    return TemplateSpec("00715", "Xã Lũng Cú", "2024", "01", "Người DTTS", "BDT-02", rows)


def test_standard_breakdown_offers_totals_each_dimension_and_ethnic_by_sex() -> None:
    cats = {"ethnic_group": ["02", "08"], "sex": ["1", "2"], "age_group": ["Y0T4"], "residence": ["1", "2"]}
    rows = combinations(["ethnic_group", "sex", "age_group", "residence"], cats, "standard")
    assert rows[:4] == [{}, {"sex": "1"}, {"sex": "2"}, {"ethnic_group": "02"}]
    assert {"ethnic_group": "08", "sex": "2"} in rows
    assert len(rows) == 1 + 2 + 2 * 3 + 1 + 2
    assert len(combinations(["ethnic_group", "sex"], cats, "full")) == 3 * 3


def test_template_lists_only_indicators_a_commune_reports_for_a_year() -> None:
    codes = {row.indicator for row in spec(["02"]).rows}
    assert codes == {"0101", "0103", "0104"}  # 0107 is province-only; 1301 is quarterly; others other groups


Typed = str | int | float | None
DIMENSIONS = ("ethnic_group", "sex", "age_group", "residence")


def fill(data: bytes, values: dict[tuple[str, str], Typed], extra: list[list[Typed]]) -> bytes:
    """What an official does: type values next to the prefilled cells, add a row for another group, save."""
    book = load_workbook(io.BytesIO(data))
    sheet = book["Số liệu"]
    col = {str(cell.value): i + 1 for i, cell in enumerate(sheet[7])}
    last = FIRST_ROW
    for row in range(FIRST_ROW, sheet.max_row + 1):
        indicator = sheet.cell(row, col["indicator"]).value
        if indicator is None:
            continue
        last = row
        key = (str(indicator), "|".join(str(sheet.cell(row, col[k]).value or "_T") for k in DIMENSIONS))
        if key in values:
            sheet.cell(row, col["value"], values[key])
    names = ("indicator", "ethnic_group", "sex", "value", "no_data", "no_data_reason")
    for offset, cells in enumerate(extra, start=1):
        for name, value in zip(names, cells, strict=True):
            if value is not None:
                sheet.cell(last + offset, col[name], value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_template_round_trip() -> None:
    blank = render_xlsx(spec(["02"], {("0104", "GSO1979:02|_T|_T|_T"): Content(Decimal(40))}), CATALOG)
    book = load_workbook(io.BytesIO(blank))
    assert book["_meta"].sheet_state == "hidden"
    assert book["Số liệu"].cell(FIRST_ROW, 1).value == "0101"
    filled = fill(
        blank,
        {("0101", "_T|_T|_T|_T"): 1520, ("0101", "02|2|_T|_T"): "730", ("0103", "_T|_T|_T|_T"): 12.5},
        [["0101", "08 - HMông", 1, 55, None, None], ["0104", None, None, None, "x", "Chưa điều tra"]],
    )
    upload = Upload(filename="mau.xlsx", data=filled, agency="BDT-02")
    [submission] = drafts_from_upload(upload)
    assert (submission.unit_code, submission.period, submission.agency) == ("00715", "2024", "BDT-02")
    result = check_submission(submission, CATALOG)
    assert result.ok, result.problems
    got = {(c.coordinates.indicator, c.coordinates.disaggregation_key): c.content for c in result.cells}
    assert got[("0101", "_T|_T|_T|_T")].value == 1520
    assert got[("0101", "GSO1979:02|2|_T|_T")].value == 730
    assert got[("0101", "GSO1979:08|1|_T|_T")].value == 55  # the added row, from a dropdown choice
    assert got[("0103", "_T|_T|_T|_T")].value == Decimal("12.5")
    assert got[("0104", "GSO1979:02|_T|_T|_T")].value == 40  # prefilled current value, sent again
    assert got[("0104", "_T|_T|_T|_T")].no_data


def test_xlsx_problems_point_at_row_and_cell() -> None:
    filled = fill(render_xlsx(spec([]), CATALOG), {("0101", "_T|_T|_T|_T"): "nhiều"}, [])
    [submission] = drafts_from_upload(Upload(filename="mau.xlsx", data=filled, agency="BDT-02"))
    [item] = check_submission(submission, CATALOG).problems
    assert item.code == "invalid_number"
    assert item.location.row == FIRST_ROW
    assert item.location.cell == f"L{FIRST_ROW}"


def test_xlsx_conflicting_unit_is_reported() -> None:
    filled = fill(render_xlsx(spec([]), CATALOG), {("0101", "_T|_T|_T|_T"): 1}, [])
    with pytest.raises(UploadProblems) as caught:
        drafts_from_upload(Upload(filename="mau.xlsx", data=filled, agency="BDT-02", unit_code="00718"))
    assert [p.code for p in caught.value.problems] == ["conflicting_metadata"]


def test_csv_template_columns_read_back() -> None:
    text = render_csv(spec(["02"]), CATALOG).decode("utf-8-sig")
    lines = text.splitlines()
    header = lines[0].split(",")
    assert header[:2] == ["indicator", "indicator_name"]
    body = "\r\n".join([lines[0], "0101,,,02,,2,,,,,,730,,", "0104;;", '0103,,,,,,,,,,,"12,5",,'])
    content = read_csv(body.encode(), code_list="GSO1979")
    assert not content.problems
    assert [(v.indicator, v.ethnic_code, v.value) for v in content.values] == [
        ("0101", "02", "730"),
        ("0103", None, "12,5"),
    ]
    assert content.values[0].origin is not None
    assert content.values[0].origin.cells["value"] == "L2"


def test_csv_without_required_columns() -> None:
    content = read_csv(b"ma,gia_tri\n0101,5\n", code_list="GSO1979")
    assert sorted(p.value for p in content.problems) == ["indicator", "value"]


def test_unreadable_xlsx() -> None:
    assert [p.code for p in read_xlsx(b"PK\x03\x04 not a zip", code_list=None).problems] == ["unreadable_file"]


HEADER = (
    "STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,ETHNIC_GROUP,SEX,AGE,RESIDENCE,TIME_PERIOD,OBS_VALUE,OBS_STATUS"
)
SDMX = f"""{HEADER}
dataflow,DANTOC:DF_DANTOC(1.0),M,0101,00715,_T,_T,_T,_T,2024,1520,
dataflow,DANTOC:DF_DANTOC(1.0),R,0101,00715,GSO2008:06,F,_T,_T,2024,12,
dataflow,DANTOC:DF_DANTOC(1.0),D,0104,00715,_T,_T,_T,_T,2024,,
dataflow,DANTOC:DF_DANTOC(1.0),M,0103,00715,_T,_T,_T,_T,2024,,L
dataflow,DANTOC:DF_DANTOC(1.0),M,0101,00718,02,M,_T,_T,2024,33,
"""


def test_sdmx_csv_groups_by_unit_and_period() -> None:
    content = read_sdmx_csv(SDMX.encode(), code_list="GSO1979")
    assert not content.problems
    assert sorted(content.groups) == [("00715", "2024"), ("00718", "2024")]
    _total, hoa, deleted, missing = content.groups[("00715", "2024")]
    assert (hoa.ethnic_code_list, hoa.ethnic_code, hoa.sex) == ("GSO2008", "06", "2")
    assert deleted.action is CellAction.DELETE
    assert missing.no_data
    assert missing.no_data_reason
    assert "OBS_STATUS=L" in missing.no_data_reason
    assert content.groups[("00718", "2024")][0].sex == "1"
    drafts = drafts_from_upload(Upload(filename="data.csv", data=SDMX.encode(), agency="BDT-02"))
    assert len(drafts) == 2
    assert all(check_submission(d, CATALOG).ok for d in drafts)
    assert detect(Upload(filename="data.csv", data=SDMX.encode(), agency="A")) == "sdmx"


def test_sdmx_bad_action_and_status() -> None:
    text = SDMX.replace(",M,0101,00718", ",X,0101,00718").replace("2024,,L", "2024,,Q")
    content = read_sdmx_csv(text.encode(), code_list="GSO1979")
    assert sorted(p.code for p in content.problems) == ["invalid_action", "invalid_obs_status"]
    assert {p.location.row for p in content.problems} == {5, 6}
