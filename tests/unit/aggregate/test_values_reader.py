"""The fast reader of accepted values reads what the contract accepts to the same cells, and vouches for nothing
the contract rejects (those go to the contract's adapter, which dead-letters them)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import ValidationError

from dantoc_aggregate.kafka.decoding import decode_record, decode_records, from_message
from dantoc_aggregate.kafka.values_reader import read_accepted
from dantoc_aggregate.services.cells import AcceptedCells
from dantoc_contracts import topics
from dantoc_contracts.codes import EthnicCodeList, EthnicGroupRef
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import adapter, encode
from dantoc_contracts.values import CellChange, CellValue, ValuesAccepted
from tests.support.aggregate.literals import accepted, cell

VALUES = adapter(topics.VALUES_ACCEPTED.name)


def envelope(message: ValuesAccepted) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        encode(Envelope[ValuesAccepted](type=message.kind, producer="t", payload=message))
    )
    return document


def valid_messages() -> list[ValuesAccepted]:
    corrected = cell("0101", "12.50", revision=3, ethnic="02", sex="2").model_copy(
        update={
            "previous": CellValue(value=Decimal("-4")),
            "original_ethnic_group": EthnicGroupRef(code_list=EthnicCodeList.GSO_2008, code="07"),
        }
    )
    stale_number = CellChange(
        indicator="0601",
        disaggregation={"sex": "1"},
        new=CellValue(value=Decimal(5), no_data=True, no_data_reason="Không có"),
        revision=1,
    )
    return [
        accepted("00715", "2024", cell("0601", 3, ethnic="02"), cell("0601", None), corrected, stale_number),
        accepted("02", "2024Q3", cell("0704", "007")),
        accepted("VN", "202407", at=datetime(2024, 7, 1, 12, 0, tzinfo=timezone(timedelta(hours=7)))),
        accepted("00718", "2024S1", cell("0301", "0.000001", revision=9)),
    ]


def slow(raw: bytes) -> AcceptedCells | None:
    """What the contract's adapter reads (None when it rejects the bytes)."""
    try:
        return from_message(VALUES.validate_json(raw).payload)
    except (ValidationError, TypeError):
        return None


@pytest.mark.parametrize("message", valid_messages(), ids=lambda m: f"{m.unit_code}-{m.period}")
def test_reads_what_the_contract_writes_to_the_same_cells(message: ValuesAccepted) -> None:
    raw = json.dumps(envelope(message)).encode()
    fast = read_accepted(raw)
    assert fast is not None
    assert fast == slow(raw) == from_message(message)


def _mutations() -> list[tuple[str, Any]]:
    """(id, change to the envelope of the first valid message) the contract rejects: neither reader reads it."""
    return [
        ("not an object", lambda e: [e]),
        ("wrong kind", lambda e: e["payload"].update(kind="SubmissionRejected")),
        ("type differs from kind", lambda e: e.update(type="Other")),
        ("bad unit", lambda e: e["payload"].update(unit_code="7")),
        ("non-ascii digits", lambda e: e["payload"].update(unit_code="٠٢")),
        ("bad period", lambda e: e["payload"].update(period="2024Q5")),
        ("impossible time", lambda e: e["payload"].update(accepted_at="2024-02-30T10:00:00Z")),
        ("not a number", lambda e: e["payload"]["changes"][0]["new"].update(value="abc")),
        ("revision 0", lambda e: e["payload"]["changes"][0].update(revision=0)),
        ("unknown dimension", lambda e: e["payload"]["changes"][0]["disaggregation"].update(colour="red")),
        ("sex as number", lambda e: e["payload"]["changes"][0]["disaggregation"].update(sex=1)),
        (
            "unknown code list",
            lambda e: e["payload"]["changes"][0]["disaggregation"]["ethnic_group"].update(code_list="X"),
        ),
        (
            "three-digit ethnic code",
            lambda e: e["payload"]["changes"][0]["disaggregation"]["ethnic_group"].update(code="123"),
        ),
        ("bad previous", lambda e: e["payload"]["changes"][2].update(previous={"value": "x"})),
        ("bad original group", lambda e: e["payload"]["changes"][2].update(original_ethnic_group={"code": "1"})),
        ("no changes list", lambda e: e["payload"].update(changes={})),
        ("missing indicator", lambda e: e["payload"]["changes"][0].pop("indicator")),
        ("bad indicator", lambda e: e["payload"]["changes"][0].update(indicator="06x1")),
        ("bad message id", lambda e: e.update(message_id="42")),
        ("schema version 0", lambda e: e.update(schema_version=0)),
        ("missing producer", lambda e: e.pop("producer")),
    ]


def _lax_forms() -> list[tuple[str, Any]]:
    """Changes the contract still accepts (lax JSON forms) and the fast reader declines: the slow path reads them."""
    return [
        ("naive time", lambda e: e["payload"].update(accepted_at="2024-07-01T10:00:00")),
        ("number as JSON number", lambda e: e["payload"]["changes"][0]["new"].update(value=3)),
        ("number with exponent", lambda e: e["payload"]["changes"][0]["new"].update(value="3e2")),
        ("revision as text", lambda e: e["payload"]["changes"][0].update(revision="2")),
        ("no_data as text", lambda e: e["payload"]["changes"][0]["new"].update(no_data="yes")),
        ("upper-case message id", lambda e: e.update(message_id=e["message_id"].upper())),
    ]


def _raw(mutate: Any) -> bytes:
    document = envelope(valid_messages()[0])
    replaced = mutate(document)
    return json.dumps(document if replaced is None else replaced).encode()


