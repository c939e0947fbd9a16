"""Data entry: what a person may pick (unit, period, group), the grid of a unit, period and group (stored values,
last period's, the draft), and saving (ingest's dry run) or submitting it (the real POST, same submission id)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from dantoc_contracts.periods import Period
from dantoc_portal.clients.catalog import CatalogClient, map_day
from dantoc_portal.clients.services import Services
from dantoc_portal.clients.upstream import UpstreamUnavailable
from dantoc_portal.db.uow import UnitOfWorkFactory
from dantoc_portal.domain.grid import Draft, Matrix, groups_of, matrix, submission_id
from dantoc_portal.domain.grid_checks import Message, Placed, outgoing, place_problems
from dantoc_portal.domain.indicators import Definition, agency_types
from dantoc_portal.domain.periods import previous_period, reporting_periods, valid_on
from dantoc_portal.domain.roles import Person
from dantoc_portal.services import drafts
from dantoc_portal.services.scope import UnknownPlace, checked_period, require_unit

Cells = dict[tuple[str, str], dict[str, Any]]
NOTHING = Message("Chưa nhập số liệu nào.", "Nothing has been entered.")


@dataclass(frozen=True, slots=True)
class Choices:
    units: list[dict[str, Any]]
    periods: list[str]
    groups: list[dict[str, Any]]
    unit: dict[str, Any]
    period: str
    group: str  # empty until one is picked
    definitions: list[Definition]  # of the group picked


def _date(text: Any) -> date | None:
    return date.fromisoformat(text) if isinstance(text, str) and text else None


async def choices(
    catalog: CatalogClient, person: Person, unit_code: str, period: str, group: str, today: date
) -> Choices:
    """The pickers' options and the definitions of the picked group; OutOfScope / UnknownPlace as the pages want."""
    unit_code = unit_code or person.unit_code
    versions = await catalog.versions(unit_code) if unit_code.isdigit() else []
    if not versions:
        raise UnknownPlace(unit_code)
    agencies = {str(a.get("code")): a for a in await catalog.agencies()}
    types = agency_types(agencies.get(person.agency))

    async def reportable(p: str) -> list[Definition]:
        day = map_day(p)
        version = next((v for v in versions if valid_on(day, _date(v["valid_from"]), _date(v["valid_to"]))), None)
        return await catalog.reported_by(version["level"], p, types) if version else []

    def periods_for(quarterly: bool) -> list[str]:
        found = {
            p
            for v in versions
            for p in reporting_periods(today, _date(v["valid_from"]), _date(v["valid_to"]), quarterly=quarterly)
        }
        return sorted(found, key=lambda p: (Period.parse(p).end, len(p)), reverse=True)

    quarterly = any(
        d.period_type == "quarter" and (not group or d.group_code == group)
        for definitions in [await reportable(p) for p in periods_for(True) if "Q" in p]
        for d in definitions
    )
    periods = periods_for(quarterly)
    period = checked_period(period) if period else (periods[0] if periods else "")
    if not period:
        raise UnknownPlace(unit_code)
    unit = await require_unit(catalog, person, unit_code, period)
    definitions = await reportable(period)
    names = {str(g["code"]): g for g in await catalog.groups()}
    codes = sorted({d.group_code for d in definitions})
    groups = [names.get(c, {"code": c, "name_vi": c, "name_en": c}) for c in codes]
    group = group if group in codes else ""
    own = await catalog.unit(person.unit_code, map_day(period)) if person.unit_code.isdigit() else None
    units = [own] if own else []
    if person.unit_code.isdigit() or person.unit_code == "VN":
        units += await catalog.children(person.unit_code, map_day(period)) if person.unit_code.isdigit() else []
    if all(u.get("code") != unit["code"] for u in units):
        units.insert(0, unit)
    chosen = [d for d in definitions if d.group_code == group] if group else []
    return Choices(units, periods, groups, unit, period, group, chosen)


async def read_cells(services: Services, token: str, unit: str, period: str, indicators: list[str]) -> Cells:
    """The unit's current cells of those indicators (empty when ingest may not answer for that period)."""
    answer = await services.ingest.request(
        "GET",
        "/cells",
        token=token,
        params={"unit_code": unit, "period": period, "indicator": indicators},
        ok=(200, 403, 404, 422),
    )
    rows = answer.body if answer.status == 200 and isinstance(answer.body, list) else []
    for row in rows:
        row["accepted_at"] = _when(row.get("accepted_at"))
    return {(str(r["indicator"]), str(r["disaggregation_key"])): r for r in rows}


