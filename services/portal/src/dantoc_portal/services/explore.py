"""Khai thác số liệu: an indicator for a unit over periods (gateway `/v1/series`), across its child units
(`/v1/drilldown`) and its ethnic groups (`/v1/comparison`), the three asked at once with the person's token."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from dantoc_contracts.periods import Period
from dantoc_portal.clients.catalog import map_day
from dantoc_portal.clients.services import Services
from dantoc_portal.clients.upstream import Answer
from dantoc_portal.domain.indicators import Definition, definition_on
from dantoc_portal.domain.roles import Person
from dantoc_portal.domain.views import Form, read_explore, span, unit_periods, values_by
from dantoc_portal.services.scope import require_unit

KINDS = ("series", "drilldown", "comparison")
EXPORTS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
TOTAL = "_T"


@dataclass
class Section:
    """One of the three answers: rows of (code, label, value), or why there are none."""

    rows: list[tuple[str, str, Decimal | None]] = field(default_factory=list)
    problem: str = ""


@dataclass
class ExploreView:
    form: Form
    catalogue: list[tuple[str, str, list[tuple[str, str]]]]  # group code, name, its indicators (code, name)
    definition: Definition | None = None
    unit: dict[str, Any] | None = None
    children: list[dict[str, Any]] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    series: Section = field(default_factory=Section)
    drilldown: Section = field(default_factory=Section)
    comparison: Section = field(default_factory=Section)


def _catalogue(indicators: list[dict[str, Any]], day: date, lang: str) -> tuple[list[Any], dict[str, Definition]]:
    groups: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    definitions = {}
    for indicator in indicators:
        definition = definition_on(indicator, day) or _latest(indicator)
        if definition is None:
            continue
        definitions[definition.code] = definition
        entry = groups.setdefault(definition.group_code, (definition.group(lang), []))
        entry[1].append((definition.code, definition.name(lang)))
    return [(code, name, sorted(items)) for code, (name, items) in sorted(groups.items())], definitions


def _latest(indicator: Mapping[str, Any]) -> Definition | None:
    versions = indicator.get("versions") or []
    return definition_on(indicator, date.fromisoformat(versions[-1]["effective_from"])) if versions else None


def _default_period(periods: list[str], period_type: str, today: date) -> str:
    fitting = [p for p in periods if Period.parse(p).type.value == period_type] or periods
    ended = [p for p in fitting if Period.parse(p).end < today]
    return (ended or fitting or [str(today.year - 1)])[0]


async def explore_view(
    services: Services, person: Person, token: str, raw: Mapping[str, str], today: date, lang: str
) -> ExploreView:
    indicators = await services.catalog.indicators()
    catalogue, definitions = _catalogue(indicators, today, lang)
    wanted = raw.get("unit", "").strip() or person.unit_code
    versions = await services.catalog.versions(wanted) if wanted.isdigit() else []
    periods = unit_periods(versions, today, quarterly=True)
    chosen = definitions.get(raw.get("indicator", "").strip()) or next(iter(definitions.values()), None)
    default = _default_period(periods, chosen.period_type if chosen else "year", today)
    form = read_explore(raw, default_unit=person.unit_code, default_period=default, indicators=list(definitions))
    view = ExploreView(form, catalogue, definitions.get(form.values["indicator"]), periods=periods)
    values = form.values
    view.unit = await require_unit(services.catalog, person, values["unit"], values["period"])
    view.children = await services.catalog.children(values["unit"], map_day(values["period"]))
    if form.problems or view.definition is None:
        return view
    ethnic = "ethnic_group" in view.definition.disaggregations
    calls = [
        _section(services, token, "/v1/series", _params("series", values, lang), "period"),
        _section(services, token, "/v1/drilldown", _params("drilldown", values, lang), "unit_code"),
    ]
    if ethnic:
        calls.append(_section(services, token, "/v1/comparison", _params("comparison", values, lang), "ethnic_group"))
    found = await asyncio.gather(*calls)
    series, drill = found[0], found[1]
    view.series = _series(series, values, lang)
    view.drilldown = _drilldown(drill, view.children)
    view.comparison = (
        _comparison(found[2], lang) if ethnic else Section(problem="Chỉ tiêu này không chia theo dân tộc.")
    )
    return view


def _params(kind: str, values: Mapping[str, str], lang: str) -> dict[str, str]:
    base = {"indicator": values["indicator"], "unit": values["unit"], "lang": lang}
    if kind == "series":
        return {**base, "periodFrom": values["from"], "periodTo": values["to"]}
    if kind == "comparison":
        return {**base, "period": values["period"], "by": "ethnic_group"}
    return {**base, "period": values["period"]}


async def _section(services: Services, token: str, path: str, params: dict[str, str], key: str) -> Any:
    answer = await services.gateway.request("GET", path, token=token, params=params, ok=(200, 400))
    return answer.body if answer.status == 200 else None


def _series(body: Any, values: Mapping[str, str], lang: str) -> Section:
    if body is None:
        return Section(problem="Không lấy được chuỗi số liệu cho lựa chọn này.")
    found = values_by(_totals(body, "period"), "period")
    periods = span(Period.parse(values["from"]), Period.parse(values["to"]))
    return Section([(p, p, found.get(p)) for p in periods])


def _drilldown(body: Any, children: list[dict[str, Any]]) -> Section:
    if body is None:
        return Section(problem="Không lấy được số liệu của các đơn vị cấp dưới.")
    found = values_by(_totals(body, "unit_code"), "unit_code")
    names = {str(c["code"]): f"{c.get('type', '')} {c.get('name', '')}".strip() for c in children}
    for child in body.get("children") or []:
        names.setdefault(str(child["code"]), str(child.get("name", child["code"])))
    return Section([(code, name, found.get(code)) for code, name in sorted(names.items())])


def _comparison(body: Any, lang: str) -> Section:
    if body is None:
        return Section(problem="Không lấy được số liệu theo dân tộc.")
    labels = (body.get("labels") or {}).get("ethnic_groups") or {}
    rows = []
    for code, value in values_by(_totals(body, "ethnic_group"), "ethnic_group").items():
        if code == TOTAL or value is None:
            continue
        names = labels.get(code) or {}
        rows.append((code, str(names.get("name_en" if lang == "en" else "name_vi") or code), value))
    return Section(sorted(rows, key=lambda r: -(r[2] or 0)))


def _totals(body: Any, varying: str) -> list[dict[str, Any]]:
    """The observations total on every dimension but `varying` (ethnic group, sex, age group, residence)."""
    dims = [d for d in ("ethnic_group", "sex", "age_group", "residence") if d != varying]
    return [o for o in body.get("observations") or [] if all(o.get(d, TOTAL) == TOTAL for d in dims)]


async def explore_export(
    services: Services, person: Person, token: str, raw: Mapping[str, str], kind: str, fmt: str, today: date, lang: str
) -> Answer:
    """The gateway's CSV or XLSX of one of the three answers (the scope checked first)."""
    indicators = await services.catalog.indicators()
    _, definitions = _catalogue(indicators, today, lang)
    unit = raw.get("unit", "").strip() or person.unit_code
    versions = await services.catalog.versions(unit) if unit.isdigit() else []
    chosen = definitions.get(raw.get("indicator", "").strip())
    default = _default_period(unit_periods(versions, today), chosen.period_type if chosen else "year", today)
    form = read_explore(raw, default_unit=person.unit_code, default_period=default, indicators=list(definitions))
    if form.problems:
        raise ValueError(form.problems)
    await require_unit(services.catalog, person, form.values["unit"], form.values["period"])
    params = {**_params(kind, form.values, lang), "format": fmt}
    return await services.gateway.request("GET", f"/v1/{kind}", token=token, params=params, accept=EXPORTS[fmt])
