"""Query parameters: every fault is reported at once, with the parameter it belongs to."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dantoc_contracts.codes import EthnicCodeList
from dantoc_contracts.periods import Period
from dantoc_gateway.domain.params import DimensionFilter, ParamReader
from dantoc_gateway.domain.problems import Problems
from tests.support.gateway.literal import catalog_view


@pytest.fixture
def reader() -> ParamReader:
    return ParamReader(catalog_view(), Problems(), max_codes=5)


def _codes(reader: ParamReader) -> list[tuple[str, str | None, object]]:
    return [(i.code, i.location.field, i.value) for i in reader.problems.items]


def test_every_fault_is_listed_with_its_parameter(reader: ParamReader) -> None:
    reader.indicators("0401,9999,abc", None)
    reader.units("unit", "02,99,XX")
    reader.periods("period", "2024,2024Q5")
    reader.dimension("sex", "1,9", "sex")
    reader.ethnic("ethnicGroup", "08,77,x", EthnicCodeList.GSO_1979)
    assert _codes(reader) == [
        ("unknown_indicator", "indicator", "9999"),
        ("malformed_code", "indicator", "abc"),
        ("unknown_unit", "unit", "99"),
        ("malformed_code", "unit", "XX"),
        ("malformed_period", "period", "2024Q5"),
        ("unknown_code", "sex", "9"),
        ("unknown_code", "ethnicGroup", "77"),
        ("unknown_code", "ethnicGroup", "x"),
    ]
    assert all(item.message_vi and item.message_en for item in reader.problems.items)


def test_missing_and_too_many(reader: ParamReader) -> None:
    assert reader.indicators(None, None) == []
    assert reader.units("unit", "01,02,03,04,05,06") == []
    assert _codes(reader) == [("missing_parameter", "indicator", None), ("too_many_codes", "unit", None)]


def test_group_selects_its_indicators(reader: ParamReader) -> None:
    assert reader.indicators(None, "04") == ["0401", "0403"]
    assert reader.indicators("0104", "04") == ["0104", "0401", "0403"]
    reader.indicators(None, "77,4")
    assert _codes(reader) == [("unknown_group", "group", "77"), ("malformed_code", "group", "4")]


@pytest.mark.parametrize(
    ("raw", "code_list", "expected"),
    [
        (None, EthnicCodeList.GSO_1979, ("_T",)),
        ("*", EthnicCodeList.GSO_1979, None),
        ("04,_T", EthnicCodeList.GSO_1979, ("04", "_T")),
        ("06", EthnicCodeList.GSO_2008, ("04",)),  # Hoa is 06 in the 2008 list, 04 in the canonical one
        ("04", EthnicCodeList.GSO_2008, ("06",)),
    ],
)
def test_ethnic_codes_are_read_in_the_callers_list(
    reader: ParamReader, raw: str | None, code_list: EthnicCodeList, expected: tuple[str, ...] | None
) -> None:
    assert reader.ethnic("ethnicGroup", raw, code_list) == DimensionFilter(expected)
    assert not reader.problems


def test_period_range(reader: ParamReader) -> None:
    assert [str(p) for p in reader.period_range("2020", "2024")] == ["2020", "2021", "2022", "2023", "2024"]
    assert [str(p) for p in reader.period_range("2024Q3", "2025Q1")] == ["2024Q3", "2024Q4", "2025Q1"]
    assert reader.period_range("2024", "2024Q1") == []
    assert reader.period_range("2024", "2020") == []
    assert reader.period_range("1900", "2100") == []
    assert [i.code for i in reader.problems.items] == ["period_range", "period_range", "too_many_codes"]


def test_period_type_must_fit_the_indicator(reader: ParamReader) -> None:
    reader.check_period_types(["0401", "0502"], [Period.parse("2024")])
    assert _codes(reader) == [("period_type_mismatch", "period", "0502")]


@pytest.mark.parametrize(
    ("raw", "value", "fault"),
    [
        (None, 10, None),
        ("3", 3, None),
        ("0", 10, "not_a_number"),
        ("x", 10, "not_a_number"),
        ("５", 10, "not_a_number"),
        ("101", 10, "page_size_too_large"),
    ],
)
def test_positive_int(reader: ParamReader, raw: str | None, value: int, fault: str | None) -> None:
    assert reader.positive_int("pageSize", raw, 10, maximum=100) == value
    assert [i.code for i in reader.problems.items] == ([fault] if fault else [])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-01-31T00:00:00Z", datetime(2025, 1, 31, tzinfo=UTC)),
        ("2025-01-31T07:00:00 07:00", datetime(2025, 1, 31, tzinfo=UTC)),  # `+` arrived as a space
        ("2025-01-31", datetime(2025, 1, 31, tzinfo=UTC)),
        ("yesterday", None),
        ("0001-01-01T00:00:00+01:00", None),  # would overflow in UTC
    ],
)
def test_timestamp(reader: ParamReader, raw: str, expected: datetime | None) -> None:
    assert reader.timestamp("updatedAfter", raw) == expected
    assert bool(reader.problems) is (expected is None)


def test_choice(reader: ParamReader) -> None:
    assert reader.choice("lang", None, ("vi", "en"), "vi") == "vi"
    assert reader.choice("lang", "fr", ("vi", "en"), "vi") == "vi"
    assert _codes(reader) == [("unsupported_value", "lang", "fr")]


def test_codes_are_whole_ascii_strings(reader: ParamReader) -> None:
    reader.indicators("٠٤٠١", None)  # Arabic-Indic digits
    reader.units("unit", "٠٢")
    assert _codes(reader) == [("malformed_code", "indicator", "٠٤٠١"), ("malformed_code", "unit", "٠٢")]
