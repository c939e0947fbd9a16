"""Every check of a submission, table-driven over the tiny literal catalog."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from dantoc_ingest.domain.model import CellAction, Draft, DraftValue, Origin
from dantoc_ingest.domain.validation import check_submission
from tests.support.ingest.catalog import catalog_view

CATALOG = catalog_view()


def draft(*values: DraftValue, unit: str = "00715", period: str = "2024", agency: str = "BDT-02") -> Draft:
    return Draft(submission_id="s1", agency=agency, unit_code=unit, period=period, values=list(values))


def v(indicator: str = "0101", value: object = "10", **kw: Any) -> DraftValue:
    return DraftValue(indicator=indicator, value=value, **kw)


def codes(d: Draft) -> list[str]:
    return [p.code for p in check_submission(d, CATALOG).problems]


@pytest.mark.parametrize(
    ("submission", "expected"),
    [
        (draft(v()), []),
        (draft(v("9999")), ["unknown_indicator"]),
        (draft(v(), unit="99999"), ["unknown_unit"]),
        (draft(v(), unit="12ab"), ["malformed_unit_code"]),
        (draft(v(), unit="00715", period="2026"), ["unit_not_valid_for_period"]),  # legacy commune in 2026
        (draft(v(), unit="02020", period="2023", agency="BDT-08"), ["unit_not_valid_for_period"]),  # new in 2023
        (draft(v(), unit="02020", period="2025", agency="BDT-08"), []),  # the map at the end of 2025 is the new one
        (draft(v(), period="2024-1"), ["malformed_period"]),
        (draft(v(), period="2024Q1"), ["period_type_mismatch"]),
        (draft(v("1301"), period="2024"), ["period_type_mismatch"]),
        (draft(v("1301"), period="2024Q3"), []),
        (draft(v("0107")), ["unit_level_not_allowed"]),  # province-only indicator at a commune
        (draft(v("0107"), unit="02"), []),
        (draft(v("1406")), ["indicator_not_in_force"]),
        (draft(v(), agency="XYZ"), ["unknown_agency"]),
        (draft(), ["empty_submission"]),
        (
            draft(v("0103", sex="1", value="50", ethnic_code_list="GSO1979", ethnic_code="02")),
            ["disaggregation_not_allowed"],
        ),
        (draft(v("0104", residence="1")), ["disaggregation_not_allowed"]),
        (draft(v(ethnic_code="02")), ["disaggregation_incomplete"]),
        (draft(v(ethnic_code_list="GSO1979")), ["disaggregation_incomplete"]),
        (draft(v(ethnic_code_list="GSO2019", ethnic_code="02")), ["unknown_code_list"]),
        (draft(v(ethnic_code_list="GSO1979", ethnic_code="43")), ["unknown_ethnic_code"]),  # Ngái is 43 in 2008 only
        (draft(v(ethnic_code_list="GSO2008", ethnic_code="43")), []),
        (draft(v(sex="3")), ["unknown_code"]),
        (draft(v(age_group="Y10T14")), ["unknown_code"]),
        (draft(v(residence="_T", sex="_T")), []),  # SDMX totals
        (draft(v(value=None)), ["missing_value"]),
        (draft(v(value="  ")), ["missing_value"]),
        (draft(v(value="abc")), ["invalid_number"]),
        (draft(v(value="1e5")), ["exponent_not_allowed"]),
        (draft(v(value="1E+999999999")), ["exponent_not_allowed"]),
        (draft(v(value=Decimal("1E+999999999"))), ["value_out_of_bounds"]),  # a number from a system, not text
        (draft(v(value="1000000000000000")), ["value_out_of_bounds"]),  # 10^15
        (draft(v(value="999999999999999")), []),
        (draft(v("1301", value="0.1234567"), period="2024Q1"), ["value_out_of_bounds"]),  # seven decimals
        (draft(v("1301", value="0.1234560"), period="2024Q1"), []),  # trailing zeros do not count
        (draft(v(value="٢٠٢٤")), ["invalid_number"]),  # other scripts' digits
        (draft(v(value=None, no_data=True, no_data_reason="x" * 501)), ["text_too_long"]),
        (draft(v(value=True)), ["invalid_number"]),
        (draft(v(value="12.5")), ["not_an_integer"]),
        (draft(v(value="-1")), ["out_of_range"]),
        (draft(v("0103", value="100.5")), ["out_of_range"]),
        (draft(v("0103", value="99,5")), []),  # Vietnamese decimal comma
        (draft(v(value="1.520,0")), []),
        (draft(v(value=None, no_data=True, no_data_reason="Chưa điều tra")), []),
        (draft(v(value=None, no_data=True)), ["no_data_reason_missing"]),
        (draft(v(value="5", no_data=True, no_data_reason="x")), ["value_and_no_data"]),
        (draft(v(value=None, action=CellAction.DELETE)), []),
        (draft(v(sex="1"), v(sex="1")), ["duplicate_cell"]),
        (
            draft(v(ethnic_code_list="GSO1979", ethnic_code="04"), v(ethnic_code_list="GSO2008", ethnic_code="06")),
            ["duplicate_cell"],
        ),  # Hoa in either list is the same cell
    ],
)
def test_checks(submission: Draft, expected: list[str]) -> None:
    assert codes(submission) == expected


def test_every_problem_is_reported_at_once_with_its_place() -> None:
    submission = draft(
        v("9999"),
        v(value="abc", sex="3", origin=Origin(9, {"value": "L9", "disaggregation.sex": "F9"})),
        v("0107", value="200"),
        period="2024",
        agency="XYZ",
    )
    problems = check_submission(submission, CATALOG).problems
    assert [p.code for p in problems] == [
        "unknown_agency",
        "unknown_indicator",
        "unknown_code",
        "invalid_number",
        "unit_level_not_allowed",
        "out_of_range",
    ]
    by_code = {p.code: p for p in problems}
    assert by_code["unknown_indicator"].location.value_index == 0
    assert by_code["unknown_code"].location.cell == "F9"
    assert by_code["invalid_number"].location.row == 9
    assert by_code["invalid_number"].location.field == "values[1].value"
    for item in problems:
        assert item.message_vi
        assert item.message_en
        assert "?" not in item.message_en


def test_accepted_cells_are_canonical() -> None:
    result = check_submission(
        draft(v(ethnic_code_list="GSO2008", ethnic_code="06", sex="2", value="1.520"), v("0103", value="12,50")),
        CATALOG,
    )
    assert result.ok
    hoa, share = result.cells
    assert hoa.coordinates.disaggregation_key == "GSO1979:04|2|_T|_T"
    assert hoa.original_ethnic == ("GSO2008", "06")
    assert hoa.content.value == Decimal("1520")  # dots group thousands in an integer indicator
    assert share.content.value == Decimal("12.50")


def test_too_many_values_is_one_problem() -> None:
    submission = draft(*[v(sex="1") for _ in range(5)])
    assert [p.code for p in check_submission(submission, CATALOG, max_values=3).problems] == ["too_many_values"]
