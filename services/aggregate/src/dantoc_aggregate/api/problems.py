"""RFC 9457 problem documents, every problem listed at once, and the handler that turns bad input into them."""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from dantoc_contracts.problems import Location, ProblemDocument, ProblemItem

MEDIA_TYPE = "application/problem+json"


def problem_response(
    status: int, title: str, problems: list[tuple[str, str, str, str]], instance: str | None = None
) -> JSONResponse:
    """A problem document; each problem is (field, code, message_vi, message_en)."""
    items = [ProblemItem(code=c, location=Location(field=f), message_vi=vi, message_en=en) for f, c, vi, en in problems]
    document = ProblemDocument(title=title, status=status, instance=instance, errors=items)
    return JSONResponse(document.model_dump(mode="json", exclude_none=True), status_code=status, media_type=MEDIA_TYPE)


async def validation_problem(request: Request, error: Exception) -> JSONResponse:
    """422 listing every invalid parameter."""
    assert isinstance(error, RequestValidationError)
    problems = [
        (
            ".".join(str(p) for p in item["loc"]),
            "invalid_parameter",
            f"Tham số không hợp lệ: {item['msg']}",
            item["msg"],
        )
        for item in error.errors()
    ]
    return problem_response(422, "Invalid request", problems, instance=request.url.path)


class ProblemError(Exception):
    """Raised by a dependency or route: answered as a problem document (see `problem_error`)."""

    def __init__(self, status: int, title: str, problems: list[tuple[str, str, str, str]]) -> None:
        super().__init__(title)
        self.status, self.title, self.problems = status, title, problems


async def problem_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ProblemError)
    response = problem_response(error.status, error.title, error.problems, instance=request.url.path)
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="dantoc"'
    return response
