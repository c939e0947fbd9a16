"""Apply one batch of accepted values in one transaction: cells, every affected aggregate, offsets, outbox marker.

`apply_batch` commits its own unit of work; the caller then publishes `BatchOutcome.changed`, then commits the
Kafka offsets. The transaction records the next offset per partition (the tracking row) and stamps every aggregate
it changed with the batch's sequence number (the outbox): a redelivered batch changes nothing, and a crash between
commit and publish is repaired by republishing every aggregate stamped after the last published batch. The records
set aside with the batch (`parked`) are parked in the same transaction, so that their offsets move past them only
with them kept.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from dantoc_aggregate.db import bulk
from dantoc_aggregate.db import parked as parking
from dantoc_aggregate.db import repository as repo
from dantoc_aggregate.db.leader import Fence
from dantoc_aggregate.db.models import leaf_cells
from dantoc_aggregate.db.parked import Parked
from dantoc_aggregate.db.repository import StoredCell
from dantoc_aggregate.db.uow import UnitOfWork
from dantoc_aggregate.domain.contributions import Contribution, contributions
from dantoc_aggregate.domain.fold import AggKey, BatchFold, Delta, higher, lower
from dantoc_aggregate.domain.formulas import component_keys, dependent_formulas, formula_state
from dantoc_aggregate.domain.keys import ALL_TOTALS, group_key
from dantoc_aggregate.domain.rules import IndicatorRule, Rules, depth_of, rule_for
from dantoc_aggregate.domain.state import AggregateState
from dantoc_aggregate.services.cache import StateCache
from dantoc_aggregate.services.cells import (
    LEAF_COLUMNS,
    AcceptedCells,
    GroupWork,
    group_changes,
    leaf_tuple,
    levels_of,
    resolve,
)
from dantoc_aggregate.services.existence import absent_at_communes
from dantoc_aggregate.services.steps import StepTimer, untimed
from dantoc_contracts.catalog import Aggregation

BATCH_SEQ = "batch_seq"
PUBLISHED_SEQ = "published_seq"


@dataclass(slots=True)
class BatchOutcome:
    seq: int
    changed: list[AggregateState] = field(default_factory=list)
    applied: int = 0
    stale: int = 0


async def apply_batch(
    *,
    uow: UnitOfWork,
    rules: Rules,
    messages: list[AcceptedCells],
    topic: str,
    next_offsets: dict[int, int],
    parked: Sequence[Parked] = (),
    unparked: Sequence[int] = (),
    fence: Fence | None = None,
    cache: StateCache | None = None,
    published_seq: int | None = None,
    careful: bool = False,
    steps: StepTimer = untimed,
) -> BatchOutcome:
    """Fold the messages into the stored state and commit, all or nothing (on failure the caller clears `cache`:
    its states were changed in place by a transaction that did not commit).

    `parked`: records set aside with this batch, kept in the same transaction; `unparked`: ids of parked rows this
    batch applies at last (replay). `fence`, when given, is checked first: this process is still the only writer.
    `published_seq`, when given, is the last batch whose events are known to be published: recorded in the same
    transaction (so the outbox marker costs no transaction of its own). `careful` looks up every commune-level
    aggregate instead of inferring which cannot exist (`services.existence`): for the retry of a failed batch.
    `steps` times each database step (`services.steps`)."""
    async with uow:
        if fence is not None:
            await fence.check(uow.conn)
        outcome = await _fold_in(uow.conn, rules, messages, cache=cache, careful=careful, steps=steps)
        if published_seq is not None:
            await repo.write_counter(uow.conn, PUBLISHED_SEQ, published_seq)
        await repo.save_offsets(uow.conn, topic, next_offsets)
        await parking.park(uow.conn, parked)
        for record_id in unparked:
            await parking.unpark(uow.conn, record_id)
        with steps("commit"):
            await uow.commit()
    return outcome


async def _fold_in(
    conn: AsyncConnection,
    rules: Rules,
    messages: list[AcceptedCells],
    *,
    cache: StateCache | None,
    careful: bool,
    steps: StepTimer,
) -> BatchOutcome:
    """The batch's cells and every aggregate they change, written under a new batch number."""
    fold, outcome = BatchFold(), BatchOutcome(seq=await repo.read_counter(conn, BATCH_SEQ) + 1)
    groups = group_changes(messages)
    with steps("load_cells"):
        stored = await repo.load_cells(conn, list(groups))
    new_rows: list[tuple[Any, ...]] = []  # cells of groups that had none stored: plain inserts
    rows: list[tuple[Any, ...]] = []
    for gkey in sorted(groups):  # key order: the cells' primary key B-tree is filled page by page
        work = groups[gkey]
        resolved = resolve(stored.get(gkey, {}), work)
        outcome.stale += resolved.stale
        outcome.applied += resolved.applied
        if not resolved.writes:
            continue
        chain = rules.chain(work.unit, work.period)
        rule = rule_for(rules, work.indicator, work.period)
        if rule.aggregation is not Aggregation.FORMULA:  # a formula is computed from its sides, never rolled up
            fold.group_changed(rule, chain, work.period, resolved.before, resolved.after, resolved.newest)
        levels = levels_of(chain)
        target = rows if resolved.before else new_rows
        target.extend(leaf_tuple(gkey, work, levels, change) for change in resolved.writes.values())
    with steps("write_cells"):
        await bulk.insert_rows(conn, leaf_cells, LEAF_COLUMNS, new_rows)
        await bulk.upsert_rows(conn, leaf_cells, LEAF_COLUMNS, rows)
    seen = _SeenGroups(groups, stored, careful)
    created, updated = await _update_aggregates(conn, rules, fold.propagate(), seen, cache, steps)
    with steps("write_aggregates"):
        await bulk.write_aggregates(conn, outcome.seq, created, updated, careful=careful)
    outcome.changed = created + updated
    await repo.write_counter(conn, BATCH_SEQ, outcome.seq)
    return outcome


