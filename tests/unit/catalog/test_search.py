"""Accent-insensitive search over Vietnamese names."""

from __future__ import annotations

import pytest

from dantoc_catalog.domain.search import fold, matches


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Dân tộc", "dan toc"), ("ĐIỀU TRA", "dieu tra"), ("H'mông  (Mèo)", "h'mong (meo)"), ("Khơ-me", "kho-me")],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("query", "found"),
    [("dan toc", True), ("DÂN TỘC", True), ("toc dan", True), ("thieu so", True), ("ho ngheo", False), ("", True)],
)
def test_matches_every_word_anywhere(query: str, found: bool) -> None:
    assert matches(query, ["Dân số người dân tộc thiểu số", "Ethnic minority population"]) is found
