"""Reading numbers as officials type them: `1234`, `1 234`, `12.5`, `12,5`, `1.234,5` (Vietnamese), `1,234.5`."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")  # 1.520 or 12.345.678: Vietnamese thousands separators
_SPACES = str.maketrans("", "", " \u00a0\u202f\t")


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
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
