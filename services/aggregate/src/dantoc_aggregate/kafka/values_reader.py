"""The fast reader of accepted-value envelopes (the hot path of the consumer).

Validating an envelope with the contract's pydantic adapter costs ~1.5 µs per cell plus the models it builds; the
national load reads millions of cells. The topic is written by ingest, which validated every cell, so this reader
parses the JSON with the standard library and checks the shape with a few plain tests. It vouches only for what it
fully understands: an envelope the contract would accept, written the way `dantoc_contracts.messages.encode` writes
it (decimals as strings, UTC timestamps, ASCII codes), inside the contract's bounds (`dantoc_contracts.bounds`:
decimals by `decimal_problem`, periods in canonical ASCII text matched whole, codes and texts by their widths).
For anything else it answers None and the caller validates
the bytes with the contract's adapter, which accepts them (other spellings) or rejects them (dead letter). So the
messages it reads are exactly a subset of the ones the contract accepts, read to the same values (tested).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from dantoc_aggregate.services.cells import AcceptedCells, Cell, to_us
from dantoc_contracts.bounds import (
    AGENCY_CODE_WIDTH,
    CODE_WIDTH,
    NO_DATA_REASON_WIDTH,
    SUBMISSION_ID_WIDTH,
    decimal_problem,
)
from dantoc_contracts.codes import INDICATOR_CODE_PATTERN, UNIT_CODE_PATTERN
from dantoc_contracts.periods import canonical_period

_KIND = "ValuesAccepted"
_UNIT = re.compile(UNIT_CODE_PATTERN)
_INDICATOR = re.compile(INDICATOR_CODE_PATTERN)
_NUMBER = re.compile(r"-?[0-9]{1,28}(?:\.[0-9]{1,28})?")
_STAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:Z|[+-][0-9]{2}:[0-9]{2})"
)
_ID = re.compile(rf"[^\x00-\x20\x7f]{{1,{SUBMISSION_ID_WIDTH}}}")
_CODE = re.compile(rf"[A-Za-z0-9_.\-]{{1,{CODE_WIDTH}}}")
_AGENCY = re.compile(rf"[A-Za-z0-9_.\-]{{1,{min(CODE_WIDTH, AGENCY_CODE_WIDTH)}}}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ETHNIC_LISTS = frozenset({"GSO1979", "GSO2008"})
_DIMENSIONS = frozenset({"ethnic_group", "sex", "age_group", "residence"})
_TOTAL = "_T"
_SEEN_INDICATORS: set[str] = set()
_DKEYS: dict[tuple[Any, ...], str] = {}
_DKEYS_MAX = 100_000


class NotVouched(Exception):
    """The fast reader cannot vouch for this message: validate it with the contract's adapter instead."""


