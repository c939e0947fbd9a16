"""The change feed: every figure changed (or deleted) after a time, oldest first, within the caller's scope."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.periods import Period
from dantoc_gateway.db import queries
from dantoc_gateway.db.queries import Reader
from dantoc_gateway.domain.access import Caller, may_see
from dantoc_gateway.domain.params import ParamReader
from dantoc_gateway.domain.problems import Problems
from dantoc_gateway.domain.selection import Observation
from dantoc_gateway.services.observations import Output, read_output


@dataclass(frozen=True)
class ChangesQuery:
    cursor: tuple[datetime, str | None]  # (time, key): strictly after; key None = after the instant
    indicators: tuple[str, ...] | None
    output: Output


@dataclass
class ChangesPage:
    observations: list[Observation]
    next_cursor: str | None
    last_updated: datetime | None


def encode_cursor(at: datetime, key: str) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{key}".encode()).decode().rstrip("=")


def _decode_cursor(text: str) -> tuple[datetime, str] | None:
    try:
        at, _, key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode().partition("|")
        parsed = datetime.fromisoformat(at)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return (parsed.astimezone(UTC), key) if parsed.tzinfo else None


def parse_changes(
    catalog: CatalogView, raw: dict[str, str | None], limits: tuple[int, int, int], problems: Problems
) -> ChangesQuery:
    """Read a change-feed request: `updatedAfter` (or a cursor), filters, page size; 400 with every fault."""
    reader = ParamReader(catalog, problems, limits[2])
    output = read_output(reader, raw, limits[0], limits[1])
    indicators = reader.indicators(raw.get("indicator"), raw.get("group"), required=False)
    cursor: tuple[datetime, str | None] | None = None
    if raw.get("cursor"):
        cursor = _decode_cursor(raw["cursor"] or "")
        if cursor is None:
            problems.add("malformed_cursor", "cursor", raw.get("cursor"))
    else:
        after = reader.timestamp("updatedAfter", raw.get("updatedAfter"))
        cursor = None if after is None else (after, None)
    problems.raise_if_any()
    assert cursor is not None
    return ChangesQuery(cursor, tuple(indicators) or None, output)


async def read_changes(
    session: Reader,
    catalog: CatalogView,
    caller: Caller,
    query: ChangesQuery,
    visible: set[str] | None,
    settle: float = 0.0,
) -> ChangesPage:
    """One page of changes; rows outside the caller's scope on their period's map are left out.

    With several writers (workers or replicas) a batch stamped earlier may commit later: changes younger than
    `settle` seconds are held back, so a client that follows `last_updated` never skips one.
    """
    limit = query.output.page_size
    found = await queries.changes(
        session,
        cursor=query.cursor,
        indicators=query.indicators,
        units=None if visible is None else sorted(visible),
        limit=limit,
        until=datetime.now(UTC) - timedelta(seconds=settle) if settle > 0 else None,
    )
    kept = [
        obs
        for _, obs in found
        if visible is None or may_see(caller, obs.unit_code, Period.parse(obs.period).end, catalog)
    ]
    next_cursor = encode_cursor(found[-1][1].updated_at, found[-1][0]) if len(found) == limit else None
    last = found[-1][1].updated_at if found else None
    return ChangesPage(kept, next_cursor, last)
