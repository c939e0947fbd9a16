"""The one authorization policy, table by table: claims → principal, scope ∩ registered scope, who writes what."""

from __future__ import annotations

from datetime import date

import pytest

from dantoc_contracts.access import (
    ALL_RIGHTS,
    InvalidClaims,
    Principal,
    Right,
    Role,
    effective_scopes,
    may_write_indicator,
    principal_from_claims,
    within_scope,
)
from dantoc_contracts.catalog import AdminUnitPublished, AgencyPublished, catalog_key
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import UnitLevel

LEGACY = date(2024, 12, 31)


def unit(code: str, level: UnitLevel, parent: str | None) -> AdminUnitPublished:
    return AdminUnitPublished(
        code=code, level=level, name=f"U{code}", type="Xã", parent_code=parent, valid_from=None, valid_to=None
    )


def agency(code: str, kind: str, scope: str, writes_for: list[str] | None = None) -> AgencyPublished:
    return AgencyPublished(
        code=code, name_vi=code, name_en=code, agency_type=kind, scope_unit_code=scope, writes_for=writes_for or []
    )


@pytest.fixture(scope="module")
def catalog() -> CatalogView:
    view = CatalogView()
    records: list[AdminUnitPublished | AgencyPublished] = [
        unit("02", UnitLevel.PROVINCE, None),
        unit("026", UnitLevel.DISTRICT, "02"),
        unit("00715", UnitLevel.COMMUNE, "026"),
        unit("04", UnitLevel.PROVINCE, None),
        unit("00001", UnitLevel.COMMUNE, "04"),
        agency("BDTTG", "BDTTG", "VN", ["BDT", "SYT", "CTK"]),
        agency("SYT-02", "SYT", "02"),
        agency("SGDDT-02", "SGDDT", "02"),
        agency("BDT-02", "BDT", "02", ["SNV", "UBNDX"]),
        agency("UBNDX-00715", "UBNDX", "00715"),
    ]
    for record in records:
        view.apply(catalog_key(record), record)
    return view


def who(role: Role, scope: str, agency_code: str) -> Principal:
    return Principal(f"{agency_code}:{role}", agency_code, role, scope)


@pytest.mark.parametrize(
    ("claims", "rights"),
    [
        ({"sub": "a", "role": "provincial", "scope": "02", "agency": "BDT-02"}, ALL_RIGHTS),
        ({"sub": "a", "role": "provincial", "scope": "02", "agency": "BDT-02", "rights": ["read"]}, {Right.READ}),
        ({"sub": "a", "role": "agency", "scope": "02", "agency": "SYT-02", "rights": "submit"}, {Right.SUBMIT}),
        ({"sub": "a", "role": "national", "scope": "VN"}, ALL_RIGHTS),
    ],
)
def test_claims_make_a_principal_with_its_rights(claims: dict[str, object], rights: set[Right]) -> None:
    assert principal_from_claims(claims).rights == rights


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"sub": "a", "role": "king", "scope": "02", "agency": "x"}, "role must be one of"),
        ({"sub": "", "role": "national", "scope": "VN"}, "non-empty"),
        ({"sub": "a", "role": "provincial", "scope": "02"}, "needs the agency claim"),
        ({"sub": "a", "role": "agency", "scope": "02", "agency": "x", "rights": ["write"]}, "unknown rights: write"),
        ({"sub": "a", "role": "agency", "scope": "02", "agency": "x", "rights": 7}, "rights must be a list"),
        ({"sub": "a", "role": "agency", "scope": "02", "agency": 5}, "agency must be a string"),
    ],
)
def test_claims_that_make_no_principal_say_why(claims: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidClaims, match=message):
        principal_from_claims(claims)


@pytest.mark.parametrize(
    ("principal", "unit_code", "inside"),
    [
        (who(Role.NATIONAL, "VN", "BDTTG"), "00001", True),
        (who(Role.PROVINCIAL, "02", "BDT-02"), "00715", True),
        (who(Role.PROVINCIAL, "02", "BDT-02"), "00001", False),
        # a token that claims more than its agency is registered for gets only the agency's scope
        (who(Role.PROVINCIAL, "VN", "BDT-02"), "00001", False),
        (who(Role.PROVINCIAL, "VN", "BDT-02"), "00715", True),
        (who(Role.AGENCY, "02", "UBNDX-00715"), "026", False),
        (who(Role.AGENCY, "02", "UBNDX-00715"), "00715", True),
        # an unregistered agency reaches nothing, whatever its token says
        (who(Role.PROVINCIAL, "02", "NOBODY"), "00715", False),
        (who(Role.NATIONAL, "VN", "NOBODY"), "00715", False),
        # a national operator's token that names no agency reaches everything (for reading: it can write nothing)
        (Principal("ops", "", Role.NATIONAL, "VN"), "00715", True),
    ],
)
def test_scope_is_the_token_scope_within_the_registered_one(
    catalog: CatalogView, principal: Principal, unit_code: str, inside: bool
) -> None:
    assert within_scope(principal, catalog, unit_code, LEGACY) is inside


@pytest.mark.parametrize(
    ("principal", "scopes"),
    [
        (who(Role.PROVINCIAL, "VN", "BDT-02"), ("02",)),
        (who(Role.PROVINCIAL, "026", "BDT-02"), ("026",)),
        (who(Role.PROVINCIAL, "04", "BDT-02"), ()),
        (who(Role.AGENCY, "02", "UBNDX-00715"), ("00715",)),
        (who(Role.PROVINCIAL, "02", "NOBODY"), ()),
        (Principal("ops", "", Role.NATIONAL, "VN"), ("VN",)),
    ],
)
def test_effective_scope_is_the_narrower_of_the_two(
    catalog: CatalogView, principal: Principal, scopes: tuple[str, ...]
) -> None:
    assert effective_scopes(principal, catalog) == scopes


@pytest.mark.parametrize(
    ("agency_code", "responsible", "allowed"),
    [
        ("SYT-02", "SYT", True),
        ("SGDDT-02", "SYT", False),  # one department cannot overwrite another's figures
        ("SYT-02", "SGDDT", False),
        ("BDT-02", "SNV", True),  # the catalog lets the committee enter figures for departments without accounts
        ("BDT-02", "SYT", False),
        ("BDTTG", "CTK", True),
        ("NOBODY", "SYT", False),
        ("", "SYT", False),
    ],
)
def test_an_indicator_is_written_by_its_responsible_agency_or_one_the_catalog_allows(
    catalog: CatalogView, agency_code: str, responsible: str, allowed: bool
) -> None:
    principal = Principal("s", agency_code, Role.PROVINCIAL, "VN")
    assert may_write_indicator(principal, catalog, responsible) is allowed
