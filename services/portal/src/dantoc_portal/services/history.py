"""One cell's history: every version ingest keeps of it (what, who, when, from which submission), oldest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dantoc_contracts.periods import Period
from dantoc_portal.clients.services import Services
from dantoc_portal.domain.indicators import Definition, definition_on
from dantoc_portal.domain.roles import Person
from dantoc_portal.services.scope import require_unit


@dataclass(frozen=True, slots=True)
class History:
    unit: dict[str, Any]
    period: str
    definition: Definition | None
    rows: list[dict[str, Any]]


async def cell_history(
    services: Services, person: Person, token: str, unit: str, period: str, indicator: str, key: str
) -> History:
    found = await require_unit(services.catalog, person, unit, period)
    definition = None
    for item in await services.catalog.indicators():
        if item.get("code") == indicator:
            definition = definition_on(item, Period.parse(period).end)
    rows = await services.ingest.get(
        "/cells/history",
        token=token,
        params={"unit_code": unit, "period": period, "indicator": indicator, "disaggregation_key": key},
    )
    listed = rows if isinstance(rows, list) else []
    for row in listed:
        try:
            row["accepted_at"] = datetime.fromisoformat(str(row.get("accepted_at")))
        except ValueError:
            row["accepted_at"] = None
    return History(found, period, definition, listed)
