"""The output files: UTF-8, NFC, ``\\n`` line endings, deterministically sorted (I/O around pure row builders)."""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from .model import LEVEL_RANK, Built
from .names import nfc

ADMIN_HEADER = ["code", "level", "name", "type", "parent_code", "valid_from", "valid_to"]
CONV_HEADER = ["old_code", "new_code", "kind", "area_share"]
PROV_CONV_HEADER = ["old_code", "new_code"]
MAP_RANK = {"legacy": 0, "current": 1}


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([nfc(v) for v in row])
    return buf.getvalue()


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.write_bytes(csv_text(header, rows).encode("utf-8"))


def admin_rows(built: Built) -> list[list[str]]:
    """Legacy map, then current map; inside a map by level (province, district, commune), then code."""
    keys = sorted(built.units, key=lambda k: (MAP_RANK[k[0]], LEVEL_RANK[k[1]], k[2]))
    return [[built.units[k][c] for c in ADMIN_HEADER] for k in keys]


def licence_text(raw: str) -> str:
    """The licence verbatim, with ``\\n`` line endings, NFC and one final newline."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).rstrip("\n") + "\n"


def write_outputs(out_dir: Path, built: Built, licence: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    write_csv(out_dir / "admin_units.csv", ADMIN_HEADER, admin_rows(built))
    write_csv(
        out_dir / "commune_conversion_2025.csv",
        CONV_HEADER,
        [[o, n, kind, share] for (o, n), (kind, share) in sorted(built.pairs.items())],
    )
    write_csv(
        out_dir / "province_conversion_2025.csv",
        PROV_CONV_HEADER,
        [[o, n] for o, n in sorted(built.prov_pairs.items())],
    )
    text = licence_text(licence.read_text(encoding="utf-8"))
    (out_dir / "LICENSE-vietnamadminunits.txt").write_bytes(text.encode("utf-8"))
