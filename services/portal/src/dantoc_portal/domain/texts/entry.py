"""English of the data-entry, cell-history and Excel pages."""

from __future__ import annotations

EN: dict[str, str] = {
    # entry
    "Nhập số liệu": "Data entry",
    "Nhóm chỉ tiêu": "Indicator group",
    "— chọn nhóm —": "— pick a group —",
    "Mở biểu": "Open the form",
    "Đơn vị này không có chỉ tiêu nào bạn nhập cho kỳ này.": "You enter no indicator of this unit for this period.",
    "Báo cáo này đã được gửi trước đó; không có gì thay đổi.": "This report was sent before; nothing changed.",
    "Đã gửi báo cáo: {count} giá trị được chấp nhận ({changed} thay đổi, {unchanged} không đổi).": (
        "Report sent: {count} values accepted ({changed} changed, {unchanged} unchanged)."
    ),
    "Mã báo cáo": "Submission id",
    "Đã lưu và kiểm tra: không có lỗi. Bấm “Gửi báo cáo” để gửi.": (
        "Saved and checked: no problems. Press “Send report” to send it."
    ),
    "Có {count} lỗi. Các ô có lỗi được đánh dấu bên dưới; số liệu đã nhập vẫn được giữ.": (
        "{count} problem(s). The cells concerned are marked below; what you typed is kept."
    ),
    "Bản nháp lưu lúc {when}.": "Draft saved at {when}.",
    "Đã khôi phục số liệu chưa lưu trên máy này.": "Unsaved values on this device were restored.",
    "Nhập số theo cách Việt Nam (1.520 hoặc 12,5). Enter hoặc Tab để sang ô sau. Ô để trống không được gửi.": (
        "Type numbers the Vietnamese way (1.520 or 12,5). Enter or Tab moves on. Empty cells are not sent."
    ),
    "Kỳ trước": "Previous period",
    "Lưu và kiểm tra": "Save and check",
    "Gửi báo cáo": "Send report",
    "Thêm dân tộc khác": "Add another ethnic group",
    "— chọn dân tộc —": "— pick a group —",
    "Thêm dân tộc": "Add group",
    "Dân tộc": "Ethnic group",
    "Chỉ tiêu": "Indicator",
    "Tổng": "Total",
    "Nam": "Male",
    "Nữ": "Female",
    "Tất cả dân tộc": "All ethnic groups",
    "không có số liệu": "no data",
    "Lần sửa {revision}": "Revision {revision}",
    "Lịch sử": "History",
    "Không có số liệu": "No data",
    "Lý do không có số liệu": "Reason for no data",
    "Trang này dành cho cán bộ nhập liệu.": "This page is for data-entry officials.",
    "Chưa chọn nhóm chỉ tiêu.": "No indicator group was picked.",
    "Chưa nhập số liệu nào.": "Nothing has been entered.",
    # history
    "Lịch sử ô số liệu": "History of a cell",
    "Giới tính": "Sex",
    "Ô này chưa có số liệu nào được chấp nhận.": "No value of this cell has been accepted yet.",
    "Lần sửa": "Revision",
    "Kết quả": "Outcome",
    "Giá trị": "Value",
    "Cơ quan": "Agency",
    "Người gửi": "Submitted by",
    "Thời điểm": "Time",
    "Tạo mới": "Created",
    "Cập nhật": "Updated",
    "Rút lại": "Retracted",
    "Xóa": "Deleted",
    "Về biểu nhập": "Back to the form",
    # excel
    "Tệp Excel": "Excel",
    "Nhập số liệu bằng tệp Excel": "Data entry with an Excel file",
    "1. Chọn biểu": "1. Pick the form",
    "2. Tải biểu mẫu": "2. Download the template",
    "3. Tải lên tệp đã điền": "3. Upload the filled file",
    "Tải biểu mẫu Excel": "Download the Excel template",
    "nhóm": "group",
    "tất cả các nhóm": "every group",
    "Điền cột “Giá trị”; nếu không có số liệu, ghi x và lý do. Không sửa các cột mã.": (
        "Fill in the “Value” column; for no data, write x and the reason. Do not change the code columns."
    ),
    "Tệp Excel đã điền": "Filled Excel file",
    "Tải lên và gửi": "Upload and send",
    "Kết quả tải tệp": "Upload result",
    "Tệp": "File",
    "Tệp này đã được gửi trước đó; không có gì thay đổi.": "This file was sent before; nothing changed.",
    "Đã chấp nhận {count} giá trị ({changed} thay đổi, {unchanged} không đổi).": (
        "{count} values accepted ({changed} changed, {unchanged} unchanged)."
    ),
    "Xem số liệu trong biểu nhập": "See the values in the entry form",
    "Tệp có {count} lỗi; chưa giá trị nào được chấp nhận. Sửa các ô dưới đây rồi tải lên lại.": (
        "The file has {count} problem(s); nothing was accepted. Fix the cells below and upload it again."
    ),
    "Trang tính": "Sheet",
    "Dòng": "Row",
    "Ô": "Cell",
    "Lỗi": "Problem",
    "Tải tệp khác": "Upload another file",
    "Tệp quá lớn": "File too large",
    "Tệp vượt quá dung lượng cho phép.": "The file is larger than allowed.",
}
