"""Tình hình báo cáo: for a province or district and a period, every reporting unit below with reported / no data /
silent per indicator group (the gateway's completeness, with the person's token), sorted and filtered; its export."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dantoc_contracts.periods import Period
from dantoc_portal.clients.catalog import map_day
from dantoc_portal.clients.services import Services
from dantoc_portal.clients.upstream import Answer
from dantoc_portal.domain.roles import Person
from dantoc_portal.domain.views import Form, UnitRow, read_completeness, sort_rows, unit_periods, unit_rows, years_of
from dantoc_portal.services.scope import require_unit

PAGE_SIZE = 1000
EXPORTS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass
class CompletenessView:
    form: Form
    unit: dict[str, Any] | None = None
    periods: list[str] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)  # every group with units expected to report
    summary: dict[str, int] = field(default_factory=dict)
    rows: list[UnitRow] = field(default_factory=list)
    total: int = 0
    provinces: list[dict[str, Any]] = field(default_factory=list)  # the picker of a national person

    @property
    def picking(self) -> bool:
        return self.unit is None


async def _periods_of(services: Services, unit: str, today: date) -> list[str]:
    versions = [] if unit == "VN" else await services.catalog.versions(unit)
    return unit_periods(versions, today, quarterly=True)


async def completeness_view(
    services: Services, person: Person, token: str, raw: Mapping[str, str], today: date, lang: str
) -> CompletenessView:
    """Read the filter; a national person without a unit gets the province picker; otherwise the scope check (403
    outside), then one gateway call."""
    groups = await services.catalog.groups()
    wanted = raw.get("unit", "").strip() or person.unit_code
    periods = await _periods_of(services, wanted, today) if wanted.isdigit() or wanted == "VN" else []
    form = read_completeness(raw, default_unit=person.unit_code, periods=periods, groups=[g["code"] for g in groups])
    unit_code = form.values["unit"]
    if unit_code != wanted:
        periods = await _periods_of(services, unit_code, today)
    if not form.values["period"]:
        form.values["period"] = (years_of(periods) or periods or [str(today.year - 1)])[0]
    view = CompletenessView(form, periods=periods)
    if unit_code == "VN":
        view.provinces = await services.catalog.children("VN", map_day(form.values["period"]))
        return view
    view.unit = await require_unit(services.catalog, person, unit_code, form.values["period"])
    if form.problems:
        return view
    params = _params(form.values, lang)
    found = await services.gateway.get("/v1/completeness", token=token, params={**params, "pageSize": str(PAGE_SIZE)})
    view.groups = [g for g in found.get("groups", []) if g.get("expected")]
    view.summary = found.get("summary", {})
    view.rows = sort_rows(unit_rows(found.get("units", [])), form.values["sort"])
    view.total = int(found.get("meta", {}).get("total", len(view.rows)))
    return view


def _params(values: Mapping[str, str], lang: str) -> dict[str, str]:
    params = {"unit": values["unit"], "period": values["period"], "lang": lang}
    params.update({k: values[k] for k in ("group", "status") if values.get(k)})
    return params


async def completeness_export(
    services: Services, person: Person, token: str, raw: Mapping[str, str], fmt: str, today: date, lang: str
) -> Answer:
    """The gateway's CSV or XLSX of the same filter (the scope checked first)."""
    groups = await services.catalog.groups()
    unit = raw.get("unit", "").strip() or person.unit_code
    periods = await _periods_of(services, unit, today) if unit.isdigit() else []
    form = read_completeness(raw, default_unit=person.unit_code, periods=periods, groups=[g["code"] for g in groups])
    if form.problems or form.values["unit"] == "VN":
        raise ValueError(form.problems)
    if not form.values["period"]:
        form.values["period"] = (years_of(periods) or periods)[0]
    Period.parse(form.values["period"])
    await require_unit(services.catalog, person, form.values["unit"], form.values["period"])
    params = {**_params(form.values, lang), "format": fmt, "pageSize": str(PAGE_SIZE)}
    return await services.gateway.request("GET", "/v1/completeness", token=token, params=params, accept=EXPORTS[fmt])
