"""Pure logic of the home, completeness and explore pages: which periods a unit reports, what a person has entered,
reading the pages' filters (every fault at once, in Vietnamese, beside its field), sorting completeness rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from dantoc_contracts.periods import Period
from dantoc_portal.domain.indicators import Definition
from dantoc_portal.domain.periods import previous_period, reporting_periods

TOTAL_KEY = "_T|_T|_T|_T"
STATUSES = ("reported", "no_data", "silent")
SORTS = ("name", "-name", "share", "-share")
MAX_SPAN = 20  # periods in an explore series


def _day(text: object) -> date | None:
    return date.fromisoformat(str(text)) if text else None


def unit_periods(versions: Iterable[Mapping[str, Any]], today: date, *, quarterly: bool = False) -> list[str]:
    """The periods a unit reports on any of its versions (newest first); the nation's when it has none (VN)."""
    found: set[str] = set()
    listed = list(versions)
    for version in listed or [{}]:
        valid_from, valid_to = _day(version.get("valid_from")), _day(version.get("valid_to"))
        found.update(reporting_periods(today, valid_from, valid_to, quarterly=quarterly))
    return sorted(found, key=lambda p: (Period.parse(p).end, -len(p)), reverse=True)


def years_of(periods: Sequence[str]) -> list[str]:
    return [p for p in periods if len(p) == 4]


# ---- home: what an entry official has entered


@dataclass(frozen=True, slots=True)
class GroupTodo:
    """One indicator group of a unit and period: what is entered, declared without data, missing, rejected."""

    code: str
    name: str
    entered: list[str] = field(default_factory=list)
    no_data: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    rejected: bool = False

    @property
    def total(self) -> int:
        return len(self.entered) + len(self.no_data) + len(self.missing)

    @property
    def done(self) -> bool:
        return not self.missing and not self.rejected


def entry_todo(
    definitions: Sequence[Definition], cells: Iterable[Mapping[str, Any]], rejected_groups: Iterable[str], lang: str
) -> list[GroupTodo]:
    """Per group of the indicators a unit reports: those with a stored total (entered), declared 'no data', or with
    no total cell (missing; a deleted cell is missing); groups with a rejected draft are marked so."""
    totals = {str(c["indicator"]): c for c in cells if c.get("disaggregation_key") == TOTAL_KEY}
    rejected = set(rejected_groups)
    groups: dict[str, GroupTodo] = {}
    for definition in definitions:
        code = definition.group_code
        group = groups.setdefault(code, GroupTodo(code, definition.group(lang), rejected=code in rejected))
        cell = totals.get(definition.code)
        if cell is not None and cell.get("no_data"):
            group.no_data.append(definition.code)
        elif cell is not None and cell.get("value") is not None:
            group.entered.append(definition.code)
        else:
            group.missing.append(definition.code)
    return [groups[g] for g in sorted(groups)]


# ---- the completeness page


@dataclass(frozen=True, slots=True)
class UnitRow:
    code: str
    name: str
    level: str
    reported: int
    no_data: int
    silent: int
    groups: Mapping[str, Mapping[str, int]]

    @property
    def expected(self) -> int:
        return self.reported + self.no_data + self.silent

    @property
    def share(self) -> Decimal:
        """The share of expected indicators answered (reported or declared without data), 0–100."""
        if not self.expected:
            return Decimal(0)
        return (Decimal(100) * (self.reported + self.no_data) / self.expected).quantize(Decimal("0.1"))

    @property
    def state(self) -> str:
        """silent (nothing at all), partial, or complete."""
        if not self.silent:
            return "complete"
        return "silent" if not (self.reported or self.no_data) else "partial"


def unit_rows(units: Iterable[Mapping[str, Any]]) -> list[UnitRow]:
    return [
        UnitRow(
            code=str(u["code"]),
            name=str(u["name"]),
            level=str(u.get("level", "")),
            reported=int(u.get("reported", 0)),
            no_data=int(u.get("no_data", 0)),
            silent=int(u.get("silent", 0)),
            groups=u.get("groups") or {},
        )
        for u in units
    ]


def sort_rows(rows: Sequence[UnitRow], sort: str) -> list[UnitRow]:
    """By name (Vietnamese letters folded), or by share answered (lowest first), `-` for the other way."""
    descending = sort.startswith("-")
    if sort.lstrip("-") == "share":
        return sorted(rows, key=lambda r: (r.share, r.name.casefold(), r.code), reverse=descending)
    return sorted(rows, key=lambda r: (r.name.casefold(), r.code), reverse=descending)


@dataclass(frozen=True, slots=True)
class Form:
    """A page's filter as read: the values to use (the defaults where a field was bad) and a problem per field."""

    values: dict[str, str]
    problems: dict[str, str]


