"""The relay's quarantine rule on the real broker and both databases: an outbox message the broker refuses for its
size is parked and dead-lettered, the relay goes on with the next one, and replay-parked publishes the key again."""

from __future__ import annotations

import pytest

from dantoc_catalog.db.uow import UnitOfWorkFactory
from dantoc_catalog.kafka.relay import CatalogPublisher, make_producer
from dantoc_catalog.metrics import CatalogMetrics
from dantoc_catalog.services.replay import replay_parked
from dantoc_contracts.bounds import MAX_MESSAGE_BYTES
from dantoc_contracts.messages import adapter
from dantoc_contracts.topics import CATALOG, DEAD_LETTER, topic_name
from tests.support.kafka import read_topic

pytestmark = pytest.mark.integration
TOO_LARGE = MAX_MESSAGE_BYTES + 1024


async def test_a_too_large_message_is_parked_and_dead_lettered_and_the_relay_goes_on(
    seeded: UnitOfWorkFactory, kafka: str, namespace: str
) -> None:
    topic = topic_name(CATALOG, namespace)
    dead_topic = topic_name(DEAD_LETTER, namespace)
    async with seeded() as uow:
        await uow.outbox.add([("indicator|0103", None), ("indicator|0105", b"x" * TOO_LARGE), ("indicator|0107", None)])
        await uow.commit()
        [big] = [m for m in await uow.outbox.pending(10) if m.key == "indicator|0105"]
    metrics = CatalogMetrics()
    relay = CatalogPublisher(
        producer=make_producer(kafka), topic=topic, dead_letter_topic=dead_topic, uow_factory=seeded,
        metrics=metrics, interval=0.2, batch_size=10,
    )  # fmt: skip
    await relay._producer.start()
    try:
        assert await relay.relay_pending() == 2
    finally:
        await relay.stop()

    async with seeded() as uow:
        assert await uow.outbox.backlog() == 0  # the relay's position is past the parked message
        [parked] = await uow.parked.all()
        assert await uow.parked.not_dead_lettered() == []
    assert (parked.topic, parked.offset, parked.key) == (topic, big.id, b"indicator|0105")
    assert parked.error_class == "aiokafka.MessageSizeTooLargeError"
    assert parked.value == b"x" * TOO_LARGE
    quarantined = metrics.registry.get_sample_value(
        "dantoc_quarantined_records_total", {"service": "catalog", "consumer": "catalog-relay", "topic": topic}
    )
    assert quarantined == 1

    delivered = await read_topic(
        kafka, topic, until=lambda found: bool(found) and found[-1].key.endswith(b"0107"), timeout=30
    )
    # in order; a record the batch delivered before the refused one may be sent again by the record-by-record pass
    keys = [r.key for r in delivered]
    assert sorted(set(keys)) == [b"indicator|0103", b"indicator|0107"]
    assert keys[-1] == b"indicator|0107"
    [letter] = await read_topic(kafka, dead_topic, until=lambda found: len(found) >= 1, timeout=30)
    event = adapter(DEAD_LETTER.name).validate_json(letter.value).payload
    assert (event.source_topic, event.offset, event.consumer) == (topic, big.id, "catalog-relay")
    assert event.value_truncated
    assert event.value_bytes == TOO_LARGE

    # After the fix (here: the key's current record is an ordinary one), replay publishes it and forgets the row.
    producer = make_producer(kafka)
    await producer.start()
    try:
        report = await replay_parked(seeded, producer)
    finally:
        await producer.stop()
    assert report.replayed == [parked.id]
    assert report.still_failing == {}
    async with seeded() as uow:
        assert await uow.parked.all() == []
    records = await read_topic(kafka, topic, until=lambda found: len(found) > len(delivered), timeout=30)
    assert records[-1].key == b"indicator|0105"
    assert records[-1].value is not None
