"""`AggregateChanged` envelopes, encoded straight to JSON bytes.

Building and dumping a pydantic model per event costs ~30 µs; a national load produces millions of events, so the
envelope is written with `json.dumps` from plain values. The unit tests check that every byte string decodes with
the contract's adapter to exactly the model `dantoc_contracts.messages.encode` would have produced.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from dantoc_aggregate.domain.keys import ALL_TOTALS, split_dkey
from dantoc_aggregate.domain.state import AggregateState
from dantoc_contracts.aggregates import aggregate_key_of
from dantoc_contracts.catalog import Aggregation
from dantoc_contracts.codes import TOTAL, unit_level_of

PRODUCER = "aggregate"
_FORMULA = Aggregation.FORMULA
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def from_us(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


def _timestamp(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@lru_cache(maxsize=65536)
def _disaggregation(dkey: str) -> dict[str, Any]:
    ethnic, sex, age, residence = (None if part == TOTAL else part for part in split_dkey(dkey))
    group = None
    if ethnic is not None:
        code_list, code = ethnic.split(":", 1)
        group = {"code_list": code_list, "code": code}
    return {"ethnic_group": group, "sex": sex, "age_group": age, "residence": residence}


def _number(value: Any) -> str | None:
    return None if value is None else str(value)


def completeness(state: AggregateState) -> dict[str, int] | None:
    """Completeness on the all-totals subset of every non-formula aggregate."""
    if state.dkey != ALL_TOTALS or state.aggregation is Aggregation.FORMULA or state.expected is None:
        return None
    silent = max(state.expected - state.reported - state.no_data, 0)
    return {"expected": state.expected, "reported": state.reported, "no_data": state.no_data, "silent": silent}


def payload(state: AggregateState, computed_at: str) -> dict[str, Any]:
    return {
        "kind": "AggregateChanged",
        "indicator": state.indicator,
        "unit_code": state.unit,
        "unit_level": unit_level_of(state.unit).value,
        "period": state.period,
        "disaggregation": _disaggregation(state.dkey),
        "aggregation": state.aggregation.value,
        "value": _number(state.value),
        "numerator": _number(state.numerator),
        "denominator": _number(state.denominator),
        "count": state.count,
        "completeness": completeness(state),
        "newest_accepted_at": _timestamp(from_us(state.newest_us)) if state.newest_us else None,
        "computed_at": computed_at,
    }


def encode_event(
    state: AggregateState, computed_at: datetime, message_id: uuid.UUID | None = None
) -> tuple[bytes, bytes]:
    """(key, value) of the event for one aggregate (the readable reference encoding)."""
    stamp = _timestamp(computed_at)
    envelope = {
        "message_id": str(message_id or uuid.uuid4()),
        "type": "AggregateChanged",
        "schema_version": 1,
        "occurred_at": stamp,
        "producer": PRODUCER,
        "correlation_id": state.newest_submission_id,
        "payload": payload(state, stamp),
    }
    key = aggregate_key_of(state.indicator, state.unit, state.period, state.dkey)
    return key.encode(), json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()


class EventEncoder:
    """Fast encoding of one batch's events: fixed parts formatted once, numbers and codes need no escaping
    (digits, `VN`, `_T`, list ids), message ids are consecutive UUIDs from one random base per batch (the first 20
    hex digits random, the last 12 a counter). Decimals are formatted with `!s` (`Decimal.__format__` costs twice
    `str`), and the parts that repeat (unit, disaggregation, submission, time) come from plain dicts."""

    def __init__(self, computed_at: datetime) -> None:
        stamp = _timestamp(computed_at)
        self._tail = f',"computed_at":"{stamp}"}}}}'
        base = f"{uuid.uuid4().int:032x}"
        self._head = f'{{"message_id":"{base[:8]}-{base[8:12]}-{base[12:16]}-{base[16:20]}-'
        self._after_id = (
            f'","type":"AggregateChanged","schema_version":1,"occurred_at":"{stamp}","producer":"{PRODUCER}",'
            '"correlation_id":'
        )
        self._next = int(base[20:], 16)
        self._submissions: dict[str | None, str] = {}
        self._times: dict[int, str] = {}

    def encode(self, state: AggregateState) -> tuple[bytes, bytes]:
        self._next = (self._next + 1) & 0xFFFFFFFFFFFF
        completeness = "null"
        dkey = state.dkey
        if dkey == ALL_TOTALS and state.aggregation is not _FORMULA and state.expected is not None:
            silent = max(state.expected - state.reported - state.no_data, 0)
            completeness = (
                f'{{"expected":{state.expected},"reported":{state.reported},"no_data":{state.no_data},'
                f'"silent":{silent}}}'
            )
        value = "null" if state.value is None else f'"{state.value!s}"'
        numerator = "null" if state.numerator is None else f'"{state.numerator!s}"'
        denominator = "null" if state.denominator is None else f'"{state.denominator!s}"'
        unit = _UNITS.get(state.unit) or _unit(state.unit)
        disaggregation = _DISAGGREGATIONS.get(dkey) or _disaggregation_json(dkey)
        submission = self._submissions.get(state.newest_submission_id) or self._submission(state.newest_submission_id)
        newest = self._times.get(state.newest_us) or self._time(state.newest_us)
        body = (
            f"{self._head}{self._next:012x}{self._after_id}{submission},"
            f'"payload":{{"kind":"AggregateChanged","indicator":"{state.indicator}",{unit},"period":"{state.period}",'
            f'"disaggregation":{disaggregation},"aggregation":"{state.aggregation!s}",'
            f'"value":{value},"numerator":{numerator},"denominator":{denominator},'
            f'"count":{state.count},"completeness":{completeness},"newest_accepted_at":{newest}{self._tail}'
        )
        return f"{state.indicator}|{state.unit}|{state.period}|{dkey}".encode(), body.encode()

    def _submission(self, submission_id: str | None) -> str:
        text = self._submissions[submission_id] = json.dumps(submission_id, ensure_ascii=False)
        return text

    def _time(self, micros: int) -> str:
        text = self._times[micros] = f'"{_timestamp(from_us(micros))}"' if micros else "null"
        return text


_UNITS: dict[str, str] = {}
_DISAGGREGATIONS: dict[str, str] = {}
_CACHED_MAX = 100_000


def _unit(code: str) -> str:
    text = f'"unit_code":"{code}","unit_level":"{unit_level_of(code).value}"'
    if len(_UNITS) < _CACHED_MAX:
        _UNITS[code] = text
    return text


def _disaggregation_json(dkey: str) -> str:
    text = json.dumps(_disaggregation(dkey), separators=(",", ":"), ensure_ascii=False)
    if len(_DISAGGREGATIONS) < _CACHED_MAX:
        _DISAGGREGATIONS[dkey] = text
    return text
