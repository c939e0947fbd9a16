"""Indicator versions: each is in force from its `effective_from` until the day before the next one starts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from dantoc_catalog.domain.indicators import IndicatorDefinition


def closed_versions(versions: Sequence[IndicatorDefinition]) -> list[tuple[IndicatorDefinition, date | None]]:
    """The versions of one indicator, oldest first, each with its last day (None for the one still in force)."""
    ordered = sorted(versions, key=lambda d: d.version)
    ends: list[date | None] = [nxt.effective_from - timedelta(days=1) for nxt in ordered[1:]]
    return list(zip(ordered, [*ends, None], strict=True))


def next_version(versions: Sequence[IndicatorDefinition], draft: IndicatorDefinition) -> IndicatorDefinition:
    """The draft as the indicator's next version: numbered after the last, in the indicator's own group.

    Whether it starts after the previous version is checked with the rest of the catalogue (`version_order`),
    so the caller sees that problem together with every other.
    """
    last = max(versions, key=lambda d: d.version)
    return replace(draft, code=last.code, group=last.group, version=last.version + 1)
