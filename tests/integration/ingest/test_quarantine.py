"""The quarantine rule on the real broker and both databases: an outbox row that cannot be delivered for what it
is, and a submissions record that decodes but cannot be applied, are set aside (parked, dead-lettered, counted)
and the next rows and records go on within seconds; `replay-parked` applies a parked record after the fix."""

from __future__ import annotations

import asyncio
import base64
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from dantoc_contracts import topics
from dantoc_contracts.bounds import MAX_MESSAGE_BYTES
from dantoc_contracts.catalog import IndicatorGroupPublished, catalog_key
from dantoc_contracts.envelope import Envelope, utc_now
from dantoc_contracts.messages import encode
from dantoc_ingest.db.models import OutboxRow, ParkedRow
from dantoc_ingest.services.quarantine import CATALOG_FOLLOWER, RELAY, Record
from dantoc_ingest.services.replay import replay_parked
from tests.support.ingest.requests import request, send
from tests.support.ingest.serving import Ingest
from tests.support.kafka import eventually, read_topic

Headers = Callable[..., dict[str, str]]
METRIC = "dantoc_quarantined_records_total"


async def parked(ingest: Ingest) -> list[tuple[str, int, str, str]]:
    async with ingest.app.state.ctx.uow(read_only=True) as uow:
        return [(r.topic, r.offset, r.consumer, r.error_class) for r in await uow.repo.parked()]


def other_agency(submission_id: str) -> dict[str, object]:
    values = [{"indicator": "0101", "value": 7}]
    return {
        "submission_id": submission_id,
        "agency": "BDT-04",
        "unit_code": "01234",
        "period": "2024",
        "values": values,
    }


async def test_an_oversized_outbox_row_is_parked_and_the_next_agency_is_delivered(
    ingest: Ingest, token: Headers
) -> None:
    too_large = os.urandom(MAX_MESSAGE_BYTES + 1024)  # incompressible, over the producer's and broker's limit
    async with ingest.app.state.ctx.uow() as uow:
        uow.repo.add_outbox(
            OutboxRow(topic=topics.VALUES_ACCEPTED.name, key="00715", payload=too_large, created_at=utc_now())
        )
        await uow.commit()
    ingest.app.state.relay.wake()
    answer = await ingest.client.post("/submissions", json=other_agency("next-1"), headers=token("BDT-04", "04"))
    assert answer.status_code == 200, answer.text
    [event] = await ingest.events(topics.VALUES_ACCEPTED, 1)
    assert event.payload.submission_id == "next-1"
    [letter] = await ingest.events(topics.DEAD_LETTER, 1)
    assert letter.payload.consumer == RELAY
    assert letter.payload.value_truncated
    assert letter.payload.value_bytes == len(too_large)
    assert letter.payload.source_topic == ingest.topic(topics.VALUES_ACCEPTED)
    [(topic, _, consumer, error_class)] = await parked(ingest)
    assert (topic, consumer, error_class) == (
        ingest.topic(topics.VALUES_ACCEPTED),
        RELAY,
        "aiokafka.MessageSizeTooLargeError",
    )
    metrics = (await ingest.client.get("/metrics")).text
    assert f'{METRIC}{{consumer="{RELAY}",service="ingest",topic="{topic}"}} 1.0' in metrics
    await ingest.state("next-1", token("BDT-04", "04"), "published")
    async with ingest.app.state.ctx.uow(read_only=True) as uow:
        assert await uow.repo.unsent_count() == 0


