"""A fresh consumer rebuilds, from the catalog topic alone, exactly the catalog the service holds."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from dantoc_contracts.catalog import UnitConversionPublished
from tests.support.catalog.serving import catalog_settings, rebuild_view, running_catalog

pytestmark = pytest.mark.integration


async def test_a_fresh_consumer_rebuilds_exactly_the_catalog(database_url: str, kafka: str, namespace: str) -> None:
    # The service starts on an empty database: it migrates, seeds from the package data and publishes it all.
    started = time.perf_counter()
    async with running_catalog(catalog_settings(database_url, kafka, namespace)) as catalog:
        startup = time.perf_counter() - started
        publish = catalog.container.metrics.startup_publish_seconds._value.get()
        expected = await catalog.records()
    # A consumer that knows nothing reads the topic from the beginning into a CatalogView.
    started = time.perf_counter()
    view, read = await rebuild_view(kafka, namespace)
    rebuild = time.perf_counter() - started
    print(f"\n[{database_url.split(':')[0]}] start-up {startup:.2f}s (publish {publish:.2f}s), "
          f"fresh consumer read {read} messages in {rebuild:.2f}s")  # fmt: skip

    # Every record it holds is the service's record, and it holds every one of them.
    assert set(view.records) == set(expected)
    mismatched = [key for key, record in expected.items() if view.records[key] != record]
    assert mismatched == []

    # The counts the issue promises, as a consumer sees them.
    assert len(view.indicators) == 78
    assert view.ethnic is not None
    assert len(view.ethnic.groups) == 54
    assert (
        len({g.code_gso_1979 for g in view.ethnic.groups}) == len({g.code_gso_2008 for g in view.ethnic.groups}) == 54
    )
    assert {c.code for c in view.ethnic.extra_codes} == {"00", "99", "55"}
    maps = Counter((u.level.value, "current" if u.valid_from else "legacy") for u in view.units())
    assert maps == {
        ("province", "legacy"): 63,
        ("district", "legacy"): 696,
        ("commune", "legacy"): 10_035,
        ("province", "current"): 34,
        ("commune", "current"): 3_321,
    }
    communes = [c for c in view.conversions.values() if len(c.old_code) == 5]
    assert len(communes) == 10_035
    assert sum(len(c.targets) for c in communes) == 10_597
    assert len([c for c in view.conversions.values() if len(c.old_code) == 2]) == 63
    assert all(isinstance(c, UnitConversionPublished) for c in view.conversions.values())
    assert len(view.agencies) == 44
    assert len(view.groups) == 14
    assert set(view.code_lists) == {
        "sex",
        "age_group",
        "residence",
        "ethnic_extra",
        "agency",
        "period_type",
        "unit_level",
    }
