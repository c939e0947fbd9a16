"""What the composition root builds and the API uses: catalog view, read-model state, sessions, verifier, cache."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import EthnicCodeList
from dantoc_gateway.auth.tokens import TokenVerifier
from dantoc_gateway.domain.state import ReadModelState
from dantoc_gateway.domain.territory import Reach, reach_of
from dantoc_gateway.metrics import GatewayMetrics
from dantoc_gateway.services.labels import Labels
from dantoc_gateway.settings import Settings


@dataclass(frozen=True)
class Rendered:
    """A rendered answer, ready to send (and to keep in the response cache)."""

    body: bytes
    media_type: str
    headers: dict[str, str] = field(default_factory=dict)


class ResponseCache:
    """LRU of rendered answers, bounded by their total size. Keys carry the versions of what an answer read, so
    a change retires exactly the answers it affects (they are never looked up again and age out)."""

    def __init__(self, capacity_bytes: int) -> None:
        self._capacity = capacity_bytes
        self._size = 0
        self._store: OrderedDict[Hashable, Rendered] = OrderedDict()

    def get(self, key: Hashable) -> Rendered | None:
        found = self._store.get(key)
        if found is not None:
            self._store.move_to_end(key)
        return found

    def put(self, key: Hashable, value: Rendered) -> None:
        if len(value.body) * 8 > self._capacity:  # nothing, or one answer crowding out the rest
            return
        old = self._store.pop(key, None)
        self._size += len(value.body) - (len(old.body) if old is not None else 0)
        self._store[key] = value
        while self._size > self._capacity:
            _, evicted = self._store.popitem(last=False)
            self._size -= len(evicted.body)


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: Any
    catalog: CatalogView
    state: ReadModelState
    verifier: TokenVerifier
    metrics: GatewayMetrics
    cache: ResponseCache
    probe: Callable[[], Awaitable[bool]] | None = None  # is the broker reachable?
    memo: dict[Hashable, Any] = field(default_factory=dict)  # small derived look-ups, keyed by version

    def labels(self, ethnic_list: EthnicCodeList = EthnicCodeList.GSO_1979) -> Labels:
        """Name look-ups, kept while the catalog does not change (they memoise what they found)."""
        found = self._kept(
            ("labels", self.state.catalog_version, ethnic_list), lambda: Labels(self.catalog, ethnic_list)
        )
        assert isinstance(found, Labels)
        return found

    def reach(self, scope: str) -> Reach:
        """What a scope reaches across map changes, kept while the catalog does not change."""
        found = self._kept(("reach", self.state.catalog_version, scope), lambda: reach_of(scope, self.catalog))
        assert isinstance(found, Reach)
        return found

    def _kept(self, key: Hashable, make: Callable[[], Any]) -> Any:
        found = self.memo.get(key)
        if found is None:
            if len(self.memo) > 256:
                self.memo.clear()
            found = self.memo[key] = make()
        return found

    async def probe_broker(self) -> bool:
        return self.probe is not None and await self.probe()

    @property
    def limits(self) -> tuple[int, int, int]:
        """(default page size, maximum page size, maximum codes per parameter)."""
        s = self.settings
        return s.default_page_size, s.max_page_size, s.max_codes_per_parameter
