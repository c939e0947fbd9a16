"""deploy/kafka/topics.py aligns existing topics' configuration with the contracts, on the real broker."""

from __future__ import annotations

from typing import Any

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from dantoc_contracts.topics import ALL_TOPICS, CATALOG, VALUES_ACCEPTED, topic_name
from tests.support.kafka import _topics_module, eventually

pytestmark = pytest.mark.integration

KEYS = ("cleanup.policy", "retention.ms", "max.message.bytes")


async def _configs(admin: AIOKafkaAdminClient, name: str) -> dict[str, str]:
    described: Any = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name)])
    return {entry[0]: entry[1] for entry in described[0].resources[0][4] if entry[0] in KEYS}


async def _settled(admin: AIOKafkaAdminClient, name: str, wanted: dict[str, str]) -> None:
    """Until the broker describes `name` with `wanted` (a change reaches DescribeConfigs through the metadata log a
    moment after the controller accepted it); fails with the last description after the timeout."""

    async def described() -> dict[str, str] | None:
        found = await _configs(admin, name)
        return found if all(found.get(k) == v for k, v in wanted.items()) else None

    await eventually(described, timeout=30, interval=0.2)


async def _alter(admin: AIOKafkaAdminClient, name: str, configs: dict[str, str]) -> None:
    await admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, name, configs=configs)])


async def test_an_older_installation_is_aligned_with_the_contracts_and_a_second_run_changes_nothing(
    kafka: str, namespace: str
) -> None:
    topics = _topics_module()
    accepted, catalog = topic_name(VALUES_ACCEPTED, namespace), topic_name(CATALOG, namespace)
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        # Step 1: what an installation made before values.accepted was kept forever looks like.
        await _alter(admin, accepted, {"cleanup.policy": "delete", "retention.ms": "604800000"})
        await _alter(admin, catalog, {"cleanup.policy": "delete", "max.message.bytes": "1048588"})
        await _settled(admin, accepted, {"cleanup.policy": "delete", "retention.ms": "604800000"})
        await _settled(admin, catalog, {"cleanup.policy": "delete", "max.message.bytes": "1048588"})

        # Step 2: the script alters exactly the two drifted topics, naming the keys that differed.
        report = await topics.reconcile_topics(kafka, namespace)
        assert report.created == []
        assert report.altered == {
            accepted: ["max.message.bytes", "retention.ms"],
            catalog: ["cleanup.policy", "max.message.bytes", "min.compaction.lag.ms", "segment.ms"],
        }
        for spec in ALL_TOPICS:
            await _settled(admin, topic_name(spec, namespace), {k: v for k, v in spec.config().items() if k in KEYS})
        assert (await _configs(admin, accepted))["retention.ms"] == "-1"

        # Step 3: run again: nothing to create, nothing to alter.
        again = await topics.reconcile_topics(kafka, namespace)
        assert (again.created, again.altered) == ([], {})
    finally:
        await admin.close()


async def test_missing_topics_are_created_with_their_configuration(kafka: str, namespace: str) -> None:
    accepted = topic_name(VALUES_ACCEPTED, namespace)
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        await admin.delete_topics([accepted])

        async def gone() -> bool:  # a deletion reaches the metadata a moment later: the topic must be missing first
            return accepted not in await admin.list_topics()

        await eventually(gone, timeout=60, interval=0.2)
        report = await _topics_module().reconcile_topics(kafka, namespace)
        assert report.created == [accepted]
        await _settled(admin, accepted, {"retention.ms": "-1"})  # created with the contract's configuration
    finally:
        await admin.close()


@pytest.mark.parametrize(
    ("current", "wanted", "keys"),
    [
        ({}, {"a": "1"}, ["a"]),
        ({"a": "1"}, {"a": "1"}, []),
        ({"a": "1"}, {"a": "2"}, ["a"]),
        ({"a": "1", "b": "2"}, {"a": "1"}, ["b"]),
        ({"b": "2"}, {"a": "1"}, ["a", "b"]),
    ],
)
def test_differing_keys(current: dict[str, str], wanted: dict[str, str], keys: list[str]) -> None:
    assert _topics_module().differing_keys(current, wanted) == keys
