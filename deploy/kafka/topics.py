"""Create every topic of the system with its partition count and cleanup policy (auto creation is off).

    uv run python deploy/kafka/topics.py [--bootstrap 127.0.0.1:9092] [--namespace NS]

Idempotent: existing topics are left as they are.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from dantoc_contracts.topics import ALL_TOPICS, topic_name


async def ensure_topics(bootstrap: str, namespace: str = "") -> list[str]:
    """Create the missing topics; return the names of all of them."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=30000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [
            NewTopic(topic_name(spec, namespace), spec.partitions, 1, topic_configs=spec.config())
            for spec in ALL_TOPICS
        ]
        missing = [t for t in wanted if t.name not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # created concurrently by another process
                await admin.create_topics(missing)
        return [t.name for t in wanted]
    finally:
        await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    parser.add_argument("--namespace", default=os.environ.get("DANTOC_TOPIC_NAMESPACE", ""))
    args = parser.parse_args()
    for name in asyncio.run(ensure_topics(args.bootstrap, args.namespace)):
        print(name)


if __name__ == "__main__":
    main()
