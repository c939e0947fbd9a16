"""The catalog follower's rules, with a fake broker: ready once it has read up to the end offsets seen at start; the
reading restarted after any failure (1 s doubling to 30 s, back to 1 s once a poll goes through), resumed where it
stopped, its last error kept; an unreadable record handed to the quarantine and the records after it folded."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from dantoc_contracts import topics
from dantoc_contracts.catalog import catalog_key
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from dantoc_contracts.topics import topic_name
from dantoc_gateway.domain.state import FeedStatus, ReadModelState
from dantoc_gateway.kafka.catalog_follower import BACKOFF_FIRST, CatalogFollower
from dantoc_gateway.metrics import GatewayMetrics
from tests.support.gateway.literal import CATALOG

TOPIC = topic_name(topics.CATALOG, "ns")
TP = TopicPartition(TOPIC, 0)
real_sleep = asyncio.sleep


@dataclass
class Message:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


def good_records() -> list[tuple[bytes | None, bytes | None]]:
    return [
        (catalog_key(r).encode(), encode(Envelope[Any](type=r.kind, producer="catalog", payload=r))) for r in CATALOG
    ]


@dataclass
class Broker:
    """The catalog topic (one partition) and what the consumers asked of it."""

    log: list[tuple[bytes | None, bytes | None]]
    failures: list[BaseException | None] = field(default_factory=list)  # per poll, in turn: raised (None: a poll)
    batch: int = 3
    seeks: list[int | None] = field(default_factory=list)  # None: to the beginning
    consumers: int = 0

    def consumer(self) -> AIOKafkaConsumer:
        self.consumers += 1
        return cast(AIOKafkaConsumer, FakeConsumer(self))


class FakeConsumer:
    def __init__(self, broker: Broker) -> None:
        self._broker = broker
        self._position: dict[TopicPartition, int] = {}
        self.stopped = False

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        self.stopped = True

    async def topics(self) -> set[str]:
        return {TOPIC}

    def assign(self, tps: list[TopicPartition]) -> None:
        self._position = dict.fromkeys(tps, 0)

    def assignment(self) -> set[TopicPartition]:
        return set(self._position)

    async def seek_to_beginning(self, tp: TopicPartition) -> None:
        self._broker.seeks.append(None)
        self._position[tp] = 0

    def seek(self, tp: TopicPartition, offset: int) -> None:
        self._broker.seeks.append(offset)
        self._position[tp] = offset

    async def end_offsets(self, tps: list[TopicPartition]) -> dict[TopicPartition, int]:
        return dict.fromkeys(tps, len(self._broker.log))

    async def position(self, tp: TopicPartition) -> int:
        return self._position[tp]

    def highwater(self, _tp: TopicPartition) -> int:
        return len(self._broker.log)

    async def getmany(self, timeout_ms: int, max_records: int) -> dict[TopicPartition, list[Message]]:
        await real_sleep(0.001)
        failure = self._broker.failures.pop(0) if self._broker.failures else None
        if failure is not None:
            raise failure
        start = self._position[TP]
        chunk = self._broker.log[start : start + self._broker.batch]
        self._position[TP] = start + len(chunk)
        return {TP: [Message(TOPIC, 0, start + i, key, value) for i, (key, value) in enumerate(chunk)]} if chunk else {}


class FakeQuarantine:
    def __init__(self, failures: int = 0) -> None:
        self.pending = False
        self.parked: list[tuple[int, str]] = []
        self.failures = failures  # the next parks that fail (the database is down)
        self.drains = 0

    async def park(self, record: Any, error: BaseException, *, position: bool) -> None:
        assert not position  # no positions to store: the topic is read again at every start
        if self.failures:
            self.failures -= 1
            raise ConnectionRefusedError("database down")
        self.parked.append((record.offset, type(error).__name__))

    async def drain(self) -> None:
        self.drains += 1


def follower_for(broker: Broker, quarantine: FakeQuarantine | None = None) -> tuple[CatalogFollower, CatalogView]:
    catalog = CatalogView()
    state = ReadModelState(FeedStatus(TOPIC), FeedStatus("aggregates"), FeedStatus("values"))
    follower = CatalogFollower(
        bootstrap="unused:9092",
        topic=TOPIC,
        catalog=catalog,
        state=state,
        metrics=GatewayMetrics(),
        quarantine=quarantine or FakeQuarantine(),
        consumer=broker.consumer,
    )
    return follower, catalog


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The backoff pauses asked for (not waited)."""
    asked: list[float] = []

    async def sleep(seconds: float) -> None:
        asked.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    return asked


