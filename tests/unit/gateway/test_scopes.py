"""Who sees what, read on the map valid at each period's end."""

from __future__ import annotations

from datetime import date

import pytest

from dantoc_contracts.access import Principal, Right, Role
from dantoc_gateway.domain.access import AGENCY_NOTE, Caller, caller_of, may_see
from dantoc_gateway.domain.problems import ProblemError
from tests.support.gateway.literal import catalog_view

LEGACY, NEW = date(2024, 12, 31), date(2025, 12, 31)
READ_ONLY, SUBMIT_ONLY = frozenset({Right.READ}), frozenset({Right.SUBMIT})


@pytest.mark.parametrize(
    ("principal", "scope", "units", "note"),
    [
        (Principal("u", "", Role.NATIONAL, "VN"), "VN", None, None),  # an operator's national token: everything
        (Principal("u", "BDTTG", Role.NATIONAL, "VN", READ_ONLY), "VN", None, None),
        (Principal("u", "BDTTG", Role.NATIONAL, "02"), "02", None, None),  # the token's scope narrows it
        (Principal("u", "BDT", Role.PROVINCIAL, "02"), "02", None, None),
        (Principal("u", "SYT-02", Role.PROVINCIAL, "VN"), "02", None, None),  # the agency's registered scope narrows
        (Principal("u", "SYT-02", Role.PROVINCIAL, "026"), "026", None, None),
        # an agency: the units it submitted for within its scopes (00716 is beside its registered 00715)
        (Principal("u", "UBNDX-00715", Role.AGENCY, "02"), "00715", frozenset({"00715"}), AGENCY_NOTE),
        (Principal("u", "UBNDX-00715", Role.AGENCY, "00716"), None, None, None),  # disjoint scopes: nothing
    ],
)
def test_caller_scope(principal: Principal, scope: str | None, units: frozenset[str] | None, note: str | None) -> None:
    if scope is None:
        with pytest.raises(ProblemError) as refused:
            caller_of(principal, catalog_view(), submitted=["00715", "00716"])
        assert (refused.value.status, refused.value.items[0].code) == (403, "outside_scope")
        return
    caller = caller_of(principal, catalog_view(), submitted=["00715", "00716"])
    assert (caller.scope, caller.units, caller.note) == (scope, units, note)


@pytest.mark.parametrize(
    ("principal", "code"),
    [
        (Principal("u", "BDTTG", Role.NATIONAL, "VN", SUBMIT_ONLY), "read_right_required"),
        (Principal("u", "", Role.NATIONAL, "VN", frozenset()), "read_right_required"),
        (Principal("u", "SO-LA", Role.PROVINCIAL, "02"), "agency_not_registered"),
        (Principal("u", "SO-LA", Role.NATIONAL, "VN"), "agency_not_registered"),  # a national token naming one too
        (Principal("u", "SYT-02", Role.PROVINCIAL, "04"), "outside_scope"),  # a province beside its registered one
        (Principal("u", "", Role.PROVINCIAL, "02"), "agency_not_registered"),
    ],
)
def test_callers_refused(principal: Principal, code: str) -> None:
    with pytest.raises(ProblemError) as refused:
        caller_of(principal, catalog_view())
    assert (refused.value.status, [p.code for p in refused.value.items]) == (403, [code])


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
    caller = caller_of(Principal("u", "SYT-02", Role.AGENCY, "VN"), catalog_view(), submitted=submitted)
    assert not caller.sees_everything  # not even with the scope VN on its token
    assert may_see(caller, unit, on, catalog_view()) is visible
