"""Who sees what, read on the map valid at each period's end."""

from __future__ import annotations

from datetime import date

import pytest

from dantoc_gateway.domain.access import AGENCY_NOTE, Caller, Claims, Role, caller_of, may_see
from tests.unit.gateway.literal import catalog_view

LEGACY, NEW = date(2024, 12, 31), date(2025, 12, 31)


@pytest.mark.parametrize(
    ("claims", "scope", "note"),
    [
        (Claims("u", "BDTTG", Role.NATIONAL, "02", 0), "VN", None),  # the national role sees everything
        (Claims("u", "BDT", Role.PROVINCIAL, "02", 0), "02", None),
        (Claims("u", "UBNDX-00715", Role.AGENCY, "02", 0), "00715", AGENCY_NOTE),  # registered scope wins
        (Claims("u", "UNKNOWN", Role.AGENCY, "026", 0), "026", AGENCY_NOTE),  # unregistered: the token's scope
    ],
)
def test_caller_scope(claims: Claims, scope: str, note: str | None) -> None:
    caller = caller_of(claims, catalog_view())
    assert (caller.scope, caller.note) == (scope, note)


@pytest.mark.parametrize(
    ("scope", "unit", "on", "visible"),
    [
        ("VN", "04", LEGACY, True),
        ("02", "02", LEGACY, True),
        ("02", "00716", LEGACY, True),
        ("02", "00715", NEW, True),  # the reused commune code lies under 02 on the new map too
        ("02", "01279", LEGACY, False),
        ("02", "04", NEW, False),
        ("02", "VN", LEGACY, False),
        ("026", "00720", LEGACY, False),  # a sibling district's commune
        ("00715", "026", LEGACY, False),  # never upwards
    ],
)
def test_may_see(scope: str, unit: str, on: date, visible: bool) -> None:
    role = Role.NATIONAL if scope == "VN" else Role.PROVINCIAL
    assert may_see(Caller("u", role, scope), unit, on, catalog_view()) is visible
