"""The quarantine rule every consumer and relay follows, defined once (pure: no I/O, no client library imported).

A failure is either *transient* (the broker or the database cannot be reached now: retry with backoff, forever) or
*poison* (the record itself cannot be applied or delivered: its data, its arithmetic, its size, a constraint). A
poison record is retried a bounded number of times, then set aside: kept in the service's parked table and sent to
the dead-letter topic with the reason and where it came from; the partition goes on with the next record.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from enum import StrEnum

from dantoc_contracts.bounds import MAX_MESSAGE_BYTES
from dantoc_contracts.values import MessageDeadLettered

MAX_ATTEMPTS = 3
QUARANTINED_METRIC = "dantoc_quarantined_records"
"""The counter (exposed as `..._total`) every service increments per record set aside, labelled service, consumer
and topic, so that one alert covers every consumer and relay."""
OFFSET_OUT_OF_RANGE_METRIC = "dantoc_offset_out_of_range"
"""The gauge (labels topic, partition) every consumer with stored offsets sets to 1 when a stored offset lies outside
its partition's log: the consumer stops (fatal, never a silent reset) and one alert covers them all."""
"""How many times a record that fails for what it contains is tried before it is set aside."""
MAX_REASON_CHARS = 2000
MAX_KEPT_VALUE_BYTES = (MAX_MESSAGE_BYTES // 2) - 64 * 1024
"""The most of a record's bytes a dead letter carries (base64 makes it 4/3 larger; the rest of the event fits)."""

# Errors of reaching something, by class name (so that this module imports neither SQLAlchemy nor aiokafka). A
# class counts when it or any of its bases has one of these names.
_TRANSIENT_NAMES = frozenset(
    {
        "OperationalError",  # SQLAlchemy / DB-API: server gone, connection refused, database locked
        "InterfaceError",  # SQLAlchemy / asyncpg: connection closed
        "DisconnectionError",
        "TimeoutError",  # sqlalchemy.exc.TimeoutError (pool), asyncio.TimeoutError, builtin TimeoutError
        "ConnectionError",  # builtin, and asyncpg's ConnectionDoesNotExistError's bases
        "ConnectionDoesNotExistError",
        "CannotConnectNowError",
        "TooManyConnectionsError",
        "KafkaConnectionError",
        "KafkaTimeoutError",
        "NodeNotReadyError",
        "RequestTimedOutError",
        "NotLeaderForPartitionError",
        "LeaderNotAvailableError",
        "NotEnoughReplicasError",
        "NotEnoughReplicasAfterAppendError",
        "CoordinatorNotAvailableError",
        "BrokerNotAvailableError",
        "UnknownTopicOrPartitionError",
        "SerializationError",  # PostgreSQL serialization failure: try again
        "DeadlockDetectedError",
    }
)


class FailureKind(StrEnum):
    TRANSIENT = "transient"
    POISON = "poison"


def classify(error: BaseException) -> FailureKind:
    """Transient when the error (or what caused it) is one of reaching a server; poison otherwise."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if any(cls.__name__ in _TRANSIENT_NAMES for cls in type(current).__mro__):
            return FailureKind.TRANSIENT
        current = current.__cause__ or getattr(current, "orig", None) or current.__context__
    return FailureKind.POISON


def error_class(error: BaseException) -> str:
    """What an operator reads in `/ready` and in a parked row: the error's class, never its data or SQL."""
    return f"{type(error).__module__.split('.')[0]}.{type(error).__name__}"


def reason_of(error: BaseException) -> str:
    """The reason kept with a parked record: the error class and its message, cut to a bounded length."""
    return f"{error_class(error)}: {error}"[:MAX_REASON_CHARS]


def backoff_seconds(attempt: int, *, base: float = 0.5, cap: float = 30.0) -> float:
    """Delay before the `attempt`-th retry (1-based) of a transient failure: doubling, capped."""
    return float(min(cap, base * (2 ** max(0, attempt - 1))))


@dataclass
class Attempts:
    """Counts failed attempts per record (topic, partition, offset) in memory, to decide when to set one aside.

    A restart forgets the counts, so a poison record is tried at most `MAX_ATTEMPTS` times per process start.
    """

    limit: int = MAX_ATTEMPTS
    _counts: dict[tuple[str, int, int], int] = field(default_factory=dict)

    def failed(self, topic: str, partition: int, offset: int) -> int:
        key = (topic, partition, offset)
        self._counts[key] = self._counts.get(key, 0) + 1
        return self._counts[key]

    def exhausted(self, topic: str, partition: int, offset: int) -> bool:
        return self._counts.get((topic, partition, offset), 0) >= self.limit

    def forget(self, topic: str, partition: int, offset: int) -> None:
        self._counts.pop((topic, partition, offset), None)


def dead_letter(
    *,
    topic: str,
    partition: int,
    offset: int,
    key: bytes | None,
    value: bytes | None,
    reason: str,
    consumer: str,
) -> MessageDeadLettered:
    """The dead-letter event of a record set aside: where it came from, why, and its bytes (cut when too large)."""
    raw = value or b""
    return MessageDeadLettered(
        source_topic=topic,
        partition=partition,
        offset=offset,
        key_b64=base64.b64encode(key[:1024]).decode() if key else None,
        value_b64=base64.b64encode(raw[:MAX_KEPT_VALUE_BYTES]).decode(),
        value_truncated=len(raw) > MAX_KEPT_VALUE_BYTES,
        value_bytes=len(raw),
        reason=reason[:MAX_REASON_CHARS],
        consumer=consumer,
    )
