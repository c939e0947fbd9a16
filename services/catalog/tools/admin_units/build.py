"""Read the package's ``dataset.db`` and ``converter_2025.json`` and run the pure steps over them (I/O)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from .conversion import check_converter_keys, commune_pairs, province_pairs
from .model import Built, Units
from .units import Row, add_current, add_legacy

LEGACY_SQL = (
    "SELECT province, provinceCode, provinceKey, district, districtType, districtCode, districtKey,"
    " ward, wardType, wardCode, wardKey FROM admin_units_legacy"
)
CURRENT_SQL = "SELECT province, provinceCode, provinceKey, ward, wardType, wardCode, wardKey FROM admin_units"


def query(con: sqlite3.Connection, sql: str) -> list[Row]:
    return [dict(r) for r in con.execute(sql).fetchall()]


def read_converter(path: Path) -> dict[str, Any]:
    conv: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return conv


def build(data_dir: Path, warnings: list[str]) -> Built:
    """Collect units and conversion pairs from an unpacked package's ``data`` directory; notes go to ``warnings``."""
    units: Units = {}
    with closing(sqlite3.connect(f"file:{data_dir / 'dataset.db'}?mode=ro", uri=True)) as con:
        con.row_factory = sqlite3.Row
        legacy = add_legacy(query(con, LEGACY_SQL), units, warnings)
        current = add_current(query(con, CURRENT_SQL), units, warnings)

    conv = read_converter(data_dir / "converter_2025.json")
    check_converter_keys(conv)
    prov_pairs = province_pairs(conv["DICT_PROVINCE"], legacy, current)
    communes = commune_pairs(conv, legacy, current)
    return Built(units, communes.pairs, prov_pairs, communes.island_districts)
