"""agencies.csv: the `writes_for` column read as codes, and every code checked against the `agency` code list."""

from __future__ import annotations

import pytest

from dantoc_catalog.domain.reference_files import check_agencies, read_agencies

HEADER = ["code", "name_vi", "name_en", "agency_type", "scope_unit_code", "writes_for"]
TYPES = {"BDT", "SYT", "SNV", "CTK"}
SCOPES = {"VN", "08"}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("", ()),
        ("SNV", ("SNV",)),
        ("SNV CTK", ("SNV", "CTK")),
        ("  SNV   CTK ", ("SNV", "CTK")),
    ],
)
def test_writes_for_is_read_as_space_separated_codes(cell: str, expected: tuple[str, ...]) -> None:
    read = read_agencies([HEADER, ["BDT-08", "Ban", "Board", "BDT", "08", cell]])
    assert read.problems == []
    assert read.items[0].writes_for == expected


def test_the_column_is_optional() -> None:
    read = read_agencies([HEADER[:-1], ["BDT-08", "Ban", "Board", "BDT", "08"]])
    assert read.problems == []
    assert read.items[0].writes_for == ()


def test_every_unknown_code_is_reported_with_its_row() -> None:
    read = read_agencies(
        [
            HEADER,
            ["BDT-08", "Ban", "Board", "BDT", "08", "SNV XX CTK"],
            ["SYT-08", "Sở", "Dept", "SYT", "08", ""],
            ["BDT-99", "Ban", "Board", "ZZ", "99", "YY"],
        ]
    )
    assert read.problems == []
    found = [(p.code, p.location.row, p.location.field, p.value) for p in check_agencies(read.items, TYPES, SCOPES)]
    assert found == [
        ("invalid_choice", 2, "writes_for", "XX"),
        ("invalid_choice", 4, "agency_type", "ZZ"),
        ("invalid_choice", 4, "writes_for", "YY"),
        ("unknown_parent", 4, "scope_unit_code", "99"),
    ]
