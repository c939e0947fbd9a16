"""The authorization policy as ingest applies it: rights, scope ∩ registered scope, indicator ownership, reads."""

from __future__ import annotations

import pytest

from dantoc_contracts.access import Principal, Right, Role
from dantoc_ingest.domain.model import Draft, DraftValue, Origin
from dantoc_ingest.services.authorization import (
    may_read,
    own_rows_only,
    registered_principal,
    submission_denials,
)
from tests.support.ingest.catalog import catalog_view

CATALOG = catalog_view()
BDT02 = Principal("u", "BDT-02", Role.PROVINCIAL, "02")
SYT02 = Principal("s", "SYT-02", Role.AGENCY, "02")
BDTTG = Principal("n", "BDTTG", Role.NATIONAL, "VN")
OPERATOR = Principal("op", "", Role.NATIONAL, "VN")
READ_ONLY = Principal("r", "BDT-02", Role.PROVINCIAL, "02", frozenset({Right.READ}))
WIDE_TOKEN = Principal("w", "BDT-02", Role.PROVINCIAL, "VN")  # token says VN; the agency is registered for 02
UNREGISTERED = Principal("x", "BDT-99", Role.PROVINCIAL, "02")


def draft(*indicators: str, agency: str = "BDT-02", unit: str = "00715", period: str = "2024") -> Draft:
    values = [DraftValue(indicator=code, value="1") for code in indicators]
    return Draft(submission_id="s", agency=agency, unit_code=unit, period=period, values=values)


@pytest.mark.parametrize(
    ("principal", "submission", "expected"),
    [
        (BDT02, draft("0101", "0104"), []),  # CTK's indicators: BDT-02 writes for CTK
        (BDT02, draft("0101", "0601", "0601"), ["indicator_not_yours", "indicator_not_yours"]),  # SYT's, one each
        (SYT02, draft("0601", agency="SYT-02"), []),
        (SYT02, draft("0101", agency="SYT-02"), ["indicator_not_yours"]),  # SYT writes for no other type
        (BDTTG, draft("0101", "0601"), []),  # national, for BDT-02: the ministry writes for every type
        (OPERATOR, draft("0101"), ["indicator_not_yours"]),  # a token naming no agency only reads
        (READ_ONLY, draft("0101"), ["right_missing"]),
        (BDT02, draft("0101", unit="01234"), ["outside_scope"]),
        (WIDE_TOKEN, draft("0101", unit="01234"), ["outside_scope"]),  # token scope ∩ registered scope
        (WIDE_TOKEN, draft("0101"), []),
        (UNREGISTERED, draft("0101", agency="BDT-99"), ["outside_scope", "indicator_not_yours"]),
        (BDT02, draft("0101", agency="BDT-04"), ["agency_mismatch"]),
        (BDT02, draft("0101", unit="99999"), []),  # unknown unit: the checks report it (422)
        (BDT02, draft("0601", period="2024-1"), []),  # malformed period: the checks report it
        (BDT02, draft("9999"), []),  # unknown indicator: the checks report it
    ],
)
def test_submission_denials(principal: Principal, submission: Draft, expected: list[str]) -> None:
    assert [p.code for p in submission_denials(principal, submission, CATALOG)] == expected


def test_indicator_not_yours_names_the_value_and_its_place() -> None:
    submission = draft("0101", "0601")
    submission.values[1].origin = Origin(row=7, cells={"indicator": "A7"})
    [denial] = submission_denials(BDT02, submission, CATALOG)
    assert (denial.location.field, denial.location.value_index) == ("values[1].indicator", 1)
    assert (denial.location.row, denial.location.cell) == (7, "A7")
    assert "SYT" in denial.message_vi
    assert "SYT" in denial.message_en
    assert "BDT-02" in denial.message_en


def test_kafka_submissions_speak_for_their_registered_agency() -> None:
    principal = registered_principal(CATALOG, "BDT-04")
    assert principal is not None
    assert principal.scope == "04"
    assert [p.code for p in submission_denials(principal, draft("0101", agency="BDT-04"), CATALOG)] == ["outside_scope"]
    assert registered_principal(CATALOG, "NOPE") is None


@pytest.mark.parametrize(
    ("principal", "unit", "agency", "expected"),
    [
        (BDT02, "00715", "BDT-04", True),  # provincial: everything inside its effective scope
        (BDT02, "01234", "BDT-04", False),
        (BDT02, "01234", "BDT-02", True),  # its own submission, wherever
        (SYT02, "00715", "SYT-02", True),  # an agency: its own submissions
        (SYT02, "00715", "BDT-02", False),  # not another agency's, even inside its scope
        (SYT02, "00715", None, True),  # a unit's cells: only its own rows are shown (own_rows_only)
        (BDTTG, "01234", "BDT-04", True),
        (OPERATOR, "01234", "BDT-04", True),  # national operator: reads everything
        (WIDE_TOKEN, "01234", None, False),  # scope ∩ registered scope
        (Principal("w", "BDT-02", Role.PROVINCIAL, "02", frozenset({Right.SUBMIT})), "00715", None, False),
    ],
)
def test_may_read(principal: Principal, unit: str, agency: str | None, expected: bool) -> None:
    assert may_read(principal, CATALOG, unit, "2024", agency) is expected


def test_own_rows_only() -> None:
    assert own_rows_only(SYT02) == "SYT-02"
    assert own_rows_only(BDT02) is None
    assert own_rows_only(BDTTG) is None
