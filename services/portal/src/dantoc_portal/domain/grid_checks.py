"""From a grid's draft to ingest's `values`, and ingest's problems back to the cells they are about.

Every value is sent as typed (ingest reads `1.520` and `12,5`); the order of `values` is remembered so that a
problem's `location.value_index` finds its cell again. An indicator marked "không có số liệu" is sent as one
no-data value with its reason (its typed cells stay in the draft, not sent). What ingest could not even parse (a
text longer than its bounds) is found here, beside the cell, and the rest still goes to ingest: every problem at
once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dantoc_portal.domain.grid import ETHNIC_LIST, REASON_WIDTH, VALUE_WIDTH, Draft, cell_id, parse_key


@dataclass(frozen=True, slots=True)
class Message:
    vi: str
    en: str

    def text(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.vi


def no_data_id(indicator: str) -> str:
    """The HTML id of an indicator's "no data" reason field (its message is `<id>-msg`)."""
    return f"nd-{indicator}"


@dataclass(frozen=True, slots=True)
class Outgoing:
    """The values to send, the place (an HTML id) of each, and the problems found before sending."""

    values: list[dict[str, Any]]
    places: list[str]
    local: dict[str, list[Message]] = field(default_factory=dict)


def _disaggregation(key: str) -> dict[str, Any]:
    parsed = parse_key(key)
    ethnic, sex = parsed if parsed else (None, None)
    out: dict[str, Any] = {}
    if ethnic:
        out["ethnic_group"] = {"code_list": ETHNIC_LIST, "code": ethnic}
    if sex:
        out["sex"] = sex
    return out


TOO_LONG = Message(f"Giá trị quá dài (tối đa {VALUE_WIDTH} ký tự).", f"The value is too long (at most {VALUE_WIDTH}).")
REASON_TOO_LONG = Message(
    f"Lý do quá dài (tối đa {REASON_WIDTH} ký tự).", f"The reason is too long (at most {REASON_WIDTH} characters)."
)


def outgoing(draft: Draft) -> Outgoing:
    """Ingest's `values` for a draft, in a stable order (by indicator, then cell key)."""
    values: list[dict[str, Any]] = []
    places: list[str] = []
    local: dict[str, list[Message]] = {}
    for indicator, reason in sorted(draft.no_data.items()):
        if len(reason) > REASON_WIDTH:
            local.setdefault(no_data_id(indicator), []).append(REASON_TOO_LONG)
            continue
        values.append({"indicator": indicator, "no_data": True, "no_data_reason": reason or None})
        places.append(no_data_id(indicator))
    for (indicator, key), text in sorted(draft.values.items()):
        if indicator in draft.no_data:
            continue
        if len(text) > VALUE_WIDTH:
            local.setdefault(cell_id(indicator, key), []).append(TOO_LONG)
            continue
        values.append({"indicator": indicator, "disaggregation": _disaggregation(key), "value": text})
        places.append(cell_id(indicator, key))
    return Outgoing(values, places, local)


@dataclass(frozen=True, slots=True)
class Placed:
    """Problems by the HTML id of their cell (or no-data reason), and those about the whole submission."""

    by_place: dict[str, list[Message]]
    general: list[Message]

    @property
    def count(self) -> int:
        return sum(len(m) for m in self.by_place.values()) + len(self.general)

    def to_json(self) -> dict[str, Any]:
        return {
            "by_place": {p: [[m.vi, m.en] for m in ms] for p, ms in self.by_place.items()},
            "general": [[m.vi, m.en] for m in self.general],
        }

    @classmethod
    def from_json(cls, body: Any) -> Placed:
        if not isinstance(body, dict):
            return cls({}, [])
        places = body.get("by_place") or {}
        general = body.get("general") or []
        return cls(
            {str(p): [Message(str(m[0]), str(m[1])) for m in ms] for p, ms in places.items()},
            [Message(str(m[0]), str(m[1])) for m in general],
        )


def place_problems(
    problems: Iterable[Mapping[str, Any]], places: list[str], local: Mapping[str, list[Message]] | None = None
) -> Placed:
    """Each of ingest's problems beside its cell (by `location.value_index`), with the problems found locally."""
    by_place: dict[str, list[Message]] = {p: list(ms) for p, ms in (local or {}).items()}
    general: list[Message] = []
    for item in problems:
        message = Message(str(item.get("message_vi", "")), str(item.get("message_en", "")))
        location = item.get("location") or {}
        index = location.get("value_index") if isinstance(location, dict) else None
        if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(places):
            by_place.setdefault(places[index], []).append(message)
        else:
            general.append(message)
    return Placed(by_place, general)
