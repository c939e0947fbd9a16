"""Rollup scenarios as data: batches of accepted values, then the aggregates expected.

Run on the pure rules (unit tests, in memory) and on `apply_batch` with SQLite and PostgreSQL (integration tests).
Expectations: `values` maps (indicator, unit, period, disaggregation key) → value (None: no value); `counts` →
contributing cells; `completeness` (indicator, unit, period) → (expected, reported, no data); `absent`: no key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from dantoc_aggregate.domain.keys import ALL_TOTALS
from dantoc_contracts.values import ValuesAccepted
from tests.support.aggregate.literals import accepted, cell, dkey

Key = tuple[str, str, str, str]
D = Decimal
TAY, THAI = "02", "03"


@dataclass
class Scenario:
    name: str
    batches: list[list[ValuesAccepted]]
    values: dict[Key, Decimal | None] = field(default_factory=dict)
    counts: dict[Key, int] = field(default_factory=dict)
    completeness: dict[tuple[str, str, str], tuple[int, int, int]] = field(default_factory=dict)
    absent: list[Key] = field(default_factory=list)


def k(indicator: str, unit: str, period: str = "2024", key: str = ALL_TOTALS) -> Key:
    return (indicator, unit, period, key)


SCENARIOS = [
    Scenario(
        "SUM climbs commune → district → province → national, per subset",
        [
            [
                accepted("00715", "2024", cell("0601", 3, ethnic=TAY), cell("0601", 4, ethnic=THAI)),
                accepted("00718", "2024", cell("0601", 5, ethnic=TAY)),
                accepted("00721", "2024", cell("0601", 1, ethnic=TAY)),
            ]
        ],
        values={
            k("0601", "00715"): D(7),
            k("0601", "026"): D(12),
            k("0601", "027"): D(1),
            k("0601", "02"): D(13),
            k("0601", "VN"): D(13),
            k("0601", "026", key=dkey(TAY)): D(8),
            k("0601", "VN", key=dkey(THAI)): D(4),
        },
        counts={k("0601", "VN"): 4},
        completeness={("0601", "02", "2024"): (3, 3, 0), ("0601", "VN", "2024"): (4, 3, 0)},
    ),
    Scenario(
        "a revision applies new − old; an older revision is ignored",
        [
            [accepted("00715", "2024", cell("0601", 10)), accepted("00721", "2024", cell("0601", 1))],
            [accepted("00715", "2024", cell("0601", 4, revision=2))],
            [accepted("00715", "2024", cell("0601", 99, revision=1))],
        ],
        values={k("0601", "00715"): D(4), k("0601", "026"): D(4), k("0601", "02"): D(5), k("0601", "VN"): D(5)},
    ),
    Scenario(
        "a change to 'no data' removes the old contribution and counts in completeness",
        [
            [accepted("00715", "2024", cell("0601", 10)), accepted("00718", "2024", cell("0601", 5))],
            [accepted("00715", "2024", cell("0601", None, revision=2))],
        ],
        values={k("0601", "00715"): None, k("0601", "026"): D(5), k("0601", "VN"): D(5)},
        counts={k("0601", "026"): 1},
        completeness={("0601", "026", "2024"): (2, 1, 1), ("0601", "02", "2024"): (3, 1, 1)},
    ),
    Scenario(
        "MAX finds the next extreme when the current one is retracted",
        [
            [accepted(u, "2024", cell("0807", v)) for u, v in (("00715", 9), ("00718", 7), ("00721", 3))],
            [accepted("00715", "2024", cell("0807", 1, revision=2))],
            [accepted("00718", "2024", cell("0807", None, revision=2))],
        ],
        values={k("0807", "VN"): D(3), k("0807", "02"): D(3), k("0807", "026"): D(1), k("0807", "00718"): None},
    ),
    Scenario(
        "a retracted extreme is found again among the children's aggregates, several levels up",
        [
            [accepted(u, "2024", cell("0807", v)) for u, v in (("00715", 9), ("00718", 9), ("00721", 3), ("01000", 5))],
            [accepted("00715", "2024", cell("0807", 1, revision=2))],
            [accepted("00718", "2024", cell("0807", 2, revision=2))],
        ],
        values={k("0807", "VN"): D(5), k("0807", "02"): D(3), k("0807", "026"): D(2), k("0807", "04"): D(5)},
    ),
    Scenario(
        "a retracted extreme is found again over a unit off the map too (its contribution has no parent but VN)",
        [
            [accepted(u, "2024", cell("0807", v)) for u, v in (("00715", 9), ("09999", 8), ("00721", 3))],
            [accepted("00715", "2024", cell("0807", 1, revision=2))],
        ],
        values={k("0807", "VN"): D(8), k("0807", "02"): D(3), k("0807", "026"): D(1), k("0807", "09999"): D(8)},
    ),
    Scenario(
        "MIN finds the next extreme when the current one is retracted",
        [
            [accepted(u, "2024", cell("0808", v)) for u, v in (("00715", 2), ("00718", 7), ("00721", 3))],
            [accepted("00715", "2024", cell("0808", 8, revision=2))],
        ],
        values={k("0808", "VN"): D(3), k("0808", "026"): D(7), k("0808", "027"): D(3)},
    ),
    Scenario(
        "AVERAGE is kept as sum and count",
        [[accepted(u, "2024", cell("0301", v)) for u, v in (("00715", 10), ("00718", 20), ("00721", 60))]],
        values={k("0301", "026"): D(15), k("0301", "02"): D(30), k("0301", "VN"): D(30)},
        counts={k("0301", "02"): 3},
    ),
    Scenario(
        "FORMULA divides the aggregated numerator by the aggregated denominator, per subset",
        [
            [
                accepted(
                    "00715",
                    "2024",
                    cell("0101", 30, ethnic=TAY, sex="1"),
                    cell("0101", 20, ethnic=TAY, sex="2"),
                    cell("0102", 100, sex="1"),
                    cell("0102", 100, sex="2"),
                ),
                accepted("00721", "2024", cell("0101", 10, ethnic=THAI, sex="1"), cell("0102", 50, sex="1")),
            ]
        ],
        values={
            k("0103", "00715"): D(25),
            k("0103", "00715", key=dkey(sex="1")): D(30),
            k("0103", "02"): D(24),
            k("0103", "02", key=dkey(sex="1")): D("26.66666666666666666666666667"),
        },
        absent=[k("0103", "02", key=dkey(TAY))],  # the formula is not broken down by ethnic group
    ),
    Scenario(
        "a value reported for a formula indicator is kept, but the formula is computed from its sides",
        [
            [accepted("00715", "2024", cell("0101", 50), cell("0102", 200), cell("0103", 99))],
            [accepted("00715", "2024", cell("0103", 98, revision=2))],
        ],
        values={k("0103", "00715"): D(25), k("0103", "02"): D(25), k("0103", "VN"): D(25)},
        counts={k("0103", "VN"): 1},
    ),
    Scenario(
        "the map valid at the end of the period: districts until 2025-06-30, none after",
        [[accepted("00715", "2024", cell("0601", 5)), accepted("00715", "2025", cell("0601", 7))]],
        values={k("0601", "026"): D(5), k("0601", "02"): D(5), k("0601", "02", "2025"): D(7)},
        completeness={("0601", "02", "2025"): (2, 1, 0), ("0601", "02", "2024"): (3, 1, 0)},
        absent=[k("0601", "026", "2025")],
    ),
    Scenario(
        "NONE stays at the reporting unit; completeness still climbs",
        [[accepted("00715", "2024", cell("1406", 2)), accepted("00721", "2024", cell("1406", 3))]],
        values={k("1406", "00715"): D(2), k("1406", "02"): None, k("1406", "VN"): None},
        completeness={("1406", "02", "2024"): (3, 2, 0)},
    ),
    Scenario(
        "LAST (a stock): the latest revision per unit, summed over places",
        [
            [accepted("00715", "2024", cell("0102", 100)), accepted("00718", "2024", cell("0102", 50))],
            [accepted("00715", "2024", cell("0102", 120, revision=2))],
        ],
        values={k("0102", "026"): D(170), k("0102", "VN"): D(170)},
    ),
    Scenario(
        "a redelivered batch changes nothing",
        [[accepted("00715", "2024", cell("0601", 6))], [accepted("00715", "2024", cell("0601", 6))]],
        values={k("0601", "VN"): D(6)},
        counts={k("0601", "VN"): 1},
    ),
    Scenario(
        "an indicator reported by districts: expected units are districts",
        [[accepted("026", "2024", cell("0704", 4))]],
        values={k("0704", "026"): D(4), k("0704", "02"): D(4)},
        completeness={("0704", "02", "2024"): (2, 1, 0), ("0704", "VN", "2024"): (3, 1, 0)},
    ),
]


def check(states: dict, scenario: Scenario) -> None:  # type: ignore[type-arg]
    """Assert `states` (aggregate key → state) meet every expectation of `scenario` (which must have some)."""
    expectations = len(scenario.values) + len(scenario.counts) + len(scenario.completeness) + len(scenario.absent)
    assert expectations, f"scenario {scenario.name!r} expects nothing: it would pass whatever the rollup does"
    for key, value in scenario.values.items():
        state = states.get(key)
        assert (state.value if state else None) == value, key
    for key, count in scenario.counts.items():
        assert states[key].count == count, key
    for (indicator, unit, period), (expected, reported, no_data) in scenario.completeness.items():
        state = states[(indicator, unit, period, ALL_TOTALS)]
        assert (state.expected, state.reported, state.no_data) == (expected, reported, no_data), (indicator, unit)
    for key in scenario.absent:
        assert key not in states, key
