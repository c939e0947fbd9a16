"""Keys of cells, groups and aggregates, and the disaggregation subsets a cell reaches.

A disaggregation key is the contract's `Disaggregation.key()`: four parts (ethnic group, sex, age group, residence),
`_T` for a total. A *subset* of a cell is its key with any of its given dimensions replaced by `_T`: a cell broken
down by ethnic group and sex reaches 4 subsets (itself, ethnic only, sex only, all totals).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from dantoc_contracts.codes import TOTAL

DIMENSION_COUNT = 4
ALL_TOTALS = "|".join((TOTAL,) * DIMENSION_COUNT)
"""The all-totals disaggregation key `_T|_T|_T|_T` (completeness rides on it)."""

_BIT = (8, 4, 2, 1)  # ethnic group, sex, age group, residence: the first dimension weighs most


def group_key(unit: str, period: str, indicator: str) -> str:
    """Key of a reporting group: the cells one unit reported for one indicator and period."""
    return f"{unit}|{period}|{indicator}"


def split_dkey(dkey: str) -> tuple[str, ...]:
    parts = tuple(dkey.split("|"))
    if len(parts) != DIMENSION_COUNT:
        raise ValueError(f"not a disaggregation key: {dkey!r}")
    return parts


@lru_cache(maxsize=65536)
def dims_mask(dkey: str) -> int:
    """Bit mask of the dimensions a key gives (ethnic 8, sex 4, age 2, residence 1)."""
    return sum(bit for bit, part in zip(_BIT, split_dkey(dkey), strict=True) if part != TOTAL)


def breakdown_rank(mask: int) -> int:
    """Order of breakdowns from coarse to fine: fewer dimensions first, then by mask (deterministic tie-break)."""
    return mask.bit_count() * 16 + mask


@lru_cache(maxsize=65536)
def subsets(dkey: str) -> tuple[str, ...]:
    """Every subset a cell with this key reaches: each given dimension kept or replaced by `_T` (itself first)."""
    parts = split_dkey(dkey)
    given = [i for i, part in enumerate(parts) if part != TOTAL]
    found: list[str] = []
    for choice in range(1 << len(given)):
        coarse = list(parts)
        for j, index in enumerate(given):
            if choice & (1 << j):
                coarse[index] = TOTAL
        found.append("|".join(coarse))
    return tuple(found)


@lru_cache(maxsize=65536)
def shape(dkey: str) -> tuple[int, tuple[str, ...]]:
    """(breakdown rank, subsets) of a cell key: what the fold needs of it, in one look-up."""
    return breakdown_rank(dims_mask(dkey)), subsets(dkey)


def within(dkey: str, allowed_mask: int) -> bool:
    """True when the key only uses dimensions of `allowed_mask`."""
    return dims_mask(dkey) & ~allowed_mask == 0


def mask_of(dimensions: Sequence[str]) -> int:
    names = ("ethnic_group", "sex", "age_group", "residence")
    return sum(bit for bit, name in zip(_BIT, names, strict=True) if name in dimensions)
