"""Administrative units with validity dates, and the checks a set of units must pass before it is stored."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from dantoc_catalog.domain.graphs import find_cycles
from dantoc_catalog.domain.problems import problem
from dantoc_contracts.codes import NATIONAL_UNIT_CODE, UnitLevel, unit_level_of
from dantoc_contracts.problems import Location, ProblemItem


@dataclass(frozen=True)
class AdminUnit:
    code: str
    level: UnitLevel
    name: str
    type: str
    parent_code: str | None
    valid_from: date | None
    valid_to: date | None

    def valid_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)

    def overlaps(self, other: AdminUnit) -> bool:
        starts_before_other_ends = (
            self.valid_from is None or other.valid_to is None or self.valid_from <= other.valid_to
        )
        ends_after_other_starts = self.valid_to is None or other.valid_from is None or other.valid_from <= self.valid_to
        return starts_before_other_ends and ends_after_other_starts


@dataclass(frozen=True)
class LocatedUnit:
    unit: AdminUnit
    locate: Callable[[str], Location]
    label: str


def check_units(units: Sequence[LocatedUnit]) -> list[ProblemItem]:
    """Codes match levels, validity is ordered, a code is used once at a time, parents exist one level up for the
    child's whole validity, and no parent chain is a cycle."""
    problems: list[ProblemItem] = []
    by_code: dict[str, list[LocatedUnit]] = defaultdict(list)
    for located in units:
        problems += _check_one(located)
        for earlier in by_code[located.unit.code]:
            if earlier.unit.overlaps(located.unit):
                problems.append(
                    problem("overlapping_unit", located.locate("code"), value=located.unit.code, detail=earlier.label)
                )
        by_code[located.unit.code].append(located)
    problems += _check_parents(units, by_code)
    edges = {u.unit.code: {u.unit.parent_code} for u in units if u.unit.parent_code}
    for cycle in find_cycles({code: {p for p in parents if p} for code, parents in edges.items()}):
        for located in units:
            if located.unit.code in cycle:
                problems.append(
                    problem(
                        "hierarchy_cycle",
                        located.locate("parent_code"),
                        value=located.unit.code,
                        detail=", ".join(cycle),
                    )
                )
    return problems


def _check_one(located: LocatedUnit) -> list[ProblemItem]:
    unit = located.unit
    problems: list[ProblemItem] = []
    try:
        code_level = unit_level_of(unit.code)
    except ValueError:
        code_level = None
    if code_level is not unit.level or unit.level is UnitLevel.NATIONAL:
        problems.append(problem("invalid_code", located.locate("code"), value=unit.code, detail=f"{unit.level.value}"))
    if unit.valid_from and unit.valid_to and unit.valid_from > unit.valid_to:
        problems.append(problem("invalid_validity", located.locate("valid_to"), value=unit.valid_to.isoformat()))
    return problems


def _check_parents(units: Sequence[LocatedUnit], by_code: dict[str, list[LocatedUnit]]) -> list[ProblemItem]:
    problems: list[ProblemItem] = []
    for located in units:
        unit = located.unit
        parent_code = unit.parent_code or NATIONAL_UNIT_CODE
        if parent_code == NATIONAL_UNIT_CODE:
            if unit.level is not UnitLevel.PROVINCE:
                problems.append(
                    problem("wrong_parent_level", located.locate("parent_code"), value=parent_code, detail="VN")
                )
            continue
        parents = [p.unit for p in by_code.get(parent_code, []) if p.unit is not unit]
        if not any(_covers(parent, unit) for parent in parents):
            problems.append(problem("unknown_parent", located.locate("parent_code"), value=parent_code))
        elif any(p.level.depth >= unit.level.depth for p in parents if _covers(p, unit)):
            detail = f"{unit.level.value} ⊄ {parents[0].level.value}"
            problems.append(
                problem("wrong_parent_level", located.locate("parent_code"), value=parent_code, detail=detail)
            )
    return problems


def _covers(parent: AdminUnit, child: AdminUnit) -> bool:
    """The parent is valid on every day the child is (open ends count as unbounded)."""
    starts = parent.valid_from is None or (child.valid_from is not None and parent.valid_from <= child.valid_from)
    ends = parent.valid_to is None or (child.valid_to is not None and child.valid_to <= parent.valid_to)
    return starts and ends


def check_dependents(
    units: Sequence[AdminUnit], scopes: dict[str, str], conversions: Sequence[tuple[str, str, date]]
) -> list[ProblemItem]:
    """Units that other records still need: agency scopes (agency → unit) and the conversion's old and new units
    ((old, new, day): the old unit valid the day before, the new one on the day)."""
    codes = {u.code for u in units} | {NATIONAL_UNIT_CODE}
    problems = [
        problem("unit_in_use", Location(field="scope_unit_code"), value=scope, detail=f"agency {agency}")
        for agency, scope in sorted(scopes.items())
        if scope not in codes
    ]
    by_code: dict[str, list[AdminUnit]] = defaultdict(list)
    for unit in units:
        by_code[unit.code].append(unit)
    for old, new, day in conversions:
        for code, on in ((old, day - timedelta(days=1)), (new, day)):
            if not any(u.valid_on(on) for u in by_code.get(code, [])):
                problems.append(
                    problem("unit_in_use", Location(field="conversion"), value=code, detail=f"{old} → {new}")
                )
    return problems
