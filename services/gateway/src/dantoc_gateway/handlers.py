"""Thin Kafka handlers: decode a record of a topic, then hand it to the use case or the catalog view."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from dantoc_contracts import topics
from dantoc_contracts.aggregates import AggregateChanged
from dantoc_contracts.catalog_view import CatalogRecord, CatalogView
from dantoc_contracts.messages import adapter
from dantoc_gateway.domain.records import Fact, FeedRecord, address_of

_AGGREGATES = adapter(topics.AGGREGATES.name)
_CATALOG = adapter(topics.CATALOG.name)


class UnreadableRecord(Exception):
    """A record no decoder can read: it goes to the dead-letter topic with this reason."""


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
        if record.value is not None:
            message = _AGGREGATES.validate_json(record.value).payload
        address = address_of(key, message, catalog.canonical_ethnic)
    except (ValidationError, ValueError) as error:
        raise UnreadableRecord(str(error)[:2000]) from error
    fact = None if message is None else Fact.of(message)
    return FeedRecord(partition=record.partition, offset=record.offset, address=address, fact=fact)


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
