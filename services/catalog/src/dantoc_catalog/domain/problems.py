"""Problem items with a stable code and messages in Vietnamese and English, and the error that carries them."""

from __future__ import annotations

from typing import Any

from dantoc_contracts.problems import Location, ProblemItem

MESSAGES: dict[str, tuple[str, str]] = {
    "unreadable_file": ("Không đọc được tệp: {detail}", "The file cannot be read: {detail}"),
    "empty_file": ("Tệp không có dòng dữ liệu nào", "The file has no data rows"),
    "unknown_column": ("Cột không được hỗ trợ: {value}", "Unknown column: {value}"),
    "missing_column": ("Thiếu cột bắt buộc: {value}", "Missing required column: {value}"),
    "duplicate_column": ("Cột bị lặp lại: {value}", "Column appears twice: {value}"),
    "value_without_column": ("Ô có giá trị nhưng không có tiêu đề cột", "A cell has a value but no column header"),
    "required": ("Ô bắt buộc đang để trống", "A required value is empty"),
    "invalid_code": ("Mã không đúng định dạng ({detail})", "Malformed code ({detail})"),
    "group_code_mismatch": (
        "Mã nhóm phải là 2 chữ số đầu của mã chỉ tiêu",
        "The group code must be the first two digits of the indicator code",
    ),
    "invalid_choice": ("Giá trị không hợp lệ; chỉ nhận: {detail}", "Invalid value; allowed: {detail}"),
    "duplicate_disaggregation": ("Phân tổ bị lặp lại", "A disaggregation is listed twice"),
    "unknown_agency": ("Cơ quan chưa được đăng ký trong danh mục", "The agency is not registered in the catalog"),
    "invalid_number": ("Không phải là số", "Not a number"),
    "invalid_integer": ("Không phải là số nguyên dương", "Not a positive whole number"),
    "invalid_date": ("Ngày phải có dạng YYYY-MM-DD", "Dates must be written YYYY-MM-DD"),
    "min_greater_than_max": (
        "Giá trị nhỏ nhất lớn hơn giá trị lớn nhất ({detail})",
        "The minimum is greater than the maximum ({detail})",
    ),
    "formula_required": (
        "Chỉ tiêu tính theo công thức (FORMULA) cần có tử số và mẫu số",
        "A FORMULA indicator needs a numerator and a denominator",
    ),
    "formula_not_allowed": (
        "Tử số, mẫu số và hệ số chỉ dùng cho chỉ tiêu tính theo công thức (FORMULA)",
        "Numerator, denominator and factor are only used by FORMULA indicators",
    ),
    "unknown_formula_indicator": (
        "Công thức tham chiếu chỉ tiêu không có trong danh mục: {value}",
        "The formula refers to an indicator that is not in the catalogue: {value}",
    ),
    "formula_cycle": (
        "Công thức của các chỉ tiêu tham chiếu vòng tròn lẫn nhau: {detail}",
        "The formulas of these indicators refer to each other in a cycle: {detail}",
    ),
    "duplicate_code": (
        "Mã chỉ tiêu và phiên bản bị lặp lại (đã có ở dòng {detail})",
        "Indicator code and version appear twice (first on row {detail})",
    ),
    "version_gap": (
        "Các phiên bản phải đánh số liên tục từ 1 (đang có: {detail})",
        "Versions must be numbered 1, 2, 3… without gaps (found: {detail})",
    ),
    "version_order": (
        "Ngày hiệu lực phải sau ngày hiệu lực của phiên bản trước ({detail})",
        "The effective date must be after that of the previous version ({detail})",
    ),
    "conflicting_group": (
        "Các phiên bản của cùng một chỉ tiêu phải thuộc cùng một nhóm",
        "All versions of an indicator must belong to the same group",
    ),
    "conflicting_group_name": (
        "Tên nhóm khác với tên đã dùng cho nhóm này ở dòng {detail}",
        "The group name differs from the one used for this group on row {detail}",
    ),
    "unknown_indicator": ("Không có chỉ tiêu mã {value}", "There is no indicator with code {value}"),
    "unknown_parent": (
        "Đơn vị cấp trên {value} không tồn tại trong thời gian hiệu lực của đơn vị",
        "The parent unit {value} does not exist while this unit is valid",
    ),
    "wrong_parent_level": (
        "Đơn vị cấp trên phải ở cấp cao hơn ({detail})",
        "The parent must be at a higher level ({detail})",
    ),
    "hierarchy_cycle": (
        "Quan hệ cấp trên của các đơn vị tạo thành vòng lặp: {detail}",
        "The parent chain of these units forms a cycle: {detail}",
    ),
    "invalid_validity": (
        "Ngày bắt đầu hiệu lực sau ngày hết hiệu lực",
        "The unit's validity starts after it ends",
    ),
    "overlapping_unit": (
        "Mã đơn vị đã được dùng trong cùng thời gian (dòng {detail})",
        "The unit code is already used during the same dates (row {detail})",
    ),
    "unit_in_use": (
        "Đơn vị {value} vẫn đang được sử dụng ({detail}); tệp phải giữ đơn vị này",
        "Unit {value} is still in use ({detail}); the file must keep it",
    ),
    "unauthorized": (
        "Cần mã xác thực quản trị hợp lệ (Authorization: Bearer …)",
        "A valid admin bearer token is required (Authorization: Bearer …)",
    ),
    "not_ready": ("Chưa sẵn sàng: {value} ({detail})", "Not ready: {value} ({detail})"),
    "not_found": ("Không tìm thấy: {value}", "Not found: {value}"),
    "invalid_request": ("Yêu cầu không hợp lệ: {detail}", "Invalid request: {detail}"),
    "file_too_large": ("Tệp quá lớn: {detail}", "The file is too large: {detail}"),
    "text_too_long": (
        "Nội dung quá dài: tối đa {detail} ký tự (ô này có {value} ký tự)",
        "The text is too long: at most {detail} characters (this one has {value})",
    ),
    "too_many_rows": ("Tệp có quá nhiều dòng: {detail}", "The file has too many rows: {detail}"),
}


def problem(code: str, location: Location, *, value: Any = None, detail: str = "") -> ProblemItem:
    """A problem item with both messages filled in from the catalogue of messages."""
    vi, en = MESSAGES[code]
    shown = "" if value is None else str(value)
    return ProblemItem(
        code=code,
        location=location,
        message_vi=vi.format(value=shown, detail=detail),
        message_en=en.format(value=shown, detail=detail),
        value=value,
    )


class ProblemsFound(Exception):
    """Raised by a use case when its input has problems; carries every one of them."""

    def __init__(self, problems: list[ProblemItem], *, status: int = 422, title: str = "Invalid input") -> None:
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(p.message_en for p in problems[:5]))
        self.problems = problems
        self.status = status
        self.title = title
