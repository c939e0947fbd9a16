"""The small load of the live tests: a demo subset through ingest, unreadable messages, user requests."""

from __future__ import annotations

import httpx
from aiokafka import AIOKafkaProducer

from dantoc_contracts.topics import AGGREGATES, SUBMISSIONS, VALUES_ACCEPTED, topic_name
from tests.support.stack import Stack

DEMO_PROVINCE = "04"  # Cao Bằng: same code on both maps, with a registered provincial agency


def demo_arguments(stack: Stack, token: str, communes: int = 4) -> list[str]:
    return [
        f"--ingest-url={stack.services['ingest'].url}",
        f"--gateway-url={stack.services['gateway'].url}",
        f"--token={token}",
        f"--provinces={DEMO_PROVINCE}",
        f"--max-communes={communes}",
        "--timeout=120",
        "--batch=7",
    ]


async def poison(stack: Stack) -> None:
    """One unreadable message for each consumer (ingest, aggregate, gateway): they must dead-letter it."""
    producer = AIOKafkaProducer(bootstrap_servers=stack.kafka, enable_idempotence=True, acks="all")
    await producer.start()
    try:
        for spec, key in ((SUBMISSIONS, b"04"), (VALUES_ACCEPTED, b"04"), (AGGREGATES, b"0101|04|2024|bad")):
            await producer.send_and_wait(topic_name(spec, stack.namespace), b"\x00not json{", key=key)
    finally:
        await producer.stop()


async def requests(stack: Stack, token: str) -> None:
    """What users do: queries with and without a token, an export, catalog look-ups."""
    auth = {"Authorization": f"Bearer {token}"}
    query = {"indicator": "0101", "unit": DEMO_PROVINCE, "period": "2024"}
    async with httpx.AsyncClient(timeout=30) as client:
        gateway, catalog = stack.services["gateway"].url, stack.services["catalog"].url
        for _ in range(3):
            assert (await client.get(f"{gateway}/v1/values", params=query, headers=auth)).status_code == 200
        csv = await client.get(f"{gateway}/v1/values", params={**query, "format": "csv"}, headers=auth)
        assert csv.status_code == 200
        assert (await client.get(f"{gateway}/v1/values", params=query)).status_code == 401
        completeness = {"unit": DEMO_PROVINCE, "period": "2024"}
        assert (await client.get(f"{gateway}/v1/completeness", params=completeness, headers=auth)).status_code == 200
        assert (await client.get(f"{catalog}/indicators")).status_code == 200
        assert (await client.get(f"{catalog}/units/{DEMO_PROVINCE}")).status_code == 200
