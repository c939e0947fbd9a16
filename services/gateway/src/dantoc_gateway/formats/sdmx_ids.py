"""Identifiers of the published SDMX structures: agency, data structure definitions, dataflows, codelists."""

from __future__ import annotations

from dantoc_contracts.codes import EthnicCodeList

AGENCY = "VN_BDTTG"
VERSION = "1.0"
DIMENSIONS = ("INDICATOR", "REF_AREA", "ETHNIC_GROUP", "SEX", "AGE", "RESIDENCE", "TIME_PERIOD")
ATTRIBUTES = (
    "OBS_STATUS",
    "UNIT_MEASURE",
    "NUMERATOR",
    "DENOMINATOR",
    "COMP_EXPECTED",
    "COMP_REPORTED",
    "COMP_NO_DATA",
    "COMP_SILENT",
)
MEASURE = "OBS_VALUE"
CONCEPT_SCHEME = "CS_DANTOC"

CONCEPT_NAMES: dict[str, tuple[str, str]] = {
    "INDICATOR": ("Chỉ tiêu", "Indicator"),
    "REF_AREA": ("Đơn vị hành chính", "Reference area"),
    "ETHNIC_GROUP": ("Dân tộc", "Ethnic group"),
    "SEX": ("Giới tính", "Sex"),
    "AGE": ("Nhóm tuổi", "Age group"),
    "RESIDENCE": ("Thành thị/nông thôn", "Urban/rural residence"),
    "TIME_PERIOD": ("Kỳ báo cáo", "Time period"),
    "OBS_VALUE": ("Giá trị", "Observation value"),
    "OBS_STATUS": ("Tình trạng số liệu", "Observation status"),
    "UNIT_MEASURE": ("Đơn vị tính", "Unit of measure"),
    "NUMERATOR": ("Tử số", "Numerator"),
    "DENOMINATOR": ("Mẫu số", "Denominator"),
    "COMP_EXPECTED": ("Số đơn vị phải báo cáo", "Reporting units expected"),
    "COMP_REPORTED": ("Số đơn vị đã báo cáo", "Reporting units that reported"),
    "COMP_NO_DATA": ("Số đơn vị báo không có số liệu", "Reporting units that declared no data"),
    "COMP_SILENT": ("Số đơn vị chưa báo cáo", "Reporting units that sent nothing"),
}

OBS_STATUS = {"A": ("Số liệu bình thường", "Normal value"), "M": ("Không có số liệu", "Missing value")}


def ethnic_codelist(code_list: EthnicCodeList) -> str:
    return "CL_ETHNIC_GROUP" if code_list is EthnicCodeList.GSO_1979 else "CL_ETHNIC_GROUP_GSO2008"


def dsd_id(code_list: EthnicCodeList) -> str:
    return "DSD_DANTOC" if code_list is EthnicCodeList.GSO_1979 else "DSD_DANTOC_GSO2008"


def dataflow_id(code_list: EthnicCodeList) -> str:
    return "DF_DANTOC" if code_list is EthnicCodeList.GSO_1979 else "DF_DANTOC_GSO2008"


def dataflow_ref(code_list: EthnicCodeList) -> str:
    """`VN_BDTTG:DF_DANTOC(1.0)`, as SDMX-CSV's STRUCTURE_ID wants it."""
    return f"{AGENCY}:{dataflow_id(code_list)}({VERSION})"


def urn(kind: str, ident: str) -> str:
    packages = {
        "Codelist": "codelist.Codelist",
        "ConceptScheme": "conceptscheme.ConceptScheme",
        "DataStructure": "datastructure.DataStructure",
        "Dataflow": "datastructure.Dataflow",
    }
    return f"urn:sdmx:org.sdmx.infomodel.{packages[kind]}={AGENCY}:{ident}({VERSION})"


def concept_urn(concept: str) -> str:
    return f"urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept={AGENCY}:{CONCEPT_SCHEME}({VERSION}).{concept}"
