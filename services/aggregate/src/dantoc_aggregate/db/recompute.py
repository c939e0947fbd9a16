"""The from-scratch recomputation: every rollup from the leaf table with SQL `GROUP BY` (what a batch rebuild does).

It shares no code with the incremental path: the coarsest-breakdown rule is a window function over each cell's
subsets (one row per subset mask), the hierarchy comes from the unit columns stored with each cell.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

_KEEP = "CASE WHEN (m.m & {bit}) = {bit} THEN c.{column} ELSE '_T' END AS {alias}"

_CONTRIBUTING = f"""
WITH m(m) AS (VALUES {", ".join(f"({i})" for i in range(16))}),
c AS (
  SELECT gkey, indicator, period, n1, n2, n3, value, dims_rank, d_ethnic, d_sex, d_age, d_residence,
         (CASE WHEN d_ethnic <> '_T' THEN 8 ELSE 0 END) + (CASE WHEN d_sex <> '_T' THEN 4 ELSE 0 END)
       + (CASE WHEN d_age <> '_T' THEN 2 ELSE 0 END) + (CASE WHEN d_residence <> '_T' THEN 1 ELSE 0 END) AS cmask
  FROM leaf_cells WHERE value IS NOT NULL
),
x AS (
  SELECT c.gkey, c.indicator, c.period, c.n1, c.n2, c.n3, c.value, c.dims_rank,
         {_KEEP.format(bit=8, column="d_ethnic", alias="se")}, {_KEEP.format(bit=4, column="d_sex", alias="ss")},
         {_KEEP.format(bit=2, column="d_age", alias="sa")}, {_KEEP.format(bit=1, column="d_residence", alias="sr")}
  FROM c JOIN m ON (m.m & c.cmask) = m.m
),
r AS (SELECT x.*, MIN(dims_rank) OVER (PARTITION BY gkey, se, ss, sa, sr) AS best FROM x),
k AS (SELECT * FROM r WHERE dims_rank = best),
p AS (
  SELECT indicator, period, 'VN' AS node, se, ss, sa, sr, value FROM k
  UNION ALL SELECT indicator, period, n1, se, ss, sa, sr, value FROM k WHERE n1 IS NOT NULL
  UNION ALL SELECT indicator, period, n2, se, ss, sa, sr, value FROM k WHERE n2 IS NOT NULL
  UNION ALL SELECT indicator, period, n3, se, ss, sa, sr, value FROM k WHERE n3 IS NOT NULL
)
SELECT indicator, node, period, se, ss, sa, sr, {{sum}}(value), COUNT(*), {{min}}(value), {{max}}(value)
FROM p GROUP BY indicator, node, period, se, ss, sa, sr
"""

_GROUPS = """
WITH g AS (
  SELECT gkey, indicator, period, n1, n2, n3, MAX(CASE WHEN value IS NULL THEN 0 ELSE 1 END) AS has_value
  FROM leaf_cells GROUP BY gkey, indicator, period, n1, n2, n3
),
p AS (
  SELECT indicator, period, 'VN' AS node, has_value FROM g
  UNION ALL SELECT indicator, period, n1, has_value FROM g WHERE n1 IS NOT NULL
  UNION ALL SELECT indicator, period, n2, has_value FROM g WHERE n2 IS NOT NULL
  UNION ALL SELECT indicator, period, n3, has_value FROM g WHERE n3 IS NOT NULL
)
SELECT indicator, node, period, SUM(has_value), SUM(1 - has_value) FROM p GROUP BY indicator, node, period
"""

_CELLS = (
    "SELECT indicator, unit, period, dkey, value FROM leaf_cells WHERE value IS NOT NULL AND indicator = :indicator"
)


def _number(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


async def rollups(conn: AsyncConnection) -> list[tuple[str, str, str, str, Decimal, int, Decimal, Decimal]]:
    """(indicator, node, period, dkey, sum, count, min, max) of the contributing cells, every node and subset."""
    sqlite = conn.dialect.name == "sqlite"
    names = {"sum": "dsum", "min": "dmin", "max": "dmax"} if sqlite else {"sum": "SUM", "min": "MIN", "max": "MAX"}
    result = await conn.execute(text(_CONTRIBUTING.format(**names)))
    return [
        (
            i,
            node,
            p,
            f"{se}|{ss}|{sa}|{sr}",
            _number(s) or Decimal(0),
            int(n),
            _number(lo) or Decimal(0),
            _number(hi) or Decimal(0),
        )
        for i, node, p, se, ss, sa, sr, s, n, lo, hi in result
    ]


async def group_counts(conn: AsyncConnection) -> list[tuple[str, str, str, int, int]]:
    """(indicator, node, period, units reported, units with only "no data") for every node."""
    result = await conn.execute(text(_GROUPS))
    return [(i, node, p, int(reported), int(no_data)) for i, node, p, reported, no_data in result]


async def reported_cells(conn: AsyncConnection, indicator: str) -> list[tuple[str, str, str, str, Decimal]]:
    """The value cells of one indicator as reported (for indicators that are not rolled up)."""
    result = await conn.execute(text(_CELLS), {"indicator": indicator})
    return [(i, unit, p, dkey, Decimal(str(v))) for i, unit, p, dkey, v in result]
