#!/usr/bin/env python3
"""Build the committed administrative-unit data files of ``dantoc_catalog``.

Usage (from the repository root)::

    python services/catalog/tools/build_admin_units.py [--package-dir DIR] [--out-dir DIR]

Without ``--package-dir`` the script runs
``python -m pip download --no-deps --only-binary :all: vietnamadminunits==1.0.4``
into a temporary directory, checks the wheel's SHA-256 and unpacks it.
``--package-dir`` may instead point to an already unpacked wheel (the
directory holding ``vietnamadminunits/`` and ``vietnamadminunits-1.0.4.dist-info/``),
to the ``vietnamadminunits`` package directory itself (e.g. inside a
site-packages with the dist-info next to it), or to the ``.whl`` file.
The script only uses the standard library and imports nothing from the repo.

Outputs (default ``services/catalog/src/dantoc_catalog/data/``), all UTF-8,
Unicode NFC, ``\\n`` line endings, deterministically sorted:

* ``admin_units.csv`` -- ``code,level,name,type,parent_code,valid_from,valid_to``
  Legacy map (63 provinces / districts / communes, ``valid_to`` 2025-06-30)
  followed by the current map (34 provinces / communes, ``valid_from``
  2025-07-01); inside a map sorted by level (province, district, commune)
  then code.
* ``commune_conversion_2025.csv`` -- ``old_code,new_code,kind,area_share``
* ``province_conversion_2025.csv`` -- ``old_code,new_code``
* ``LICENSE-vietnamadminunits.txt`` -- the package's MIT licence, verbatim.

Source: ``vietnamadminunits`` 1.0.4 (PyPI, MIT, (c) 2025 Tran Ngoc Minh Hieu,
https://github.com/tranngocminhhieu/vietnamadminunits). Only a wheel is
published (no sdist).

What the package contains (explored for version 1.0.4)
------------------------------------------------------
``vietnamadminunits/data/dataset.db`` (SQLite), two tables:

* ``admin_units_legacy`` -- the 63-province map, 10,040 rows, one row per
  commune (``ward*`` columns) with its district (``district*``) and province
  (``province*``) repeated on every row. Columns used here:
  ``province`` (full name, e.g. "Tỉnh Hà Giang"), ``provinceCode`` (2 digits),
  ``district`` (full name, e.g. "Huyện Đồng Văn"), ``districtType``
  (Quận/Huyện/Thị xã/Thành phố), ``districtCode`` (3 digits), ``ward``
  (full name), ``wardType`` (Xã/Phường/Thị trấn), ``wardCode`` (5 digits),
  and the ``provinceKey``/``districtKey``/``wardKey`` slugs that the converter
  JSON uses as identifiers. ``*Short`` columns are names without the type,
  but they carry parser disambiguators ("Yên Viên (Thị trấn)", "Kỳ Anh
  (Huyện)"), so they are NOT used. Other columns (lat/lon, bounding boxes,
  geocoder addresses, aliases, keyword lists, "*Duplicated" flags) are parser
  helpers and are ignored. 5 rows have ``ward``/``wardCode`` NULL: the island
  districts without communes (Bạch Long Vĩ 318, Cồn Cỏ 471, Hoàng Sa 498,
  Lý Sơn 536, Côn Đảo 755). So: 63 provinces, 696 districts, 10,035 communes.
  There is no province-type column (the type is the prefix of ``province``)
  and no area column.
* ``admin_units`` -- the 34-province map, 3,321 rows, one per commune:
  ``province``, ``provinceCode``, ``ward``, ``wardType`` (Xã/Phường/Đặc khu),
  ``wardCode``, ``wardAreaKm2`` (area of the new commune; NULL for 2),
  keys/aliases/keywords/lat/lon as above.

``vietnamadminunits/data/converter_2025.json`` (used by ``convert_address``):

* ``DICT_PROVINCE``: new provinceKey -> list of old provinceKeys (63 old
  provinces, each in exactly one list) -> ``province_conversion_2025.csv``.
* ``DICT_PROVINCE_WARD_NO_DIVIDED``: new provinceKey -> new wardKey -> list of
  old "provinceKey_districtKey_wardKey" strings: old communes that went
  *whole* into that new commune. It also lists the 5 commune-less island
  districts with an empty ward part ("thanhphodanang_huyenhoangsa_"), each
  mapped to an Đặc khu; these are districts, not communes, so they get no
  commune-conversion row (they are printed in the report).
* ``DICT_PROVINCE_WARD_DIVIDED``: new provinceKey -> old key -> list of
  ``{newWardKey, isDefaultNewWard, newWardLat, newWardLon, newWardAreaKm2}``:
  old communes *split* between 2-5 new communes. ``newWardAreaKm2`` is the
  area of the whole NEW commune (identical to ``admin_units.wardAreaKm2`` for
  every one of the 1,033 entries), NOT the area of the part taken from the old
  commune, and the old communes' areas are not in the package. So no area
  share can be derived: ``area_share`` is left empty for all partial rows.
  ``isDefaultNewWard`` marks the one new commune the package's address
  converter picks when it has no street-level location; it is not exported.
  Every old commune key (and every new commune) appears exactly once across
  the two dicts.

The other files (``parser_legacy.json``, ``parser_from_2025.json``) are the
address parser's lookup tables (same names/codes as the db) and are not used.

Normalisation rules applied
---------------------------
* ``type`` comes from the prefix of the full official name, matched
  case-insensitively against the known unit types (the data has e.g.
  "Thành Phố Bắc Kạn", "Thị Trấn Ái Tử") and written in canonical case. The
  type column of the db disagrees with the name prefix for 7 units (legacy
  15061 "Thị trấn Ngọc Lặc" typed Xã; 27046 "Phường 5" and 27076 "Phường 15"
  typed Xã; current 10543 "Phường Việt Hòa" / 11848 "Xã Vĩnh Hòa" and
  31213 "Phường Tân Lộc" / 31299 "Xã Phong Điền" have their types swapped);
  the name prefix is taken as authoritative and every disagreement is printed.
  District-level cities keep the data's type "Thành phố" (the data does not
  distinguish "Thành phố thuộc tỉnh").
* ``name`` is the full name without the type prefix, except when the rest
  starts with a digit ("Phường 1", "Quận 10", "Phường 1 Bảo Lộc"): then the
  full name is kept, as the package's own short names do.
* A lower-case first letter of a name is upper-cased (one case: 03742
  "Xã é Tòng" -> "É Tòng"). Whitespace is collapsed; everything is NFC.
"""

