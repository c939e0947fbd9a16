"""JSON answers: figures with names beside their codes, paging and access in `meta`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from dantoc_gateway.domain.access import Caller
from dantoc_gateway.domain.selection import Observation, Page
from dantoc_gateway.formats.numbers import number
from dantoc_gateway.services.labels import Labels


def dumps(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def completeness_json(obs: Observation) -> dict[str, int] | None:
    if obs.expected is None:
        return None
    return {
        "expected": obs.expected,
        "reported": obs.reported or 0,
        "no_data": obs.no_data or 0,
        "silent": obs.silent or 0,
    }


def observation_json(obs: Observation, labels: Labels) -> dict[str, Any]:
    return {
        "indicator": obs.indicator,
        "unit_code": obs.unit_code,
        "unit_name": labels.unit(obs.unit_code, obs.period),
        "unit_level": obs.unit_level or None,
        "period": obs.period,
        "ethnic_group": labels.ethnic_code(obs.ethnic_group),
        "sex": obs.sex,
        "age_group": obs.age_group,
        "residence": obs.residence,
        "value": number(obs.value),
        "numerator": number(obs.numerator),
        "denominator": number(obs.denominator),
        "aggregation": obs.aggregation,
        "count": obs.contributions,
        "completeness": completeness_json(obs),
        "computed_at": obs.computed_at.isoformat() if obs.computed_at else None,
        "updated_at": obs.updated_at.isoformat(),
    }


def labels_json(observations: list[Observation], labels: Labels) -> dict[str, Any]:
    """Names of every code used on the page, in Vietnamese and English."""
    indicators: dict[str, Any] = {}
    ethnic: dict[str, Any] = {}
    lists: dict[str, dict[str, Any]] = {"sex": {}, "age_group": {}, "residence": {}}
    for obs in observations:
        if obs.indicator not in indicators:
            found = labels.indicator(obs.indicator, obs.period)
            indicators[obs.indicator] = {
                "name_vi": found.name_vi,
                "name_en": found.name_en,
                "unit_vi": found.unit_vi,
                "unit_en": found.unit_en,
                "group_code": found.group_code,
            }
        code = labels.ethnic_code(obs.ethnic_group)
        if code not in ethnic:
            ethnic[code] = _names(labels.ethnic(obs.ethnic_group))
        for list_id, codes in lists.items():
            value = getattr(obs, list_id)
            if value not in codes:
                codes[value] = _names(labels.code(list_id, value))
    return {"indicators": indicators, "ethnic_groups": ethnic, **lists}


def _names(pair: tuple[str, str]) -> dict[str, str]:
    return {"name_vi": pair[0], "name_en": pair[1]}


def meta_json(page: Page, caller: Caller, *, next_url: str | None, ethnic_list: str) -> dict[str, Any]:
    return {
        "page": page.number,
        "page_size": page.size,
        "total": page.total,
        "pages": page.pages,
        "next": next_url,
        "ethnic_code_list": ethnic_list,
        "generated_at": datetime.now(UTC).isoformat(),
        "access": access_json(caller),
    }


def access_json(caller: Caller) -> dict[str, Any]:
    """Who the answer was made for, and what that caller may see."""
    return {
        "role": caller.role.value,
        "scope": caller.scope,
        "note": caller.note,
        "agency": caller.agency,
        "units": None if caller.units is None else sorted(caller.units),
    }
