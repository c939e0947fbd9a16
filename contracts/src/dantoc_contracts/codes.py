"""Code types shared on the wire: indicator codes, administrative unit codes and levels, ethnic-group references.

Text is compared as Unicode NFC everywhere; `nfc` is the one normaliser the services use.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

INDICATOR_CODE_PATTERN = r"^[0-9]{4}$"
"""An indicator code, the whole string: four ASCII digits (`\\d` would admit other scripts' digits)."""
UNIT_CODE_PATTERN = r"^(VN|[0-9]{2}|[0-9]{3}|[0-9]{5})$"
"""An administrative unit code, the whole string: `VN`, or 2, 3 or 5 ASCII digits (for path and query checks)."""
TWO_DIGIT_CODE_PATTERN = r"^[0-9]{2}$"
"""An indicator group or an ethnic group code: two ASCII digits."""


def nfc(text: str) -> str:
    """Return `text` in Unicode normalisation form C (how the system stores and compares Vietnamese text)."""
    return unicodedata.normalize("NFC", text)


NfcStr = Annotated[str, AfterValidator(nfc)]
"""A string normalised to NFC on the way in."""

IndicatorCode = Annotated[
    str,
    StringConstraints(pattern=INDICATOR_CODE_PATTERN),
    Field(description="Indicator code: 2-digit group + 2-digit item, e.g. `0101`.", examples=["0101"]),
]

GroupCode = Annotated[
    str,
    StringConstraints(pattern=TWO_DIGIT_CODE_PATTERN),
    Field(description="Indicator group code: the first two digits of an indicator code.", examples=["01"]),
]

NATIONAL_UNIT_CODE = "VN"


class UnitLevel(StrEnum):
    """Level of an administrative unit. The current map (from 2025-07-01) has no district level."""

    NATIONAL = "national"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"

    @property
    def depth(self) -> int:
        return _DEPTH[self]


_DEPTH = {UnitLevel.NATIONAL: 0, UnitLevel.PROVINCE: 1, UnitLevel.DISTRICT: 2, UnitLevel.COMMUNE: 3}

UnitCode = Annotated[
    str,
    StringConstraints(pattern=UNIT_CODE_PATTERN),
    Field(
        description=(
            "Administrative unit code: `VN` for the nation, 2 digits for a province, 3 for a district, 5 for a "
            "commune. A code alone does not say which map it belongs to: read it with the map valid for the period."
        ),
        examples=["02", "026", "00715", "VN"],
    ),
]

_LEVEL_BY_LENGTH = {2: UnitLevel.PROVINCE, 3: UnitLevel.DISTRICT, 5: UnitLevel.COMMUNE}


def unit_level_of(code: str) -> UnitLevel:
    """The level a unit code denotes (by its length; `VN` is national). Raises ValueError on a malformed code."""
    if code == NATIONAL_UNIT_CODE:
        return UnitLevel.NATIONAL
    level = _LEVEL_BY_LENGTH.get(len(code))
    if level is None or not code.isascii() or not code.isdigit():
        raise ValueError(f"not an administrative unit code: {code!r}")
    return level


class EthnicCodeList(StrEnum):
    """The two official ethnic-group code lists. A code means nothing without its list."""

    GSO_1979 = "GSO1979"  # Decision 121-TCTK/PPCĐ (1979): GSO surveys, Ministry of Health
    GSO_2008 = "GSO2008"  # Decision 1019/QĐ-TCTK (2008): QCVN 109:2017, national population database


CANONICAL_ETHNIC_LIST = EthnicCodeList.GSO_1979
"""Ethnic codes are stored in this list; input in either list is translated with the crosswalk."""


class EthnicGroupRef(BaseModel):
    """An ethnic group as (code list, code)."""

    model_config = ConfigDict(frozen=True)

    code_list: EthnicCodeList = Field(description="The code list the code belongs to.")
    code: Annotated[str, StringConstraints(pattern=TWO_DIGIT_CODE_PATTERN)] = Field(
        description="Two-digit code in that list (00/99 unknown, 55 foreigner are valid in both).", examples=["08"]
    )

    def key(self) -> str:
        return f"{self.code_list.value}:{self.code}"


Dimension = Literal["ethnic_group", "sex", "age_group", "residence"]
DIMENSIONS: tuple[Dimension, ...] = ("ethnic_group", "sex", "age_group", "residence")
TOTAL = "_T"
"""The SDMX code for 'total over this dimension' in disaggregation keys."""