from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import io
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

PACKAGE = "vietnamadminunits"
VERSION = "1.0.4"
WHEEL_NAME = f"{PACKAGE}-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "737ee3662e877290386c1c45ed4d71f2e5fae34ab6fb9c64bfb4cb74b216ea35"

LEGACY_VALID_TO = "2025-06-30"
CURRENT_VALID_FROM = "2025-07-01"

DEFAULT_OUT_DIR = Path(__file__).resolve().parents[1] / "src" / "dantoc_catalog" / "data"

# Canonical spelling of the unit types, longest first for prefix matching.
UNIT_TYPES = sorted(
    ["Tỉnh", "Thành phố", "Quận", "Huyện", "Thị xã", "Xã", "Phường", "Thị trấn", "Đặc khu"],
    key=len,
    reverse=True,
)
LEVEL_RANK = {"province": 0, "district": 1, "commune": 2}
CODE_LEN = {"province": 2, "district": 3, "commune": 5}

ADMIN_HEADER = ["code", "level", "name", "type", "parent_code", "valid_from", "valid_to"]
CONV_HEADER = ["old_code", "new_code", "kind", "area_share"]
PROV_CONV_HEADER = ["old_code", "new_code"]


# (map, level, code) -> row; (old_code, new_code) -> (kind, area_share)
Units = dict[tuple[str, str, str], dict[str, str]]
Pairs = dict[tuple[str, str], tuple[str, str]]


