"""The checks of one value: indicator, disaggregation codes, and the number or 'no data'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dantoc_contracts.bounds import MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS, NO_DATA_REASON_WIDTH, decimal_problem
from dantoc_contracts.catalog import IndicatorVersion, ValueType
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import TOTAL, EthnicCodeList, EthnicGroupRef, UnitLevel, nfc
from dantoc_contracts.periods import Period
from dantoc_contracts.problems import Location, ProblemItem
from dantoc_ingest.domain.model import CellAction, CellCoordinates, CheckedCell, Content, DraftValue
from dantoc_ingest.domain.numbers import is_exponent_text, parse_number
from dantoc_ingest.domain.problems import problem
from dantoc_ingest.domain.vocabulary import DIMENSION_EN, DIMENSION_VI, LEVEL_VI, PERIOD_TYPE_VI

_MISSING = object()
_LISTS = {item.value: item for item in EthnicCodeList}


def _text(raw: str | None) -> str | None:
    """Stripped NFC text, None when empty or the SDMX total code."""
    if raw is None:
        return None
    text = nfc(raw.strip())
    return None if text in ("", TOTAL) else text


class ValueChecker:
    """Checks values of one submission (unit level and period fixed), memoising catalog look-ups."""

    def __init__(
        self,
        catalog: CatalogView,
        period: Period | None,
        unit_code: str,
        level: UnitLevel | None,
        problems: list[ProblemItem],
    ) -> None:
        self.catalog, self.period, self.unit_code, self.level = catalog, period, unit_code, level
        self.problems = problems
        self._versions: dict[str, Any] = {}
        self._ethnic: dict[tuple[str, str], str | None] = {}

    def location(self, index: int, value: DraftValue, field: str) -> Location:
        origin = value.origin
        return Location(
            value_index=index,
            field=f"values[{index}].{field}",
            row=origin.row if origin else None,
            cell=origin.cells.get(field) if origin else None,
        )

    def _report(self, index: int, value: DraftValue, field: str, code: str, raw: Any = None, **params: Any) -> None:
        self.problems.append(problem(code, self.location(index, value, field), raw, **params))

    def check(self, index: int, value: DraftValue) -> CheckedCell | None:
        """The checked cell, or None after reporting every problem of the value."""
        before = len(self.problems)
        version = self._indicator(index, value)
        coordinates, original = self._disaggregation(index, value, version)
        content = self._content(index, value, version)
        if len(self.problems) > before or coordinates is None or content is None:
            return None
        return CheckedCell(index, coordinates, content, original)

    # -- indicator -------------------------------------------------------------------------------------------------

    def _indicator(self, index: int, value: DraftValue) -> IndicatorVersion | None:
        code = (value.indicator or "").strip()
        version = self._versions.get(code, _MISSING)
        if version is _MISSING:
            version = self._version_of(code)
            self._versions[code] = version
        if isinstance(version, str):
            self._report(index, value, "indicator", version, code, period=str(self.period))
            return None
        if version is None:
            return None
        self._fits_period_and_unit(index, value, code, version)
        return version  # type: ignore[no-any-return]

    def _version_of(self, code: str) -> IndicatorVersion | str | None:
        """The version in force, a problem code, or None when the period is unknown (already reported)."""
        if code not in self.catalog.indicators:
            return "unknown_indicator"
        if self.period is None:
            return None
        return self.catalog.indicator_version(code, self.period.end) or "indicator_not_in_force"

    def _fits_period_and_unit(self, index: int, value: DraftValue, code: str, version: IndicatorVersion) -> None:
        period = self.period
        if period is not None and version.period_type != period.type:
            self._report(
                index,
                value,
                "indicator",
                "period_type_mismatch",
                code,
                indicator=code,
                period=str(period),
                expected=version.period_type.value,
                expected_vi=PERIOD_TYPE_VI[version.period_type],
                actual=period.type.value,
                actual_vi=PERIOD_TYPE_VI[period.type],
            )
        level = self.level
        if level is not None and level.depth > version.lowest_level.depth:
            self._report(
                index,
                value,
                "indicator",
                "unit_level_not_allowed",
                code,
                indicator=code,
                unit=self.unit_code,
                lowest=version.lowest_level.value,
                lowest_vi=LEVEL_VI[version.lowest_level],
                level=level.value,
                level_vi=LEVEL_VI[level],
            )

    # -- disaggregation --------------------------------------------------------------------------------------------

    def _disaggregation(
        self, index: int, value: DraftValue, version: IndicatorVersion | None
    ) -> tuple[CellCoordinates | None, tuple[str, str] | None]:
        ethnic, original = self._ethnic_group(index, value, version)
        codes: dict[str, str | None] = {}
        for dimension in ("sex", "age_group", "residence"):
            code = _text(getattr(value, dimension))
            codes[dimension] = code
            if code is None:
                continue
            self._allowed(index, value, version, dimension, f"disaggregation.{dimension}")
            if not self.catalog.has_code(dimension, code):
                self._report(
                    index,
                    value,
                    f"disaggregation.{dimension}",
                    "unknown_code",
                    code,
                    dimension=DIMENSION_EN[dimension],
                    dimension_vi=DIMENSION_VI[dimension],
                )
        coordinates = CellCoordinates(
            (value.indicator or "").strip(), ethnic, codes["sex"], codes["age_group"], codes["residence"]
        )
        return coordinates, original

    def _allowed(self, index: int, value: DraftValue, version: IndicatorVersion | None, dim: str, field: str) -> None:
        if version is not None and dim not in version.disaggregations:
            self._report(
                index,
                value,
                field,
                "disaggregation_not_allowed",
                getattr(value, dim, None) or value.ethnic_code,
                indicator=value.indicator,
                dimension=DIMENSION_EN[dim],
                dimension_vi=DIMENSION_VI[dim],
            )

    def _ethnic_group(
        self, index: int, value: DraftValue, version: IndicatorVersion | None
    ) -> tuple[str | None, tuple[str, str] | None]:
        code_list, code = _text(value.ethnic_code_list), _text(value.ethnic_code)
        if code_list is None and code is None:
            return None, None
        field = "disaggregation.ethnic_group"
        self._allowed(index, value, version, "ethnic_group", f"{field}.code")
        if code_list is None or code is None:
            missing, missing_vi = ("code list", "danh mục mã") if code_list is None else ("code", "mã dân tộc")
            which = f"{field}.code_list" if code_list is None else f"{field}.code"
            self._report(index, value, which, "disaggregation_incomplete", code, missing=missing, missing_vi=missing_vi)
            return None, None
        if code_list not in _LISTS:
            self._report(index, value, f"{field}.code_list", "unknown_code_list", code_list)
            return None, None
        canonical = self._canonical(code_list, code)
        if canonical is None:
            self._report(index, value, f"{field}.code", "unknown_ethnic_code", code, code_list=code_list)
            return None, None
        original = None if code_list == EthnicCodeList.GSO_1979.value else (code_list, code)
        return canonical, original

    def _canonical(self, code_list: str, code: str) -> str | None:
        key = (code_list, code)
        if key not in self._ethnic:
            ref = EthnicGroupRef.model_construct(code_list=_LISTS[code_list], code=code)
            found = self.catalog.canonical_ethnic(ref)
            self._ethnic[key] = found.code if found else None
        return self._ethnic[key]

    # -- the number or 'no data' -----------------------------------------------------------------------------------

    def _content(self, index: int, value: DraftValue, version: IndicatorVersion | None) -> Content | None:
        if value.action is CellAction.DELETE:
            return Content()
        raw = value.value
        has_value = raw is not None and not (isinstance(raw, str) and not raw.strip())
        reason = _text(value.no_data_reason) if value.no_data_reason else None
        if reason is not None and len(reason) > NO_DATA_REASON_WIDTH:
            self._report(index, value, "no_data_reason", "text_too_long", None, limit=NO_DATA_REASON_WIDTH)
            return None
        if value.no_data:
            if has_value:
                self._report(index, value, "value", "value_and_no_data", raw)
            if reason is None:
                self._report(index, value, "no_data_reason", "no_data_reason_missing")
            return Content(no_data=True, no_data_reason=reason)
        if not has_value:
            self._report(index, value, "value", "missing_value")
            return None
        if is_exponent_text(raw):
            self._report(index, value, "value", "exponent_not_allowed", raw)
            return None
        number = parse_number(raw, whole=version is not None and version.value_type is ValueType.INTEGER)
        if number is None:
            self._report(index, value, "value", "invalid_number", raw)
            return None
        if decimal_problem(number) is not None:  # before any arithmetic: 1E+999999999 cannot even be rounded
            self._report(
                index,
                value,
                "value",
                "value_out_of_bounds",
                str(raw),
                max_integer=MAX_INTEGER_DIGITS,
                max_fraction=MAX_FRACTION_DIGITS,
            )
            return None
        return Content(value=self._in_range(index, value, version, number))

    def _in_range(self, index: int, value: DraftValue, version: IndicatorVersion | None, number: Decimal) -> Decimal:
        if version is None:
            return number
        code = value.indicator.strip()
        if version.value_type is ValueType.INTEGER:
            if number != number.to_integral_value():
                self._report(index, value, "value", "not_an_integer", str(number), indicator=code)
            else:
                number = number.to_integral_value()
        low, high = version.min_value, version.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = f"≥ {low}" if high is None else f"≤ {high}" if low is None else f"[{low}; {high}]"
            self._report(index, value, "value", "out_of_range", str(number), indicator=code, range=bounds)
        return number
