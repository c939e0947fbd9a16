"""Which commune-level aggregates cannot exist yet, so that a batch need not look for them.

A national load creates most aggregates; looking each one up first would cost as much as writing it. Above the
communes the writer's cache knows what exists (`StateCache`). At a commune, an aggregate of an indicator exists only
if the commune's cells of that indicator and period (its group) were stored before, and a formula's only if a
group of one of its sides was: so one look-up per group, not per aggregate key, answers for all its subsets. The
answer follows the catalog of the moment; should it be wrong (a formula redefined since), inserting an aggregate
that exists fails the batch on its primary key and the batch is applied again with `careful=True` (every key looked
up), so a wrong guess is never silent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy.ext.asyncio import AsyncConnection

from dantoc_aggregate.db import repository as repo
from dantoc_aggregate.domain.fold import AggKey
from dantoc_aggregate.domain.keys import group_key
from dantoc_aggregate.domain.rules import Rules

COMMUNE_CODE_LENGTH = 5

Triple = tuple[str, str, str]
"""(indicator, unit, period)."""


async def absent_at_communes(
    conn: AsyncConnection,
    rules: Rules,
    keys: Iterable[AggKey],
    batch_groups: Mapping[str, object],
    stored_groups: Mapping[str, object],
) -> set[Triple]:
    """The commune-level (indicator, unit, period) among `keys` that have no stored aggregates. `batch_groups` are
    the groups of the batch, `stored_groups` those of them that had cells before it."""
    sources = {triple: _source_groups(rules, triple) for triple in {k[:3] for k in keys if len(k[1]) == 5}}
    unknown = {gkey for gkeys in sources.values() for gkey in gkeys if gkey not in batch_groups}
    present = await repo.existing_groups(conn, list(unknown)) if unknown else set()

    def had_cells(gkey: str) -> bool:
        return gkey in stored_groups if gkey in batch_groups else gkey in present

    return {triple for triple, gkeys in sources.items() if not any(had_cells(gkey) for gkey in gkeys)}


def _source_groups(rules: Rules, triple: Triple) -> tuple[str, ...]:
    """The groups whose cells make the aggregates of `triple`: its own, or for a formula its sides'."""
    indicator, unit, period = triple
    rule = rules.rule(indicator, period)
    if rule is not None and rule.formula is not None:
        names: tuple[str, ...] = (rule.formula.numerator, rule.formula.denominator)
    else:
        names = (indicator,)
    return tuple(group_key(unit, period, name) for name in names)
