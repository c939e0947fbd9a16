"""Dependency aliases of the routes (Annotated), and the admin bearer-token check."""

from __future__ import annotations

import hmac
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from dantoc_catalog.api.container import Container
from dantoc_catalog.domain.problems import ProblemsFound, problem
from dantoc_catalog.services.queries import CatalogQueries
from dantoc_contracts.problems import Location

VIETNAM = timezone(timedelta(hours=7), "ICT")  # no daylight saving time


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


def get_queries(container: Annotated[Container, Depends(get_container)]) -> CatalogQueries:
    return container.queries


ON_EXAMPLES = {
    "legacy": {"summary": "63-province map (until 2025-06-30)", "value": "2024-12-31"},
    "current": {"summary": "34-province map (from 2025-07-01)", "value": "2025-07-01"},
}


def on_date(
    on: Annotated[
        date | None,
        Query(
            description="Day the hierarchy is read at (YYYY-MM-DD); today in Vietnam by default.",
            openapi_examples=ON_EXAMPLES,
        ),
    ] = None,
) -> date:
    return on if on is not None else datetime.now(UTC).astimezone(VIETNAM).date()


_bearer = HTTPBearer(auto_error=False, description="The admin token (DANTOC_CATALOG_ADMIN_TOKEN).")


def require_admin(
    container: Annotated[Container, Depends(get_container)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    given = credentials.credentials.encode() if credentials else b""
    if not hmac.compare_digest(given, container.admin_token.encode()):
        raise ProblemsFound(
            [problem("unauthorized", Location(field="Authorization"))], status=401, title="Unauthorized"
        )


ContainerDep = Annotated[Container, Depends(get_container)]
QueriesDep = Annotated[CatalogQueries, Depends(get_queries)]
OnDate = Annotated[date, Depends(on_date)]
Admin = Depends(require_admin)


def not_found(what: str, value: str) -> ProblemsFound:
    return ProblemsFound([problem("not_found", Location(field=what), value=value)], status=404, title="Not found")
