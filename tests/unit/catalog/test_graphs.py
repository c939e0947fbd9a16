"""Cycle detection in small literal graphs."""

from __future__ import annotations

import pytest

from dantoc_catalog.domain.graphs import find_cycles


@pytest.mark.parametrize(
    ("edges", "cycles"),
    [
        ({}, []),
        ({"a": {"b"}, "b": {"c"}}, []),
        ({"a": {"a"}}, [["a"]]),
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b", "c"}, "b": {"d"}, "c": {"d"}}, []),  # a diamond is not a cycle
        ({"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"c"}}, [["a", "b"], ["c", "d"]]),
        ({"x": {"missing"}}, []),
    ],
)
def test_find_cycles(edges: dict[str, set[str]], cycles: list[list[str]]) -> None:
    assert find_cycles(edges) == cycles


def test_a_long_chain_does_not_overflow() -> None:
    chain = {str(i): {str(i + 1)} for i in range(20_000)}
    assert find_cycles(chain) == []
    chain["20000"] = {"0"}
    assert len(find_cycles(chain)[0]) == 20_001
