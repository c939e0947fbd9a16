"""Who sees what, read on the map valid at each period's end."""

from __future__ import annotations

from datetime import date

import pytest

from dantoc_gateway.domain.access import AGENCY_NOTE, Caller, Claims, Role, caller_of, may_see
from tests.unit.gateway.literal import catalog_view

LEGACY, NEW = date(2024, 12, 31), date(2025, 12, 31)


@pytest.mark.parametrize(
    ("claims", "scope", "units", "note"),
    [
        (Claims("u", "BDTTG", Role.NATIONAL, "02", 0), "VN", None, None),  # the national role sees everything
        (Claims("u", "BDT", Role.PROVINCIAL, "02", 0), "02", None, None),
        # an agency: exactly the units it submitted for, whatever the token's scope or its registered scope says
        (Claims("u", "UBNDX-00715", Role.AGENCY, "02", 0), "02", frozenset({"00715"}), AGENCY_NOTE),
    ],
)
def test_caller_scope(claims: Claims, scope: str, units: frozenset[str] | None, note: str | None) -> None:
    caller = caller_of(claims, submitted=["00715"])
    assert (caller.scope, caller.units, caller.note) == (scope, units, note)


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


@pytest.mark.parametrize(
    ("submitted", "unit", "on", "visible"),
    [
        ({"00715"}, "00715", LEGACY, True),
        ({"00715"}, "00715", NEW, True),  # every period at the unit
        ({"00715"}, "00716", LEGACY, False),  # a neighbour
        ({"00715"}, "026", LEGACY, False),  # the district above
        ({"00715"}, "02", NEW, False),  # the province above
        ({"00715"}, "VN", LEGACY, False),
        (set(), "00715", LEGACY, False),  # nothing submitted, nothing seen
        ({"026"}, "00716", LEGACY, False),  # a district it submitted for, not the communes below it
    ],
)
def test_an_agency_sees_exactly_what_it_submitted_for(submitted: set[str], unit: str, on: date, visible: bool) -> None:
    caller = caller_of(Claims("u", "SYT-02", Role.AGENCY, "VN", 0), submitted=submitted)
    assert not caller.sees_everything  # not even with the scope VN on its token
    assert may_see(caller, unit, on, catalog_view()) is visible
