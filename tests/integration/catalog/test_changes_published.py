"""Admin changes reach the topic: a new version closes the previous one, an import's removals become tombstones."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import pytest
from aiokafka import ConsumerRecord

from dantoc_catalog.domain.catalogue_file import FileFormat, write_catalogue
from dantoc_catalog.services.seed import SeedData
from dantoc_contracts.catalog import IndicatorPublished
from dantoc_contracts.topics import CATALOG, topic_name
from tests.support.catalog.serving import AUTH, RunningCatalog, catalog_settings, rebuild_view, running_catalog
from tests.support.kafka import eventually, read_topic

pytestmark = pytest.mark.integration

NEW_VERSION = {
    "effective_from": "2026-01-01",
    "name_vi": "Dân số người dân tộc thiểu số (định nghĩa 2026)",
    "name_en": "Ethnic minority population (2026 definition)",
    "unit_vi": "Người",
    "unit_en": "persons",
    "value_type": "integer",
    "aggregation": "LAST",
    "disaggregations": ["ethnic_group", "sex"],
    "lowest_level": "commune",
    "period_type": "year",
    "agency": "CTK",
    "min_value": "0",
}


async def test_changes_are_published_and_a_fresh_consumer_still_matches(
    sqlite_url: str, kafka: str, namespace: str, seed_data: SeedData, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="dantoc_catalog")
    topic = topic_name(CATALOG, namespace)
    async with running_catalog(catalog_settings(sqlite_url, kafka, namespace)) as catalog:
        # An administrator adds version 2 of 0101, in force from 2026.
        response = await catalog.client.post("/admin/indicators/0101/versions", json=NEW_VERSION, headers=AUTH)
        assert response.status_code == 201, response.text

        # The topic gets the indicator with both versions, the first now ending on 2025-12-31.
        def has_two_versions(records: list[ConsumerRecord[Any, Any]]) -> bool:
            return any(r.key == b"indicator|0101" and b'"version":2' in (r.value or b"") for r in records)

        await read_topic(kafka, topic, until=has_two_versions, timeout=30)

        # An import without 0105 and 0107 removes them: each gets a tombstone.
        kept = [d for d in seed_data.definitions if d.code not in ("0105", "0107")]
        file = write_catalogue(kept, file_format=FileFormat.CSV)
        response = await catalog.client.post("/admin/imports", files={"file": ("catalogue.csv", file)}, headers=AUTH)
        assert response.status_code == 200, response.text
        assert response.json()["removed"] == ["0105", "0107"]
        assert "0101" in response.json()["changed"]  # the file has version 1 only: version 2 is gone again

        def tombstoned(records: list[ConsumerRecord[Any, Any]]) -> bool:
            return {b"indicator|0105", b"indicator|0107"} <= {r.key for r in records if r.value is None}

        await read_topic(kafka, topic, until=tombstoned, timeout=30)
        await _eventually_all_sent(catalog)
        expected = await catalog.records()

        # Start-up, the new version and the import each left their log line; /metrics counts every message sent.
        [published] = _logged(caplog, "catalog.published")
        assert (published.topic, published.duration_ms > 0) == (topic, True)
        assert [(r.indicator, r.version) for r in _logged(caplog, "catalog.version_added")] == [("0101", 2)]
        [imported] = _logged(caplog, "catalog.import_accepted")
        assert (imported.kind, imported.count, imported.removed, imported.dry_run) == ("indicators", 76, 2, False)
        changes = sum(r.count for r in _logged(caplog, "catalog.changes_published"))
        assert changes > 0
        text = (await catalog.client.get("/metrics")).text
        series = f'faststream_published_messages_total{{app_name="dantoc-catalog",broker="kafka",destination="{topic}",'
        assert series + 'status="success"}' in text
        labels = {"app_name": "dantoc-catalog", "broker": "kafka", "destination": topic, "status": "success"}
        sent = catalog.container.metrics.registry.get_sample_value("faststream_published_messages_total", labels)
        assert sent == published.count + changes

    # A fresh consumer sees the catalog as the service holds it now.
    view, _ = await rebuild_view(kafka, namespace)
    assert view.records == expected
    assert "0105" not in view.indicators
    indicator = view.indicators["0101"]
    assert isinstance(indicator, IndicatorPublished)
    assert len(indicator.versions) == 1


async def test_the_new_version_closes_the_previous_one(sqlite_url: str, kafka: str, namespace: str) -> None:
    async with running_catalog(catalog_settings(sqlite_url, kafka, namespace)) as catalog:
        response = await catalog.client.post("/admin/indicators/0101/versions", json=NEW_VERSION, headers=AUTH)
        versions = response.json()["versions"]
        assert [(v["version"], v["effective_from"], v["effective_to"]) for v in versions] == [
            (1, "2019-01-01", "2025-12-31"),
            (2, "2026-01-01", None),
        ]
        await _eventually_all_sent(catalog)
        view, _ = await rebuild_view(kafka, namespace)
        assert view.records == await catalog.records()
        assert view.indicator_version("0101", date(2025, 12, 31)).version == 1  # type: ignore[union-attr]
        assert view.indicator_version("0101", date(2026, 12, 31)).version == 2  # type: ignore[union-attr]


def _logged(caplog: pytest.LogCaptureFixture, event: str) -> list[Any]:
    return [r for r in caplog.records if getattr(r, "event", None) == event]


async def _eventually_all_sent(catalog: RunningCatalog) -> None:
    async def backlog_empty() -> bool:
        async with catalog.container.uow_factory() as uow:
            return bool(await uow.outbox.backlog() == 0)

    await eventually(backlog_empty, timeout=30)
