"""Catalog records as Kafka messages: the contracts envelope, encoded; a tombstone is a null value."""

from __future__ import annotations

from collections.abc import Iterable

from dantoc_contracts.catalog_view import CatalogRecord
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode

PRODUCER = "catalog"


def encode_record(payload: CatalogRecord | None) -> bytes | None:
    """The message value of a record: its envelope as JSON bytes, or None (a tombstone) when it was removed."""
    if payload is None:
        return None
    return encode(Envelope[CatalogRecord](type=payload.kind, producer=PRODUCER, payload=payload))


def encode_records(records: Iterable[tuple[str, CatalogRecord | None]]) -> list[tuple[str, bytes | None]]:
    return [(key, encode_record(payload)) for key, payload in records]