@dataclass(slots=True)
class _SeenGroups:
    """The batch's groups, those of them that had stored cells, and whether to infer absent aggregates from them."""

    batch: dict[str, GroupWork]
    stored: dict[str, dict[str, StoredCell]]
    careful: bool


async def _update_aggregates(
    conn: AsyncConnection,
    rules: Rules,
    deltas: dict[AggKey, Delta],
    seen: _SeenGroups,
    cache: StateCache | None,
    steps: StepTimer,
) -> tuple[list[AggregateState], list[AggregateState]]:
    """Apply the deltas to the stored states: (states created by this batch, stored states it changed)."""
    formulas = dependent_formulas(rules, deltas)
    wanted = dict.fromkeys(deltas)
    for key, rule in formulas.items():
        numerator, denominator = component_keys(key, rule)
        wanted[key] = wanted[numerator] = wanted[denominator] = None
    if not seen.careful:
        with steps("existence"):
            absent = await absent_at_communes(conn, rules, wanted, seen.batch, seen.stored)
        wanted = dict.fromkeys(key for key in wanted if key[:3] not in absent)
    states, missing = cache.split(wanted) if cache is not None else ({}, list(wanted))
    with steps("load_states"):
        loaded = await repo.load_states(conn, missing)
    states.update(loaded)
    before = {key: state.snapshot() for key, state in states.items()}
    aggregations: dict[tuple[str, str], Aggregation] = {}
    recount: list[AggregateState] = []
    for key, delta in deltas.items():
        state = states.get(key)
        if state is None:
            aggregation = aggregations.get((key[0], key[2]))
            if aggregation is None:
                aggregation = aggregations[(key[0], key[2])] = rule_for(rules, key[0], key[2]).aggregation
            state = states[key] = AggregateState(*key, aggregation=aggregation)
        state.apply(delta)
        if key[3] == ALL_TOTALS:
            state.expected = rules.expected(key[0], key[1], key[2])
        if state.needs_recount:
            recount.append(state)
    with steps("recount"):
        await _recount(conn, rules, recount, states, cache)
    for key, rule in formulas.items():
        numerator, denominator = component_keys(key, rule)
        states[key] = formula_state(key, rule, states.get(numerator), states.get(denominator))
    created, updated = [], []
    for key, state in states.items():
        held = before.get(key)
        if held is None:
            created.append(state)
        elif held != state.snapshot():
            updated.append(state)
    if cache is not None:  # those it gave are there already (and were marked as just used); formulas are new
        cache.keep(itertools.chain(created, loaded.values(), (states[key] for key in formulas)))
    return created, updated


