"""A scaled-down, seeded load: a synthetic legacy map and a stream of reports, corrections, "no data" changes,
duplicates and stale replays, with the final cell values it must leave behind."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from dantoc_contracts.catalog import AdminUnitPublished, catalog_key
from dantoc_contracts.codes import UnitLevel
from dantoc_contracts.values import CellChange, ValuesAccepted
from tests.support.aggregate.literals import LEGACY_END, cell, indicators

CellKey = tuple[str, str, str, str]  # unit, period, indicator, disaggregation key
ETHNIC = ("01", "02", "03", "06", "10")
ROLLED = {
    "0101": ("ethnic_group", "sex"),
    "0102": ("sex",),
    "0601": ("ethnic_group",),
    "0301": (),
    "0807": (),
    "0808": (),
    "1406": (),
}


def synthetic_units(provinces: int = 3, districts: int = 3, communes: int = 8) -> list[AdminUnitPublished]:
    found = []
    for p in range(provinces):
        pcode = f"{10 + p:02d}"
        found.append(
            AdminUnitPublished(
                code=pcode,
                level=UnitLevel.PROVINCE,
                name=f"Tỉnh {pcode}",
                type="Tỉnh",
                parent_code=None,
                valid_from=None,
                valid_to=LEGACY_END,
            )
        )
        for d in range(districts):
            dcode = f"{pcode}{d}"
            found.append(
                AdminUnitPublished(
                    code=dcode,
                    level=UnitLevel.DISTRICT,
                    name=f"Huyện {dcode}",
                    type="Huyện",
                    parent_code=pcode,
                    valid_from=None,
                    valid_to=LEGACY_END,
                )
            )
            for c in range(communes):
                ccode = f"{dcode}{c:02d}"
                found.append(
                    AdminUnitPublished(
                        code=ccode,
                        level=UnitLevel.COMMUNE,
                        name=f"Xã {ccode}",
                        type="Xã",
                        parent_code=dcode,
                        valid_from=None,
                        valid_to=LEGACY_END,
                    )
                )
    return found


def catalog_records(units: list[AdminUnitPublished]) -> list[tuple[str, Any]]:
    return [(catalog_key(r), r) for r in units] + [(catalog_key(r), r) for r in indicators()]


@dataclass
class Load:
    messages: list[ValuesAccepted] = field(default_factory=list)
    final: dict[CellKey, tuple[int, Decimal | None]] = field(default_factory=dict)


def build_load(units: list[AdminUnitPublished], seed: int = 7, corrections: int = 150) -> Load:
    rng, load = random.Random(seed), Load()
    communes = [u.code for u in units if u.level is UnitLevel.COMMUNE]
    revisions: dict[CellKey, int] = {}

    def change(unit: str, indicator: str, ethnic: str | None, sex: str | None, value: int | None) -> CellChange:
        made = cell(indicator, value, 1, ethnic=ethnic, sex=sex)
        key = (unit, "2024", indicator, made.disaggregation.key())
        revision = revisions[key] = revisions.get(key, 0) + 1
        load.final[key] = (revision, None if value is None else Decimal(value))
        return made.model_copy(update={"revision": revision})

    def cells_of(unit: str, indicator: str) -> list[tuple[str | None, str | None]]:
        dims = ROLLED[indicator]
        groups = rng.sample(ETHNIC, rng.randint(1, 3)) if "ethnic_group" in dims else [None]
        sexes = ["1", "2"] if "sex" in dims else [None]
        return [(e, s) for e in groups for s in sexes]

    for unit in communes:
        changes = [change(unit, i, e, s, rng.randint(0, 500)) for i in ROLLED for e, s in cells_of(unit, i)]
        load.messages.append(_message(unit, changes))
    for _ in range(corrections):
        unit, indicator = rng.choice(communes), rng.choice(list(ROLLED))
        known = [k for k in load.final if k[0] == unit and k[2] == indicator]
        key = rng.choice(known)
        ethnic, sex = _split(key[3])
        value = None if rng.random() < 0.2 else rng.randint(0, 500)
        load.messages.append(_message(unit, [change(unit, indicator, ethnic, sex, value)]))
        if rng.random() < 0.2:  # redelivered as is
            load.messages.append(load.messages[-1])
    return load


def _split(dkey: str) -> tuple[str | None, str | None]:
    ethnic, sex, _, _ = dkey.split("|")
    return (None if ethnic == "_T" else ethnic.split(":")[1]), (None if sex == "_T" else sex)


def _message(unit: str, changes: list[CellChange]) -> ValuesAccepted:
    return ValuesAccepted(
        submission_id=f"{unit}-{len(changes)}-{random.random()}",
        agency="CTK",
        unit_code=unit,
        period="2024",
        accepted_at=datetime.now(UTC),
        changes=changes,
    )
