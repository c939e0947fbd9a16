"""The one definition of a valid number, period and code (table-driven)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from dantoc_contracts.bounds import ascii_digits, decimal_problem
from dantoc_contracts.periods import Period, canonical_period
from dantoc_contracts.submissions import DataValueSet


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("12.5", None),
        ("999999999999999", None),
        ("-999999999999999.999999", None),
        ("1.5000000000", None),  # trailing zeros are not decimals
        ("1E+14", None),
        ("0", None),
        ("1000000000000000", "magnitude at least 10^15"),
        ("1E+999999999", "magnitude at least 10^15"),
        ("1E-999999999", "more than 6 digits after the decimal point"),
        ("1.0000001", "more than 6 digits after the decimal point"),
        ("NaN", "not a finite number"),
        ("-Infinity", "not a finite number"),
    ],
)
def test_decimal_bounds(text: str, problem: str | None) -> None:
    assert decimal_problem(Decimal(text)) == problem


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("2024", "2024"), ("2024S1", "2024S1"), ("2024Q3", "2024Q3"), ("202407", "202407")],
)
def test_canonical_periods(text: str, canonical: str) -> None:
    assert canonical_period(text) == canonical


@pytest.mark.parametrize("text", ["2024\n", " 2024", "٢٠٢٤", "２０２４", "2024Q5", "2024q3", "1899", ""])
def test_malformed_periods(text: str) -> None:
    with pytest.raises(ValueError, match="malformed period"):
        Period.parse(text)


@pytest.mark.parametrize(
    ("text", "length", "ok"),
    [
        ("01", 2, True),
        ("0101", None, True),
        ("٠١", 2, False),
        ("01\n", None, False),
        ("1", 2, False),
        ("", None, False),
    ],
)
def test_ascii_digits(text: str, length: int | None, ok: bool) -> None:
    assert ascii_digits(text, length) is ok


def _submission(**changes: object) -> dict[str, object]:
    value: dict[str, object] = {"indicator": "0101", "value": "12"}
    body: dict[str, object] = {"submission_id": "s-1", "agency": "CTK", "unit_code": "02", "period": "2024"}
    body["values"] = [value]
    for name, new in changes.items():
        if name in ("indicator", "value", "no_data_reason"):
            value[name] = new
        else:
            body[name] = new
    return body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"value": "1E+999999999"}, ("values", 0, "value")),
        ({"value": 1e300}, ("values", 0, "value")),
        ({"period": "2024\n"}, ("period",)),
        ({"period": "٢٠٢٤"}, ("period",)),
        ({"unit_code": "٠٢"}, ("unit_code",)),
        ({"indicator": "０１０１"}, ("values", 0, "indicator")),
        ({"no_data_reason": "x" * 501}, ("values", 0, "no_data_reason")),
        ({"submission_id": "a b"}, ("submission_id",)),
        ({"agency": "C\nTK"}, ("agency",)),
        ({"comment": "x" * 2001}, ("comment",)),
    ],
)
def test_submissions_break_the_bounds_at_a_named_field(changes: dict[str, object], field: tuple[object, ...]) -> None:
    with pytest.raises(ValidationError) as caught:
        DataValueSet.model_validate(_submission(**changes))
    assert [error["loc"] for error in caught.value.errors()] == [field]