def read_accepted(raw: bytes | None) -> AcceptedCells | None:
    """The message's cells, or None when the fast reader cannot vouch for the bytes."""
    try:
        return _read(json.loads(raw)) if raw else None
    except (NotVouched, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def _read(envelope: Any) -> AcceptedCells:
    payload = envelope["payload"]
    _check(type(payload) is dict and envelope["type"] == _KIND and payload["kind"] == _KIND)
    _check(type(envelope["message_id"]) is str and _UUID.fullmatch(envelope["message_id"]) is not None)
    _check(type(envelope.get("schema_version", 1)) is int and envelope.get("schema_version", 1) >= 1)
    _check(type(envelope["producer"]) is str and _optional_str(envelope.get("correlation_id")))
    if "occurred_at" in envelope:
        _moment(envelope["occurred_at"])
    unit, period = payload["unit_code"], payload["period"]
    _check(type(unit) is str and _UNIT.fullmatch(unit) is not None and type(period) is str and _period_ok(period))
    submission = payload["submission_id"]
    agency = payload["agency"]
    _check(type(submission) is str and _ID.fullmatch(submission) is not None)
    _check(type(agency) is str and _AGENCY.fullmatch(agency) is not None)
    changes = payload["changes"]
    _check(type(changes) is list)
    accepted_us = to_us(_moment(payload["accepted_at"]))
    return AcceptedCells(unit, period, accepted_us, [_cell(change) for change in changes], submission)


def _cell(change: Any) -> Cell:
    indicator, revision, new = change["indicator"], change["revision"], change["new"]
    _check(indicator in _SEEN_INDICATORS or _indicator_ok(indicator))
    _check(type(revision) is int and revision >= 1 and type(new) is dict)
    value, no_data = new.get("value"), new.get("no_data", False)
    _check(type(no_data) is bool and _reason_ok(new.get("no_data_reason")))
    if value is not None:
        value = _number(value)
        value = None if no_data else value
    previous = change.get("previous")
    if previous is not None:
        _cell_value(previous)
    if change.get("original_ethnic_group") is not None:
        _ethnic(change["original_ethnic_group"])
    return indicator, _dkey(change["disaggregation"]), value, revision


def _indicator_ok(indicator: Any) -> bool:
    if type(indicator) is str and _INDICATOR.fullmatch(indicator) is not None:
        _SEEN_INDICATORS.add(indicator)  # at most 10,000 codes
        return True
    return False


def _cell_value(content: Any) -> None:
    """A cell content the aggregates do not use (the previous one): checked only."""
    _check(type(content) is dict and type(content.get("no_data", False)) is bool)
    value = content.get("value")
    if value is not None:
        _number(value)
    _check(_reason_ok(content.get("no_data_reason")))


def _number(text: Any) -> Decimal:
    """A decimal written as plain digits, inside the contract's bounds (no exponent, ≤ 15 + 6 digits)."""
    _check(type(text) is str and _NUMBER.fullmatch(text) is not None)
    number = Decimal(text)
    _check(decimal_problem(number) is None)
    return number


def _reason_ok(reason: Any) -> bool:
    return reason is None or (type(reason) is str and len(reason) <= NO_DATA_REASON_WIDTH)


def _dkey(disaggregation: Any) -> str:
    """`Disaggregation.key()` of the JSON object (the contract forbids unknown dimensions)."""
    _check(type(disaggregation) is dict and disaggregation.keys() <= _DIMENSIONS)
    group = disaggregation.get("ethnic_group")
    shape = (
        None if group is None else (group.get("code_list"), group.get("code")),
        disaggregation.get("sex"),
        disaggregation.get("age_group"),
        disaggregation.get("residence"),
    )
    key = _DKEYS.get(shape)
    if key is None:
        key = _new_dkey(disaggregation)
        if len(_DKEYS) < _DKEYS_MAX:
            _DKEYS[shape] = key
    return key


def _new_dkey(disaggregation: dict[str, Any]) -> str:
    group = disaggregation.get("ethnic_group")
    sex, age, residence = disaggregation.get("sex"), disaggregation.get("age_group"), disaggregation.get("residence")
    _check(_code_ok(sex) and _code_ok(age) and _code_ok(residence))
    ethnic = _TOTAL if group is None else _ethnic(group)
    return f"{ethnic}|{sex or _TOTAL}|{age or _TOTAL}|{residence or _TOTAL}"


def _ethnic(group: Any) -> str:
    _check(type(group) is dict)
    code_list, code = group["code_list"], group["code"]
    _check(code_list in _ETHNIC_LISTS and type(code) is str and len(code) == 2 and code.isascii() and code.isdigit())
    return f"{code_list}:{code}"


def _moment(text: Any) -> datetime:
    _check(type(text) is str and _STAMP.fullmatch(text) is not None)
    moment = datetime.fromisoformat(text)
    _check(moment.tzinfo is not None and moment.utcoffset() is not None)
    return moment.astimezone(UTC)


@lru_cache(maxsize=4096)
def _period_ok(text: str) -> bool:
    try:
        return canonical_period(text) == text  # ASCII digits, the whole string, in its canonical spelling
    except ValueError:
        return False


def _code_ok(value: Any) -> bool:
    return value is None or (type(value) is str and _CODE.fullmatch(value) is not None)


def _optional_str(value: Any) -> bool:
    return value is None or type(value) is str


def _check(condition: bool) -> None:
    if not condition:
        raise NotVouched
