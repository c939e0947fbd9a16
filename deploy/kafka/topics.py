"""Create every topic of the system with its partition count and configuration (auto creation is off).

    uv run python deploy/kafka/topics.py [--bootstrap 127.0.0.1:9092] [--namespace NS]

Idempotent: missing topics are created; an existing topic whose configuration differs from
`dantoc_contracts.topics` (cleanup.policy, retention.ms, max.message.bytes, ...) is altered to match it, so an
older installation gets, e.g., `values.accepted` kept forever. Prints each topic's name, with `(created)` or
`(altered: key, key)` when something changed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
from typing import Any, NamedTuple

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import TopicAlreadyExistsError, for_code

from dantoc_contracts.topics import ALL_TOPICS, topic_name

DYNAMIC_TOPIC_CONFIG = 1
"""DescribeConfigs `config_source` of a value set on the topic itself (not a broker default)."""


class TopicsReport(NamedTuple):  # not a dataclass: tests load this file by path, outside sys.modules
    names: list[str]
    created: list[str]
    altered: dict[str, list[str]]
    """Topic name -> the configuration keys that differed and were set."""


async def _topic_configs(admin: AIOKafkaAdminClient, names: list[str]) -> dict[str, dict[str, str]]:
    """Each topic's configuration set on the topic itself (values inherited from the broker are left out)."""
    responses: Any = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, n) for n in names])
    configs: dict[str, dict[str, str]] = {}
    for response in responses:
        for error_code, _message, _type, name, entries in response.resources:
            if error_code:
                raise for_code(error_code)(f"describe configs of {name}")
            configs[name] = {e[0]: e[1] for e in entries if e[3] == DYNAMIC_TOPIC_CONFIG}
    return configs


def differing_keys(current: dict[str, str], wanted: dict[str, str]) -> list[str]:
    """The keys to change so the topic's own configuration is exactly `wanted` (set, changed or removed)."""
    return sorted(k for k in set(current) | set(wanted) if current.get(k) != wanted.get(k))


async def reconcile_topics(bootstrap: str, namespace: str = "") -> TopicsReport:
    """Create the missing topics and alter the configuration of existing ones to match the contracts."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=30000)
    await admin.start()
    try:
        wanted = {topic_name(spec, namespace): spec for spec in ALL_TOPICS}
        created: list[str] = []
        altered: dict[str, list[str]] = {}
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(name, spec.partitions, 1, topic_configs=spec.config())
            for name, spec in wanted.items()
            if name not in existing
        ]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # created concurrently by another process
                await admin.create_topics(missing)
            created = [t.name for t in missing]
        present = [name for name in wanted if name in existing]
        if present:
            current = await _topic_configs(admin, present)
            changes = {n: differing_keys(current[n], wanted[n].config()) for n in present}
            altered = {n: keys for n, keys in changes.items() if keys}
            if altered:
                # AlterConfigs (not incremental) sets the topic's whole own configuration: exactly the contract's.
                resources = [ConfigResource(ConfigResourceType.TOPIC, n, configs=wanted[n].config()) for n in altered]
                for response in await admin.alter_configs(resources):
                    for error_code, message, _type, name in getattr(response, "resources", []):
                        if error_code:
                            raise for_code(error_code)(f"alter configs of {name}: {message}")
        return TopicsReport(list(wanted), created, altered)
    finally:
        await admin.close()


async def ensure_topics(bootstrap: str, namespace: str = "") -> list[str]:
    """Create the missing topics, align the existing ones; return the names of all of them."""
    return (await reconcile_topics(bootstrap, namespace)).names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    parser.add_argument("--namespace", default=os.environ.get("DANTOC_TOPIC_NAMESPACE", ""))
    args = parser.parse_args()
    report = asyncio.run(reconcile_topics(args.bootstrap, args.namespace))
    for name in report.names:
        if name in report.created:
            print(f"{name} (created)")
        elif name in report.altered:
            print(f"{name} (altered: {', '.join(report.altered[name])})")
        else:
            print(name)


if __name__ == "__main__":
    main()
