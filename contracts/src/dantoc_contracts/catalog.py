"""Payloads on the compacted catalog topic. Key = `kind|code` (see `catalog_key`); a null value deletes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from dantoc_contracts.codes import Dimension, GroupCode, IndicatorCode, NfcStr, UnitCode, UnitLevel
from dantoc_contracts.periods import PeriodType


class ValueType(StrEnum):
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"


class Aggregation(StrEnum):
    """How values roll up the hierarchy. FORMULA: numerator/denominator × factor, computed after aggregating."""

    SUM = "SUM"
    AVERAGE = "AVERAGE"
    LAST = "LAST"
    MIN = "MIN"
    MAX = "MAX"
    NONE = "NONE"
    FORMULA = "FORMULA"


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Formula(_Payload):
    numerator: IndicatorCode = Field(description="Indicator aggregated as the numerator.")
    denominator: IndicatorCode = Field(description="Indicator aggregated as the denominator.")
    factor: Decimal = Field(default=Decimal(1), description="Multiplier, e.g. 100 for a percentage.")


class IndicatorVersion(_Payload):
    """One version of an indicator definition, in force from `effective_from` until `effective_to`."""

    version: int = Field(ge=1, description="Version number, increasing.")
    effective_from: date = Field(description="First day this version applies to (by period end).")
    effective_to: date | None = Field(default=None, description="Last day, or null while in force.")
    name_vi: NfcStr = Field(description="Name in Vietnamese.")
    name_en: str = Field(description="Name in English.")
    unit_vi: NfcStr = Field(description="Unit of measure in Vietnamese, e.g. `Người`.")
    unit_en: str = Field(description="Unit of measure in English, e.g. `persons`.")
    value_type: ValueType = Field(description="integer, decimal or percent.")
    aggregation: Aggregation = Field(description="Rollup rule across the hierarchy.")
    formula: Formula | None = Field(default=None, description="Set when aggregation is FORMULA.")
    disaggregations: list[Dimension] = Field(default_factory=list, description="Dimensions it may be broken down by.")
    lowest_level: UnitLevel = Field(description="Lowest level at which it is reported.")
    period_type: PeriodType = Field(description="Period type it is reported for.")
    agency: str = Field(description="Code of the responsible agency.")
    min_value: Decimal | None = Field(default=None, description="Smallest valid value, if bounded.")
    max_value: Decimal | None = Field(default=None, description="Largest valid value, if bounded.")
    source: str = Field(default="", description="Where the definition comes from.")


class IndicatorPublished(_Payload):
    kind: Literal["IndicatorPublished"] = "IndicatorPublished"
    code: IndicatorCode
    group_code: GroupCode
    versions: list[IndicatorVersion] = Field(min_length=1, description="All versions, oldest first.")


class IndicatorGroupPublished(_Payload):
    kind: Literal["IndicatorGroupPublished"] = "IndicatorGroupPublished"
    code: GroupCode
    name_vi: NfcStr
    name_en: str


class CodeItem(_Payload):
    code: str = Field(description="Code within its list.")
    name_vi: NfcStr
    name_en: str
    sort_order: int = 0


class CodeListPublished(_Payload):
    """A simple code list: sex, age_group, residence, agency, ethnic_extra, period_type, unit_level."""

    kind: Literal["CodeListPublished"] = "CodeListPublished"
    list_id: str = Field(description="Identifier of the list, e.g. `sex`.")
    items: list[CodeItem]


class EthnicGroup(_Payload):
    code_gso_1979: str = Field(description="Code in Decision 121-TCTK/PPCĐ (1979).")
    code_gso_2008: str = Field(description="Code in Decision 1019/QĐ-TCTK (2008).")
    name_vi: NfcStr
    name_en: str
    name_vi_gso_2008: NfcStr
    aliases: list[NfcStr] = Field(default_factory=list, description="Other names and spellings.")


class EthnicGroupsPublished(_Payload):
    """The 54 ethnic groups in both official lists with the crosswalk, plus codes valid in both lists."""

    kind: Literal["EthnicGroupsPublished"] = "EthnicGroupsPublished"
    groups: list[EthnicGroup]
    extra_codes: list[CodeItem] = Field(default_factory=list, description="Unknown (00, 99), foreigner (55).")


class AdminUnitPublished(_Payload):
    kind: Literal["AdminUnitPublished"] = "AdminUnitPublished"
    code: UnitCode
    level: UnitLevel
    name: NfcStr = Field(description="Vietnamese name without the type word.")
    type: NfcStr = Field(description="Unit type in Vietnamese: Tỉnh, Thành phố, Huyện, Xã, Phường, Đặc khu…")
    parent_code: UnitCode | None = Field(description="Parent in the same map; null for provinces (parent is VN).")
    valid_from: date | None = Field(description="First valid day; null = since before the system's records.")
    valid_to: date | None = Field(description="Last valid day; null = still valid.")


class ConversionTarget(_Payload):
    new_code: UnitCode
    kind: Literal["whole", "partial"]
    area_share: Decimal | None = Field(default=None, description="Share of the old unit's area (0..1), if known.")


class UnitConversionPublished(_Payload):
    """Where a legacy commune went on 2025-07-01 (many-to-many: whole and partial merges)."""

    kind: Literal["UnitConversionPublished"] = "UnitConversionPublished"
    old_code: UnitCode
    effective: date = Field(description="Day the new map took effect.")
    targets: list[ConversionTarget]


class AgencyPublished(_Payload):
    """A registered reporting agency and the unit whose subtree it may submit for."""

    kind: Literal["AgencyPublished"] = "AgencyPublished"
    code: str = Field(min_length=1, max_length=40, description="Agency code, as carried by submissions and tokens.")
    name_vi: NfcStr
    name_en: str
    agency_type: str = Field(description="Code from the `agency` code list (e.g. `SYT`, health department).")
    scope_unit_code: UnitCode = Field(description="The unit whose subtree the agency may submit for (`VN` = all).")
    writes_for: list[str] = Field(
        default_factory=list,
        description="Agency types (codes of the `agency` list) whose indicators this agency may also write, e.g. a "
        "provincial ethnic affairs committee entering the figures of departments that have no account.",
    )


CatalogPayload = Annotated[
    IndicatorPublished
    | IndicatorGroupPublished
    | CodeListPublished
    | EthnicGroupsPublished
    | AdminUnitPublished
    | UnitConversionPublished
    | AgencyPublished,
    Field(discriminator="kind"),
]


def catalog_key(
    payload: IndicatorPublished
    | IndicatorGroupPublished
    | CodeListPublished
    | EthnicGroupsPublished
    | AdminUnitPublished
    | UnitConversionPublished
    | AgencyPublished,
) -> str:
    """The compaction key of a catalog record: kind and code, unique per record."""
    match payload:
        case IndicatorPublished():
            return f"indicator|{payload.code}"
        case IndicatorGroupPublished():
            return f"group|{payload.code}"
        case CodeListPublished():
            return f"codelist|{payload.list_id}"
        case EthnicGroupsPublished():
            return "codelist|ethnic_group"
        case AdminUnitPublished():
            since = payload.valid_from.isoformat() if payload.valid_from else "legacy"
            return f"unit|{payload.code}|{payload.level.value}|{since}"
        case UnitConversionPublished():
            return f"conversion|{payload.old_code}|{payload.effective.isoformat()}"
        case AgencyPublished():
            return f"agency|{payload.code}"
