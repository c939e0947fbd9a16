"""The outbox: a change committed while nothing publishes is published later, once, in order; a failed send
leaves it pending."""

from __future__ import annotations

import pytest

from dantoc_catalog.db.migrate import upgrade_head
from dantoc_catalog.domain.catalogue_file import FileFormat, write_catalogue
from dantoc_catalog.kafka.relay import CatalogPublisher, make_producer
from dantoc_catalog.metrics import CatalogMetrics
from dantoc_catalog.services.catalogue import import_catalogue
from dantoc_catalog.services.seed import SeedData, package_data_dir, seed_if_empty
from dantoc_contracts.topics import CATALOG, topic_name
from tests.support.catalog.serving import ENVELOPES, unit_of_work_factory
from tests.support.kafka import read_topic

pytestmark = pytest.mark.integration


def publisher(uow_factory, kafka: str, topic: str) -> CatalogPublisher:
    return CatalogPublisher(
        producer=make_producer(kafka), topic=topic, dead_letter_topic=f"{topic}.dead",
        uow_factory=uow_factory, metrics=CatalogMetrics(),
        interval=0.2, batch_size=2,
    )  # fmt: skip


async def test_a_change_committed_before_a_crash_is_published_on_restart(
    database_url: str, kafka: str, namespace: str, seed_data: SeedData
) -> None:
    topic = topic_name(CATALOG, namespace)
    await upgrade_head(database_url)
    async with unit_of_work_factory(database_url) as uow_factory:
        await seed_if_empty(uow=uow_factory(), directory=package_data_dir())
        # An import commits (the process then dies before anything is published): its records wait in the outbox.
        kept = [d for d in seed_data.definitions if d.code not in ("0103", "0105", "0107")]
        await import_catalogue(uow=uow_factory(), data=write_catalogue(kept, file_format=FileFormat.CSV), dry_run=False)
        async with uow_factory() as uow:
            assert await uow.outbox.backlog() == 3

        # The next process relays them (two per round trip here), in order, and marks them sent.
        relay = publisher(uow_factory, kafka, topic)
        await relay._producer.start()
        try:
            assert await relay.relay_pending() == 3
            assert await relay.relay_pending() == 0  # nothing is sent twice
        finally:
            await relay.stop()
        async with uow_factory() as uow:
            assert await uow.outbox.backlog() == 0

    records = await read_topic(kafka, topic, until=lambda found: len(found) >= 3, timeout=30)
    assert [(r.key, r.value) for r in records] == [
        (b"indicator|0103", None),
        (b"indicator|0105", None),
        (b"indicator|0107", None),
    ]


async def test_messages_stay_pending_while_the_broker_cannot_be_reached(
    sqlite_url: str, seed_data: SeedData, namespace: str
) -> None:
    await upgrade_head(sqlite_url)
    async with unit_of_work_factory(sqlite_url) as uow_factory:
        await seed_if_empty(uow=uow_factory(), directory=package_data_dir())
        kept = [d for d in seed_data.definitions if d.code != "0105"]
        await import_catalogue(uow=uow_factory(), data=write_catalogue(kept, file_format=FileFormat.CSV), dry_run=False)
        relay = publisher(uow_factory, "127.0.0.1:1", topic_name(CATALOG, namespace))
        with pytest.raises(Exception):  # noqa: B017, PT011 - aiokafka's connection error types vary by version
            await relay._producer.start()
        await relay.stop()
        async with uow_factory() as uow:
            [pending] = await uow.outbox.pending(10)
        assert pending.key == "indicator|0105"
        assert pending.value is None


async def test_outbox_values_are_catalog_envelopes(sqlite_url: str, seed_data: SeedData) -> None:
    await upgrade_head(sqlite_url)
    async with unit_of_work_factory(sqlite_url) as uow_factory:
        await seed_if_empty(uow=uow_factory(), directory=package_data_dir())
        changed = [
            d if d.code != "0101" else d.__class__(**{**vars(d), "name_en": "Renamed"}) for d in seed_data.definitions
        ]
        await import_catalogue(
            uow=uow_factory(), data=write_catalogue(changed, file_format=FileFormat.CSV), dry_run=False
        )
        async with uow_factory() as uow:
            [message] = await uow.outbox.pending(10)
    assert message.value is not None
    envelope = ENVELOPES.validate_json(message.value)
    assert (envelope.producer, envelope.type, envelope.payload.versions[0].name_en) == (
        "catalog",
        "IndicatorPublished",
        "Renamed",
    )
