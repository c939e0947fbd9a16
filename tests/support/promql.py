"""Every PromQL expression of the dashboards and rules, made checkable: "does it return at least one series
with a number?" (a histogram nobody observes gives NaN: a panel that shows nothing).

An alert expression returns nothing while the system is healthy (`up == 0`), so it cannot be checked as written.
Its comparisons are turned into `bool` comparisons (`up == bool 0` returns every `up` series, valued 0 or 1):
the expression then returns a series exactly when the metrics it watches exist. The top-level `or` of a rule
combines signals from different services, so each operand is checked on its own (a misspelt operand would
otherwise hide behind the others). Dashboard variables are replaced with fixed values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "deploy/prometheus/rules"
DASHBOARDS = REPO / "deploy/grafana/dashboards"
# A window that still holds the test's load while every expression is checked (a few minutes at most).
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__interval": "15s", "$__range": "1h"}
_COMPARISONS = ("==", "!=", ">=", "<=", ">", "<")
_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:")


@dataclass(frozen=True)
class Expression:
    origin: str  # where it comes from, for the failure message
    promql: str  # as checked


def _scan(expr: str) -> list[tuple[int, str, int]]:
    """(index, character, parenthesis depth) of every character outside strings, label braces and ranges."""
    out: list[tuple[int, str, int]] = []
    quote: str | None = None
    braces = brackets = parens = 0
    for index, char in enumerate(expr):
        if quote:
            quote = None if char == quote and expr[index - 1] != "\\" else quote
            continue
        if char in "\"'`":
            quote = char
        elif char in "{[":
            braces, brackets = braces + (char == "{"), brackets + (char == "[")
        elif char in "}]":
            braces, brackets = braces - (char == "}"), brackets - (char == "]")
        elif not braces and not brackets:
            parens += char == "("
            parens -= char == ")"
            out.append((index, char, parens))
    return out


def with_bool(expr: str) -> str:
    """Every comparison outside label matchers becomes a `bool` comparison (unless it already is)."""
    visible = {index for index, _, _ in _scan(expr)}
    result: list[str] = []
    index = 0
    while index < len(expr):
        operator = next((op for op in _COMPARISONS if expr.startswith(op, index)), None)
        if index in visible and operator and (index + 1 in visible or len(operator) == 1):
            end = index + len(operator)
            result.append(operator)
            if not expr[end:].lstrip().startswith("bool"):
                result.append(" bool")
            index = end
            continue
        result.append(expr[index])
        index += 1
    return "".join(result)


def split_top_level_or(expr: str) -> list[str]:
    """The operands of `or` at the outermost level of the expression."""
    chars = {index: (char, depth) for index, char, depth in _scan(expr)}
    parts, start = [], 0
    for index in sorted(chars):
        char, depth = chars[index]
        if depth or not expr.startswith("or", index) or char != "o":
            continue
        before = expr[index - 1] if index else " "
        after = expr[index + 2] if index + 2 < len(expr) else " "
        if before not in _WORD and after not in _WORD and all(i in chars for i in (index, index + 1)):
            parts.append(expr[start:index])
            start = index + 2
    parts.append(expr[start:])
    return [" ".join(part.split()) for part in parts]


def grafana(expr: str) -> str:
    for variable, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(variable, value)
    if "$" in expr:
        raise ValueError(f"unknown dashboard variable in {expr!r}")
    return expr


def rule_groups() -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for path in sorted(RULES.glob("*.yml")):
        groups += yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]
    return groups


def dashboards() -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(DASHBOARDS.glob("*.json"))}


def rule_expressions() -> list[Expression]:
    found: list[Expression] = []
    for group in rule_groups():
        for rule in group["rules"]:
            name = rule.get("alert") or rule["record"]
            operands = split_top_level_or(with_bool(rule["expr"]))
            found += [Expression(f"rule {name} [{i}]", operand) for i, operand in enumerate(operands)]
            if "record" in rule:
                found.append(Expression(f"recorded series {name}", name))
    return found


def dashboard_expressions() -> list[Expression]:
    found: list[Expression] = []
    for name, board in dashboards().items():
        for panel in board["panels"]:
            for target in panel.get("targets", []):
                origin = f"dashboard {name}: {panel['title']} [{target['refId']}]"
                found.append(Expression(origin, grafana(target["expr"])))
    return found
