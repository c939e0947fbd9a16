"""Every error is a page in the person's language, never a stack trace: 403 outside the scope, 404, 400 for a
malformed request, 503 when another service does not answer, 500 otherwise (logged with its traceback)."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from dantoc_portal.api.deps import CHANGE_PASSWORD, CsrfRejected, PageProblem, PasswordChangeRequired, SignInRequired
from dantoc_portal.api.render import page
from dantoc_portal.clients.upstream import UpstreamError, UpstreamForbidden, UpstreamUnavailable
from dantoc_portal.services.scope import OutOfScope, UnknownPlace

log = logging.getLogger("dantoc_portal")

NOT_FOUND = PageProblem(404, "Không tìm thấy trang", "Trang bạn tìm không tồn tại.")
CSRF = PageProblem(
    403, "Yêu cầu không hợp lệ", "Biểu mẫu thiếu mã bảo vệ (CSRF) hoặc mã đã hết hạn. Hãy tải lại trang và gửi lại."
)
BUSY = PageProblem(
    503,
    "Hệ thống đang bận",
    "Một dịch vụ của hệ thống không trả lời. Số liệu bạn đã nhập vẫn được giữ; hãy thử lại sau ít phút.",
)
FORBIDDEN = PageProblem(403, "Không có quyền truy cập", "Đơn vị này nằm ngoài phạm vi của bạn.")
UNKNOWN = PageProblem(404, "Không tìm thấy trang", "Không có đơn vị hoặc kỳ báo cáo này.")
BROKEN = PageProblem(500, "Đã xảy ra lỗi", "Yêu cầu không hợp lệ")


def error_page(request: Request, problem: PageProblem) -> Response:
    return page(request, "error.html", {"problem": problem}, status=problem.status)


def install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, error: SignInRequired) -> Response:
        if request.headers.get("HX-Request"):
            return Response(status_code=401, headers={"HX-Redirect": f"/dang-nhap?next={quote(error.next_url)}"})
        return RedirectResponse(f"/dang-nhap?next={quote(error.next_url)}", status_code=303)

    @app.exception_handler(PasswordChangeRequired)
    async def _change(request: Request, error: PasswordChangeRequired) -> Response:
        return RedirectResponse(CHANGE_PASSWORD, status_code=303)

    @app.exception_handler(PageProblem)
    async def _page(request: Request, error: PageProblem) -> Response:
        return error_page(request, error)

    @app.exception_handler(CsrfRejected)
    async def _csrf(request: Request, error: CsrfRejected) -> Response:
        return error_page(request, CSRF)

    @app.exception_handler(OutOfScope)
    async def _out_of_scope(request: Request, error: OutOfScope) -> Response:
        return error_page(request, FORBIDDEN)

    @app.exception_handler(UnknownPlace)
    async def _unknown(request: Request, error: UnknownPlace) -> Response:
        return error_page(request, UNKNOWN)

    @app.exception_handler(UpstreamForbidden)
    async def _forbidden(request: Request, error: UpstreamForbidden) -> Response:
        return error_page(request, FORBIDDEN)

    @app.exception_handler(UpstreamUnavailable)
    async def _busy(request: Request, error: UpstreamUnavailable) -> Response:
        detail = {
            "service": error.service,
            "status": error.status,
            "detail": str(error.body.get("detail", "") if isinstance(error.body, dict) else error.body)[:300],
        }
        log.warning("upstream unavailable", extra={"event": "upstream.unavailable", "path": request.url.path, **detail})
        return error_page(request, BUSY)

    @app.exception_handler(UpstreamError)
    async def _upstream(request: Request, error: UpstreamError) -> Response:
        log.error("upstream error", extra={"event": "upstream.error", "service": error.service, "status": error.status})
        return error_page(request, PageProblem(502, "Đã xảy ra lỗi", "Yêu cầu không hợp lệ"))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        return error_page(request, PageProblem(400, "Yêu cầu không hợp lệ", "Yêu cầu không hợp lệ"))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404:
            return error_page(request, NOT_FOUND)
        return error_page(request, PageProblem(error.status_code, "Yêu cầu không hợp lệ", "Yêu cầu không hợp lệ"))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error", extra={"event": "page.error", "path": request.url.path})
        return error_page(request, BROKEN)
