"""The pure logic of the home, completeness and explore pages: what is entered, unit states and shares, sorting,
the filters' checks (every fault at once), the periods a unit reports, and English for every text of the pages."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from dantoc_contracts.periods import Period
from dantoc_portal.domain.indicators import Definition
from dantoc_portal.domain.texts import ENGLISH
from dantoc_portal.domain.views import (
    entry_todo,
    read_completeness,
    read_explore,
    sort_rows,
    span,
    unit_periods,
    unit_rows,
    values_by,
)

TODAY = date(2026, 12, 7)
TOTAL = "_T|_T|_T|_T"


def definition(code: str) -> Definition:
    group = code[:2]
    return Definition(
        code, group, f"Nhóm {group}", f"Group {group}", f"Chỉ tiêu {code}", f"Indicator {code}", "Người", "persons",
        "integer", "SUM", (), "commune", "year", "BDT", None, None,
    )  # fmt: skip


def cell(indicator: str, value: str | None, *, no_data: bool = False, key: str = TOTAL) -> dict[str, Any]:
    return {"indicator": indicator, "disaggregation_key": key, "value": value, "no_data": no_data}


@pytest.mark.parametrize(
    ("cells", "entered", "no_data", "missing"),
    [
        ([], [], [], ["0101", "0102"]),
        ([cell("0101", "12")], ["0101"], [], ["0102"]),
        ([cell("0101", None, no_data=True), cell("0102", "0")], ["0102"], ["0101"], []),
        ([cell("0101", None)], [], [], ["0101", "0102"]),  # a deleted cell is missing again
        ([cell("0101", "5", key="GSO1979:02|_T|_T|_T")], [], [], ["0101", "0102"]),  # only a breakdown: no total
    ],
)
def test_entry_todo_counts_totals_only(
    cells: list[dict[str, Any]], entered: list[str], no_data: list[str], missing: list[str]
) -> None:
    [group] = entry_todo([definition("0101"), definition("0102")], cells, [], "vi")
    assert (group.entered, group.no_data, group.missing) == (entered, no_data, missing)
    assert group.total == 2
    assert group.done is (not missing)


def test_entry_todo_groups_by_group_and_marks_rejected() -> None:
    groups = entry_todo([definition("0401"), definition("0101"), definition("0402")], [], ["04"], "en")
    assert [(g.code, g.name, g.rejected) for g in groups] == [("01", "Group 01", False), ("04", "Group 04", True)]
    assert groups[1].missing == ["0401", "0402"]
    assert not groups[1].done  # rejected is not done even when complete


def unit(code: str, name: str, reported: int, no_data: int, silent: int) -> dict[str, Any]:
    return {"code": code, "name": name, "level": "commune", "reported": reported, "no_data": no_data, "silent": silent}


@pytest.mark.parametrize(
    ("counts", "state", "share"),
    [
        ((0, 0, 4), "silent", Decimal("0.0")),
        ((1, 0, 3), "partial", Decimal("25.0")),
        ((0, 1, 2), "partial", Decimal("33.3")),
        ((3, 1, 0), "complete", Decimal("100.0")),
        ((0, 0, 0), "complete", Decimal("0")),
    ],
)
def test_unit_state_and_share(counts: tuple[int, int, int], state: str, share: Decimal) -> None:
    [row] = unit_rows([unit("03226", "Xã A", *counts)])
    assert row.state == state
    assert row.share == share


ROWS = [unit("1", "Xã Ba", 1, 0, 1), unit("2", "xã An", 0, 0, 2), unit("3", "Xã Cả", 2, 0, 0)]


@pytest.mark.parametrize(
    ("sort", "codes"),
    [("name", ["2", "1", "3"]), ("-name", ["3", "1", "2"]), ("share", ["2", "1", "3"]), ("-share", ["3", "1", "2"])],
)
def test_sort_rows(sort: str, codes: list[str]) -> None:
    assert [r.code for r in sort_rows(unit_rows(ROWS), sort)] == codes


PERIODS = ["2024", "2024Q4", "2023"]


@pytest.mark.parametrize(
    ("raw", "values", "problems"),
    [
        ({}, {"unit": "098", "period": "", "group": "", "status": "", "sort": "name"}, set()),
        (
            {"unit": "11", "period": "2023", "group": "04", "status": "silent", "sort": "-share"},
            {"unit": "11", "period": "2023", "group": "04", "status": "silent", "sort": "-share"},
            set(),
        ),
        (
            {"unit": "1;drop", "period": "20x4", "group": "99", "status": "late", "sort": "evil"},
            {"unit": "098", "period": "", "group": "", "status": "", "sort": "name"},
            {"unit", "period", "group", "status", "sort"},
        ),
        ({"period": "2019"}, {"unit": "098", "period": "", "group": "", "status": "", "sort": "name"}, {"period"}),
    ],
)
def test_read_completeness_reports_every_fault(raw: dict[str, str], values: dict[str, str], problems: set[str]) -> None:
    form = read_completeness(raw, default_unit="098", periods=PERIODS, groups=["01", "04"])
    assert form.values == values
    assert set(form.problems) == problems
    assert all(message.endswith(".") for message in form.problems.values())


def test_a_period_the_unit_does_not_report_is_said_so() -> None:
    form = read_completeness({"period": "2019"}, default_unit="098", periods=PERIODS, groups=[])
    assert form.problems["period"] == "Đơn vị không báo cáo kỳ này."


@pytest.mark.parametrize(
    ("raw", "period", "first", "last", "problems"),
    [
        ({}, "2024", "2020", "2024", set()),
        ({"period": "2023", "from": "2019", "to": "2023"}, "2023", "2019", "2023", set()),
        ({"period": "2024Q3"}, "2024Q3", "2023Q3", "2024Q3", set()),
        ({"from": "2024Q1", "to": "2023"}, "2024", "2024Q1", "2023", {"to"}),
        ({"from": "2024", "to": "2020"}, "2024", "2024", "2020", {"to"}),
        ({"from": "1990", "to": "2024"}, "2024", "1990", "2024", {"to"}),
        ({"indicator": "9999", "unit": "x", "period": "abc", "from": "x"}, "2024", "x", "2024",
         {"indicator", "unit", "period", "from"}),
    ],
)  # fmt: skip
def test_read_explore(raw: dict[str, str], period: str, first: str, last: str, problems: set[str]) -> None:
    form = read_explore(raw, default_unit="098", default_period="2024", indicators=["0101", "0401"])
    assert set(form.problems) == problems
    assert (form.values["period"], form.values["from"], form.values["to"]) == (period, first, last)
    assert form.values["indicator"] in {"0101", "0401"}


def test_span_of_periods() -> None:
    assert span(Period.parse("2023Q3"), Period.parse("2024Q2")) == ["2023Q3", "2023Q4", "2024Q1", "2024Q2"]


@pytest.mark.parametrize(
    ("versions", "quarterly", "expected"),
    [
        ([], False, ["2026", "2025", "2024"]),
        ([{"valid_from": None, "valid_to": "2025-06-30"}], False, ["2024", "2023"]),
        ([{"valid_from": None, "valid_to": "2025-06-30"}], True, ["2025Q2", "2025Q1", "2024", "2024Q4"]),
        (
            [{"valid_from": None, "valid_to": "2025-06-30"}, {"valid_from": "2025-07-01", "valid_to": None}],
            False,
            ["2026", "2025", "2024", "2023"],
        ),
    ],
)
def test_unit_periods(versions: list[dict[str, Any]], quarterly: bool, expected: list[str]) -> None:
    assert unit_periods(versions, TODAY, quarterly=quarterly)[: len(expected)] == expected


def test_values_by_reads_decimals() -> None:
    found = values_by([{"period": "2023", "value": 4200}, {"period": "2022", "value": None}], "period")
    assert found == {"2023": Decimal(4200), "2022": None}


PORTAL = Path(__file__).resolve().parents[3] / "services/portal/src/dantoc_portal"
PAGES = ["home.html", "completeness.html", "completeness_macros.html", "explore.html"]
TEXT = re.compile(r"""_\(\s*["']([^"']+)["']""")


@pytest.mark.parametrize("name", PAGES)
def test_every_text_of_the_pages_has_its_english(name: str) -> None:
    source = (PORTAL / "templates" / name).read_text(encoding="utf-8")
    missing = sorted({t for t in TEXT.findall(source) if t not in ENGLISH})
    assert not missing


def test_every_message_of_the_filters_and_charts_has_its_english() -> None:
    sources = ["domain/views.py", "services/explore.py", "api/completeness.py", "api/explore.py"]
    vietnamese = re.compile(
        r'(?<!")"([^"{}]*[ạảãàáâậầấẩẫăắằặẳẵêếềệểễôốồộổỗơớờợởỡưứừựửữđ][^"{}]*[.)])"(?!")', re.IGNORECASE
    )
    found = {t for s in sources for t in vietnamese.findall((PORTAL / s).read_text(encoding="utf-8"))}
    assert found
    assert sorted(t for t in found if t not in ENGLISH) == []
