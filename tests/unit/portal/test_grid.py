"""The data-entry grid's pure model: cell keys, which cells an indicator has, reading a posted form (hostile input
included), the values sent to ingest, and ingest's problems placed back beside their cells."""

from __future__ import annotations

from typing import Any

import pytest

from dantoc_portal.domain.grid import (
    Draft,
    allowed,
    cell_id,
    cell_key,
    groups_of,
    matrix,
    parse_key,
    read_form,
    submission_id,
)
from dantoc_portal.domain.grid_checks import Message, no_data_id, outgoing, place_problems
from dantoc_portal.domain.indicators import Definition

TOTAL = "_T|_T|_T|_T"


def definition(code: str = "0101", dims: tuple[str, ...] = ("ethnic_group", "sex")) -> Definition:
    return Definition(
        code=code, group_code="01", group_vi="", group_en="", name_vi="Dân số", name_en="Population",
        unit_vi="Người", unit_en="persons", value_type="integer", aggregation="SUM", disaggregations=dims,
        lowest_level="commune", period_type="year", agency="CTK", min_value="0", max_value=None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("ethnic", "sex", "key"),
    [
        (None, None, TOTAL),
        (None, "1", "_T|1|_T|_T"),
        ("02", None, "GSO1979:02|_T|_T|_T"),
        ("02", "2", "GSO1979:02|2|_T|_T"),
    ],
)
def test_cell_keys_are_ingests_and_read_back(ethnic: str | None, sex: str | None, key: str) -> None:
    assert cell_key(ethnic, sex) == key
    assert parse_key(key) == (ethnic, sex)


@pytest.mark.parametrize(
    "key",
    ["", "_T|_T|_T", "_T|3|_T|_T", "GSO2008:02|_T|_T|_T", "GSO1979:2|_T|_T|_T", "_T|_T|Y15T19|_T", "_T|_T|_T|1",
     "GSO1979:02|1|_T|_T|x", "<script>|_T|_T|_T"],
)  # fmt: skip
def test_keys_the_grid_has_not_are_refused(key: str) -> None:
    assert parse_key(key) is None


@pytest.mark.parametrize(
    ("dims", "key", "expected"),
    [
        ((), TOTAL, True),
        ((), "_T|1|_T|_T", False),
        (("sex",), "_T|1|_T|_T", True),
        (("sex",), "GSO1979:02|_T|_T|_T", False),
        (("ethnic_group",), "GSO1979:02|_T|_T|_T", True),
        (("ethnic_group",), "GSO1979:02|2|_T|_T", False),
        (("ethnic_group", "sex"), "GSO1979:02|2|_T|_T", True),
    ],
)
def test_a_cell_belongs_to_an_indicator_by_its_disaggregations(dims: tuple[str, ...], key: str, expected: bool) -> None:
    assert allowed(definition(dims=dims), key) is expected


@pytest.mark.parametrize(
    ("dims", "groups", "lines", "columns"),
    [
        ((), ["02"], [[TOTAL]], 1),
        (("sex",), ["02"], [[TOTAL, "_T|1|_T|_T", "_T|2|_T|_T"]], 3),
        (("ethnic_group",), ["03", "02"], [[TOTAL], ["GSO1979:02|_T|_T|_T"], ["GSO1979:03|_T|_T|_T"]], 1),
        (
            ("ethnic_group", "sex", "age_group"),
            ["02"],
            [[TOTAL, "_T|1|_T|_T", "_T|2|_T|_T"], ["GSO1979:02|_T|_T|_T", "GSO1979:02|1|_T|_T", "GSO1979:02|2|_T|_T"]],
            3,
        ),
    ],
)
def test_the_matrix_of_an_indicator(
    dims: tuple[str, ...], groups: list[str], lines: list[list[str]], columns: int
) -> None:
    built = matrix(definition(dims=dims), groups)
    assert [list(line.keys) for line in built.lines] == lines
    assert len(built.sexes) == columns


def test_groups_are_read_from_keys() -> None:
    assert groups_of([TOTAL, "GSO1979:02|2|_T|_T", "GSO1979:03|_T|_T|_T", "bad"]) == {"02", "03"}


KNOWN = {"01", "02", "03"}


