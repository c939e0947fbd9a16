"""The three services the portal works over, with the clients the pages use."""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp

from dantoc_portal.clients.catalog import CatalogClient
from dantoc_portal.clients.upstream import Upstream
from dantoc_portal.metrics import PortalMetrics
from dantoc_portal.settings import Settings


@dataclass(frozen=True, slots=True)
class Services:
    catalog: CatalogClient
    ingest: Upstream
    gateway: Upstream
    http: aiohttp.ClientSession

    @classmethod
    def of(cls, settings: Settings, metrics: PortalMetrics) -> Services:
        """In a running event loop (the app's lifespan). An idle connection is let go after 2 s, before the services'
        servers close theirs (uvicorn: 5 s); the three services answer no faster with more than 32 at once."""
        client = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=settings.upstream_timeout_seconds),
            connector=aiohttp.TCPConnector(limit=32, keepalive_timeout=2.0),
            raise_for_status=False,
        )
        return cls(
            catalog=CatalogClient(Upstream(client, settings.catalog_url, "catalog", metrics)),
            ingest=Upstream(client, settings.ingest_url, "ingest", metrics),
            gateway=Upstream(client, settings.gateway_url, "gateway", metrics),
            http=client,
        )

    async def close(self) -> None:
        await self.http.close()