async def test_ready_once_the_end_offsets_seen_at_start_are_read() -> None:
    broker = Broker(good_records())
    follower, catalog = follower_for(broker)
    follower.start()
    try:
        async with asyncio.timeout(5):
            await follower.wait_ready()
        assert follower.ready
        assert len(catalog.records) == len(CATALOG)
        assert follower.last_error is None
        broker.log.append((b"indicator|9999", None))  # records after the start do not make it unready
        assert follower.ready
    finally:
        await follower.stop()
    assert broker.seeks == [None]  # read from the beginning


async def test_a_failed_reading_is_restarted_where_it_stopped_with_a_doubling_backoff(pauses: list[float]) -> None:
    down = ConnectionError("broker down")
    broker = Broker(good_records(), batch=2, failures=[None, down, down, down])  # one poll, then three failures
    follower, catalog = follower_for(broker)
    follower.start()
    try:
        async with asyncio.timeout(5):
            while len(pauses) < 3:
                await real_sleep(0.001)
            assert follower.last_error == "builtins.ConnectionError"  # for /ready
            assert not follower.ready
            await follower.wait_ready()
    finally:
        await follower.stop()
    assert pauses == [1, 2, 4]
    assert follower.last_error is None  # a poll went through
    assert follower.backoff == BACKOFF_FIRST
    assert broker.consumers == 4  # a new consumer for each reading
    assert broker.seeks == [None, 2, 2, 2]  # resumed past the records the first poll applied
    assert len(catalog.records) == len(CATALOG)


async def test_the_backoff_doubles_up_to_30_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    follower, _ = follower_for(Broker([]))
    asked: list[float] = []

    async def failing() -> None:
        raise OSError("unreachable")

    async def sleep(seconds: float) -> None:
        asked.append(seconds)
        if len(asked) == 7:
            raise asyncio.CancelledError

    monkeypatch.setattr(follower, "_follow", failing)
    monkeypatch.setattr(asyncio, "sleep", sleep)
    with pytest.raises(asyncio.CancelledError):
        await follower.run()
    assert asked == [1, 2, 4, 8, 16, 30, 30]
    assert follower.last_error == "builtins.OSError"
    assert not follower.ready


async def test_unreadable_records_are_parked_and_the_next_ones_folded(pauses: list[float]) -> None:
    records = good_records()
    records.insert(1, (b"indicator|0102", b"{not json"))
    quarantine = FakeQuarantine(failures=1)  # the first park fails: the poll is read again
    broker = Broker(records, batch=len(records))
    follower, catalog = follower_for(broker, quarantine)
    follower.start()
    try:
        async with asyncio.timeout(5):
            await follower.wait_ready()
    finally:
        await follower.stop()
    assert quarantine.parked == [(1, "UnreadableRecord")]
    assert pauses == [1]
    assert broker.seeks == [None, None]  # nothing applied before the failure: from the beginning again
    assert len(catalog.records) == len(CATALOG)
    assert quarantine.drains >= 2  # at every start of a reading


async def test_start_is_idempotent_and_connects_nothing_by_itself() -> None:
    broker = Broker([])
    follower, _ = follower_for(broker)
    follower.start()
    follower.start()
    assert broker.consumers == 0  # nothing before the task runs
    await real_sleep(0.01)
    assert broker.consumers == 1
    await follower.stop()
    await follower.stop()
    assert not await follower.probe()  # no reading under way
