"""The one rule for spreadsheet cells that cannot run (formula injection)."""

from __future__ import annotations

from typing import Any

import pytest

from dantoc_contracts.cells import is_formula_like, neutralised, restored


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("-100", "-100"),
        ("+2.5", "+2.5"),
        ("-0.000001", "-0.000001"),
        ("-1e5", "'-1e5"),
        ("Cao Bằng", "Cao Bằng"),
        ("'=already", "'=already"),
        ("", ""),
        (12, 12),
        (None, None),
    ],
)
def test_neutralised(value: Any, expected: Any) -> None:
    assert neutralised(value) == expected


@pytest.mark.parametrize("text", ["=1+1", "-2+3", "@x", "\t=1", "-100", "'quoted", "'-100", "plain", ""])
def test_restored_undoes_neutralised(text: str) -> None:
    assert restored(neutralised(text)) == text


@pytest.mark.parametrize(("value", "expected"), [("=A1", True), ("-5", False), ("-5-5", True), (5, False)])
def test_is_formula_like(value: Any, expected: bool) -> None:
    assert is_formula_like(value) is expected
