"""Spreadsheet cells that cannot run: the contracts' rule (`dantoc_contracts.cells`) for the gateway's exports.

Numbers stay numbers (a negative figure is a number, not text); formula-like text is neutralised in CSV and stored
as text in XLSX.
"""

from __future__ import annotations

from dantoc_contracts.cells import is_formula_like
from dantoc_contracts.cells import neutralised as neutral_text

__all__ = ["is_formula_like", "neutral_text"]
