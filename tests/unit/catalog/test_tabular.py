"""Reading a file's table: header problems are reported together, each cell keeps its place."""

from __future__ import annotations

import pytest

from dantoc_catalog.domain.indicators import CATALOGUE_COLUMNS, COLUMNS, LABELS_VI
from dantoc_catalog.domain.tabular import column_letter, decode_csv, encode_csv, read_table


@pytest.mark.parametrize(
    ("index", "letter"), [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letters(index: int, letter: str) -> None:
    assert column_letter(index) == letter


def test_header_problems_are_all_reported_with_their_cells() -> None:
    header = ["code", "colour", "code", *[c for c in COLUMNS if c not in ("code", "agency")]]
    table = read_table([header, ["0101"] * len(header)], CATALOGUE_COLUMNS)
    found = {(p.code, p.location.cell, str(p.value)) for p in table.problems}
    assert found == {
        ("unknown_column", "B1", "colour"),
        ("duplicate_column", "C1", "code"),
        ("missing_column", None, "agency"),
    }


def test_vietnamese_labels_are_read_as_the_columns_they_name() -> None:
    labels = [LABELS_VI[c] for c in COLUMNS]
    table = read_table([labels, [f"v{i}" for i in range(len(labels))]], CATALOGUE_COLUMNS)
    assert table.problems == []
    assert table.rows[0].get("agency") == f"v{COLUMNS.index('agency')}"


def test_rows_know_their_number_and_cells_and_blank_rows_are_skipped() -> None:
    raw = [["code", "name_vi"], ["0101", " Dân số "], ["", ""], ["0102", "Hộ"]]
    table = read_table(raw, CATALOGUE_COLUMNS)
    assert [(r.number, r.get("name_vi")) for r in table.rows] == [(2, "Dân số"), (4, "Hộ")]
    where = table.rows[1].where("name_vi")
    assert (where.row, where.cell, where.field) == (4, "B4", "name_vi")


def test_a_value_beyond_the_last_column_is_a_problem() -> None:
    table = read_table([["code"], ["0101", "", "stray"]], CATALOGUE_COLUMNS)
    stray = [p for p in table.problems if p.code == "value_without_column"]
    assert [(p.location.row, p.location.cell) for p in stray] == [(2, "C2")]


@pytest.mark.parametrize("raw", [[], [list(COLUMNS)]])
def test_a_file_without_data_rows_is_a_problem(raw: list[list[str]]) -> None:
    assert "empty_file" in {p.code for p in read_table(raw, CATALOGUE_COLUMNS).problems}


def test_text_is_normalised_to_nfc() -> None:
    decomposed = "Tày".replace("à", "a\u0300")
    table = read_table([["code", "name_vi"], ["0101", decomposed]], CATALOGUE_COLUMNS)
    assert table.rows[0].get("name_vi") == "Tày"


@pytest.mark.parametrize(
    ("data", "rows", "problem"),
    [
        (b"a,b\n1,2\n", [["a", "b"], ["1", "2"]], None),
        (b"\xef\xbb\xbfa,b\r\n1,2\r\n", [["a", "b"], ["1", "2"]], None),  # Excel's BOM and CRLF
        (b'a,b\n"x, y",2\n', [["a", "b"], ["x, y", "2"]], None),
        (b"a,b\n\xff\xfe,2\n", [], "unreadable_file"),
        (b'a,b\n"unterminated,2\n', [], "unreadable_file"),
        (b'a,b\n"x"y,2\n', [], "unreadable_file"),  # a quote inside an unquoted field (strict)
        (b"a\n1\n2\n3\n", [["a"], ["1"], ["2"], ["3"]], None),  # three rows and a header: at the limit
        (b"a\n1\n2\n3\n4\n", [], "too_many_rows"),
        (b"a\n" + b"x" * 200_000 + b"\n", [], "unreadable_file"),  # a field over csv's field size limit
    ],
)
def test_decode_csv(data: bytes, rows: list[list[str]], problem: str | None) -> None:
    decoded, problems = decode_csv(data, max_rows=3)
    assert decoded == rows
    assert [p.code for p in problems] == ([problem] if problem else [])


def test_encode_csv_quotes_only_where_needed_with_newline_endings() -> None:
    assert encode_csv([["a", "b, c"], ["1", ""]]) == b'a,"b, c"\n1,\n'
