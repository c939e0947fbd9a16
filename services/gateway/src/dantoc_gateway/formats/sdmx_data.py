"""SDMX data messages against the published structure: SDMX-CSV 2.0 and SDMX-JSON 2.0."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from dantoc_contracts.codes import EthnicCodeList
from dantoc_contracts.periods import Period
from dantoc_gateway.domain.periods import sdmx_period
from dantoc_gateway.domain.selection import Observation
from dantoc_gateway.formats.csv_out import render_csv
from dantoc_gateway.formats.json_out import dumps
from dantoc_gateway.formats.numbers import number
from dantoc_gateway.formats.sdmx_ids import (
    AGENCY,
    ATTRIBUTES,
    CONCEPT_NAMES,
    DIMENSIONS,
    MEASURE,
    OBS_STATUS,
    dataflow_id,
    dataflow_ref,
    urn,
)
from dantoc_gateway.formats.table import Column
from dantoc_gateway.services.labels import Labels

_HEADER = ("STRUCTURE", "STRUCTURE_ID", "ACTION", *DIMENSIONS, MEASURE, *ATTRIBUTES)
CSV_COLUMNS = tuple(Column(name, name, name) for name in _HEADER)
SDMX_JSON_SCHEMA = "https://json.sdmx.org/2.0.0/sdmx-json-data-schema.json"


def _keys(obs: Observation, labels: Labels) -> tuple[str, ...]:
    ethnic = labels.ethnic_code(obs.ethnic_group)
    return (obs.indicator, obs.unit_code, ethnic, obs.sex, obs.age_group, obs.residence, sdmx_period(obs.period))


def _attributes(obs: Observation, labels: Labels) -> tuple[Any, ...]:
    if obs.deleted:
        return (None,) * len(ATTRIBUTES)
    status = "M" if obs.value is None else "A"
    measure = labels.indicator(obs.indicator, obs.period).unit_vi
    return (status, measure, obs.numerator, obs.denominator, obs.expected, obs.reported, obs.no_data, obs.silent)


def render_sdmx_csv(observations: list[Observation], labels: Labels, *, changes: bool = False) -> bytes:
    """One row per observation; ACTION `I` for a query, `M` (merge) or `D` (delete) for the change feed."""
    ref = dataflow_ref(labels.ethnic_list)
    rows = []
    for obs in observations:
        action = ("D" if obs.deleted else "M") if changes else "I"
        rows.append(("dataflow", ref, action, *_keys(obs, labels), obs.value, *_attributes(obs, labels)))
    return render_csv(CSV_COLUMNS, rows, "en", bom=False)


def _names(pair: tuple[str, str]) -> dict[str, Any]:
    return {"name": pair[0], "names": {"vi": pair[0], "en": pair[1]}}


def _dimension_value(position: int, code: str, obs: Observation, labels: Labels) -> dict[str, Any]:
    if position == 0:
        found = labels.indicator(code, obs.period)
        return {"id": code, **_names((found.name_vi, found.name_en))}
    if position == 1:
        name = labels.unit(code, obs.period)
        return {"id": code, **_names((name, name))}
    if position == 2:
        return {"id": code, **_names(labels.ethnic(obs.ethnic_group))}
    if position == 6:
        period = Period.parse(obs.period)
        return {"id": code, "start": f"{period.start}T00:00:00", "end": f"{period.end}T23:59:59"}
    list_id = ("sex", "age_group", "residence")[position - 3]
    return {"id": code, **_names(labels.code(list_id, code))}


def render_sdmx_json(observations: list[Observation], labels: Labels, *, changes: bool = False) -> bytes:
    """A data message with every dimension at observation level; changes split into Merge and Delete data sets."""
    values: list[dict[str, int]] = [{} for _ in DIMENSIONS]
    dim_objects: list[list[dict[str, Any]]] = [[] for _ in DIMENSIONS]
    attr_values: list[dict[Any, int]] = [{} for _ in ATTRIBUTES]
    sets: dict[str, dict[str, list[Any]]] = {}
    for obs in observations:
        key = []
        for position, code in enumerate(_keys(obs, labels)):
            if code not in values[position]:
                values[position][code] = len(dim_objects[position])
                dim_objects[position].append(_dimension_value(position, code, obs, labels))
            key.append(str(values[position][code]))
        attrs = [
            None if v is None else attr_values[i].setdefault(v, len(attr_values[i]))
            for i, v in enumerate(_attributes(obs, labels))
        ]
        action = ("Delete" if obs.deleted else "Merge") if changes else "Information"
        sets.setdefault(action, {})[":".join(key)] = [number(obs.value), *attrs]
    structure = _structure(labels.ethnic_list, dim_objects, attr_values)
    data_sets = [{"structure": 0, "action": action, "observations": obs} for action, obs in sets.items()]
    return dumps({"meta": _meta(), "data": {"structures": [structure], "dataSets": data_sets}})


def _meta() -> dict[str, Any]:
    return {
        "schema": SDMX_JSON_SCHEMA,
        "id": f"DANTOC-{uuid.uuid4()}",
        "test": False,
        "prepared": datetime.now(UTC).isoformat(),
        "contentLanguages": ["vi", "en"],
        "sender": {"id": AGENCY},
    }


def _structure(
    code_list: EthnicCodeList, dims: list[list[dict[str, Any]]], attrs: list[dict[Any, int]]
) -> dict[str, Any]:
    dimensions = [
        {
            "id": d,
            **_names(CONCEPT_NAMES[d]),
            "keyPosition": i,
            "roles": ["TIME_PERIOD"] if d == "TIME_PERIOD" else [],
            "values": dims[i],
        }
        for i, d in enumerate(DIMENSIONS)
    ]
    attributes = []
    for i, a in enumerate(ATTRIBUTES):
        values = [{"id": v, **_names(OBS_STATUS[v])} if a == "OBS_STATUS" else {"value": v} for v in attrs[i]]
        attributes.append({"id": a, **_names(CONCEPT_NAMES[a]), "relationship": {"observation": {}}, "values": values})
    return {
        "links": [{"urn": urn("Dataflow", dataflow_id(code_list)), "rel": "dataflow"}],
        **_names(("Số liệu công tác dân tộc", "Ethnic affairs statistics")),
        "dimensions": {"dataSet": [], "series": [], "observation": dimensions},
        "measures": {"observation": [{"id": MEASURE, **_names(CONCEPT_NAMES[MEASURE])}]},
        "attributes": {"dataSet": [], "series": [], "observation": attributes},
    }
