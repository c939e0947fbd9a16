#!/usr/bin/env python3
"""Build ``agencies.csv``: the registered reporting agencies of the starter catalogue.

Usage (from the repository root)::

    python services/catalog/tools/build_agencies.py

Reads the current map (valid from 2025-07-01) of ``admin_units.csv`` and writes, UTF-8 NFC with ``\\n`` line ends:

* the two national agencies (the ministry and the statistics office), scope ``VN``;
* one provincial ethnic-affairs agency per current province, ``BDT-<province code>``, scope that province;
* the health and education departments (``SYT-…``, ``SGDDT-…``) of a few provinces with large ethnic-minority
  populations, so that department-level access can be exercised end to end.

Agency types are codes of the ``agency`` list in ``code_lists.csv``. Like the indicators, this is a starter list:
administrators register the real agencies.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "dantoc_catalog" / "data"
DEPARTMENT_PROVINCES = ("08", "11", "14", "52")  # Tuyên Quang, Điện Biên, Sơn La, Gia Lai
NATIONAL = [
    ("BDTTG", "Bộ Dân tộc và Tôn giáo", "Ministry of Ethnic and Religious Affairs", "BDTTG", "VN"),
    ("CTK", "Cục Thống kê", "National Statistics Office", "CTK", "VN"),
]
DEPARTMENTS = [
    ("SYT", "Sở Y tế", "Department of Health"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "Department of Education and Training"),
]


def current_provinces() -> list[tuple[str, str, str]]:
    with (DATA / "admin_units.csv").open(encoding="utf-8", newline="") as handle:
        return [
            (row["code"], row["type"], row["name"])
            for row in csv.DictReader(handle)
            if row["level"] == "province" and row["valid_from"] == "2025-07-01"
        ]


def rows() -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = list(NATIONAL)
    for code, unit_type, name in current_provinces():
        where_vi = f"{unit_type.lower()} {name}"
        where_en = f"{name} {'city' if unit_type == 'Thành phố' else 'province'}"
        found.append(
            (f"BDT-{code}", f"Cơ quan công tác dân tộc {where_vi}", f"Ethnic affairs agency of {where_en}", "BDT", code)
        )
        if code in DEPARTMENT_PROVINCES:
            for kind, name_vi, name_en in DEPARTMENTS:
                found.append((f"{kind}-{code}", f"{name_vi} {where_vi}", f"{name_en} of {where_en}", kind, code))
    return found


def main() -> None:
    with (DATA / "agencies.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name_vi", "name_en", "agency_type", "scope_unit_code"])
        for row in rows():
            writer.writerow([unicodedata.normalize("NFC", cell) for cell in row])


if __name__ == "__main__":
    main()
