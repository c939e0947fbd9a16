"""Kafka topics, versioned. A breaking payload change is a new topic (`...v2`), never an edit of `v1`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    compacted: bool
    description: str

    def config(self) -> dict[str, str]:
        if self.compacted:
            return {"cleanup.policy": "compact", "min.compaction.lag.ms": "0", "segment.ms": "3600000"}
        return {"cleanup.policy": "delete", "retention.ms": str(30 * 24 * 3600 * 1000)}


CATALOG = TopicSpec(
    "dantoc.catalog.v1", 1, True, "Catalog records (indicators, code lists, units, conversion); key kind|code."
)
SUBMISSIONS = TopicSpec(
    "dantoc.submissions.v1", 3, False, "Submissions from agency systems; key = administrative unit code."
)
VALUES_ACCEPTED = TopicSpec(
    "dantoc.values.accepted.v1", 3, False, "Accepted cell changes; key = administrative unit code."
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