class DataError(Exception):
    pass


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text).strip())


def split_name(full: str, db_type: str | None, where: str, warnings: list[str]) -> tuple[str, str]:
    """Split an official full name into (name, type)."""
    full = nfc(full)
    for unit_type in UNIT_TYPES:
        prefix = unit_type + " "
        if full.casefold().startswith(prefix.casefold()):
            rest = full[len(prefix) :].strip()
            break
    else:
        raise DataError(f"{where}: cannot find a unit type prefix in {full!r}")
    if db_type is not None and nfc(db_type).casefold() != unit_type.casefold():
        warnings.append(f"{where} {full!r}: db type {db_type!r} disagrees with name prefix; using {unit_type!r}")
    if rest[:1].isdigit():
        name = f"{unit_type} {rest}"
    else:
        name = rest
        if name[:1].islower():
            warnings.append(f"{where} {full!r}: first letter upper-cased")
            name = name[:1].upper() + name[1:]
    return nfc(name), unit_type


def check_code(code: str | None, level: str, where: str) -> str:
    if code is None or not re.fullmatch(rf"\d{{{CODE_LEN[level]}}}", code):
        raise DataError(f"{where}: bad {level} code {code!r}")
    return code


# --------------------------------------------------------------------------
# Locating the package
# --------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def unpack_wheel(wheel: Path, dest: Path) -> Path:
    digest = sha256(wheel)
    if wheel.name == WHEEL_NAME and digest != WHEEL_SHA256:
        raise DataError(f"{wheel}: sha256 {digest} != expected {WHEEL_SHA256}")
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(dest)
    return dest


def download_wheel(dest: Path) -> Path:
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary",
        ":all:",
        "--disable-pip-version-check",
        "-q",
        "-d",
        str(dest),
        f"{PACKAGE}=={VERSION}",
    ]
    print("running:", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)
    wheel = dest / WHEEL_NAME
    if not wheel.is_file():
        raise DataError(f"pip did not produce {wheel}")
    return wheel


def find_package(root: Path) -> tuple[Path, Path]:
    """Return (data dir, licence file) for an unpacked wheel / package dir."""
    candidates = [root / PACKAGE, root]
    pkg = next((c for c in candidates if (c / "data" / "dataset.db").is_file()), None)
    if pkg is None:
        raise DataError(f"{root}: no {PACKAGE}/data/dataset.db found")
    dist_infos = [pkg.parent / f"{PACKAGE}-{VERSION}.dist-info"]
    for dist_info in dist_infos:
        for lic in (dist_info / "licenses" / "LICENSE", dist_info / "LICENSE"):
            if lic.is_file():
                meta = (dist_info / "METADATA").read_text(encoding="utf-8")
                if f"\nVersion: {VERSION}\n" not in meta:
                    raise DataError(f"{dist_info}: METADATA is not version {VERSION}")
                return pkg / "data", lic
    raise DataError(f"no {PACKAGE}-{VERSION}.dist-info with a LICENSE next to {pkg}")


# --------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------


