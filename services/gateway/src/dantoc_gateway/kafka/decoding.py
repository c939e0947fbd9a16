"""Thin Kafka handlers: decode a record of a topic (aggregates, accepted values, catalog) for its use case."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from dantoc_contracts import topics
from dantoc_contracts.aggregates import AggregateChanged
from dantoc_contracts.bounds import DECIMAL_TEXT_WIDTH
from dantoc_contracts.catalog_view import CatalogRecord, CatalogView
from dantoc_contracts.messages import adapter
from dantoc_contracts.values import ValuesAccepted
from dantoc_gateway.domain.records import Fact, FeedRecord, address_of
from dantoc_gateway.domain.submitters import Submitted

_AGGREGATES = adapter(topics.AGGREGATES.name)
_CATALOG = adapter(topics.CATALOG.name)
_VALUES = adapter(topics.VALUES_ACCEPTED.name)


class UnreadableRecord(Exception):
    """A record no decoder can read: the quarantine rule parks and dead-letters it with this reason."""


def fixed_width(number: Decimal) -> int | None:
    """Characters of `format(number, "f")`, counted without building it (None when not finite)."""
    if not number.is_finite():
        return None
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    # digits and trailing zeros; or digits, a leading 0 if needed, and the point
    body = len(digits) + exponent if exponent >= 0 else max(len(digits), -exponent + 1) + 1
    return body + sign


def _bounded(message: AggregateChanged) -> None:
    """Every number fits the value columns as text (`1E+999999999` would fit neither a column nor memory)."""
    for field in ("value", "numerator", "denominator"):
        number = getattr(message, field)
        if number is None:
            continue
        width = fixed_width(number)
        if width is None or width > DECIMAL_TEXT_WIDTH:
            raise UnreadableRecord(f"{field}: not a finite number of at most {DECIMAL_TEXT_WIDTH} characters")


def _key(record: Any) -> str:
    if record.key is None:
        raise UnreadableRecord("record has no key")
    try:
        return str(record.key.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise UnreadableRecord(f"key is not UTF-8: {error}") from error


def decode_aggregate(record: Any, catalog: CatalogView) -> FeedRecord:
    """An aggregates-topic record as a feed record (fact None for a tombstone)."""
    key = _key(record)
    try:
        message: AggregateChanged | None = None
        correlation: str | None = None
        if record.value is not None:
            envelope = _AGGREGATES.validate_json(record.value)
            message, correlation = envelope.payload, envelope.correlation_id
            _bounded(message)
        address = address_of(key, message, catalog.canonical_ethnic)
    except (ValidationError, ValueError) as error:
        raise UnreadableRecord(str(error)[:2000]) from error
    fact = None if message is None else Fact.of(message)
    return FeedRecord(record.partition, record.offset, address, fact, correlation)


def decode_values(record: Any) -> Submitted:
    """An accepted-values record as (agency, unit, period, submission); only who submitted for what is kept."""
    if record.value is None:
        raise UnreadableRecord("accepted-values record without a value")
    try:
        message: ValuesAccepted = _VALUES.validate_json(record.value).payload
    except ValidationError as error:  # the contracts bound agency codes and submission ids
        raise UnreadableRecord(str(error)[:2000]) from error
    return Submitted(
        partition=record.partition,
        offset=record.offset,
        agency=message.agency,
        unit_code=message.unit_code,
        period=message.period,
        submission_id=message.submission_id,
        accepted_at=message.accepted_at,
    )


def decode_catalog(record: Any) -> tuple[str, CatalogRecord | None]:
    """A catalog-topic record as (key, payload or None for a tombstone)."""
    key = _key(record)
    if record.value is None:
        return key, None
    try:
        payload: CatalogRecord = _CATALOG.validate_json(record.value).payload
    except ValidationError as error:
        raise UnreadableRecord(str(error)[:2000]) from error
    return key, payload


def apply_catalog_records(catalog: CatalogView, records: list[tuple[str, CatalogRecord | None]]) -> None:
    for key, payload in records:
        catalog.apply(key, payload)
