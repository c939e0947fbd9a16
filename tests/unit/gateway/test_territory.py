"""A scope across the 1 July 2025 map change, on the tiny literal merger (see merger.py)."""

from __future__ import annotations

from datetime import date

import pytest

from dantoc_contracts.access import Role
from dantoc_contracts.catalog_view import CatalogView
from dantoc_gateway.domain.access import Caller, may_see
from dantoc_gateway.domain.territory import NO_REACH, reach_of
from tests.support.gateway.merger import EFFECTIVE, merger_view

LEGACY, CURRENT = date(2024, 12, 31), date(2025, 12, 31)

# (scope, units seen on the legacy map (2024), units seen on the current map (2025))
SEEN = [
    # the new 56 sees the old 56, the old 58 merged into it (its province conversion), the communes of 58 that went
    # into it (22830 only partly) and 582; not 584, whose only commune went partly to 68; nothing of the old 68
    ("56", {"56", "568", "22510", "22513", "58", "582", "22810", "22813", "22830"}, {"56", "22510", "22810"}),
    # the new 68 sees its old self and the commune of the old 58 part of which it received; not 584 nor 58
    ("68", {"68", "672", "24900", "22830"}, {"68", "24900"}),
    # the old 58 sees its subtree, and on the new map the communes its communes went into, not the new province 56
    ("58", {"58", "582", "22810", "22813", "584", "22830"}, {"22810", "24900"}),
    # a legacy district reaches the current communes of its own communes only
    ("584", {"584", "22830"}, {"22810", "24900"}),
    # a current commune sees the legacy communes that formed it, and the legacy district wholly inside it
    ("22810", {"22810", "22813", "582", "22830"}, {"22810"}),
]
EVERY_LEGACY = {"56", "568", "22510", "22513", "58", "582", "22810", "22813", "584", "22830", "68", "672", "24900"}
EVERY_CURRENT = {"56", "22510", "22810", "68", "24900"}


def _seen(scope: str, on: date, codes: set[str], view: CatalogView | None = None) -> set[str]:
    view = view or merger_view()
    caller = Caller("u", Role.PROVINCIAL, scope, reach=reach_of(scope, view))
    return {code for code in codes | {"VN"} if may_see(caller, code, on, view)}


@pytest.mark.parametrize(("scope", "legacy", "current"), SEEN)
def test_what_a_scope_sees_on_each_map(scope: str, legacy: set[str], current: set[str]) -> None:
    assert _seen(scope, LEGACY, EVERY_LEGACY) == legacy
    assert _seen(scope, CURRENT, EVERY_CURRENT) == current


def test_the_change_takes_effect_on_its_day() -> None:
    reach = reach_of("58", merger_view())
    assert not reach.reaches("22810", EFFECTIVE.replace(day=30, month=6))  # the last legacy day: literal map only
    assert reach.reaches("22810", EFFECTIVE)


@pytest.mark.parametrize("scope", ["VN", "99"])
def test_the_nation_and_unknown_scopes_reach_nothing(scope: str) -> None:
    assert reach_of(scope, merger_view()) == NO_REACH


def test_without_conversion_records_a_scope_is_read_literally() -> None:
    view = merger_view()
    for key in [k for k in view.records if k.startswith("conversion|")]:
        view.apply(key, None)
    assert reach_of("56", view) == NO_REACH
    assert _seen("56", LEGACY, EVERY_LEGACY, view) == {"56", "568", "22510", "22513"}
