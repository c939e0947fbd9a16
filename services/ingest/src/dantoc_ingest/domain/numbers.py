"""Reading numbers as officials type them: `1234`, `1 234`, `12.5`, `12,5`, `1.234,5` (Vietnamese), `1,234.5`.

Exponent notation (`1e5`, `1E+999`) is not read from people: it is refused (`is_exponent_text` tells why), so a
typo or a hostile value cannot become a number no column or sum can hold. Every number read is then checked
against the contracts' bounds (`dantoc_contracts.bounds.decimal_problem`) by the value checks."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")  # 1.520 or 12.345.678: Vietnamese thousands separators
_SPACES = str.maketrans("", "", " \u00a0\u202f\t")
_EXPONENT = re.compile(r"^[+-]?[\d.,]*\d[\d.,]*[eE][+-]?\d+$")


def is_exponent_text(raw: object) -> bool:
    """True for text in exponent notation (`1e5`, `-2.5E+3`): refused from people."""
    return isinstance(raw, str) and bool(_EXPONENT.match(raw.translate(_SPACES)))


def parse_number(raw: object, *, whole: bool = False) -> Decimal | None:
    """The number `raw` denotes, or None when it is not one (booleans, NaN and infinities are not numbers).

    With `whole` (an integer indicator), text like `1.520` is read as 1520: dots grouping thousands.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, Decimal):
        return raw if raw.is_finite() else None
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw)) if raw == raw and abs(raw) != float("inf") else None
    if isinstance(raw, str):
        if is_exponent_text(raw):
            return None
        text = raw.translate(_SPACES)
        return _parse_text(text.replace(".", "") if whole and _THOUSANDS.match(text) else text)
    return None


def _parse_text(text: str) -> Decimal | None:
    cleaned = text.translate(_SPACES)
    if "," in cleaned:
        if "." in cleaned and cleaned.rfind(".") > cleaned.rfind(","):
            cleaned = cleaned.replace(",", "")  # 1,234.5
        else:
            cleaned = cleaned.replace(".", "").replace(",", ".")  # 1.234,5 or 12,5
    if not cleaned or any(c not in "0123456789.+-" for c in cleaned):
        return None  # no exponent, no other script's digits, no words (Decimal() would take 'Infinity', '١')
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
