"""Indicators and their groups: list, search by text (accent-insensitive) or group, get."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from dantoc_catalog.api.deps import QueriesDep, not_found
from dantoc_catalog.api.indicator_models import GroupOut, IndicatorOut
from dantoc_contracts.codes import INDICATOR_CODE_PATTERN, TWO_DIGIT_CODE_PATTERN

router = APIRouter(tags=["indicators"])
CodePath = Annotated[str, Path(pattern=INDICATOR_CODE_PATTERN, description="Indicator code.", examples=["0101"])]


@router.get("/indicators")
async def list_indicators(
    queries: QueriesDep,
    q: Annotated[
        str | None,
        Query(description="Words to find in the code or names (vi or en); diacritics optional.", examples=["dan toc"]),
    ] = None,
    group: Annotated[
        str | None, Query(pattern=TWO_DIGIT_CODE_PATTERN, description="Only this group.", examples=["01"])
    ] = None,
) -> list[IndicatorOut]:
    """List indicators with all their versions; search by text (accent-insensitive) and filter by group."""
    found = await queries.indicators(q=q, group=group)
    return [IndicatorOut.of(versions) for _, versions in sorted(found.items())]


@router.get("/indicators/{code}")
async def get_indicator(queries: QueriesDep, code: CodePath) -> IndicatorOut:
    """Get one indicator with every version and its effective dates."""
    versions = await queries.indicator(code)
    if not versions:
        raise not_found("code", code)
    return IndicatorOut.of(versions)


@router.get("/indicator-groups")
async def list_groups(queries: QueriesDep) -> list[GroupOut]:
    """List the indicator groups."""
    return [GroupOut.of(group) for group in await queries.groups()]