async def _recount(
    conn: AsyncConnection,
    rules: Rules,
    waiting: list[AggregateState],
    states: dict[AggKey, AggregateState],
    cache: StateCache | None,
) -> None:
    """Find retracted extremes again, deepest units first, from the unit's own cells (read by their key) and its
    children's aggregates (63 provinces for the nation, not every commune's cells; none for a commune): exact when
    they add up to the unit's count, and otherwise (a unit off the map, a map changed since) from every stored cell
    below the unit (already written in this transaction), read once for all the subsets that need it."""
    by_node: dict[tuple[str, str, str], list[AggregateState]] = {}
    for state in waiting:
        by_node.setdefault((state.indicator, state.period, state.unit), []).append(state)
    for node in sorted(by_node, key=lambda found: -depth_of(found[2])):  # children before their parents
        indicator, period, unit = node
        rule: IndicatorRule = rule_for(rules, indicator, period)
        left = await _from_children(conn, rules, rule, by_node[node], states, cache)
        if left:
            groups = await repo.cells_below(conn, indicator, period, unit, depth_of(unit))
            _recounted(left, [contributions(cells, rule.aggregation) for cells in groups.values()], [])


async def _from_children(
    conn: AsyncConnection,
    rules: Rules,
    rule: IndicatorRule,
    waiting: list[AggregateState],
    states: dict[AggKey, AggregateState],
    cache: StateCache | None,
) -> list[AggregateState]:
    """Recount `waiting` (states of one unit) from its own cells and its children's states (this batch's, else the
    cache's, else stored); return those whose children do not account for every contribution."""
    indicator, period, unit = waiting[0].indicator, waiting[0].period, waiting[0].unit
    keys = [(indicator, child, period, s.dkey) for child in rules.children(unit, period) for s in waiting]
    found = {key: states[key] for key in keys if key in states}
    rest = [key for key in keys if key not in found]
    cached, missing = cache.split(rest) if cache is not None else ({}, rest)
    found.update(cached)
    found.update(await repo.load_states(conn, missing))
    own_group = group_key(unit, period, indicator)
    own = (await repo.load_cells(conn, [own_group])).get(own_group, {})
    shares = [contributions({dkey: cell.value for dkey, cell in own.items()}, rule.aggregation)] if own else []
    exact: list[AggregateState] = []
    left: list[AggregateState] = []
    for state in waiting:
        counted = sum(share[state.dkey].cells for share in shares if state.dkey in share)
        counted += sum(child.count for child in (found.get(key) for key in keys if key[3] == state.dkey) if child)
        (exact if counted == state.count else left).append(state)
    _recounted(exact, shares, [found[key] for key in keys if key in found])
    return left


def _recounted(
    waiting: list[AggregateState], shares: list[dict[str, Contribution]], children: list[AggregateState]
) -> None:
    """Set each state's extremes to those of the group contributions and child states of its subset."""
    for state in waiting:
        low = high = None
        for found in shares:
            share = found.get(state.dkey)
            if share is not None:
                low, high = lower(low, share.low), higher(high, share.high)
        for child in children:
            if child.dkey == state.dkey and child.count:
                low, high = lower(low, child.low), higher(high, child.high)
        state.recounted(low, high)
