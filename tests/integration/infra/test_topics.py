"""The topic script creates every topic with its partition count and cleanup policy on the real broker."""

from __future__ import annotations

from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import KafkaError

from dantoc_contracts.topics import ALL_TOPICS, topic_name
from tests.support.kafka import _topics_module, create_namespace

pytestmark = pytest.mark.integration


async def _describe(admin: AIOKafkaAdminClient, name: str) -> tuple[int, str]:
    (metadata,) = await admin.describe_topics([name])
    configs: Any = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name)])
    entries = {entry[0]: entry[1] for entry in configs[0].resources[0][4]}
    return len(metadata["partitions"]), entries["cleanup.policy"]


async def test_every_topic_has_its_partitions_and_cleanup_policy(kafka: str) -> None:
    namespace = await create_namespace(kafka)
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        for spec in ALL_TOPICS:
            partitions, policy = await _describe(admin, topic_name(spec, namespace))
            assert (partitions, policy) == (spec.partitions, "compact" if spec.compacted else "delete"), spec.name
    finally:
        await admin.close()


async def test_creating_topics_again_changes_nothing(kafka: str) -> None:
    namespace = await create_namespace(kafka)
    names = await _topics_module().ensure_topics(kafka, namespace)
    assert names == [topic_name(spec, namespace) for spec in ALL_TOPICS]


async def test_auto_topic_creation_is_off(kafka: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka, request_timeout_ms=3000)
    await producer.start()
    try:
        with pytest.raises(KafkaError):
            await producer.send_and_wait("dantoc.no.such.topic.v1", b"x")
    finally:
        await producer.stop()
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        assert "dantoc.no.such.topic.v1" not in await admin.list_topics()
    finally:
        await admin.close()
