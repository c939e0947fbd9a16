"""The package's data files: the counts the issue promises, and the invariants the service relies on."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from dantoc_catalog.services.seed import SeedData, load_seed_data, package_data_dir

NEW_MAP = date(2025, 7, 1)


@pytest.fixture(scope="module")
def data() -> SeedData:
    return load_seed_data(package_data_dir())


def test_starter_catalogue_has_78_indicators(data: SeedData) -> None:
    assert len({d.code for d in data.definitions}) == 78


def test_54_ethnic_groups_in_both_official_lists(data: SeedData) -> None:
    assert len({g.code for g in data.ethnic_groups}) == 54
    assert len({g.code_gso_2008 for g in data.ethnic_groups}) == 54
    coinciding = sum(g.code == g.code_gso_2008 for g in data.ethnic_groups)
    assert coinciding == 17  # "only 17 of 54 codes coincide"
    extra = {i.code for i in data.code_items if i.list_id == "ethnic_extra"}
    assert extra == {"00", "99", "55"}


def test_both_maps_have_the_official_counts(data: SeedData) -> None:
    counts = Counter((u.level.value, "current" if u.valid_from == NEW_MAP else "legacy") for u in data.units)
    assert counts == {
        ("province", "legacy"): 63,
        ("district", "legacy"): 696,
        ("commune", "legacy"): 10_035,
        ("province", "current"): 34,
        ("commune", "current"): 3_321,
    }


def test_every_legacy_commune_and_province_has_a_conversion(data: SeedData) -> None:
    communes = [c for c in data.conversions if len(c.old_code) == 5]
    assert len(communes) == 10_597
    assert len({c.old_code for c in communes}) == 10_035
    assert Counter(c.kind for c in communes) == {"whole": 9_564, "partial": 1_033}
    assert len([c for c in data.conversions if len(c.old_code) == 2]) == 63
    current = {u.code for u in data.units if u.valid_from == NEW_MAP}
    assert {c.new_code for c in data.conversions} <= current


def test_one_ethnic_affairs_agency_per_current_province(data: SeedData) -> None:
    provinces = {u.code for u in data.units if u.valid_from == NEW_MAP and u.level.value == "province"}
    committees = {a.scope_unit_code for a in data.agencies if a.agency_type == "BDT"}
    assert committees == provinces
    assert {a.scope_unit_code for a in data.agencies if a.agency_type == "BDTTG"} == {"VN"}


def test_the_ministry_writes_for_every_agency_type(data: SeedData) -> None:
    types = {i.code for i in data.code_items if i.list_id == "agency"}
    (ministry,) = [a for a in data.agencies if a.agency_type == "BDTTG"]
    assert set(ministry.writes_for) | {"BDTTG"} == types


def test_a_province_committee_writes_for_the_types_without_an_agency_there(data: SeedData) -> None:
    types = {i.code for i in data.code_items if i.list_id == "agency"}
    for committee in [a for a in data.agencies if a.agency_type == "BDT"]:
        present = {a.agency_type for a in data.agencies if a.scope_unit_code == committee.scope_unit_code}
        assert set(committee.writes_for) == types - present - {"BDTTG"}, committee.code
    by_code = {a.code: a for a in data.agencies}
    assert "SYT" not in by_code["BDT-08"].writes_for
    assert "SGDDT" not in by_code["BDT-08"].writes_for
    assert {"SYT", "SGDDT", "CTK", "SNV", "UBNDX"} <= set(by_code["BDT-01"].writes_for)
    assert all(not a.writes_for for a in data.agencies if a.agency_type not in ("BDT", "BDTTG"))
