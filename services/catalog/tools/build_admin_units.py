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
The code lives in the package ``admin_units/`` next to this script (one module per
step, see its ``__init__``); it only uses the standard library and imports nothing
else from the repo.

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

import sys
from pathlib import Path

# The code is the package ``admin_units/`` next to this script, imported by the same name mypy and the tests use.
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from services.catalog.tools.admin_units.cli import main

if __name__ == "__main__":
    sys.exit(main())