def _when(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Grid:
    choices: Choices
    matrices: list[Matrix]
    current: Cells
    previous: Cells
    previous_period: str
    draft: Draft  # what the inputs show
    problems: Placed = field(default_factory=lambda: Placed({}, []))
    draft_updated_at: datetime | None = None
    submission_id: str = ""

    @property
    def by_ethnic_group(self) -> bool:
        return any("ethnic_group" in m.definition.disaggregations for m in self.matrices)


def shown(cells: Cells) -> Draft:
    """The stored values as the inputs show them: decimal comma, no grouping (what ingest reads back the same)."""
    values = {k: str(c["value"]).replace(".", ",") for k, c in cells.items() if c.get("value") is not None}
    no_data = {k[0]: str(c.get("no_data_reason") or "") for k, c in cells.items() if c.get("no_data")}
    return Draft(values, no_data)


async def build_grid(
    services: Services,
    token: str,
    chosen: Choices,
    *,
    draft: Draft | None = None,
    problems: Placed | None = None,
    stored: drafts.Stored | None = None,
) -> Grid:
    codes = [d.code for d in chosen.definitions]
    unit = str(chosen.unit["code"])
    before = previous_period(chosen.period)
    current = await read_cells(services, token, unit, chosen.period, codes) if codes else {}
    previous = await read_cells(services, token, unit, before, codes) if codes else {}
    if draft is None:
        draft = stored.draft if stored is not None else shown(current)
    if problems is None:
        problems = stored.problems if stored is not None else Placed({}, [])
    groups = groups_of(k for _, k in [*current, *previous, *draft.values]) | set(draft.groups)
    matrices = [matrix(d, sorted(groups)) for d in chosen.definitions]
    draft = Draft(draft.values, draft.no_data, tuple(sorted(groups)))
    return Grid(
        chosen,
        matrices,
        current,
        previous,
        before,
        draft,
        problems,
        stored.updated_at if stored else None,
        stored.submission_id if stored else "",
    )


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a save or a submission gave: the problems (placed), the report when accepted, whether ingest answered."""

    submission_id: str
    problems: Placed
    report: dict[str, Any] | None = None
    replayed: bool = False
    unavailable: bool = False


async def check_or_submit(
    services: Services,
    uow: UnitOfWorkFactory,
    where: drafts.Where,
    person: Person,
    token: str,
    draft: Draft,
    *,
    submit: bool,
    now: datetime,
) -> Outcome:
    """Keep the draft, then ingest's dry run (save) or the real submission (submit) with the draft's id: the draft is
    removed once accepted, kept with its problems otherwise (or when ingest does not answer)."""
    sid = submission_id(where.unit, where.period, where.group, draft)
    await drafts.store(uow, where, draft, sid, now=now)
    out = outgoing(draft)
    if not out.values and not out.local:
        placed = Placed({}, [NOTHING])
        await drafts.store(uow, where, draft, sid, now=now, status="rejected", problems=placed)
        return Outcome(sid, placed)
    real = submit and not out.local  # with a problem found here, the rest is only checked: every problem at once
    errors: list[dict[str, Any]] = []
    answer = None
    if out.values:
        try:
            answer = await services.ingest.request(
                "POST",
                "/submissions",
                token=token,
                params={"dry_run": "false" if real else "true"},
                json=_body(where, person, sid, out.values),
                ok=(200, 202, 422),
            )
        except UpstreamUnavailable:
            return Outcome(sid, Placed({}, []), unavailable=True)
        if answer.status == 422 and isinstance(answer.body, dict):
            errors = [e for e in answer.body.get("errors", []) if isinstance(e, dict)]
    placed = place_problems(errors, out.places, out.local)
    if placed.count:
        await drafts.store(uow, where, draft, sid, now=now, status="rejected", problems=placed)
        return Outcome(sid, placed)
    if real:
        await drafts.remove(uow, where)
    replayed = answer is not None and answer.headers.get("idempotent-replayed", "") == "true"
    report = answer.body if answer is not None and isinstance(answer.body, dict) else None
    return Outcome(sid, placed, report, replayed)


def _body(where: drafts.Where, person: Person, sid: str, values: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {
        "submission_id": sid,
        "agency": person.agency,
        "unit_code": where.unit,
        "period": where.period,
        "source": "entry",
        "values": list(values),
    }
