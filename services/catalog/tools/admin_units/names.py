"""Official names and codes: split "Xã Tân Lập" into name and unit type, check code shapes (pure).

The rules (prefix taken as authoritative over the db type column, digit-led names kept whole, a lower-case
first letter upper-cased, whitespace collapsed, NFC) are explained in ``build_admin_units.py``.
"""

from __future__ import annotations

import re
import unicodedata

from .model import DataError

# Canonical spelling of the unit types, longest first for prefix matching.
UNIT_TYPES = sorted(
    ["Tỉnh", "Thành phố", "Quận", "Huyện", "Thị xã", "Xã", "Phường", "Thị trấn", "Đặc khu"],
    key=len,
    reverse=True,
)
CODE_LEN = {"province": 2, "district": 3, "commune": 5}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text).strip())


def split_type_prefix(full: str, where: str) -> tuple[str, str]:
    """Return (canonical unit type, rest of the name) of an NFC full name, matching the prefix case-insensitively."""
    for unit_type in UNIT_TYPES:
        prefix = unit_type + " "
        if full.casefold().startswith(prefix.casefold()):
            return unit_type, full[len(prefix) :].strip()
    raise DataError(f"{where}: cannot find a unit type prefix in {full!r}")


def split_name(full: str, db_type: str | None, where: str, warnings: list[str]) -> tuple[str, str]:
    """Split an official full name into (name, type)."""
    full = nfc(full)
    unit_type, rest = split_type_prefix(full, where)
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
