"""Problems found in a request, each with its place and a message in Vietnamese and English."""

from __future__ import annotations

from typing import Any

from dantoc_contracts.problems import Location, ProblemItem

PROBLEM_BASE = "urn:dantoc:problem:"

# code → (Vietnamese, English); `{…}` fields are filled from the keyword arguments of `Problems.add`.
MESSAGES: dict[str, tuple[str, str]] = {
    "missing_parameter": ("Thiếu tham số {field}.", "Parameter {field} is required."),
    "malformed_code": (
        "Mã không hợp lệ trong {field}: {value!r} ({expected}).",
        "Malformed code in {field}: {value!r} ({expected}).",
    ),
    "unknown_indicator": ("Không có chỉ tiêu mã {value!r} trong danh mục.", "No indicator {value!r} in the catalog."),
    "unknown_group": (
        "Không có nhóm chỉ tiêu mã {value!r} trong danh mục.",
        "No indicator group {value!r} in the catalog.",
    ),
    "unknown_unit": ("Không có đơn vị hành chính mã {value!r}{when}.", "No administrative unit {value!r}{when_en}."),
    "unknown_code": ("Mã {value!r} không có trong danh mục {list}.", "Code {value!r} is not in the {list} code list."),
    "malformed_period": (
        "Kỳ báo cáo không hợp lệ: {value!r} (dạng 2024, 2024S1, 2024Q3, 202407).",
        "Malformed period {value!r}: expected YYYY, YYYYS1-2, YYYYQ1-4 or YYYYMM.",
    ),
    "period_range": ("Khoảng kỳ không hợp lệ: {reason_vi}.", "Invalid period range: {reason_en}."),
    "period_type_mismatch": (
        "Chỉ tiêu {value} báo cáo theo {expected_vi}; không có kỳ nào phù hợp trong {field}.",
        "Indicator {value} is reported by {expected}; no period in {field} is of that type.",
    ),
    "too_many_codes": (
        "Tham số {field} có {count} mã, tối đa {limit}.",
        "Parameter {field} has {count} codes; at most {limit} are allowed.",
    ),
    "page_size_too_large": (
        "Mỗi trang tối đa {limit} ô số liệu; dùng page=2, 3… để lấy tiếp.",
        "At most {limit} cells per response; ask for the next ones with page=2, 3…",
    ),
    "not_a_number": ("{field} phải là số nguyên dương: {value!r}.", "{field} must be a positive integer: {value!r}."),
    "malformed_timestamp": (
        "Thời điểm không hợp lệ: {value!r} (ISO 8601, ví dụ 2025-01-31T00:00:00Z).",
        "Malformed timestamp {value!r}: expected ISO 8601, e.g. 2025-01-31T00:00:00Z.",
    ),
    "malformed_cursor": ("Con trỏ trang không hợp lệ.", "The page cursor is not valid."),
    "unsupported_value": (
        "Giá trị {value!r} không được hỗ trợ cho {field}; dùng một trong: {allowed}.",
        "{value!r} is not supported for {field}; use one of: {allowed}.",
    ),
    "unknown_parameter": (
        "Tham số không được hỗ trợ: {field} (các tham số: {allowed}).",
        "Unknown parameter {field} (parameters: {allowed}).",
    ),
    "missing_token": (
        "Cần mã truy cập (Authorization: Bearer …).",
        "A bearer token is required (Authorization: Bearer …).",
    ),
    "invalid_token": ("Mã truy cập không hợp lệ: {reason}.", "The bearer token is not valid: {reason}."),
    "outside_scope": (
        "Không có quyền xem đơn vị {value} (phạm vi được xem: {scope}).",
        "Unit {value} is outside what you may see (your scope: {scope}).",
    ),
    "outside_agency_units": (
        "Không có quyền xem đơn vị {value}: cơ quan {agency} chưa nộp số liệu cho đơn vị này (cơ quan chỉ được xem "
        "các đơn vị mình đã nộp số liệu).",
        "Unit {value} is outside what you may see: agency {agency} has not submitted figures for it (an agency sees "
        "only the units it has submitted for).",
    ),
    "read_right_required": (
        "Mã truy cập không có quyền đọc (read).",
        "The bearer token does not carry the read right.",
    ),
    "agency_not_registered": (
        "Cơ quan {agency} chưa được đăng ký trong danh mục: mã truy cập không xem được đơn vị nào.",
        "Agency {agency} is not registered in the catalog: the token may see no unit.",
    ),
    "scope_required": ("Chỉ cấp trung ương được xem {what}.", "Only the national role may see {what}."),
    "body_too_large": (
        "Nội dung yêu cầu quá lớn: tối đa {limit} byte cho đường dẫn này.",
        "The request body is too large: at most {limit} bytes on this route.",
    ),
    "not_ready": ("Dịch vụ chưa sẵn sàng: {reason}.", "The service is not ready: {reason}."),
    "not_found": ("Không có tài nguyên {value}.", "No resource at {value}."),
    "method_not_allowed": ("Phương thức {value} không được hỗ trợ ở đây.", "Method {value} is not allowed here."),
    "http_error": ("Yêu cầu không được chấp nhận (HTTP {value}).", "Request refused (HTTP {value})."),
    "internal_error": ("Lỗi nội bộ; đã ghi nhận.", "Internal error; it has been logged."),
}


class Problems:
    """Collects every problem of a request, so they are reported at once."""

    def __init__(self) -> None:
        self.items: list[ProblemItem] = []

    def add(
        self, code: str, field: str | None = None, value: Any = None, *, template: str | None = None, **fields: Any
    ) -> None:
        """Add a problem; its messages come from `MESSAGES[template or code]`, filled from the other arguments."""
        vi, en = MESSAGES[template or code]
        values = {"field": field, "value": value, **fields}
        self.items.append(
            ProblemItem(
                code=code,
                location=Location(field=field),
                message_vi=vi.format(**values),
                message_en=en.format(**values),
                value=value,
            )
        )

    def items_for(self, *fields: str) -> list[ProblemItem]:
        return [item for item in self.items if item.location.field in fields]

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, status: int = 400, title: str = "Invalid request parameters") -> None:
        if self.items:
            raise ProblemError(status, title, self.items)

    def raise_outside_scope(self) -> None:
        """The one 403 "outside scope" answer, listing every unit the caller may not read."""
        self.raise_if_any(403, OUTSIDE_SCOPE)


class ProblemError(Exception):
    """Raised by any layer; the API turns it into an RFC 9457 problem document."""

    def __init__(self, status: int, title: str, items: list[ProblemItem], kind: str | None = None) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.items = items
        self.type = PROBLEM_BASE + (kind or (items[0].code if items else "error"))


def single(
    status: int, title: str, code: str, field: str | None = None, value: Any = None, **fields: Any
) -> ProblemError:
    problems = Problems()
    problems.add(code, field, value, **fields)
    return ProblemError(status, title, problems.items)


OUTSIDE_SCOPE = "Outside your scope"


def outside_scope(code: str, field: str | None = None, value: Any = None, **fields: Any) -> ProblemError:
    """The one 403 "outside scope" answer with a single problem (`raise outside_scope(...)`)."""
    return single(403, OUTSIDE_SCOPE, code, field, value, **fields)
