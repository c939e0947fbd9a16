"""Every problem ingest can report: a stable code and its message in Vietnamese and English.

Messages are templates filled with named parameters; `problem()` builds the contracts' `ProblemItem`.
"""

from __future__ import annotations

from typing import Any

from dantoc_contracts.problems import Location, ProblemItem

MESSAGES: dict[str, tuple[str, str]] = {
    # request shape
    "missing_field": ("Thiếu trường bắt buộc {field}.", "Required field {field} is missing."),
    "unknown_field": ("Trường {field} không được phép.", "Field {field} is not allowed."),
    "invalid_field": ("Trường {field} không hợp lệ: {detail}.", "Field {field} is invalid: {detail}."),
    "empty_submission": ("Báo cáo không có giá trị nào.", "The submission has no values."),
    "too_many_values": (
        "Báo cáo có {count} giá trị, vượt quá giới hạn {limit}; hãy chia thành nhiều báo cáo.",
        "The submission has {count} values, more than the limit of {limit}; split it.",
    ),
    # unit, period, agency
    "malformed_period": (
        "Kỳ báo cáo '{value}' không đúng định dạng (ví dụ 2024, 2024S1, 2024Q3, 202407).",
        "Period '{value}' is malformed (expected e.g. 2024, 2024S1, 2024Q3, 202407).",
    ),
    "malformed_unit_code": (
        "Mã đơn vị hành chính '{value}' không đúng định dạng (VN, 2, 3 hoặc 5 chữ số).",
        "Administrative unit code '{value}' is malformed (VN, or 2, 3 or 5 digits).",
    ),
    "unknown_unit": ("Không có đơn vị hành chính mã {value}.", "No administrative unit has code {value}."),
    "unit_not_valid_for_period": (
        "Đơn vị hành chính {value} không tồn tại vào cuối kỳ {period} (hiệu lực: {validity}).",
        "Administrative unit {value} does not exist at the end of period {period} (valid: {validity}).",
    ),
    "unknown_agency": ("Cơ quan {value} chưa được đăng ký trong danh mục.", "Agency {value} is not registered."),
    "outside_scope": (
        "Cơ quan {agency} không được báo cáo cho đơn vị {unit} (phạm vi được giao: {scope}).",
        "Agency {agency} may not report for unit {unit} (its scope: {scope}).",
    ),
    # indicators and disaggregation
    "unknown_indicator": ("Không có chỉ tiêu mã {value}.", "No indicator has code {value}."),
    "indicator_not_in_force": (
        "Chỉ tiêu {value} không có hiệu lực trong kỳ {period}.",
        "Indicator {value} is not in force for period {period}.",
    ),
    "period_type_mismatch": (
        "Chỉ tiêu {indicator} báo cáo theo {expected_vi}, nhưng kỳ {period} là kỳ {actual_vi}.",
        "Indicator {indicator} is reported per {expected}, but period {period} is a {actual}.",
    ),
    "unit_level_not_allowed": (
        "Chỉ tiêu {indicator} chỉ báo cáo đến cấp {lowest_vi}; đơn vị {unit} là cấp {level_vi}.",
        "Indicator {indicator} is reported down to {lowest} level only; unit {unit} is a {level}.",
    ),
    "disaggregation_not_allowed": (
        "Chỉ tiêu {indicator} không phân tổ theo {dimension_vi}.",
        "Indicator {indicator} is not broken down by {dimension}.",
    ),
    "disaggregation_incomplete": (
        "Phân tổ dân tộc thiếu {missing_vi}: cần cả danh mục mã (GSO1979 hoặc GSO2008) và mã dân tộc.",
        "The ethnic group lacks its {missing}: both the code list (GSO1979 or GSO2008) and the code are needed.",
    ),
    "unknown_code_list": (
        "Danh mục mã dân tộc '{value}' không tồn tại (dùng GSO1979 hoặc GSO2008).",
        "Ethnic code list '{value}' does not exist (use GSO1979 or GSO2008).",
    ),
    "unknown_ethnic_code": (
        "Mã dân tộc {value} không có trong danh mục {code_list}.",
        "Ethnic code {value} is not in the {code_list} list.",
    ),
    "unknown_code": (
        "Mã '{value}' không có trong danh mục {dimension_vi}.",
        "Code '{value}' is not in the {dimension} code list.",
    ),
    # values
    "missing_value": (
        "Thiếu giá trị: nhập số, hoặc đánh dấu không có số liệu và ghi lý do.",
        "No value: give a number, or mark 'no data' with a reason.",
    ),
    "value_and_no_data": (
        "Vừa có số liệu vừa đánh dấu không có số liệu; chỉ chọn một.",
        "Both a number and 'no data' were given; choose one.",
    ),
    "no_data_reason_missing": (
        "Đánh dấu không có số liệu nhưng chưa ghi lý do.",
        "'No data' is marked but no reason is given.",
    ),
    "exponent_not_allowed": (
        "'{value}' viết dạng lũy thừa (ví dụ 1e5); hãy viết đầy đủ các chữ số.",
        "'{value}' is in exponent notation (e.g. 1e5); write the number out in full.",
    ),
    "value_out_of_bounds": (
        "Giá trị {value} vượt giới hạn: số phải nhỏ hơn 10^{max_integer} về độ lớn và có tối đa {max_fraction} chữ số "
        "thập phân.",
        "Value {value} is out of bounds: a number must be below 10^{max_integer} in magnitude, with at most "
        "{max_fraction} decimals.",
    ),
    "text_too_long": (
        "Nội dung quá dài: tối đa {limit} ký tự.",
        "The text is too long: at most {limit} characters.",
    ),
    "invalid_number": ("'{value}' không phải là một số.", "'{value}' is not a number."),
    "not_an_integer": (
        "Chỉ tiêu {indicator} nhận số nguyên; {value} có phần thập phân.",
        "Indicator {indicator} takes whole numbers; {value} has a fraction.",
    ),
    "out_of_range": (
        "Giá trị {value} nằm ngoài khoảng hợp lệ {range} của chỉ tiêu {indicator}.",
        "Value {value} is outside the valid range {range} of indicator {indicator}.",
    ),
    "duplicate_cell": (
        "Ô trùng lặp: cùng chỉ tiêu {indicator} và phân tổ với giá trị thứ {first} (đếm từ 0).",
        "Duplicate cell: same indicator {indicator} and disaggregation as value {first} (0-based).",
    ),
    # submissions and access
    "submission_id_conflict": (
        "Mã báo cáo {value} đã được dùng cho một báo cáo có nội dung khác; hãy dùng mã mới.",
        "Submission id {value} was already used for a different submission; use a new id.",
    ),
    "catalog_not_ready": (
        "Danh mục chưa được nạp xong; vui lòng thử lại sau ít phút.",
        "The catalog is still loading; please try again shortly.",
    ),
    "not_authenticated": (
        "Cần đăng nhập: thiếu hoặc sai mã truy cập (Bearer token): {detail}.",
        "Authentication required: the bearer token is missing or invalid: {detail}.",
    ),
    "agency_mismatch": (
        "Mã truy cập thuộc cơ quan {token_agency}, không được báo cáo thay cơ quan {value}.",
        "The token belongs to agency {token_agency}; it may not report for agency {value}.",
    ),
    "right_missing": (
        "Mã truy cập không có quyền {right_vi}.",
        "The token does not carry the {right} right.",
    ),
    "indicator_not_yours": (
        "Chỉ tiêu {indicator} do cơ quan loại {responsible} chịu trách nhiệm; cơ quan {agency} không được báo cáo "
        "chỉ tiêu này.",
        "Indicator {indicator} is the responsibility of agencies of type {responsible}; agency {agency} may not "
        "report it.",
    ),
    "body_too_large": (
        "Nội dung gửi lên quá lớn: tối đa {limit} byte cho địa chỉ này; hãy chia thành nhiều lần gửi.",
        "The request body is too large: at most {limit} bytes for this route; split it.",
    ),
    "not_found": ("Không tìm thấy {what} {value}.", "{what_en} {value} was not found."),
    # files
    "unsupported_format": (
        "Không đọc được tệp '{value}': chỉ nhận XLSX, CSV hoặc SDMX-CSV.",
        "Cannot read file '{value}': only XLSX, CSV or SDMX-CSV are accepted.",
    ),
    "unreadable_file": ("Tệp bị lỗi, không đọc được: {detail}.", "The file is damaged or unreadable: {detail}."),
    "file_too_large": (
        "Tệp quá lớn khi giải nén: {detail}.",
        "The file is too large once decompressed: {detail}.",
    ),
    "too_many_rows": (
        "Tệp có quá nhiều dòng: {detail}; hãy chia thành nhiều tệp.",
        "The file has too many rows: {detail}; split it.",
    ),
    "missing_column": ("Tệp thiếu cột {value}.", "The file lacks column {value}."),
    "conflicting_metadata": (
        "Thông tin {field} trong tệp ({value}) khác với thông tin gửi kèm ({other}).",
        "The file's {field} ({value}) differs from the one sent with it ({other}).",
    ),
    "invalid_action": (
        "ACTION '{value}' không hợp lệ (dùng M, R hoặc D).",
        "ACTION '{value}' is invalid (use M, R or D).",
    ),
    "invalid_obs_status": (
        "OBS_STATUS '{value}' không hợp lệ (để trống khi có số; M, L hoặc O khi không có số liệu).",
        "OBS_STATUS '{value}' is invalid (empty with a number; M, L or O for no data).",
    ),
}


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def problem(code: str, location: Location | None = None, value: Any = None, **params: Any) -> ProblemItem:
    """A problem with its messages filled in (`value` is also available to the templates)."""
    vi, en = MESSAGES[code]
    fill = _Blank(params, value=value)
    return ProblemItem(
        code=code,
        location=location or Location(),
        message_vi=vi.format_map(fill),
        message_en=en.format_map(fill),
        value=value,
    )