@pytest.mark.parametrize(
    ("posted", "values", "no_data", "groups"),
    [
        ([("v:0101:" + TOTAL, " 1.520 ")], {("0101", TOTAL): "1.520"}, {}, ()),
        ([("v:0101:" + TOTAL, "  ")], {}, {}, ()),  # empty cells are not sent
        ([("v:0999:" + TOTAL, "5")], {}, {}, ()),  # not an indicator of the grid
        ([("v:0101:_T|_T|Y15T19|_T", "5")], {}, {}, ()),  # not a cell of the grid
        ([("v:0101:GSO1979:99|_T|_T|_T", "5")], {}, {}, ()),  # not one of the 54 groups
        ([("v:0101:GSO1979:02|2|_T|_T", "12,5")], {("0101", "GSO1979:02|2|_T|_T"): "12,5"}, {}, ("02",)),
        ([("nd:0101", "1"), ("ndr:0101", " Chưa điều tra ")], {}, {"0101": "Chưa điều tra"}, ()),
        ([("nd:0101", "1")], {}, {"0101": ""}, ()),  # marked without a reason: ingest says so
        ([("ndr:0101", "lý do")], {}, {}, ()),  # a reason without the mark: nothing
        ([("group", "03"), ("group", "99")], {}, {}, ("03",)),
        ([("csrf_token", "x"), ("action", "save"), ("v:0101", "1"), ("v::", "1")], {}, {}, ()),
    ],
)
def test_reading_a_posted_grid(
    posted: list[tuple[str, Any]], values: dict[Any, str], no_data: dict[str, str], groups: tuple[str, ...]
) -> None:
    draft = read_form(posted, [definition()], KNOWN)
    assert dict(draft.values) == values
    assert dict(draft.no_data) == no_data
    assert draft.groups == groups


def test_a_draft_survives_its_json_and_garbage_reads_as_empty() -> None:
    draft = Draft({("0101", TOTAL): "1.520"}, {"0102": "Chưa có"}, ("02",))
    assert Draft.from_json(draft.to_json()) == draft
    assert Draft.from_json("not json").empty
    assert Draft.from_json('{"values": 5}').empty


def test_the_submission_id_follows_the_content_only() -> None:
    one = Draft({("0101", TOTAL): "1.520"})
    same = Draft({("0101", TOTAL): "1.520"}, groups=("02",))
    other = Draft({("0101", TOTAL): "1.521"})
    assert submission_id("03220", "2024", "01", one) == submission_id("03220", "2024", "01", same)
    assert submission_id("03220", "2024", "01", one) != submission_id("03220", "2024", "01", other)
    assert submission_id("03220", "2024", "01", one).startswith("portal-03220-2024-01-")
    assert len(submission_id("03220", "2024Q1", "01", one)) <= 100


def test_outgoing_values_and_their_places() -> None:
    draft = Draft(
        {
            ("0101", TOTAL): "1.520",
            ("0101", "GSO1979:02|2|_T|_T"): "12",
            ("0102", TOTAL): "9",
            ("0104", TOTAL): "x" * 65,
        },
        {"0102": "Chưa điều tra"},
    )
    out = outgoing(draft)
    assert out.values == [
        {"indicator": "0102", "no_data": True, "no_data_reason": "Chưa điều tra"},
        {"indicator": "0101", "disaggregation": {"ethnic_group": {"code_list": "GSO1979", "code": "02"}, "sex": "2"},
         "value": "12"},
        {"indicator": "0101", "disaggregation": {}, "value": "1.520"},
    ]  # fmt: skip
    assert out.places == [no_data_id("0102"), cell_id("0101", "GSO1979:02|2|_T|_T"), cell_id("0101", TOTAL)]
    assert list(out.local) == [cell_id("0104", TOTAL)]  # too long for ingest: told here, beside its cell


@pytest.mark.parametrize(
    ("problems", "by_place", "general"),
    [
        ([], {}, 0),
        ([{"location": {"value_index": 1}, "message_vi": "Sai", "message_en": "Wrong"}], {"b": ["Sai"]}, 0),
        (
            [
                {"location": {"value_index": 0}, "message_vi": "A", "message_en": "A"},
                {"location": {"value_index": 0}, "message_vi": "B", "message_en": "B"},
                {"location": {"value_index": 2}, "message_vi": "C", "message_en": "C"},
            ],
            {"a": ["A", "B"], "c": ["C"]},
            0,
        ),
        ([{"location": {"value_index": 7}, "message_vi": "X", "message_en": "X"}], {}, 1),  # out of range
        ([{"location": {"value_index": True}, "message_vi": "X", "message_en": "X"}], {}, 1),
        ([{"location": {"field": "period"}, "message_vi": "X", "message_en": "X"}], {}, 1),
        ([{"message_vi": "X", "message_en": "X"}], {}, 1),
    ],
)
def test_problems_go_beside_their_cells(problems: list[dict[str, Any]], by_place: dict[str, Any], general: int) -> None:
    placed = place_problems(problems, ["a", "b", "c"])
    assert {p: [m.vi for m in ms] for p, ms in placed.by_place.items()} == by_place
    assert len(placed.general) == general
    assert placed.count == sum(len(v) for v in by_place.values()) + general


def test_local_problems_join_ingests_and_messages_follow_the_language() -> None:
    local = {"z": [Message("Quá dài", "Too long")]}
    placed = place_problems(
        [{"location": {"value_index": 0}, "message_vi": "Sai", "message_en": "Wrong"}], ["a"], local
    )
    assert placed.count == 2
    assert placed.by_place["z"][0].text("en") == "Too long"
    assert placed.by_place["a"][0].text("vi") == "Sai"
    assert type(placed).from_json(placed.to_json()) == placed
