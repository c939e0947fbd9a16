"""English of the layout, sign-in, error pages, home page and accounts pages."""

from __future__ import annotations

EN: dict[str, str] = {
    # layout
    "Hệ thống số liệu công tác dân tộc": "Ethnic affairs data system",
    "Bỏ qua, đến nội dung chính": "Skip to main content",
    "Việc cần làm": "To do",
    "Nhập số liệu": "Data entry",
    "Tệp Excel": "Excel",
    "Tình hình báo cáo": "Completeness",
    "Khai thác số liệu": "Explore",
    "Tài khoản": "Accounts",
    "Đăng xuất": "Sign out",
    "Đổi mật khẩu": "Change password",
    "Đơn vị": "Unit",
    "Kỳ báo cáo": "Period",
    "Ngôn ngữ": "Language",
    "Điều hướng chính": "Main navigation",
    # sign-in
    "Đăng nhập": "Sign in",
    "Tên đăng nhập": "Username",
    "Mật khẩu": "Password",
    "Tên đăng nhập hoặc mật khẩu không đúng.": "Wrong username or password.",
    "Tài khoản tạm khóa do đăng nhập sai nhiều lần. Thử lại sau {until}.": (
        "The account is locked after repeated failed sign-ins. Try again after {until}."
    ),
    "Tài khoản đã bị vô hiệu hóa. Liên hệ quản trị cấp tỉnh.": (
        "The account is disabled. Contact your provincial administrator."
    ),
    "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng thử lại.": (
        "The session expired or the form is not valid. Please try again."
    ),
    "Bạn đã đăng xuất.": "You have signed out.",
    "Lần đầu đăng nhập: hãy đặt mật khẩu mới.": "First sign-in: please set a new password.",
    "Mật khẩu chưa được đổi: {count} lỗi, xem bên dưới.": "The password is not changed: {count} problems, see below.",
    "Mật khẩu hiện tại": "Current password",
    "Mật khẩu mới": "New password",
    "Nhập lại mật khẩu mới": "New password again",
    "Lưu mật khẩu": "Save password",
    "Ít nhất 10 ký tự, không chứa tên đăng nhập.": "At least 10 characters, not containing the username.",
    "Mật khẩu hiện tại không đúng.": "The current password is wrong.",
    "Hai mật khẩu mới không giống nhau.": "The two new passwords differ.",
    "Mật khẩu mới phải khác mật khẩu cũ.": "The new password must differ from the old one.",
    "Đã đổi mật khẩu.": "Password changed.",
    # errors
    "Không có quyền truy cập": "Access denied",
    "Đơn vị này nằm ngoài phạm vi của bạn.": "This unit is outside your scope.",
    "Trang này dành cho quản trị viên.": "This page is for administrators.",
    "Không tìm thấy trang": "Page not found",
    "Trang bạn tìm không tồn tại.": "The page you asked for does not exist.",
    "Yêu cầu không hợp lệ": "Invalid request",
    "Biểu mẫu thiếu mã bảo vệ (CSRF) hoặc mã đã hết hạn. Hãy tải lại trang và gửi lại.": (
        "The form lacks its protection token (CSRF) or it has expired. Reload the page and send again."
    ),
    "Hệ thống đang bận": "The system is busy",
    "Một dịch vụ của hệ thống không trả lời. Số liệu bạn đã nhập vẫn được giữ; hãy thử lại sau ít phút.": (
        "A service of the system did not answer. What you entered is kept; try again in a few minutes."
    ),
    "Đã xảy ra lỗi": "Something went wrong",
    "Về trang chủ": "Back to the home page",
    "Không có đơn vị hoặc kỳ báo cáo này.": "There is no such unit or period.",
    "Tệp quá lớn": "File too large",
    # home
    "Xin chào, {name}": "Hello, {name}",
    "Vai trò": "Role",
    "Phạm vi": "Scope",
    "Đơn vị cần báo cáo": "Units to report",
    "Đã nhập": "Entered",
    "Còn thiếu": "Missing",
    "Bị từ chối": "Rejected",
    "Không có số liệu": "No data",
    "Chưa báo cáo": "Not reported",
    "Đơn vị cấp dưới chưa báo cáo": "Units below that have not reported",
    "Tất cả đơn vị cấp dưới đã báo cáo.": "Every unit below has reported.",
    "Nhóm chỉ tiêu": "Indicator group",
    "Chỉ tiêu": "Indicator",
    "Không có việc nào.": "Nothing to do.",
    "Lần gửi gần nhất": "Latest submissions",
    "Trạng thái": "Status",
    "Thời điểm": "Time",
    "Mở": "Open",
    # accounts
    "Danh sách tài khoản": "Accounts",
    "Tạo tài khoản": "Create account",
    "Họ tên": "Full name",
    "Mã đơn vị": "Unit code",
    "Cơ quan": "Agency",
    "Đang hoạt động": "Active",
    "Đã vô hiệu hóa": "Disabled",
    "Đang khóa": "Locked",
    "Vô hiệu hóa": "Disable",
    "Kích hoạt lại": "Enable",
    "Đặt lại mật khẩu": "Reset password",
    "Nhập từ tệp CSV": "Import from CSV",
    "Tệp CSV": "CSV file",
    "Nhập tài khoản": "Import accounts",
    "Mật khẩu tạm thời (chỉ hiện một lần, người dùng phải đổi khi đăng nhập):": (
        "Temporary password (shown once; the user must change it at sign-in):"
    ),
    "Đã tạo {count} tài khoản.": "{count} accounts created.",
    "Tệp có {count} lỗi; chưa tạo tài khoản nào.": "The file has {count} problems; no account was created.",
    "Dòng": "Row",
    "Cột": "Column",
    "Lỗi": "Problem",
    "Tên đăng nhập đã tồn tại.": "The username is taken.",
    "Đơn vị không tồn tại.": "No such unit.",
    "Cơ quan chưa đăng ký hoặc không phụ trách đơn vị này.": "The agency is not registered or not for this unit.",
    "Bạn không được quản lý tài khoản này.": "You may not manage this account.",
    "Cột CSV: username, display_name, role, unit_code, agency.": (
        "CSV columns: username, display_name, role, unit_code, agency."
    ),
    "Nhật ký đăng nhập": "Sign-in log",
    "Kết quả": "Outcome",
    "Địa chỉ": "Address",
    "Thành công": "Success",
    "Sai mật khẩu": "Wrong password",
    "Không có tài khoản": "Unknown user",
    "Tài khoản bị khóa": "Account locked",
    "Tài khoản bị vô hiệu hóa": "Account disabled",
}
