"""Vietnamese and English words for the catalog's enumerations, as shown to officials."""

from __future__ import annotations

from dantoc_contracts.codes import UnitLevel
from dantoc_contracts.periods import PeriodType

DIMENSION_VI = {
    "ethnic_group": "dân tộc",
    "sex": "giới tính",
    "age_group": "nhóm tuổi",
    "residence": "thành thị/nông thôn",
}
DIMENSION_EN = {"ethnic_group": "ethnic group", "sex": "sex", "age_group": "age group", "residence": "urban/rural"}
PERIOD_TYPE_VI = {
    PeriodType.YEAR: "năm",
    PeriodType.SEMESTER: "nửa năm",
    PeriodType.QUARTER: "quý",
    PeriodType.MONTH: "tháng",
}
LEVEL_VI = {
    UnitLevel.NATIONAL: "toàn quốc",
    UnitLevel.PROVINCE: "tỉnh",
    UnitLevel.DISTRICT: "huyện",
    UnitLevel.COMMUNE: "xã",
}
