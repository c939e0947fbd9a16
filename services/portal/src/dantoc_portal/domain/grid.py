"""The data-entry grid, as a pure model: which cells an indicator has, what each input is named, what a form holds.

A cell is (indicator, disaggregation key); the key is ingest's `ethnic|sex|age_group|residence` with `_T` for a
total (`GSO1979:02|2|_T|_T`: Tày women). Per indicator the grid is a small matrix: lines = the total of every
ethnic group, then each group present (when `ethnic_group` is one of its disaggregations); columns = Tổng, then
Nam (`1`) and Nữ (`2`) when `sex` is. The groups present are those in the unit's stored cells or last period's,
plus those added by the official. Input names: `v:<indicator>:<key>` for a value, `nd:<indicator>` for the
"không có số liệu" box and `ndr:<indicator>` for its reason."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dantoc_portal.domain.indicators import Definition

TOTAL = "_T"
ETHNIC_LIST = "GSO1979"
SEXES = ("1", "2")
SEX_NAMES = {"1": "Nam", "2": "Nữ"}
VALUE_WIDTH = 64  # ingest's DECIMAL_TEXT_WIDTH
REASON_WIDTH = 500  # ingest's NO_DATA_REASON_WIDTH
SUBMISSION_ID_WIDTH = 100
_CODE = re.compile(r"^\d{2}$")
_INDICATOR = re.compile(r"^\d{4}$")


def cell_key(ethnic: str | None = None, sex: str | None = None) -> str:
    """Ingest's disaggregation key of a total, sex, ethnic-group or ethnic × sex cell."""
    return "|".join((f"{ETHNIC_LIST}:{ethnic}" if ethnic else TOTAL, sex or TOTAL, TOTAL, TOTAL))


def parse_key(key: str) -> tuple[str | None, str | None] | None:
    """(ethnic code, sex) of a key the grid has, or None for any other text (age group, residence, garbage)."""
    parts = key.split("|")
    if len(parts) != 4 or parts[2] != TOTAL or parts[3] != TOTAL:
        return None
    ethnic, sex = parts[0], parts[1]
    if ethnic == TOTAL:
        code = None
    elif ethnic.startswith(f"{ETHNIC_LIST}:") and _CODE.match(ethnic[len(ETHNIC_LIST) + 1 :]):
        code = ethnic[len(ETHNIC_LIST) + 1 :]
    else:
        return None
    if sex != TOTAL and sex not in SEXES:
        return None
    return code, None if sex == TOTAL else sex


def allowed(definition: Definition, key: str) -> bool:
    """Does the indicator have this cell in the grid (its dimensions are among its disaggregations)?"""
    parsed = parse_key(key)
    if parsed is None:
        return False
    ethnic, sex = parsed
    dims = definition.disaggregations
    return (ethnic is None or "ethnic_group" in dims) and (sex is None or "sex" in dims)


def value_name(indicator: str, key: str) -> str:
    return f"v:{indicator}:{key}"


def cell_id(indicator: str, key: str) -> str:
    """An HTML id for the cell's input (its message is `<id>-msg`)."""
    return "c-" + indicator + "-" + re.sub(r"[^A-Za-z0-9]+", "-", key).strip("-")


def groups_of(keys: Iterable[str]) -> set[str]:
    """The ethnic groups the keys name."""
    found = set()
    for key in keys:
        parsed = parse_key(key)
        if parsed and parsed[0]:
            found.add(parsed[0])
    return found


@dataclass(frozen=True, slots=True)
class Line:
    """A line of an indicator's matrix: all groups (None) or one ethnic group; its cells' keys, by column."""

    ethnic: str | None
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Matrix:
    definition: Definition
    sexes: tuple[str | None, ...]  # the columns: None (Tổng), then "1", "2" when by sex
    lines: tuple[Line, ...]

    @property
    def keys(self) -> list[str]:
        return [key for line in self.lines for key in line.keys]


def matrix(definition: Definition, groups: Sequence[str]) -> Matrix:
    """The cells of one indicator for the ethnic groups present."""
    sexes: tuple[str | None, ...] = (None, *SEXES) if "sex" in definition.disaggregations else (None,)
    ethnic: list[str | None] = [None]
    if "ethnic_group" in definition.disaggregations:
        ethnic += sorted(set(groups))
    lines = tuple(Line(e, tuple(cell_key(e, s) for s in sexes)) for e in ethnic)
    return Matrix(definition, sexes, lines)


@dataclass(frozen=True, slots=True)
class Draft:
    """What the official typed: values by cell, the indicators marked "no data" with their reasons, added groups."""

    values: Mapping[tuple[str, str], str] = field(default_factory=dict)
    no_data: Mapping[str, str] = field(default_factory=dict)
    groups: tuple[str, ...] = ()

    def to_json(self) -> str:
        body = {
            "values": [[i, k, v] for (i, k), v in sorted(self.values.items())],
            "no_data": dict(sorted(self.no_data.items())),
            "groups": sorted(self.groups),
        }
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Draft:
        try:
            body = json.loads(text)
            values = {(str(i), str(k)): str(v) for i, k, v in body.get("values", [])}
            no_data = {str(i): str(r) for i, r in dict(body.get("no_data", {})).items()}
            return cls(values, no_data, tuple(str(g) for g in body.get("groups", [])))
        except (ValueError, TypeError, AttributeError):
            return cls()

    @property
    def empty(self) -> bool:
        return not self.values and not self.no_data


def read_form(form: Iterable[tuple[str, Any]], definitions: Sequence[Definition], known_groups: set[str]) -> Draft:
    """The draft a posted grid holds: only cells the grid has (known indicators, keys, groups); empty cells dropped.

    Text is kept as typed (trimmed); its length is checked by `local_problems`, its number by ingest."""
    by_code = {d.code: d for d in definitions}
    values: dict[tuple[str, str], str] = {}
    marked: set[str] = set()
    reasons: dict[str, str] = {}
    groups: set[str] = set()
    for name, raw in form:
        if not isinstance(raw, str):
            continue
        text = raw.strip()
        kind, _, rest = name.partition(":")
        if kind == "v":
            indicator, _, key = rest.partition(":")
            definition = by_code.get(indicator)
            if definition is None or not allowed(definition, key) or not groups_of([key]) <= known_groups:
                continue
            if text:
                values[(indicator, key)] = text[: VALUE_WIDTH * 4]
        elif kind == "nd" and rest in by_code:
            marked.add(rest)
        elif kind == "ndr" and rest in by_code and text:
            reasons[rest] = text[: REASON_WIDTH * 4]
        elif name == "group" and text in known_groups:
            groups.add(text)
    no_data = {indicator: reasons.get(indicator, "") for indicator in sorted(marked)}
    return Draft(values, no_data, tuple(sorted(groups | groups_of(k for _, k in values))))


def submission_id(unit: str, period: str, group: str, draft: Draft) -> str:
    """`portal-<unit>-<period>-<group>-<hash of the content>`: the same content, the same id (a resend is idempotent);
    new content, a new id."""
    content = Draft(draft.values, draft.no_data).to_json()
    digest = hashlib.sha256(content.encode()).hexdigest()[:16]
    return f"portal-{unit}-{period}-{group}-{digest}"[:SUBMISSION_ID_WIDTH]