@pytest.mark.parametrize(("name", "mutate"), _mutations(), ids=[name for name, _ in _mutations()])
def test_what_the_contract_rejects_neither_reader_reads(name: str, mutate: Any) -> None:
    raw = _raw(mutate)
    assert slow(raw) is None, name
    assert read_accepted(raw) is None, name
    with pytest.raises((ValidationError, TypeError)):
        decode_record(raw)


@pytest.mark.parametrize(("name", "mutate"), _lax_forms(), ids=[name for name, _ in _lax_forms()])
def test_lax_forms_are_read_by_the_contract_through_the_slow_path(name: str, mutate: Any) -> None:
    raw = _raw(mutate)
    read = slow(raw)
    assert read is not None, name
    assert read_accepted(raw) is None, name  # the fast reader vouches only for the canonical form
    assert decode_record(raw) == read


@pytest.mark.parametrize("raw", [b"", b"{not json", b"\xff\xfe", b"null", b"[]", b'{"payload": null}'])
def test_unreadable_bytes_are_not_vouched_for(raw: bytes) -> None:
    assert read_accepted(raw) is None


def test_decode_takes_the_slow_path_and_dead_letters_what_the_contract_rejects() -> None:
    good = envelope(valid_messages()[0])
    other_spelling = envelope(valid_messages()[1])
    other_spelling["payload"]["changes"][0]["new"]["value"] = 7  # a JSON number: valid, but not how encode writes
    bad = envelope(valid_messages()[0])
    bad["payload"]["changes"][0]["revision"] = 0
    records = [
        SimpleNamespace(topic="t", partition=0, offset=n, key=b"k", value=json.dumps(doc).encode())
        for n, doc in enumerate([good, other_spelling, bad])
    ]
    decoded = decode_records(records, "group")
    assert [m.unit for m in decoded.messages] == ["00715", "02"]
    assert decoded.messages[1].cells[0][2] == Decimal(7)
    assert [(d.offset, d.consumer) for d in decoded.unreadable] == [(2, "group")]
    assert decoded.unreadable[0].error_class == "pydantic_core.ValidationError"


def test_accepted_time_in_microseconds_utc() -> None:
    at = datetime(2024, 7, 1, 12, 0, 0, 250, tzinfo=timezone(timedelta(hours=7)))
    read = read_accepted(json.dumps(envelope(accepted("VN", "2024", at=at))).encode())
    assert read is not None
    assert read.accepted_us == int((at - datetime(1970, 1, 1, tzinfo=UTC)) / timedelta(microseconds=1))


def change(document: dict[str, Any]) -> dict[str, Any]:
    first: dict[str, Any] = document["payload"]["changes"][0]
    return first


def _out_of_bounds() -> list[tuple[str, Any]]:
    """Records a hostile producer could write straight to the topic: outside the contract's bounds."""
    return [
        ("exponent overflow", lambda e: change(e)["new"].update(value="1E+999999999")),
        ("sixteen integer digits", lambda e: change(e)["new"].update(value="1000000000000000")),
        ("28 integer digits", lambda e: change(e)["new"].update(value="9" * 28)),
        ("seven decimals", lambda e: change(e)["new"].update(value="0.0000001")),
        ("previous too large", lambda e: e["payload"]["changes"][2].update(previous={"value": "9" * 20})),
        ("period with newline", lambda e: e["payload"].update(period="2024\n")),
        ("period in Arabic-Indic digits", lambda e: e["payload"].update(period="٢٠٢٤")),
        ("period before 1900", lambda e: e["payload"].update(period="1899")),
        ("submission id too long", lambda e: e["payload"].update(submission_id="s" * 101)),
        ("submission id with a space", lambda e: e["payload"].update(submission_id="a b")),
        ("agency with a space", lambda e: e["payload"].update(agency="BD TTG")),
        ("agency too long", lambda e: e["payload"].update(agency="A" * 41)),
        ("no-data reason too long", lambda e: change(e)["new"].update(no_data_reason="x" * 501)),
        ("sex code too long", lambda e: change(e)["disaggregation"].update(sex="1" * 41)),
        ("age code with a newline", lambda e: change(e)["disaggregation"].update(age_group="0-4\n")),
    ]


@pytest.mark.parametrize(("name", "mutate"), _out_of_bounds(), ids=[name for name, _ in _out_of_bounds()])
def test_out_of_bounds_records_are_unreadable(name: str, mutate: Any) -> None:
    """Neither the fast reader nor the contract reads them: they are set aside (parked), never applied."""
    document = envelope(valid_messages()[0])
    mutate(document)
    raw = json.dumps(document).encode()
    assert read_accepted(raw) is None, name
    decoded = decode_records([SimpleNamespace(topic="t", partition=1, offset=7, key=None, value=raw)], "g")
    assert decoded.messages == [], name
    assert [(p.partition, p.offset, p.value) for p in decoded.unreadable] == [(1, 7, raw)], name


@pytest.mark.parametrize(
    ("value", "read"),
    [("999999999999999.999999", Decimal("999999999999999.999999")), ("-0.000001", Decimal("-0.000001"))],
)
def test_values_at_the_bounds_are_read(value: str, read: Decimal) -> None:
    document = envelope(valid_messages()[0])
    document["payload"]["changes"][0]["new"]["value"] = value
    fast = read_accepted(json.dumps(document).encode())
    assert fast is not None
    assert fast.cells[0][2] == read
