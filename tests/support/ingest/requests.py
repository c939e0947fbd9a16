"""Builders of ingest requests shared by the ingest tests: HTTP bodies and Kafka submission records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from aiokafka import AIOKafkaProducer

from dantoc_contracts import topics
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from dantoc_contracts.submissions import (
    DataValue,
    DataValueSet,
    Disaggregation,
    SubmissionRequested,
    SubmissionSource,
)


class Ingest(Protocol):
    """What `send` needs of a running ingest: the broker and its topics' names."""

    bootstrap: str

    def topic(self, spec: topics.TopicSpec) -> str: ...


def body(submission_id: str, *values: dict[str, Any], unit: str = "00715", period: str = "2024") -> dict[str, Any]:
    return {
        "submission_id": submission_id,
        "agency": "BDT-02",
        "unit_code": unit,
        "period": period,
        "values": list(values),
    }


def val(
    indicator: str = "0101",
    value: Any = 10,
    ethnic: str | None = None,
    sex: str | None = None,
    code_list: str = "GSO1979",
    **extra: Any,
) -> dict[str, Any]:
    disaggregation: dict[str, Any] = {"sex": sex}
    if ethnic:
        disaggregation["ethnic_group"] = {"code_list": code_list, "code": ethnic}
    return {"indicator": indicator, "disaggregation": disaggregation, "value": value, **extra}


def request(
    submission_id: str, agency: str = "BDT-02", unit: str = "00715", value: str = "5", dry_run: bool = False
) -> bytes:
    submission = DataValueSet(
        submission_id=submission_id,
        agency=agency,
        unit_code=unit,
        period="2024",
        source=SubmissionSource.SYSTEM,
        values=[
            DataValue(indicator="0101", value=Decimal(value)),
            DataValue(indicator="0101", value=Decimal(2), disaggregation=Disaggregation(sex="2")),
        ],
    )
    payload = SubmissionRequested(submission=submission, dry_run=dry_run)
    envelope: Envelope[Any] = Envelope(producer="agency-system", type=payload.kind, payload=payload)
    return encode(envelope)


async def send(ingest: Ingest, *messages: tuple[bytes, bytes | None]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=ingest.bootstrap, enable_idempotence=True, acks="all")
    await producer.start()
    try:
        for key, value in messages:
            await producer.send_and_wait(ingest.topic(topics.SUBMISSIONS), value, key=key, partition=0)
    finally:
        await producer.stop()
