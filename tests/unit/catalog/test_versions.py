"""Version closing: each version ends the day before the next one starts; the last stays open."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from dantoc_catalog.domain.indicators import IndicatorGroup
from dantoc_catalog.domain.versions import closed_versions, next_version
from tests.support.catalog.rows import definition


def test_versions_are_closed_by_their_successor() -> None:
    v1 = definition()
    v2 = definition(version="2", effective_from="2024-01-01")
    v3 = definition(version="3", effective_from="2026-07-01")
    closed = closed_versions([v3, v1, v2])
    assert [(d.version, to) for d, to in closed] == [(1, date(2023, 12, 31)), (2, date(2026, 6, 30)), (3, None)]


def test_a_single_version_stays_in_force() -> None:
    assert closed_versions([definition()]) == [(definition(), None)]


def test_next_version_takes_the_number_after_the_last_and_the_indicator_group() -> None:
    versions = [definition(), definition(version="2", effective_from="2024-01-01")]
    draft = replace(definition(name_vi="Tên mới"), group=IndicatorGroup("01", "", ""), version=1)
    new = next_version(versions, draft)
    assert (new.version, new.name_vi, new.group) == (3, "Tên mới", versions[0].group)
