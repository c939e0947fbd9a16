"""API models of indicators: what clients read, and the body of a new version."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from dantoc_catalog.api.examples import GROUP, IMPORT_REPORT, INDICATOR, NEW_VERSION, UNITS_IMPORT_REPORT, examples
from dantoc_catalog.domain.indicators import IndicatorDefinition, IndicatorGroup, decimal_text
from dantoc_catalog.domain.versions import closed_versions
from dantoc_contracts.catalog import Aggregation, ValueType
from dantoc_contracts.codes import Dimension, UnitLevel
from dantoc_contracts.periods import PeriodType


class GroupOut(BaseModel):
    model_config = ConfigDict(json_schema_extra=examples(GROUP))
    code: str = Field(description="Two-digit group code.")
    name_vi: str
    name_en: str

    @classmethod
    def of(cls, group: IndicatorGroup) -> GroupOut:
        return cls(code=group.code, name_vi=group.name_vi, name_en=group.name_en)


class FormulaOut(BaseModel):
    numerator: str
    denominator: str
    factor: Decimal = Field(description="The ratio is multiplied by this after both sides are aggregated.")


class VersionOut(BaseModel):
    version: int
    effective_from: date
    effective_to: date | None = Field(description="Last day in force; null while in force.")
    name_vi: str
    name_en: str
    unit_vi: str
    unit_en: str
    value_type: ValueType
    aggregation: Aggregation
    formula: FormulaOut | None
    disaggregations: list[Dimension]
    lowest_level: UnitLevel
    period_type: PeriodType
    agency: str
    min_value: Decimal | None
    max_value: Decimal | None
    source: str

    @classmethod
    def of(cls, d: IndicatorDefinition, effective_to: date | None) -> VersionOut:
        formula = None
        if d.numerator and d.denominator:
            formula = FormulaOut(
                numerator=d.numerator,
                denominator=d.denominator,
                factor=d.factor if d.factor is not None else Decimal(1),
            )
        return cls(
            version=d.version, effective_from=d.effective_from, effective_to=effective_to, name_vi=d.name_vi,
            name_en=d.name_en, unit_vi=d.unit_vi, unit_en=d.unit_en, value_type=d.value_type,
            aggregation=d.aggregation, formula=formula, disaggregations=list(d.disaggregations),
            lowest_level=d.lowest_level, period_type=d.period_type, agency=d.agency, min_value=d.min_value,
            max_value=d.max_value, source=d.source,
        )  # fmt: skip


class IndicatorOut(BaseModel):
    model_config = ConfigDict(json_schema_extra=examples(INDICATOR))
    code: str = Field(description="Four-digit indicator code.")
    group: GroupOut
    versions: list[VersionOut] = Field(description="Every version, oldest first.")

    @classmethod
    def of(cls, versions: list[IndicatorDefinition]) -> IndicatorOut:
        closed = closed_versions(versions)
        return cls(
            code=closed[0][0].code,
            group=GroupOut.of(closed[0][0].group),
            versions=[VersionOut.of(d, to) for d, to in closed],
        )


class NewVersionIn(BaseModel):
    """The definition of the next version; it starts on `effective_from` and the current one ends the day before."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=examples(NEW_VERSION))
    effective_from: date
    name_vi: str = Field(min_length=1)
    name_en: str = ""
    unit_vi: str = Field(min_length=1)
    unit_en: str = ""
    value_type: ValueType
    aggregation: Aggregation
    numerator: str | None = Field(default=None, description="FORMULA only: the numerator's indicator code.")
    denominator: str | None = Field(default=None, description="FORMULA only: the denominator's indicator code.")
    factor: Decimal | None = Field(default=None, description="FORMULA only: multiplier, e.g. 100; 1 when omitted.")
    disaggregations: list[Dimension] = Field(default_factory=list)
    lowest_level: UnitLevel
    period_type: PeriodType
    agency: str = Field(min_length=1, description="Code from the `agency` code list or a registered agency.")
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    source: str = ""

    def cells(self) -> dict[str, str]:
        """The version as catalogue-file cells, so it is checked by exactly the rules of an import."""
        return {
            "effective_from": self.effective_from.isoformat(), "name_vi": self.name_vi, "name_en": self.name_en,
            "unit_vi": self.unit_vi, "unit_en": self.unit_en, "value_type": self.value_type.value,
            "aggregation": self.aggregation.value, "numerator": self.numerator or "",
            "denominator": self.denominator or "", "factor": decimal_text(self.factor),
            "disaggregations": " ".join(self.disaggregations), "lowest_level": self.lowest_level.value,
            "period_type": self.period_type.value, "agency": self.agency, "min_value": decimal_text(self.min_value),
            "max_value": decimal_text(self.max_value), "source": self.source,
        }  # fmt: skip


class ImportReportOut(BaseModel):
    model_config = ConfigDict(json_schema_extra=examples(IMPORT_REPORT))
    dry_run: bool = Field(description="True when nothing was applied.")
    file_format: str
    indicators: int
    versions: int
    groups: int
    added: list[str] = Field(description="Indicator codes new in the file.")
    changed: list[str] = Field(description="Indicator codes whose definition or versions changed.")
    removed: list[str] = Field(description="Indicator codes not in the file any more (their records are tombstoned).")


class UnitsImportReportOut(BaseModel):
    model_config = ConfigDict(json_schema_extra=examples(UNITS_IMPORT_REPORT))
    dry_run: bool = Field(description="True when nothing was applied.")
    file_format: str
    units: int = Field(description="Units in the file, every map.")
    added: int
    changed: int
    removed: int = Field(description="Units not in the file any more (their records are tombstoned).")