def build(data_dir: Path, warnings: list[str]) -> tuple[Units, Pairs, dict[str, str], list[tuple[str, str]]]:
    con = sqlite3.connect(f"file:{data_dir / 'dataset.db'}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row

    # rows: key (map, level, code) -> dict
    units: Units = {}

    def add(map_: str, level: str, code: str, name: str, type_: str, parent: str) -> None:
        key = (map_, level, code)
        row = {
            "code": code,
            "level": level,
            "name": name,
            "type": type_,
            "parent_code": parent,
            "valid_from": "" if map_ == "legacy" else CURRENT_VALID_FROM,
            "valid_to": LEGACY_VALID_TO if map_ == "legacy" else "",
        }
        if key in units:
            if units[key] != row:
                raise DataError(f"conflicting rows for {key}: {units[key]} vs {row}")
            return
        units[key] = row

    legacy_key_to_code: dict[str, str] = {}  # "prov_dist_ward" -> commune code
    commune_less_districts: dict[str, str] = {}  # "prov_dist_" -> district code
    legacy_prov_key: dict[str, str] = {}
    legacy_rows = con.execute(
        "SELECT province, provinceCode, provinceKey, district, districtType, districtCode, districtKey,"
        " ward, wardType, wardCode, wardKey FROM admin_units_legacy"
    ).fetchall()
    for r in legacy_rows:
        pcode = check_code(r["provinceCode"], "province", "legacy")
        name, type_ = split_name(r["province"], None, f"legacy province {pcode}", warnings)
        add("legacy", "province", pcode, name, type_, "")
        if legacy_prov_key.setdefault(r["provinceKey"], pcode) != pcode:
            raise DataError(f"legacy province key {r['provinceKey']} has two codes")
        dcode = check_code(r["districtCode"], "district", "legacy")
        name, type_ = split_name(r["district"], r["districtType"], f"legacy district {dcode}", warnings)
        add("legacy", "district", dcode, name, type_, pcode)
        if r["ward"] is None and r["wardCode"] is None:
            commune_less_districts[f"{r['provinceKey']}_{r['districtKey']}_"] = dcode
            continue
        wcode = check_code(r["wardCode"], "commune", "legacy")
        name, type_ = split_name(r["ward"], r["wardType"], f"legacy commune {wcode}", warnings)
        if ("legacy", "commune", wcode) in units:
            raise DataError(f"legacy commune code {wcode} occurs twice")
        add("legacy", "commune", wcode, name, type_, dcode)
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"
        if key in legacy_key_to_code:
            raise DataError(f"legacy key {key} is not unique")
        legacy_key_to_code[key] = wcode

    current_key_to_code: dict[tuple[str, str], str] = {}
    current_prov_key: dict[str, str] = {}
    for r in con.execute(
        "SELECT province, provinceCode, provinceKey, ward, wardType, wardCode, wardKey FROM admin_units"
    ).fetchall():
        pcode = check_code(r["provinceCode"], "province", "current")
        name, type_ = split_name(r["province"], None, f"current province {pcode}", warnings)
        add("current", "province", pcode, name, type_, "")
        if current_prov_key.setdefault(r["provinceKey"], pcode) != pcode:
            raise DataError(f"current province key {r['provinceKey']} has two codes")
        wcode = check_code(r["wardCode"], "commune", "current")
        name, type_ = split_name(r["ward"], r["wardType"], f"current commune {wcode}", warnings)
        if ("current", "commune", wcode) in units:
            raise DataError(f"current commune code {wcode} occurs twice")
        add("current", "commune", wcode, name, type_, pcode)
        ckey = (r["provinceKey"], r["wardKey"])
        if ckey in current_key_to_code:
            raise DataError(f"current key {ckey} is not unique")
        current_key_to_code[ckey] = wcode
    con.close()

    # ---- conversion ----------------------------------------------------
    conv = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
    expected = {"DICT_PROVINCE", "DICT_PROVINCE_WARD_NO_DIVIDED", "DICT_PROVINCE_WARD_DIVIDED"}
    if set(conv) != expected:
        raise DataError(f"converter_2025.json keys {sorted(conv)} != {sorted(expected)}")

    prov_pairs: dict[str, str] = {}
    for new_pkey, old_pkeys in conv["DICT_PROVINCE"].items():
        new_code = current_prov_key[new_pkey]
        for old_pkey in old_pkeys:
            old_code = legacy_prov_key[old_pkey]
            if prov_pairs.setdefault(old_code, new_code) != new_code:
                raise DataError(f"old province {old_code} maps to two new provinces")

    pairs: Pairs = {}
    seen_old: dict[str, str] = {}
    island_districts: list[tuple[str, str]] = []

    def old_code_of(old_key: str) -> str | None:
        if old_key in legacy_key_to_code:
            return legacy_key_to_code[old_key]
        if old_key in commune_less_districts:
            return None
        raise DataError(f"unknown old key {old_key}")

    def new_code_of(pkey: str, wkey: str) -> str:
        try:
            return current_key_to_code[(pkey, wkey)]
        except KeyError:
            raise DataError(f"unknown new commune {pkey}/{wkey}") from None

    for new_pkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            new_code = new_code_of(new_pkey, new_wkey)
            for old_key in old_keys:
                if old_key in seen_old:
                    raise DataError(f"old key {old_key} listed twice")
                seen_old[old_key] = "whole"
                whole_old = old_code_of(old_key)
                if whole_old is None:
                    island_districts.append((commune_less_districts[old_key], new_code))
                    continue
                pairs[(whole_old, new_code)] = ("whole", "1")
    for new_pkey, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in olds.items():
            if old_key in seen_old:
                raise DataError(f"old key {old_key} listed twice")
            seen_old[old_key] = "partial"
            split_old = old_code_of(old_key)
            if split_old is None:
                raise DataError(f"commune-less district {old_key} is divided")
            new_codes = {new_code_of(new_pkey, p["newWardKey"]) for p in parts}
            if len(new_codes) != len(parts) or len(parts) < 2:
                raise DataError(f"{old_key}: odd division {parts}")
            # newWardAreaKm2 is the area of the whole new commune, not of the
            # part cut from the old commune -> no share can be computed.
            for new_code in new_codes:
                pairs[(split_old, new_code)] = ("partial", "")

    return units, pairs, prov_pairs, island_districts


# --------------------------------------------------------------------------
# Validation and writing
# --------------------------------------------------------------------------


def validate(
    units: Units, pairs: Pairs, prov_pairs: dict[str, str], island_districts: list[tuple[str, str]]
) -> list[str]:
    report: list[str] = []
    by_map: dict[str, dict[str, set[str]]] = collections.defaultdict(lambda: collections.defaultdict(set))
    for map_, level, code in units:
        by_map[map_][level].add(code)
    for (map_, level, code), row in units.items():
        parent = row["parent_code"]
        if level == "province":
            if parent:
                raise DataError(f"{map_} province {code} has a parent")
            continue
        parent_level = "province" if (level == "district" or map_ == "current") else "district"
        if parent not in by_map[map_][parent_level]:
            raise DataError(f"{map_} {level} {code}: parent {parent_level} {parent!r} missing")
    if by_map["current"].get("district"):
        raise DataError("current map has districts")
    for map_ in ("legacy", "current"):
        counts = {lvl: len(by_map[map_].get(lvl, ())) for lvl in LEVEL_RANK if by_map[map_].get(lvl)}
        report.append(f"{map_}: " + ", ".join(f"{lvl}={n}" for lvl, n in counts.items()))
        types = collections.Counter((row["level"], row["type"]) for (m, _, _), row in units.items() if m == map_)
        report.append("  types: " + ", ".join(f"{lv}/{t}={n}" for (lv, t), n in sorted(types.items())))

    legacy_communes = by_map["legacy"]["commune"]
    current_communes = by_map["current"]["commune"]
    for old_code, new_code in pairs:
        if old_code not in legacy_communes:
            raise DataError(f"conversion old_code {old_code} is not a legacy commune")
        if new_code not in current_communes:
            raise DataError(f"conversion new_code {new_code} is not a current commune")
    for old_code, new_code in prov_pairs.items():
        if old_code not in by_map["legacy"]["province"] or new_code not in by_map["current"]["province"]:
            raise DataError(f"province conversion {old_code}->{new_code} has an unknown code")

    per_old = collections.defaultdict(list)
    for (old_code, new_code), (kind, share) in pairs.items():
        per_old[old_code].append((new_code, kind, share))
    unmapped = sorted(legacy_communes - set(per_old))
    partial_groups = {o: v for o, v in per_old.items() if v[0][1] == "partial"}
    with_area = {o: v for o, v in partial_groups.items() if all(s for _, _, s in v)}
    bad_sums = [o for o, v in with_area.items() if abs(sum(float(s) for _, _, s in v) - 1) > 1e-3]
    new_without_source = sorted(current_communes - {n for _, n in pairs} - {n for _, n in island_districts})
    report.append(
        f"commune conversion: {len(pairs)} rows; {len(per_old)} of {len(legacy_communes)} legacy communes mapped; "
        f"{len(unmapped)} without a row{(' ' + ','.join(unmapped[:20])) if unmapped else ''}"
    )
    report.append(
        f"  whole: {len(per_old) - len(partial_groups)} communes; partial: {len(partial_groups)} communes "
        f"-> {sum(len(v) for v in partial_groups.values())} rows "
        f"(split into n parts: {dict(sorted(collections.Counter(len(v) for v in partial_groups.values()).items()))})"
    )
    report.append(
        f"  partial groups with areas: {len(with_area)}; of those with shares not summing to 1: {len(bad_sums)}"
    )
    report.append(f"  current communes with no legacy source commune: {len(new_without_source)} {new_without_source}")
    report.append(
        "  commune-less legacy districts mapped to a current commune (no row, not a commune): "
        + ", ".join(f"{d}->{n}" for d, n in sorted(island_districts))
    )
    report.append(f"province conversion: {len(prov_pairs)} old provinces -> {len(set(prov_pairs.values()))} new")

    # code reuse between the two maps
    reused = legacy_communes & current_communes
    own_source = sum(1 for c in current_communes if (c, c) in pairs)
    report.append(
        f"code reuse: {len(reused)} of {len(current_communes)} current commune codes are also legacy commune codes "
        f"({own_source} of them map from the legacy commune with the same code); "
        f"current province codes reused from legacy: "
        f"{len(by_map['current']['province'] & by_map['legacy']['province'])}/{len(by_map['current']['province'])}"
    )
    return report


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([nfc(v) for v in row])
    path.write_bytes(buf.getvalue().encode("utf-8"))


def write_outputs(out_dir: Path, units: Units, pairs: Pairs, prov_pairs: dict[str, str], licence: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    map_rank = {"legacy": 0, "current": 1}
    keys = sorted(units, key=lambda k: (map_rank[k[0]], LEVEL_RANK[k[1]], k[2]))
    write_csv(out_dir / "admin_units.csv", ADMIN_HEADER, [[units[k][c] for c in ADMIN_HEADER] for k in keys])
    write_csv(
        out_dir / "commune_conversion_2025.csv",
        CONV_HEADER,
        [[o, n, kind, share] for (o, n), (kind, share) in sorted(pairs.items())],
    )
    write_csv(
        out_dir / "province_conversion_2025.csv", PROV_CONV_HEADER, [[o, n] for o, n in sorted(prov_pairs.items())]
    )
    text = licence.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text).rstrip("\n") + "\n"
    (out_dir / "LICENSE-vietnamadminunits.txt").write_bytes(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--package-dir", type=Path, help="unpacked vietnamadminunits wheel (or the .whl file)")
    ap.add_argument(
        "--out-dir", type=Path, default=DEFAULT_OUT_DIR, help=f"output directory (default {DEFAULT_OUT_DIR})"
    )
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="vau-") as tmp:
        tmp_path = Path(tmp)
        if args.package_dir is None:
            root = unpack_wheel(download_wheel(tmp_path / "dl"), tmp_path / "pkg")
        elif args.package_dir.is_file() and args.package_dir.suffix == ".whl":
            root = unpack_wheel(args.package_dir, tmp_path / "pkg")
        else:
            root = args.package_dir
        data_dir, licence = find_package(root)
        warnings: list[str] = []
        try:
            units, pairs, prov_pairs, islands = build(data_dir, warnings)
            report = validate(units, pairs, prov_pairs, islands)
        except DataError as exc:
            print(f"ERROR: {exc}", file=sys.stderr)
            return 1
        write_outputs(args.out_dir, units, pairs, prov_pairs, licence)

    for w in sorted(set(warnings)):
        print("note:", w)
    for line in report:
        print(line)
    print(f"written to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
