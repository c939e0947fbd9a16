"""Request validation errors become problem items with their place."""

from __future__ import annotations

import pytest

from dantoc_contracts.problems import Location
from dantoc_ingest.api.problems import location_of


@pytest.mark.parametrize(
    ("loc", "expected"),
    [
        (("body", "period"), Location(field="period")),
        (("body", "values", 5, "indicator"), Location(field="values[5].indicator", value_index=5)),
        (
            ("body", "submissions", 3, "values", 0, "disaggregation", "sex"),
            Location(field="values[0].disaggregation.sex", value_index=0, submission_index=3),
        ),
        (("body",), Location()),
    ],
)
def test_location_of(loc: tuple[int | str, ...], expected: Location) -> None:
    assert location_of(loc) == expected
