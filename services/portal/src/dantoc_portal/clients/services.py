"""The three services the portal works over, with the clients the pages use."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from dantoc_portal.clients.catalog import CatalogClient
from dantoc_portal.clients.upstream import Upstream
from dantoc_portal.metrics import PortalMetrics
from dantoc_portal.settings import Settings


@dataclass(frozen=True, slots=True)
class Services:
    catalog: CatalogClient
    ingest: Upstream
    gateway: Upstream
    http: httpx.AsyncClient

    @classmethod
    def of(cls, settings: Settings, metrics: PortalMetrics, http: httpx.AsyncClient | None = None) -> Services:
        # a small pool: httpcore looks at every pooled connection for each request, so at 50 busy users a pool of
        # 200 spent a fifth of the portal's time there; the three services answer no faster with more connections
        # and an idle connection is let go after 2 s, before the services' servers close theirs (uvicorn: 5 s)
        limits = httpx.Limits(max_connections=24, max_keepalive_connections=24, keepalive_expiry=2.0)
        client = http or httpx.AsyncClient(timeout=settings.upstream_timeout_seconds, limits=limits)
        return cls(
            catalog=CatalogClient(Upstream(client, settings.catalog_url, "catalog", metrics)),
            ingest=Upstream(client, settings.ingest_url, "ingest", metrics),
            gateway=Upstream(client, settings.gateway_url, "gateway", metrics),
            http=client,
        )

    async def close(self) -> None:
        await self.http.aclose()
