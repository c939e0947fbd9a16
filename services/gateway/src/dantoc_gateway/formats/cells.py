"""Spreadsheet cells that cannot run: text a spreadsheet would read as a formula is neutralised (CSV, XLSX).

Text starting with `=`, `+`, `-`, `@`, a tab or a carriage return (a label published in the catalog, a query echoed
in a subtitle) is a formula to Excel and LibreOffice. Such text gets a leading apostrophe in CSV and is stored as
text in XLSX; numbers stay numbers (a negative figure is a number, not text).
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutral_text(value: Any) -> Any:
    """The CSV cell: formula-like text with a leading apostrophe; everything else as it is."""
    return "'" + value if is_formula_like(value) else value