async def _refuse(ingest: Ingest, submission_id: str) -> None:
    """Make the database refuse one submission id (a constraint the record breaks), as a poison record would."""
    async with ingest.app.state.ctx.uow() as uow:
        if uow.repo.dialect == "postgresql":
            await uow.repo.session.execute(
                text(f"ALTER TABLE submissions ADD CONSTRAINT test_refused CHECK (submission_id <> '{submission_id}')")
            )
        else:
            await uow.repo.session.execute(
                text(
                    "CREATE TRIGGER test_refused BEFORE INSERT ON submissions "
                    f"WHEN NEW.submission_id = '{submission_id}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
        await uow.commit()


async def _allow(ingest: Ingest) -> None:
    async with ingest.app.state.ctx.uow() as uow:
        if uow.repo.dialect == "postgresql":
            await uow.repo.session.execute(text("ALTER TABLE submissions DROP CONSTRAINT test_refused"))
        else:
            await uow.repo.session.execute(text("DROP TRIGGER test_refused"))
        await uow.commit()


async def test_a_record_that_cannot_be_applied_is_parked_and_replayed_after_the_fix(
    ingest: Ingest, token: Headers
) -> None:
    await _refuse(ingest, "poison-1")
    poison = request("poison-1")
    await send(ingest, (b"00715", poison), (b"00715", request("after-1", value="9")))
    [event] = await ingest.events(topics.VALUES_ACCEPTED, 1)
    assert event.payload.submission_id == "after-1"
    source = ingest.topic(topics.SUBMISSIONS)
    group = ingest.app.state.consumer.guard.consumer
    [(topic, offset, consumer, _)] = await eventually(lambda: parked(ingest), timeout=10)
    assert (topic, offset, consumer) == (source, 0, group)
    [letter] = await ingest.events(topics.DEAD_LETTER, 1)
    assert (letter.payload.source_topic, letter.payload.offset) == (source, 0)
    assert base64.b64decode(letter.payload.value_b64) == poison
    metrics = (await ingest.client.get("/metrics")).text
    assert f'{METRIC}{{consumer="{group}",service="ingest",topic="{source}"}} 1.0' in metrics
    # nothing already accepted was changed; after the fix the parked record applies and leaves the table
    assert (await ingest.client.get("/submissions/poison-1", headers=token())).status_code == 404
    await _allow(ingest)
    result = await replay_parked(ingest.app.state.ctx, producer=None)
    assert (result.applied, result.failed) == (1, 0)
    assert await parked(ingest) == []
    state = await ingest.state("poison-1", token(), "published")
    assert state["channel"] == "kafka"


async def test_replay_parked_command_sends_a_parked_outbox_row_again(ingest: Ingest) -> None:
    target = ingest.topic(topics.SUBMISSIONS_REJECTED)
    async with ingest.app.state.ctx.uow() as uow:
        uow.repo.park(
            ParkedRow(
                topic=target,
                partition=-1,
                offset=99,
                key=b"00715",
                value=b'{"fixed": true}',
                reason="aiokafka.MessageSizeTooLargeError: too large (before the limit was raised)",
                error_class="aiokafka.MessageSizeTooLargeError",
                consumer=RELAY,
                parked_at=utc_now(),
            )
        )
        await uow.commit()
    env = {
        **os.environ,
        "DANTOC_INGEST_DATABASE_URL": ingest.database_url,
        "KAFKA_BOOTSTRAP_SERVERS": ingest.bootstrap,
        "DANTOC_TOPIC_NAMESPACE": ingest.namespace,
    }
    command = [sys.executable, "-m", "dantoc_ingest", "replay-parked", "--all"]
    done = await asyncio.to_thread(subprocess.run, command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "applied 1, still failing 0" in done.stdout
    assert await parked(ingest) == []
    records = await read_topic(ingest.bootstrap, target, until=lambda r: len(r) >= 1)
    assert [r.value for r in records] == [b'{"fixed": true}']


async def test_an_unreadable_catalog_record_is_parked_once_and_the_cache_goes_on(ingest: Ingest) -> None:
    catalog_topic = ingest.topic(topics.CATALOG)
    group = IndicatorGroupPublished(code="98", name_vi="Nhóm thử", name_en="Test group")
    envelope = Envelope[IndicatorGroupPublished](type=group.kind, producer="test", payload=group)
    producer = AIOKafkaProducer(bootstrap_servers=ingest.bootstrap, enable_idempotence=True, acks="all")
    await producer.start()
    try:  # every record of the key on one partition: the unreadable one first, then a good one after it
        garbage = await producer.send_and_wait(catalog_topic, b'{"type": "indicator_group.pub', key=b"group|98")
        await producer.send_and_wait(catalog_topic, encode(envelope), key=catalog_key(group).encode())
    finally:
        await producer.stop()
    cache = ingest.app.state.catalog
    await eventually(lambda: _folded(cache, catalog_key(group)), timeout=20)
    [(topic, offset, consumer, error)] = await eventually(lambda: parked(ingest), timeout=10)
    assert (topic, offset, consumer) == (catalog_topic, garbage.offset, CATALOG_FOLLOWER)
    assert error == "pydantic_core.ValidationError"
    [letter] = await ingest.events(topics.DEAD_LETTER, 1)
    assert (letter.payload.source_topic, letter.payload.offset) == (catalog_topic, garbage.offset)
    metrics = (await ingest.client.get("/metrics")).text
    assert f'{METRIC}{{consumer="{CATALOG_FOLLOWER}",service="ingest",topic="{catalog_topic}"}} 1.0' in metrics
    # The topic is read again from the beginning at every start: the same record is not parked twice.
    record = Record(catalog_topic, garbage.partition, garbage.offset, b"group|98", b"{")
    await cache.park(record, ValueError("read again"))
    assert len(await parked(ingest)) == 1


async def _folded(cache: Any, key: str) -> bool:
    return key in cache.view.records
