"""Reference data besides indicators and units: code lists, ethnic groups, agencies, the 2025 unit conversion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

NEW_MAP_EFFECTIVE = date(2025, 7, 1)
"""The day the 34-province map took effect (QĐ 19/2025/QĐ-TTg)."""

AGENCY_LIST = "agency"
ETHNIC_EXTRA_LIST = "ethnic_extra"


@dataclass(frozen=True)
class CodeListItem:
    list_id: str
    code: str
    name_vi: str
    name_en: str
    sort_order: int


@dataclass(frozen=True)
class EthnicGroupRow:
    """One of the 54 groups: its GSO 1979 code (canonical) and GSO 2008 code and name, and other names."""

    code: str
    name_vi: str
    name_en: str
    code_gso_2008: str
    name_vi_gso_2008: str
    other_names_vi: str  # comma-separated, as in ethnic_groups.csv

    def aliases(self) -> list[str]:
        return [name.strip() for name in self.other_names_vi.split(",") if name.strip()]


@dataclass(frozen=True)
class Agency:
    code: str
    name_vi: str
    name_en: str
    agency_type: str
    scope_unit_code: str
    writes_for: tuple[str, ...] = ()  # other agency types whose indicators it may write


@dataclass(frozen=True)
class Conversion:
    """One old unit → one new unit on `effective`; an old unit split between several has several rows."""

    old_code: str
    new_code: str
    kind: Literal["whole", "partial"]
    area_share: Decimal | None
    effective: date = NEW_MAP_EFFECTIVE
