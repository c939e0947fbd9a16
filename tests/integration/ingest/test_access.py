"""The one authorization policy over HTTP and Kafka, on the real broker and both databases: separate read and
submit rights, indicators written only by their responsible agency (or one the catalog lets write for it), and
reads that follow the gateway's agency rule."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from dantoc_contracts import topics
from dantoc_contracts.access import Right, Role
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from dantoc_contracts.submissions import DataValue, DataValueSet, SubmissionRequested, SubmissionSource
from tests.support.ingest.requests import send
from tests.support.ingest.serving import Ingest

Headers = Callable[..., dict[str, str]]


def body(submission_id: str, *indicators: str, agency: str = "BDT-02", unit: str = "00715") -> dict[str, Any]:
    values = [{"indicator": code, "value": 3} for code in indicators]
    return {"submission_id": submission_id, "agency": agency, "unit_code": unit, "period": "2024", "values": values}


async def test_an_indicator_is_written_only_by_its_responsible_agency(ingest: Ingest, token: Headers) -> None:
    denied = await ingest.client.post("/submissions", json=body("own-1", "0101", "0601"), headers=token())
    assert denied.status_code == 403, denied.text
    [error] = denied.json()["errors"]
    assert (error["code"], error["location"]["field"]) == ("indicator_not_yours", "values[1].indicator")
    assert error["message_vi"]
    assert error["message_en"]
    health = token(agency="SYT-02", role=Role.AGENCY)
    written = await ingest.client.post("/submissions", json=body("own-2", "0601", agency="SYT-02"), headers=health)
    assert written.status_code == 200, written.text
    # the ministry (national) may write it for the agency; what was written first is kept as it was
    ministry = token(agency="BDTTG", scope="VN", role=Role.NATIONAL)
    cells = await ingest.client.get("/cells?unit_code=00715&period=2024", headers=ministry)
    assert [(c["indicator"], c["agency"], c["value"]) for c in cells.json()] == [("0601", "SYT-02", "3")]


async def test_reading_and_submitting_are_separate_rights(ingest: Ingest, token: Headers) -> None:
    reader = token(rights=[Right.READ])
    refused = await ingest.client.post("/submissions", json=body("r-1", "0101"), headers=reader)
    assert refused.status_code == 403
    assert [e["code"] for e in refused.json()["errors"]] == ["right_missing"]
    assert (await ingest.client.post("/submissions", json=body("r-2", "0101"), headers=token())).status_code == 200
    assert (await ingest.client.get("/submissions/r-2", headers=reader)).status_code == 200
    writer = token(rights=[Right.SUBMIT])
    assert (await ingest.client.get("/submissions/r-2", headers=writer)).status_code == 403
    assert (await ingest.client.get("/cells?unit_code=00715&period=2024", headers=writer)).status_code == 403


async def test_reads_follow_the_agency_rule(ingest: Ingest, token: Headers) -> None:
    await ingest.client.post("/submissions", json=body("a-1", "0101"), headers=token())
    health = token(agency="SYT-02", role=Role.AGENCY)
    await ingest.client.post("/submissions", json=body("a-2", "0601", agency="SYT-02"), headers=health)
    assert (await ingest.client.get("/submissions/a-1", headers=health)).status_code == 403  # not its own
    assert (await ingest.client.get("/submissions/a-2", headers=health)).status_code == 200
    cells = await ingest.client.get("/cells?unit_code=00715&period=2024", headers=health)
    assert [c["indicator"] for c in cells.json()] == ["0601"]  # only its own agency's cells
    provincial = await ingest.client.get("/cells?unit_code=00715&period=2024", headers=token())
    assert [c["indicator"] for c in provincial.json()] == ["0101", "0601"]
    # a token whose scope is wider than its agency's registered scope reaches only the registered one
    wide = token(scope="VN")
    assert (await ingest.client.get("/cells?unit_code=01234&period=2024", headers=wide)).status_code == 403
    operator = token(agency="", scope="VN", role=Role.NATIONAL)
    assert (await ingest.client.get("/submissions/a-1", headers=operator)).status_code == 200
    refused = await ingest.client.post("/submissions", json=body("a-3", "0101"), headers=operator)
    assert refused.status_code == 403  # a national token naming no agency reads only


def kafka_request(submission_id: str, *indicators: str, agency: str = "BDT-02") -> bytes:
    submission = DataValueSet(
        submission_id=submission_id,
        agency=agency,
        unit_code="00715",
        period="2024",
        source=SubmissionSource.SYSTEM,
        values=[DataValue(indicator=code, value=Decimal(1)) for code in indicators],
    )
    payload = SubmissionRequested(submission=submission)
    envelope: Envelope[Any] = Envelope(producer="agency-system", type=payload.kind, payload=payload)
    return encode(envelope)


async def test_kafka_submissions_follow_the_same_policy(ingest: Ingest) -> None:
    await send(
        ingest,
        (b"00715", kafka_request("k-own-1", "0101", "0601")),
        (b"00715", kafka_request("k-own-2", "0601", agency="SYT-02")),
    )
    [rejected] = await ingest.events(topics.SUBMISSIONS_REJECTED, 1)
    assert rejected.payload.submission_id == "k-own-1"
    assert [(p.code, p.location.field) for p in rejected.payload.problems] == [
        ("indicator_not_yours", "values[1].indicator")
    ]
    [accepted] = await ingest.events(topics.VALUES_ACCEPTED, 1)
    assert accepted.payload.submission_id == "k-own-2"
