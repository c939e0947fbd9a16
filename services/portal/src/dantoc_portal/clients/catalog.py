"""The catalog's reads the pages need, cached for a minute (the catalog changes by imports, rarely)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from dantoc_contracts.periods import Period
from dantoc_portal.clients.upstream import Upstream, UpstreamError
from dantoc_portal.domain.indicators import Definition, reported_by


def map_day(period: str) -> date:
    """The day whose map a period is reported on (its last day, as ingest and the gateway decide)."""
    return Period.parse(period).end


class CatalogClient:
    def __init__(self, upstream: Upstream, *, ttl: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._upstream, self._ttl, self._clock = upstream, ttl, clock
        self._cache: dict[tuple[object, ...], tuple[float, Any]] = {}
        self._derived: dict[tuple[object, ...], tuple[object, Any]] = {}  # key -> (the source it came from, value)

    async def _cached(self, key: tuple[object, ...], fetch: Callable[[], Awaitable[Any]]) -> Any:
        hit = self._cache.get(key)
        if hit is not None and self._clock() - hit[0] < self._ttl:
            return hit[1]
        value = await fetch()
        if len(self._cache) > 20_000:
            self._cache.clear()
        self._cache[key] = (self._clock(), value)
        return value

    async def _get(self, path: str, **params: str) -> Any:
        return await self._cached((path, *sorted(params.items())), lambda: self._upstream.get(path, params=params))

    async def unit(self, code: str, on: date) -> dict[str, Any] | None:
        """The unit on that day, or None when there is no such unit then."""
        try:
            found: dict[str, Any] = await self._get(f"/units/{code}", on=on.isoformat())
        except UpstreamError as error:
            if error.status in (404, 422):
                return None
            raise
        return found

    async def versions(self, code: str) -> list[dict[str, Any]]:
        """Every version of a unit on every map (oldest first); empty when there is none."""
        try:
            found: list[dict[str, Any]] = await self._get(f"/units/{code}/versions")
        except UpstreamError as error:
            if error.status in (404, 422):
                return []
            raise
        return found

    async def ancestors(self, code: str, on: date) -> list[dict[str, Any]]:
        """The unit's parents up to its province (nearest first), as the catalog lists them."""
        try:
            found: list[dict[str, Any]] = await self._get(f"/units/{code}/ancestors", on=on.isoformat())
        except UpstreamError as error:
            if error.status in (404, 422):
                return []
            raise
        return found

    async def children(self, code: str, on: date) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self._get(f"/units/{code}/children", on=on.isoformat())
        return found

    async def subtree(self, code: str, on: date, level: str | None = None) -> list[dict[str, Any]]:
        params = {"on": on.isoformat(), **({"level": level} if level else {})}
        found: list[dict[str, Any]] = await self._get(f"/units/{code}/subtree", **params)
        return found

    async def province_of(self, code: str, on: date) -> str | None:
        """The province a unit lies in (itself for a province), None for the nation or an unknown unit."""
        if len(code) == 2:
            return code
        for unit in await self.ancestors(code, on):
            if unit.get("level") == "province":
                return str(unit["code"])
        return None

    async def is_within(self, code: str, scope: str, on: date) -> bool:
        """Is `code` the unit `scope` or below it, on the map of `on`? (`VN` holds every unit.)"""
        if scope == "VN" or code == scope:
            return True
        return any(unit.get("code") == scope for unit in await self.ancestors(code, on))

    async def indicators(self, group: str | None = None) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self._get("/indicators", **({"group": group} if group else {}))
        return found

    async def reported_by(
        self, level: str, period: str, agency_types: frozenset[str] | None = None
    ) -> list[Definition]:
        """`domain.indicators.reported_by` over the cached indicators, worked out once per list the catalog gave (a
        page asks it for every period it offers; reading every version of every indicator each time was a third of
        the data-entry page's time)."""
        indicators = await self.indicators()
        key = ("reported_by", level, period, agency_types)
        hit = self._derived.get(key)
        if hit is not None and hit[0] is indicators:
            found: list[Definition] = hit[1]
            return found
        if len(self._derived) > 20_000:
            self._derived.clear()
        found = reported_by(indicators, level, period, agency_types)
        self._derived[key] = (indicators, found)
        return found

    async def groups(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self._get("/indicator-groups")
        return found

    async def agencies(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self._get("/agencies")
        return found

    async def ethnic_groups(self) -> dict[str, Any]:
        found: dict[str, Any] = await self._get("/ethnic-groups")
        return found
