"""Files over HTTP: the XLSX template downloaded, filled in and uploaded back; CSV; SDMX-CSV."""

from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl import load_workbook

from dantoc_contracts import topics
from dantoc_ingest.files.templates import FIRST_ROW
from tests.support.ingest.serving import Ingest

Headers = Callable[..., dict[str, str]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def fill_first_rows(data: bytes, values: list[str | int], no_data_row: int | None = None) -> bytes:
    """An official types values in the first rows and marks one row 'no data' with a reason."""
    book = load_workbook(io.BytesIO(data))
    sheet = book["Số liệu"]
    col = {str(cell.value): i + 1 for i, cell in enumerate(sheet[7])}
    for offset, value in enumerate(values):
        sheet.cell(FIRST_ROW + offset, col["value"], value)
    if no_data_row is not None:
        sheet.cell(no_data_row, col["no_data"], "x")
        sheet.cell(no_data_row, col["no_data_reason"], "Chưa tổ chức thu thập")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_xlsx_template_round_trip(ingest: Ingest, token: Headers) -> None:
    # step 1: the unit has reported Tày before, so the template offers Tày rows, prefilled with the stored value
    earlier = {
        "submission_id": "before",
        "agency": "BDT-02",
        "unit_code": "00715",
        "period": "2024",
        "values": [
            {
                "indicator": "0104",
                "value": 40,
                "disaggregation": {"ethnic_group": {"code_list": "GSO1979", "code": "02"}},
            }
        ],
    }
    assert (await ingest.client.post("/submissions", json=earlier, headers=token())).status_code == 200
    response = await ingest.client.get("/templates?unit_code=00715&period=2024&group=01", headers=token())
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content))["Số liệu"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=FIRST_ROW, max_col=14)]
    assert any(r[0] == "0101" and r[3] == "02" and r[4] == "Tày" and r[5] == "2" and r[6] == "Nữ" for r in rows)
    assert any(r[0] == "0104" and r[3] == "02" and r[11] == 40 for r in rows)  # prefilled
    # step 2: filled in and uploaded back: one submission, the unchanged prefilled cell reported as unchanged
    filled = fill_first_rows(response.content, [1520, 760, 760], no_data_row=FIRST_ROW + 3)
    files = {"file": ("mau-00715.xlsx", filled, XLSX)}
    upload = await ingest.client.post("/submissions/file", files=files, headers=token())
    assert upload.status_code == 200, upload.text
    answer = upload.json()
    assert (answer["channel"], answer["unit_code"], answer["period"]) == ("file", "00715", "2024")
    assert answer["changed_count"] == 4
    assert answer["unchanged_count"] == 1
    # step 3: uploading the same file again is a resend: same answer, no new event
    again = await ingest.client.post("/submissions/file", files=files, headers=token())
    assert again.json() == answer
    events = await ingest.events(topics.VALUES_ACCEPTED, 2)
    assert [len(e.payload.changes) for e in events] == [1, 4]


async def test_xlsx_problems_point_at_rows_and_cells(ingest: Ingest, token: Headers) -> None:
    template = await ingest.client.get("/templates?unit_code=00715&period=2024&group=01", headers=token())
    filled = fill_first_rows(template.content, ["nhiều", -3])
    files = {"file": ("mau.xlsx", filled, XLSX)}
    response = await ingest.client.post("/submissions/file", files=files, headers=token())
    assert response.status_code == 422
    places = [(e["code"], e["location"]["row"], e["location"]["cell"]) for e in response.json()["errors"]]
    assert places == [
        ("invalid_number", FIRST_ROW, f"L{FIRST_ROW}"),
        ("out_of_range", FIRST_ROW + 1, f"L{FIRST_ROW + 1}"),
    ]


async def test_csv_upload_in_template_columns(ingest: Ingest, token: Headers) -> None:
    template = await ingest.client.get(
        "/templates?unit_code=00715&period=2024&group=01&format=csv&ethnic=02,08", headers=token()
    )
    assert template.status_code == 200
    assert template.text.lstrip("\ufeff").startswith("indicator,indicator_name")
    csv_text = (
        "indicator;ethnic_group;sex;value;no_data;no_data_reason\n0101;08;1;55;;\n0101;;;1.520;;\n0104;;;;x;Chưa có\n"
    )
    data = {"unit_code": "00715", "period": "2024", "submission_id": "csv-1"}
    response = await ingest.client.post(
        "/submissions/file", files={"file": ("data.csv", csv_text.encode(), "text/csv")}, data=data, headers=token()
    )
    assert response.status_code == 200, response.text
    assert response.json()["changed_count"] == 3
    cells = (await ingest.client.get("/cells?unit_code=00715&period=2024&indicator=0101", headers=token())).json()
    assert {(c["disaggregation_key"], c["value"]) for c in cells} == {
        ("GSO1979:08|1|_T|_T", "55"),
        ("_T|_T|_T|_T", "1520"),
    }
    missing = await ingest.client.post(
        "/submissions/file", files={"file": ("d.csv", csv_text.encode(), "text/csv")}, headers=token()
    )
    assert {e["code"] for e in missing.json()["errors"]} == {"missing_field"}


SDMX = """DATAFLOW,ACTION,INDICATOR,REF_AREA,ETHNIC_GROUP,SEX,AGE,RESIDENCE,TIME_PERIOD,OBS_VALUE,OBS_STATUS,OBS_COMMENT
DANTOC:DF(1.0),M,0101,00715,_T,_T,_T,_T,2024,1520,,
DANTOC:DF(1.0),M,0101,00715,GSO2008:06,F,_T,_T,2024,12,,
DANTOC:DF(1.0),M,0104,00715,_T,_T,_T,_T,2024,,M,Không thu thập
DANTOC:DF(1.0),R,0101,00718,_T,_T,_T,_T,2024,800,,
"""


async def test_sdmx_csv_merge_replace_and_delete(ingest: Ingest, token: Headers) -> None:
    files = {"file": ("obs.csv", SDMX.encode(), "text/csv")}
    response = await ingest.client.post("/submissions/file", files=files, headers=token())
    assert response.status_code == 200, response.text
    assert [(r["unit_code"], r["changed_count"]) for r in response.json()["results"]] == [("00715", 3), ("00718", 1)]
    deletion = SDMX.splitlines()[0] + "\nDANTOC:DF(1.0),D,0101,00718,_T,_T,_T,_T,2024,,,\n"
    deleted = await ingest.client.post(
        "/submissions/file", files={"file": ("del.csv", deletion.encode(), "text/csv")}, headers=token()
    )
    assert deleted.status_code == 200
    assert deleted.json()["values"][0]["outcome"] == "deleted"
    events = await ingest.events(topics.VALUES_ACCEPTED, 3)
    [last] = [e.payload.changes[0] for e in events if e.payload.submission_id == deleted.json()["submission_id"]]
    assert last.new.value is None
    assert not last.new.no_data
    assert last.previous is not None
    assert last.revision == 2
    bad = SDMX.replace(",M,0101,00715,_T", ",X,0101,00715,_T")
    refused = await ingest.client.post(
        "/submissions/file", files={"file": ("bad.csv", bad.encode(), "text/csv")}, headers=token()
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["location"]["row"] == 2
