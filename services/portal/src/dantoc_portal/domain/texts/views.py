"""English of the home page (Việc cần làm), the completeness page (Tình hình báo cáo) and explore (Khai thác)."""

from __future__ import annotations

EN: dict[str, str] = {
    # shared
    "Xã": "Commune",
    "Huyện": "District",
    "Tỉnh": "Province",
    "Toàn quốc": "Nation",
    "Cấp": "Level",
    "Xem": "Show",
    "Tất cả": "All",
    "Tải về": "Download",
    "Biểu đồ": "Charts",
    "Chưa có số liệu": "No figures yet",
    "Đã báo cáo": "Reported",
    "Mã đơn vị gồm 2, 3 hoặc 5 chữ số.": "A unit code has 2, 3 or 5 digits.",
    "Kỳ báo cáo không hợp lệ (ví dụ: 2024, 2024Q3).": "Not a valid period (e.g. 2024, 2024Q3).",
    "Kỳ không hợp lệ (ví dụ: 2024, 2024Q3).": "Not a valid period (e.g. 2024, 2024Q3).",
    "Đơn vị không báo cáo kỳ này.": "The unit does not report this period.",
    # home
    "Số liệu cần báo cáo": "Figures to report",
    "Còn thiếu {count} chỉ tiêu": "{count} indicators missing",
    "Đã đủ": "Complete",
    "Xem, sửa": "View, edit",
    "nhóm {code}, {period}": "group {code}, {period}",
    "Xem thêm {count} kỳ báo cáo trước": "Show {count} earlier periods",
    "Các lần gửi dưới đây bị từ chối; hãy mở lại, sửa và gửi lại.": (
        "The submissions below were rejected; open them, correct them and send them again."
    ),
    "Sửa và gửi lại": "Correct and send again",
    "Cổng dữ liệu chỉ cho cơ quan của bạn xem các đơn vị cơ quan đã gửi số liệu.": (
        "The gateway lets your agency see only the units it has submitted figures for."
    ),
    "{count} đơn vị còn chỉ tiêu chưa báo cáo.": "{count} units have indicators not reported.",
    "Báo cáo một phần: {share} %": "Partly reported: {share} %",
    "Xem tình hình báo cáo {period}": "Completeness for {period}",
    "và {count} đơn vị khác": "and {count} more units",
    # completeness
    "Bộ lọc": "Filter",
    "Bộ lọc có {count} lỗi; hãy sửa các ô được đánh dấu.": (
        "The filter has {count} problems; correct the marked fields."
    ),
    "Bộ lọc không hợp lệ; hãy mở lại trang Tình hình báo cáo.": (
        "The filter is not valid; open the completeness page again."
    ),
    "Tỉnh, thành phố": "Province or city",
    "— Chọn —": "— Choose —",
    "Tình trạng": "Status",
    "Sắp xếp": "Sort",
    "Tên đơn vị (A–Z)": "Unit name (A–Z)",
    "Tên đơn vị (Z–A)": "Unit name (Z–A)",
    "Tỷ lệ đã báo cáo (thấp trước)": "Share reported (lowest first)",
    "Tỷ lệ đã báo cáo (cao trước)": "Share reported (highest first)",
    "Tỷ lệ đã báo cáo": "Share reported",
    "Không có nhóm chỉ tiêu này.": "No such indicator group.",
    "Tình trạng không hợp lệ.": "Not a valid status.",
    "Cách sắp xếp không hợp lệ.": "Not a valid sort order.",
    "Chọn một tỉnh, thành phố để xem tình hình báo cáo của các đơn vị trong đó.": (
        "Choose a province or city to see the completeness of its units."
    ),
    "Tổng hợp kỳ {period}": "Summary for {period}",
    "trên {count} cặp đơn vị – chỉ tiêu phải báo cáo": "of {count} unit–indicator pairs expected",
    "Các đơn vị ({count})": "Units ({count})",
    "Không có đơn vị nào khớp bộ lọc.": "No unit matches the filter.",
    "Mỗi ô nhóm: số chỉ tiêu đã báo cáo hoặc không có số liệu / số chỉ tiêu phải báo cáo.": (
        "Each group cell: indicators reported or declared without data / indicators expected."
    ),
    "Nhóm {code}": "Group {code}",
    "Số liệu": "Figures",
    "Khai thác": "Explore",
    "Nhập liệu": "Enter",
    "Bảng trên là dạng văn bản của biểu đồ.": "The table above is the text form of the chart.",
    "Có hơn {count} đơn vị: hãy lọc để xem biểu đồ theo đơn vị.": (
        "More than {count} units: filter to see the chart by unit."
    ),
    "Tình hình báo cáo theo nhóm chỉ tiêu: {unit}, {period}": "Completeness by indicator group: {unit}, {period}",
    "Tình hình báo cáo theo đơn vị: {unit}, {period}": "Completeness by unit: {unit}, {period}",
    "Số cặp đơn vị – chỉ tiêu đã báo cáo, không có số liệu và chưa báo cáo, theo nhóm.": (
        "Unit–indicator pairs reported, declared without data and not reported, by group."
    ),
    "Số chỉ tiêu đã báo cáo, không có số liệu và chưa báo cáo của từng đơn vị.": (
        "Indicators reported, declared without data and not reported, per unit."
    ),
    # explore
    "Lựa chọn": "Selection",
    "Lựa chọn có {count} lỗi; hãy sửa các ô được đánh dấu.": (
        "The selection has {count} problems; correct the marked fields."
    ),
    "Lựa chọn không hợp lệ; hãy mở lại trang Khai thác số liệu.": (
        "The selection is not valid; open the explore page again."
    ),
    "Kỳ": "Period",
    "Từ kỳ": "From",
    "Đến kỳ": "To",
    "Giá trị": "Value",
    "Dân tộc": "Ethnic group",
    "Đơn vị tính": "Unit of measure",
    "Đơn vị tính: {measure}": "Unit of measure: {measure}",
    "Đơn vị cấp dưới": "Units below",
    "Đơn vị này không có đơn vị cấp dưới.": "This unit has no units below it.",
    "Qua các kỳ, từ {first} đến {last}": "Over periods, from {first} to {last}",
    "Theo đơn vị cấp dưới, {period}": "By unit below, {period}",
    "Theo dân tộc, {period}": "By ethnic group, {period}",
    "{name} của {unit} qua các kỳ": "{name} of {unit} over periods",
    "{name} theo đơn vị cấp dưới, {period}": "{name} by unit below, {period}",
    "{name} theo dân tộc, {period}": "{name} by ethnic group, {period}",
    "Không có chỉ tiêu này.": "No such indicator.",
    "Kỳ đầu và kỳ cuối phải cùng loại (năm, quý, tháng).": "The first and last periods must be of one type.",
    "Kỳ cuối phải sau kỳ đầu.": "The last period must come after the first.",
    "Tối đa 20 kỳ.": "At most 20 periods.",
    "Chỉ tiêu này không chia theo dân tộc.": "This indicator is not broken down by ethnic group.",
    "Không lấy được chuỗi số liệu cho lựa chọn này.": "The series could not be read for this selection.",
    "Không lấy được số liệu của các đơn vị cấp dưới.": "The figures of the units below could not be read.",
    "Không lấy được số liệu theo dân tộc.": "The figures by ethnic group could not be read.",
}
