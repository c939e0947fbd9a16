"""What is valid, defined once: decimal bounds, text widths and code patterns that every service and table agrees on.

Every number a person or a system sends is checked against these bounds at the edge (ingest, catalog), and again
where a message is read (so a message that did not come through the edge is set aside, never applied). The bounds
are chosen so that any sum of up to ten million values still fits the 28 significant digits of the aggregate's
decimal arithmetic and every database column.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

MAX_INTEGER_DIGITS = 15
"""A reported value is below 10^15 in magnitude (a quadrillion: budgets are reported in million VND)."""
MAX_FRACTION_DIGITS = 6
"""At most six digits after the decimal point (trailing zeros do not count)."""
MAX_SIGNIFICANT_DIGITS = MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS
VALUE_LIMIT = Decimal(10) ** MAX_INTEGER_DIGITS
DECIMAL_TEXT_WIDTH = 64
"""Width of every column that stores a decimal as text (a value, an aggregate, a numerator, a bound)."""

# Widths of text fields, the same in every message, API and table.
SUBMISSION_ID_WIDTH = 100
AGENCY_CODE_WIDTH = 40
UNIT_CODE_WIDTH = 5
PERIOD_WIDTH = 7
INDICATOR_CODE_WIDTH = 4
CODE_WIDTH = 40
"""A code in a code list (sex, age group, residence, agency type, ...)."""
DISAGGREGATION_KEY_WIDTH = 100
NO_DATA_REASON_WIDTH = 500
COMMENT_WIDTH = 2000
LABEL_WIDTH = 300
"""A name or label (indicator, unit, code, agency), in either language."""
SUBMITTED_BY_WIDTH = 200

# Bounds on what one message carries, so that no event exceeds what the broker and producer accept.
MAX_MESSAGE_BYTES = 4 * 1024 * 1024
"""The broker's `message.max.bytes` (and every topic's `max.message.bytes`) and the producers' `max_request_size`."""
MAX_PROBLEMS_IN_EVENT = 100
"""A rejection event lists the first problems and the total count."""
MAX_VALUES_PER_SUBMISSION = 10_000
"""One submission is one unit and period: at most this many cells (every breakdown of 78 indicators fits)."""

DIGITS = "0123456789"
_DIGITS_ONLY = re.compile(r"[0-9]+\Z")


def ascii_digits(text: str, length: int | None = None) -> bool:
    """True when `text` is ASCII digits only (no other script's digits, no whitespace), of `length` if given."""
    return bool(_DIGITS_ONLY.match(text)) and (length is None or len(text) == length)


def decimal_problem(value: Decimal) -> str | None:
    """Why `value` is not a valid reported number (in English, for logs and API consumers), or None when it is."""
    # Only context-free operations here: abs() or normalize() of 1E+999999999 would raise decimal.Overflow.
    if not value.is_finite():
        return "not a finite number"
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    significant = list(digits)
    while len(significant) > 1 and significant[-1] == 0 and exponent < 0:
        significant.pop()  # 1.500 has one decimal
        exponent += 1
    if any(significant) and len(significant) + exponent > MAX_INTEGER_DIGITS:
        return f"magnitude at least 10^{MAX_INTEGER_DIGITS}"
    if exponent < -MAX_FRACTION_DIGITS:
        return f"more than {MAX_FRACTION_DIGITS} digits after the decimal point"
    return None


def _check_decimal(value: Decimal) -> Decimal:
    problem = decimal_problem(value)
    if problem is not None:
        raise ValueError(
            f"{problem}: a value must be below 10^{MAX_INTEGER_DIGITS} with at most {MAX_FRACTION_DIGITS} decimals"
        )
    return value


BoundedDecimal = Annotated[
    Decimal,
    AfterValidator(_check_decimal),
    Field(
        description=(
            f"An exact decimal below 10^{MAX_INTEGER_DIGITS} in magnitude with at most {MAX_FRACTION_DIGITS} "
            "digits after the point."
        )
    ),
]

_NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
CodeText = Annotated[str, StringConstraints(min_length=1, max_length=CODE_WIDTH, pattern=r"^[A-Za-z0-9_.\-]+$")]
"""A code of a code list or an agency: ASCII letters, digits, `_`, `.`, `-`."""
IdText = Annotated[str, StringConstraints(min_length=1, max_length=SUBMISSION_ID_WIDTH, pattern=r"^[^\x00-\x20\x7f]+$")]
"""A client-chosen identifier (a submission id): no spaces or control characters."""
LineText = Annotated[str, StringConstraints(max_length=LABEL_WIDTH, pattern=_NO_CONTROL)]
"""A one-line label: no control characters."""
