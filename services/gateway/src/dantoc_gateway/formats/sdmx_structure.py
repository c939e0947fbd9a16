"""The structure message in SDMX-JSON 2.0 and SDMX-ML 3.0: codelists, concept scheme, DSDs and dataflows."""

from __future__ import annotations

from typing import Any

from dantoc_contracts.codes import EthnicCodeList
from dantoc_gateway.formats.json_out import dumps
from dantoc_gateway.formats.sdmx_ids import (
    AGENCY,
    ATTRIBUTES,
    CONCEPT_NAMES,
    CONCEPT_SCHEME,
    DIMENSIONS,
    MEASURE,
    VERSION,
    concept_urn,
    dataflow_id,
    dsd_id,
    ethnic_codelist,
    urn,
)
from dantoc_gateway.services.structure import DIMENSION_CODELISTS, Codelist

_LISTS = tuple(EthnicCodeList)
_ATTRIBUTE_FORMATS = {"UNIT_MEASURE": "String", "NUMERATOR": "Decimal", "DENOMINATOR": "Decimal"}


def _names(vi: str, en: str) -> dict[str, Any]:
    return {"name": vi, "names": {"vi": vi, "en": en}}


def _artefact(ident: str, vi: str, en: str) -> dict[str, Any]:
    return {"id": ident, "agencyID": AGENCY, "version": VERSION, **_names(vi, en)}


def _enumeration(dimension: str, code_list: EthnicCodeList) -> str:
    return urn(
        "Codelist", ethnic_codelist(code_list) if dimension == "ETHNIC_GROUP" else DIMENSION_CODELISTS[dimension]
    )


def _dsd_json(code_list: EthnicCodeList) -> dict[str, Any]:
    dimensions = [
        {
            "id": d,
            "position": i,
            "type": "Dimension",
            "conceptIdentity": concept_urn(d),
            "localRepresentation": {"enumeration": _enumeration(d, code_list)},
        }
        for i, d in enumerate(DIMENSIONS[:-1])
    ]
    time = {
        "id": "TIME_PERIOD",
        "position": len(DIMENSIONS) - 1,
        "type": "TimeDimension",
        "conceptIdentity": concept_urn("TIME_PERIOD"),
        "localRepresentation": {"format": {"dataType": "ObservationalTimePeriod"}},
    }
    attributes: list[dict[str, Any]] = []
    for a in ATTRIBUTES:
        representation = (
            {"enumeration": urn("Codelist", "CL_OBS_STATUS")}
            if a == "OBS_STATUS"
            else {"format": {"dataType": _ATTRIBUTE_FORMATS.get(a, "Integer")}}
        )
        attributes.append(
            {
                "id": a,
                "usage": "mandatory" if a == "OBS_STATUS" else "optional",
                "attributeRelationship": {"observation": {}},
                "conceptIdentity": concept_urn(a),
                "localRepresentation": representation,
            }
        )
    measure = {
        "id": MEASURE,
        "conceptIdentity": concept_urn(MEASURE),
        "usage": "optional",
        "localRepresentation": {"format": {"dataType": "Decimal"}},
    }
    return {
        **_artefact(
            dsd_id(code_list),
            f"Cấu trúc số liệu công tác dân tộc ({code_list.value})",
            f"Ethnic affairs statistics ({code_list.value})",
        ),
        "dataStructureComponents": {
            "attributeList": {"id": "AttributeDescriptor", "attributes": attributes},
            "dimensionList": {"id": "DimensionDescriptor", "dimensions": dimensions, "timeDimensions": [time]},
            "measureList": {"id": "MeasureDescriptor", "measures": [measure]},
        },
    }


def _codelist_json(codelist: Codelist) -> dict[str, Any]:
    codes = []
    for code in codelist.codes:
        item: dict[str, Any] = {"id": code.id, **_names(code.name_vi, code.name_en)}
        if code.parent:
            item["parent"] = code.parent
        if code.annotation:
            item["annotations"] = [{"type": "NOTE", "text": code.annotation}]
        codes.append(item)
    return {**_artefact(codelist.id, codelist.name_vi, codelist.name_en), "codes": codes}


def render_structure_json(codelists: list[Codelist], prepared: str) -> bytes:
    concepts = [{"id": c, **_names(*CONCEPT_NAMES[c])} for c in (*DIMENSIONS, MEASURE, *ATTRIBUTES)]
    dataflows = [
        {
            **_artefact(
                dataflow_id(cl), f"Số liệu công tác dân tộc ({cl.value})", f"Ethnic affairs statistics ({cl.value})"
            ),
            "structure": urn("DataStructure", dsd_id(cl)),
        }
        for cl in _LISTS
    ]
    data = {
        "dataStructures": [_dsd_json(cl) for cl in _LISTS],
        "dataflows": dataflows,
        "codelists": [_codelist_json(c) for c in codelists],
        "conceptSchemes": [{**_artefact(CONCEPT_SCHEME, "Khái niệm", "Concepts"), "concepts": concepts}],
    }
    meta = {
        "schema": "https://json.sdmx.org/2.0.0/sdmx-json-structure-schema.json",
        "id": "DANTOC-STRUCTURE",
        "test": False,
        "prepared": prepared,
        "contentLanguages": ["vi", "en"],
        "sender": {"id": AGENCY},
    }
    return dumps({"meta": meta, "data": data})
