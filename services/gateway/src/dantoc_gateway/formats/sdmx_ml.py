"""The structure message as SDMX-ML 3.0 (XML), from the same codelists as the SDMX-JSON one."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from dantoc_contracts.codes import EthnicCodeList
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

_V3 = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/"
MES, STR, COM = _V3 + "message", _V3 + "structure", _V3 + "common"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
for _prefix, _uri in (("mes", MES), ("str", STR), ("com", COM)):
    ET.register_namespace(_prefix, _uri)


def _el(parent: ET.Element, ns: str, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _names(parent: ET.Element, vi: str, en: str) -> None:
    _el(parent, COM, "Name", vi, **{XML_LANG: "vi"})
    _el(parent, COM, "Name", en, **{XML_LANG: "en"})


def _artefact(parent: ET.Element, tag: str, kind: str, ident: str, vi: str, en: str) -> ET.Element:
    element = _el(parent, STR, tag, id=ident, agencyID=AGENCY, version=VERSION, urn=urn(kind, ident))
    _names(element, vi, en)
    return element


def _codelists(parent: ET.Element, codelists: list[Codelist]) -> None:
    holder = _el(parent, STR, "Codelists")
    for codelist in codelists:
        element = _artefact(holder, "Codelist", "Codelist", codelist.id, codelist.name_vi, codelist.name_en)
        for code in codelist.codes:
            item = _el(element, STR, "Code", id=code.id)
            if code.annotation:
                note = _el(_el(item, COM, "Annotations"), COM, "Annotation")
                _el(note, COM, "AnnotationType", "NOTE")
                _el(note, COM, "AnnotationText", code.annotation, **{XML_LANG: "vi"})
            _names(item, code.name_vi, code.name_en)
            if code.parent:
                _el(item, STR, "Parent", code.parent)


def _represent(parent: ET.Element, component: str, *, enumeration: str | None = None, text: str | None = None) -> None:
    _el(parent, STR, "ConceptIdentity", concept_urn(component))
    representation = _el(parent, STR, "LocalRepresentation")
    if enumeration is not None:
        _el(representation, STR, "Enumeration", enumeration)
    else:
        _el(representation, STR, "TextFormat", textType=text or "String")


def _dsd(parent: ET.Element, code_list: EthnicCodeList) -> None:
    dsd = _artefact(
        parent,
        "DataStructure",
        "DataStructure",
        dsd_id(code_list),
        "Cấu trúc số liệu công tác dân tộc",
        f"Ethnic affairs statistics ({code_list.value})",
    )
    components = _el(dsd, STR, "DataStructureComponents")
    attributes = _el(components, STR, "AttributeList", id="AttributeDescriptor")
    for name in ATTRIBUTES:
        attribute = _el(
            attributes, STR, "Attribute", id=name, usage="mandatory" if name == "OBS_STATUS" else "optional"
        )
        coded = urn("Codelist", "CL_OBS_STATUS") if name == "OBS_STATUS" else None
        _represent(attribute, name, enumeration=coded, text="String" if name == "UNIT_MEASURE" else "Decimal")
        _el(_el(attribute, STR, "AttributeRelationship"), STR, "Observation")
    dimensions = _el(components, STR, "DimensionList", id="DimensionDescriptor")
    for position, name in enumerate(DIMENSIONS[:-1], start=1):
        listed = ethnic_codelist(code_list) if name == "ETHNIC_GROUP" else DIMENSION_CODELISTS[name]
        _represent(
            _el(dimensions, STR, "Dimension", id=name, position=str(position)),
            name,
            enumeration=urn("Codelist", listed),
        )
    _represent(_el(dimensions, STR, "TimeDimension", id="TIME_PERIOD"), "TIME_PERIOD", text="ObservationalTimePeriod")
    measures = _el(components, STR, "MeasureList", id="MeasureDescriptor")
    _represent(_el(measures, STR, "Measure", id=MEASURE), MEASURE, text="Decimal")


def render_structure_ml(codelists: list[Codelist], prepared: str) -> bytes:
    root = ET.Element(f"{{{MES}}}Structure")
    header = _el(root, MES, "Header")
    _el(header, MES, "ID", "DANTOC-STRUCTURE")
    _el(header, MES, "Test", "false")
    _el(header, MES, "Prepared", prepared)
    _el(header, MES, "Sender", id=AGENCY)
    structures = _el(root, MES, "Structures")
    _codelists(structures, codelists)
    concepts = _artefact(
        _el(structures, STR, "Concepts"), "ConceptScheme", "ConceptScheme", CONCEPT_SCHEME, "Khái niệm", "Concepts"
    )
    for name in (*DIMENSIONS, MEASURE, *ATTRIBUTES):
        _names(_el(concepts, STR, "Concept", id=name), *CONCEPT_NAMES[name])
    flows = _el(structures, STR, "Dataflows")
    for code_list in EthnicCodeList:
        flow = _artefact(
            flows,
            "Dataflow",
            "Dataflow",
            dataflow_id(code_list),
            "Số liệu công tác dân tộc",
            f"Ethnic affairs statistics ({code_list.value})",
        )
        _el(flow, STR, "Structure", urn("DataStructure", dsd_id(code_list)))
    dsds = _el(structures, STR, "DataStructures")
    for code_list in EthnicCodeList:
        _dsd(dsds, code_list)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
