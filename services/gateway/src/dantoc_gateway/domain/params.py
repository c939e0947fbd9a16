"""Reading query parameters: every fault is collected with the parameter it belongs to, never the first only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import (
    INDICATOR_CODE_PATTERN,
    NATIONAL_UNIT_CODE,
    TOTAL,
    TWO_DIGIT_CODE_PATTERN,
    UNIT_CODE_PATTERN,
    EthnicCodeList,
    EthnicGroupRef,
)
from dantoc_contracts.periods import Period
from dantoc_gateway.domain.periods import PERIOD_TYPE_VI, span
from dantoc_gateway.domain.problems import Problems

ANY = "*"
_INDICATOR = re.compile(INDICATOR_CODE_PATTERN)
_GROUP = re.compile(TWO_DIGIT_CODE_PATTERN)
_UNIT = re.compile(UNIT_CODE_PATTERN)
_ETHNIC = re.compile(TWO_DIGIT_CODE_PATTERN)
MAX_PERIODS = 120


@dataclass(frozen=True)
class DimensionFilter:
    """Codes asked for on one dimension (`_T` = the total); None = every code, the total included."""

    codes: tuple[str, ...] | None


class ParamReader:
    """Parses raw parameter strings against the catalog, collecting problems in `problems`."""

    def __init__(self, catalog: CatalogView, problems: Problems, max_codes: int) -> None:
        self.catalog, self.problems, self.max_codes = catalog, problems, max_codes

    def split(self, field: str, raw: str | None) -> list[str]:
        codes = list(dict.fromkeys(part.strip() for part in (raw or "").split(",") if part.strip()))
        if len(codes) > self.max_codes:
            self.problems.add("too_many_codes", field, count=len(codes), limit=self.max_codes)
            return []
        return codes

    def _required(self, field: str, values: list[str], raw: str | None) -> None:
        if not values and not self.problems.items_for(field):
            self.problems.add("missing_parameter", field)

    def indicators(self, raw: str | None, raw_groups: str | None, *, required: bool = True) -> list[str]:
        """Indicator codes from `indicator` and/or every indicator of the `group`s."""
        found = []
        for code in self.split("indicator", raw):
            if not _INDICATOR.fullmatch(code):
                self.problems.add("malformed_code", "indicator", code, expected="4 digits, e.g. 0401")
            elif code not in self.catalog.indicators:
                self.problems.add("unknown_indicator", "indicator", code)
            else:
                found.append(code)
        for group in self.groups(raw_groups):
            found.extend(sorted(c for c in self.catalog.indicators if c[:2] == group))
        found = list(dict.fromkeys(found))
        if required and not found and not self.problems.items_for("indicator", "group"):
            self.problems.add("missing_parameter", "indicator")
        return found

    def groups(self, raw: str | None) -> list[str]:
        found = []
        for code in self.split("group", raw):
            if not _GROUP.fullmatch(code):
                self.problems.add("malformed_code", "group", code, expected="2 digits, e.g. 04")
            elif code not in self.catalog.groups and not any(c[:2] == code for c in self.catalog.indicators):
                self.problems.add("unknown_group", "group", code)
            else:
                found.append(code)
        return found

    def units(self, field: str, raw: str | None, *, required: bool = True) -> list[str]:
        found = []
        for code in self.split(field, raw):
            if not _UNIT.fullmatch(code):
                self.problems.add("malformed_code", field, code, expected="VN, or 2, 3 or 5 digits")
            elif code != NATIONAL_UNIT_CODE and not self.catalog.unit_versions(code):
                self.problems.add("unknown_unit", field, code, when="", when_en="")
            else:
                found.append(code)
        if required:
            self._required(field, found, raw)
        return found

    def unit(self, field: str, raw: str | None) -> str | None:
        if raw is not None and "," in raw:
            self.problems.add("too_many_codes", field, count=len(raw.split(",")), limit=1)
            return None
        units = self.units(field, raw)
        return units[0] if units else None

    def periods(self, field: str, raw: str | None, *, required: bool = True) -> list[Period]:
        found = []
        for text in self.split(field, raw):
            try:
                found.append(Period.parse(text))
            except ValueError:
                self.problems.add("malformed_period", field, text)
        if required and not found and not self.problems.items_for(field):
            self.problems.add("missing_parameter", field)
        return sorted(set(found))

    def period(self, field: str, raw: str | None) -> Period | None:
        if raw is not None and "," in raw:
            self.problems.add("too_many_codes", field, count=len(raw.split(",")), limit=1)
            return None
        found = self.periods(field, raw)
        return found[0] if found else None

    def period_range(self, raw_from: str | None, raw_to: str | None) -> list[Period]:
        first, last = self.period("periodFrom", raw_from), self.period("periodTo", raw_to)
        if first is None or last is None:
            return []
        if first.type is not last.type:
            self.problems.add(
                "period_range",
                "periodTo",
                raw_to,
                reason_vi="hai kỳ khác loại",
                reason_en="the two periods are of different types",
            )
            return []
        if last < first:
            self.problems.add(
                "period_range",
                "periodTo",
                raw_to,
                reason_vi="kỳ cuối trước kỳ đầu",
                reason_en="periodTo is before periodFrom",
            )
            return []
        periods = span(first, last, MAX_PERIODS)
        if periods is None:
            self.problems.add("too_many_codes", "periodTo", raw_to, count=f"more than {MAX_PERIODS}", limit=MAX_PERIODS)
            return []
        return periods

    def check_period_types(self, indicators: list[str], periods: list[Period], field: str = "period") -> None:
        """Each indicator needs at least one period of the type it is reported for."""
        for code in indicators:
            versions = self.catalog.indicators[code].versions
            types = {v.period_type for v in versions}
            if periods and not any(p.type in types for p in periods):
                wanted = versions[-1].period_type
                self.problems.add(
                    "period_type_mismatch", field, code, expected=wanted.value, expected_vi=PERIOD_TYPE_VI[wanted]
                )

    def dimension(self, field: str, raw: str | None, list_id: str) -> DimensionFilter:
        """Codes of a code list (`sex`, `age_group`, `residence`); `_T` total (default), `*` every code."""
        codes = self.split(field, raw) or [TOTAL]
        if ANY in codes:
            return DimensionFilter(None)
        for code in codes:
            if code != TOTAL and not self.catalog.has_code(list_id, code):
                self.problems.add("unknown_code", field, code, list=list_id)
        return DimensionFilter(tuple(codes))

    def ethnic(self, field: str, raw: str | None, code_list: EthnicCodeList) -> DimensionFilter:
        """Ethnic codes in the caller's list, translated to the canonical GSO 1979 list."""
        codes = self.split(field, raw) or [TOTAL]
        if ANY in codes:
            return DimensionFilter(None)
        canonical = []
        for code in codes:
            found = None
            if code == TOTAL:
                found = TOTAL
            elif _ETHNIC.fullmatch(code):
                ref = self.catalog.canonical_ethnic(EthnicGroupRef(code_list=code_list, code=code))
                found = None if ref is None else ref.code
            if found is None:
                self.problems.add("unknown_code", field, code, list=f"ethnic_group ({code_list.value})")
            else:
                canonical.append(found)
        return DimensionFilter(tuple(canonical))

    def choice(self, field: str, raw: str | None, allowed: tuple[str, ...], default: str) -> str:
        """One of `allowed`; absent gives `default`, anything else (an empty value too) is a problem."""
        if raw is None:
            return default
        if raw not in allowed:
            self.problems.add("unsupported_value", field, raw, allowed=", ".join(allowed))
            return default
        return raw

    def positive_int(self, field: str, raw: str | None, default: int, maximum: int | None = None) -> int:
        if raw is None:
            return default
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1 or len(raw) > 9:
            self.problems.add("not_a_number", field, raw)
            return default
        if maximum is not None and int(raw) > maximum:
            self.problems.add("page_size_too_large", field, int(raw), limit=maximum)
            return default
        return int(raw)

    def timestamp(self, field: str, raw: str | None) -> datetime | None:
        if raw is None or raw == "":
            self.problems.add("missing_parameter", field)
            return None
        for text in (raw, raw.replace(" ", "+")):  # an unencoded `+` of the offset arrives as a space
            try:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
                return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
            except (ValueError, OverflowError):
                continue
        self.problems.add("malformed_timestamp", field, raw)
        return None
