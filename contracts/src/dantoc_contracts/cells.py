"""Spreadsheet cells that cannot run (formula injection), for every export and template of every service.

Text starting with `=`, `+`, `-`, `@`, a tab or a carriage return (a label from the catalog, a stored reason, a
query echoed in a title) is a formula to Excel and LibreOffice. In CSV such text gets a leading apostrophe, which
`restored` removes again on import; in XLSX it is stored as a text cell. A plain number written as text (`-100`,
`+2.5`) is a number to a spreadsheet, never a formula, and stays as it is.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def is_formula_like(value: Any) -> bool:
    """Text a spreadsheet would read as the start of a formula (a plain signed number is not)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value)


def neutralised(value: Any) -> Any:
    """The CSV cell: formula-like text with a leading apostrophe; everything else as it is."""
    return "'" + value if is_formula_like(value) else value


def restored(cell: str) -> str:
    """The inverse of `neutralised` for a cell read back from CSV, so that an exported file imports unchanged."""
    return cell[1:] if cell.startswith("'") and is_formula_like(cell[1:]) else cell
