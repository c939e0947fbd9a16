"""SDMX-CSV: one observation per row, grouped into one submission per (REF_AREA, TIME_PERIOD).

Dimensions INDICATOR, REF_AREA, ETHNIC_GROUP, SEX, AGE, RESIDENCE, TIME_PERIOD; measure OBS_VALUE; attribute
OBS_STATUS (M, L or O: no data, with the reason from OBS_COMMENT when given). ACTION M (merge) and R (replace)
set the observation (with a single measure they mean the same here), D deletes it; an absent ACTION means M.
`_T` (or empty) is the total. ETHNIC_GROUP codes are in the list given with the upload (GSO1979 by default),
or written `GSO2008:06`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from dantoc_contracts.problems import Location, ProblemItem
from dantoc_ingest.domain.model import CellAction, DraftValue, Origin
from dantoc_ingest.domain.problems import problem
from dantoc_ingest.files.readers import DEFAULT_LIMITS, FileLimits, csv_rows, decode_text
from dantoc_ingest.files.table import code

DIMENSIONS = ("INDICATOR", "REF_AREA", "TIME_PERIOD", "OBS_VALUE")
_ACTIONS = {
    "": CellAction.SET,
    "M": CellAction.SET,
    "R": CellAction.SET,
    "A": CellAction.SET,
    "I": CellAction.SET,
    "D": CellAction.DELETE,
}
_MISSING = {
    "M": "Không có số liệu (OBS_STATUS=M: giá trị không tồn tại)",
    "L": "Không có số liệu (OBS_STATUS=L: có tồn tại nhưng không thu thập được)",
    "O": "Không có số liệu (OBS_STATUS=O: thiếu giá trị)",
}
_SEX = {"M": "1", "F": "2"}
_RESIDENCE = {"U": "1", "R": "2"}
_FIELDS = {
    "INDICATOR": "indicator",
    "ETHNIC_GROUP": "disaggregation.ethnic_group.code",
    "SEX": "disaggregation.sex",
    "AGE": "disaggregation.age_group",
    "RESIDENCE": "disaggregation.residence",
    "OBS_VALUE": "value",
    "OBS_STATUS": "no_data",
}


@dataclass(slots=True)
class SdmxContent:
    groups: dict[tuple[str, str], list[DraftValue]] = field(default_factory=dict)  # (unit, period) → values
    problems: list[ProblemItem] = field(default_factory=list)


def looks_like_sdmx(data: bytes) -> bool:
    first = decode_text(data[:4096]).split("\n", 1)[0].upper()
    return "OBS_VALUE" in first and "REF_AREA" in first


def read_sdmx_csv(data: bytes, *, code_list: str, limits: FileLimits = DEFAULT_LIMITS) -> SdmxContent:
    content = SdmxContent()
    rows = csv_rows(decode_text(data), limits.rows)
    header = [cell.strip().upper() for cell in rows[0]] if rows else []
    index = {name: position for position, name in enumerate(header)}
    missing = [name for name in DIMENSIONS if name not in index]
    if missing:
        content.problems += [problem("missing_column", Location(row=1), name) for name in missing]
        return content
    letters = {name: get_column_letter(position + 1) for name, position in index.items()}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        value = _observation(number, cells, index, letters, code_list, content.problems)
        if value is not None:
            unit = _get(cells, index, "REF_AREA")
            content.groups.setdefault((unit, _get(cells, index, "TIME_PERIOD")), []).append(value)
    return content


def _get(cells: Sequence[str], index: dict[str, int], name: str) -> str:
    position = index.get(name)
    return cells[position].strip() if position is not None and position < len(cells) else ""


def _observation(
    number: int,
    cells: Sequence[str],
    index: dict[str, int],
    letters: dict[str, str],
    code_list: str,
    problems: list[ProblemItem],
) -> DraftValue | None:
    origin = Origin(number, {f: f"{letters[n]}{number}" for n, f in _FIELDS.items() if n in letters})
    action_text, status = _get(cells, index, "ACTION").upper(), _get(cells, index, "OBS_STATUS").upper()
    if action_text not in _ACTIONS:
        problems.append(
            problem("invalid_action", Location(row=number, cell=f"{letters['ACTION']}{number}"), action_text)
        )
        return None
    if status not in ("", "A", *_MISSING):
        where = Location(row=number, cell=f"{letters['OBS_STATUS']}{number}")
        problems.append(problem("invalid_obs_status", where, status))
        return None
    listed, ethnic = code_list, code(_get(cells, index, "ETHNIC_GROUP") or None)
    if ethnic and ":" in ethnic:
        listed, ethnic = ethnic.split(":", 1)
    no_data = status in _MISSING
    reason = (_get(cells, index, "OBS_COMMENT") or _MISSING[status]) if no_data else None
    sex, residence = _get(cells, index, "SEX"), _get(cells, index, "RESIDENCE")
    return DraftValue(
        indicator=_get(cells, index, "INDICATOR"),
        value=_get(cells, index, "OBS_VALUE") or None,
        no_data=no_data,
        no_data_reason=reason,
        ethnic_code_list=listed if ethnic and ethnic != "_T" else None,
        ethnic_code=code(ethnic, 2) if ethnic != "_T" else None,
        sex=_SEX.get(sex.upper(), sex) or None,
        age_group=_get(cells, index, "AGE") or None,
        residence=_RESIDENCE.get(residence.upper(), residence) or None,
        action=_ACTIONS[action_text],
        origin=origin,
    )