def read_completeness(
    raw: Mapping[str, str], *, default_unit: str, periods: Sequence[str], groups: Iterable[str]
) -> Form:
    """unit (digits), period (one the unit reports), group, status, sort: every fault at once."""
    problems: dict[str, str] = {}
    unit = raw.get("unit", "").strip() or default_unit
    if not (unit == "VN" or (unit.isdigit() and len(unit) in (2, 3, 5))):
        problems["unit"] = "Mã đơn vị gồm 2, 3 hoặc 5 chữ số."
        unit = default_unit
    period = raw.get("period", "").strip()
    if period and period not in periods:
        problems["period"] = _period_problem(period)
        period = ""
    group = raw.get("group", "").strip()
    if group and group not in set(groups):
        problems["group"] = "Không có nhóm chỉ tiêu này."
        group = ""
    status = raw.get("status", "").strip()
    if status and status not in STATUSES:
        problems["status"] = "Tình trạng không hợp lệ."
        status = ""
    sort = raw.get("sort", "").strip() or "name"
    if sort not in SORTS:
        problems["sort"] = "Cách sắp xếp không hợp lệ."
        sort = "name"
    values = {"unit": unit, "period": period, "group": group, "status": status, "sort": sort}
    return Form(values, problems)


def _period_problem(text: str) -> str:
    try:
        Period.parse(text)
    except ValueError:
        return "Kỳ báo cáo không hợp lệ (ví dụ: 2024, 2024Q3)."
    return "Đơn vị không báo cáo kỳ này."


# ---- the explore page


def read_explore(raw: Mapping[str, str], *, default_unit: str, default_period: str, indicators: Iterable[str]) -> Form:
    """indicator (a catalog code), unit, period, and the series' from/to (same type, from ≤ to, at most MAX_SPAN)."""
    problems: dict[str, str] = {}
    known = list(indicators)
    indicator = raw.get("indicator", "").strip()
    if indicator and indicator not in set(known):
        problems["indicator"] = "Không có chỉ tiêu này."
        indicator = ""
    indicator = indicator or (known[0] if known else "")
    unit = raw.get("unit", "").strip() or default_unit
    if not (unit == "VN" or (unit.isdigit() and len(unit) in (2, 3, 5))):
        problems["unit"] = "Mã đơn vị gồm 2, 3 hoặc 5 chữ số."
        unit = default_unit
    parsed: dict[str, Period | None] = {}
    for name in ("period", "from", "to"):
        text = raw.get(name, "").strip()
        parsed[name] = None
        if text:
            try:
                parsed[name] = Period.parse(text)
            except ValueError:
                problems[name] = "Kỳ không hợp lệ (ví dụ: 2024, 2024Q3)."
    period = parsed["period"] or Period.parse(default_period)
    first, last = parsed["from"], parsed["to"]
    last = last or (period if "to" not in problems else None)
    if last is not None and first is None and "from" not in problems:
        first = _back(last, 4)
    if first is not None and last is not None:
        if first.type is not last.type:
            problems["to"] = "Kỳ đầu và kỳ cuối phải cùng loại (năm, quý, tháng)."
        elif first.end > last.end:
            problems["to"] = "Kỳ cuối phải sau kỳ đầu."
        elif len(span(first, last)) > MAX_SPAN:
            problems["to"] = "Tối đa 20 kỳ."  # MAX_SPAN
    values = {
        "indicator": indicator,
        "unit": unit,
        "period": str(period),
        "from": raw.get("from", "").strip() if "from" in problems or "to" in problems else _text(first),
        "to": raw.get("to", "").strip() if "to" in problems else _text(last),
    }
    return Form(values, problems)


def _text(period: Period | None) -> str:
    return "" if period is None else str(period)


def _back(period: Period, steps: int) -> Period:
    text = str(period)
    for _ in range(steps):
        text = previous_period(text)
    return Period.parse(text)


def span(first: Period, last: Period) -> list[str]:
    """The periods from `first` to `last` (same type), oldest first; at most MAX_SPAN + 1."""
    out = [str(last)]
    while out[-1] != str(first) and len(out) <= MAX_SPAN:
        out.append(previous_period(out[-1]))
    return list(reversed(out))


def values_by(observations: Iterable[Mapping[str, Any]], key: str) -> dict[str, Decimal | None]:
    """The total figure of each `key` (period, unit_code, ethnic_group) of a gateway answer."""
    found: dict[str, Decimal | None] = {}
    for o in observations:
        value = o.get("value")
        found[str(o.get(key))] = None if value is None else Decimal(str(value))
    return found
