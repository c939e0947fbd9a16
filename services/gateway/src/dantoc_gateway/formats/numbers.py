"""Decimal text from the read model as JSON numbers and spreadsheet cells."""

from __future__ import annotations


def number(text: str | None) -> int | float | None:
    """`"12"` → 12, `"35.5"` → 35.5; None stays None (no figure)."""
    if text is None:
        return None
    if "." in text or "e" in text or "E" in text:
        return float(text)
    return int(text)
