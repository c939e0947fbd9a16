"""Kafka topics, versioned. A breaking payload change is a new topic (`...v2`), never an edit of `v1`."""

from __future__ import annotations

from dataclasses import dataclass

from dantoc_contracts.bounds import MAX_MESSAGE_BYTES

KEEP_FOREVER = -1
THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    compacted: bool
    description: str
    retention_ms: int = THIRTY_DAYS_MS
    """For a topic that is not compacted: how long its records are kept (`KEEP_FOREVER` = never deleted)."""

    def config(self) -> dict[str, str]:
        size = {"max.message.bytes": str(MAX_MESSAGE_BYTES)}
        if self.compacted:
            return {"cleanup.policy": "compact", "min.compaction.lag.ms": "0", "segment.ms": "3600000", **size}
        return {"cleanup.policy": "delete", "retention.ms": str(self.retention_ms), **size}


CATALOG = TopicSpec(
    "dantoc.catalog.v1", 1, True, "Catalog records (indicators, code lists, units, conversion); key kind|code."
)
SUBMISSIONS = TopicSpec(
    "dantoc.submissions.v1", 3, False, "Submissions from agency systems; key = administrative unit code."
)
VALUES_ACCEPTED = TopicSpec(
    "dantoc.values.accepted.v1",
    3,
    False,
    "Accepted cell changes; key = administrative unit code. Kept forever: the input of every rebuild.",
    retention_ms=KEEP_FOREVER,
)
SUBMISSIONS_REJECTED = TopicSpec(
    "dantoc.submissions.rejected.v1", 3, False, "Rejected submissions with every problem; key = unit code."
)
AGGREGATES = TopicSpec(
    "dantoc.aggregates.v1", 3, True, "Current aggregates; key = indicator|unit|period|disaggregation."
)
DEAD_LETTER = TopicSpec("dantoc.deadletter.v1", 1, False, "Messages no consumer could read, with raw bytes and reason.")

ALL_TOPICS: tuple[TopicSpec, ...] = (
    CATALOG,
    SUBMISSIONS,
    VALUES_ACCEPTED,
    SUBMISSIONS_REJECTED,
    AGGREGATES,
    DEAD_LETTER,
)


def topic_name(spec: TopicSpec, namespace: str = "") -> str:
    """The topic's name in a namespace (e.g. a test run or a staging environment); the bare name when empty."""
    return f"{namespace}.{spec.name}" if namespace else spec.name
