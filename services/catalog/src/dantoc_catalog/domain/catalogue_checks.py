"""Checks across the rows of a catalogue: repeated codes, version numbering, groups, formula references, cycles."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from dantoc_catalog.domain.graphs import find_cycles
from dantoc_catalog.domain.indicators import IndicatorDefinition
from dantoc_catalog.domain.problems import problem
from dantoc_contracts.problems import Location, ProblemItem


@dataclass(frozen=True)
class Entry:
    """A definition with the way to name its place: a file row, or a field of a request."""

    definition: IndicatorDefinition
    locate: Callable[[str], Location]
    label: str  # how other problems refer to it, e.g. the row number


def check_catalogue(entries: Sequence[Entry]) -> list[ProblemItem]:
    """Every cross-row problem of a whole catalogue."""
    by_code: dict[str, list[Entry]] = defaultdict(list)
    problems: list[ProblemItem] = []
    for entry in entries:
        by_code[entry.definition.code].append(entry)
    for versions in by_code.values():
        problems += _check_versions(versions)
    problems += _check_groups(entries)
    problems += _check_formula_references(entries, set(by_code))
    problems += _check_formula_cycles(by_code)
    return problems


def _check_versions(entries: list[Entry]) -> list[ProblemItem]:
    problems: list[ProblemItem] = []
    seen: dict[int, Entry] = {}
    for entry in entries:
        first = seen.setdefault(entry.definition.version, entry)
        if first is not entry:
            problems.append(
                problem("duplicate_code", entry.locate("code"), value=entry.definition.code, detail=first.label)
            )
        if entry.definition.group.code != entries[0].definition.group.code:
            problems.append(problem("conflicting_group", entry.locate("group_code"), value=entry.definition.group.code))
    numbers = sorted(seen)
    if numbers != list(range(1, len(numbers) + 1)):
        shown = ", ".join(map(str, numbers))
        problems.append(problem("version_gap", entries[0].locate("version"), value=numbers[0], detail=shown))
    ordered = [seen[n] for n in numbers]
    for previous, entry in pairwise(ordered):
        before, after = previous.definition.effective_from, entry.definition.effective_from
        if after <= before:
            detail = f"{after.isoformat()} ≤ {before.isoformat()}"
            problems.append(
                problem("version_order", entry.locate("effective_from"), value=after.isoformat(), detail=detail)
            )
    return problems


def _check_groups(entries: Sequence[Entry]) -> list[ProblemItem]:
    problems: list[ProblemItem] = []
    first_of_group: dict[str, Entry] = {}
    for entry in entries:
        group = entry.definition.group
        first = first_of_group.setdefault(group.code, entry)
        for column in ("name_vi", "name_en"):
            if getattr(group, column) != getattr(first.definition.group, column):
                where = entry.locate(f"group_{column}")
                problems.append(
                    problem("conflicting_group_name", where, value=getattr(group, column), detail=first.label)
                )
    return problems


def _check_formula_references(entries: Sequence[Entry], codes: set[str]) -> list[ProblemItem]:
    problems: list[ProblemItem] = []
    for entry in entries:
        for column in ("numerator", "denominator"):
            target = getattr(entry.definition, column)
            if target and target not in codes:
                problems.append(problem("unknown_formula_indicator", entry.locate(column), value=target))
    return problems


def _check_formula_cycles(by_code: dict[str, list[Entry]]) -> list[ProblemItem]:
    edges = {code: {c for e in entries for c in e.definition.formula_inputs()} for code, entries in by_code.items()}
    problems: list[ProblemItem] = []
    for cycle in find_cycles(edges):
        shown = ", ".join(cycle)
        for code in cycle:
            for entry in by_code.get(code, []):
                column = next((c for c in ("numerator", "denominator") if getattr(entry.definition, c) in cycle), None)
                if column is not None:
                    problems.append(problem("formula_cycle", entry.locate(column), value=code, detail=shown))
    return problems
