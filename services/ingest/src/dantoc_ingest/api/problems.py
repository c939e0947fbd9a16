"""Errors as RFC 9457 problem documents listing every problem at once (never a bare 500 for bad input)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from dantoc_contracts.problems import Location, ProblemDocument, ProblemItem
from dantoc_ingest.domain.problems import problem
from dantoc_ingest.services.authorization import Denied
from dantoc_ingest.services.decide import SubmissionIdConflict

MEDIA_TYPE = "application/problem+json"
_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    503: "Service unavailable",
}


class ProblemError(Exception):
    """Raise to answer with a problem document."""

    def __init__(
        self,
        status: int,
        errors: Sequence[ProblemItem],
        *,
        title: str | None = None,
        detail: str | None = None,
        type_: str = "about:blank",
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail or title or _TITLES.get(status, "Error"))
        self.status, self.errors, self.title, self.detail = status, list(errors), title, detail
        self.type_, self.headers, self.extensions = type_, headers, extensions


def forbidden(denials: Sequence[ProblemItem], *, detail: str | None = None) -> ProblemError:
    """The one 403 answer: every denial listed (outside the token's scope, a right missing, another agency)."""
    return ProblemError(403, denials, detail=detail)


def problem_response(request: Request, error: ProblemError) -> JSONResponse:
    document = ProblemDocument(
        type=error.type_,
        title=error.title or _TITLES.get(error.status, "Error"),
        status=error.status,
        detail=error.detail or (error.errors[0].message_en if len(error.errors) == 1 else None),
        instance=request.url.path,
        errors=error.errors,
        **error.extensions,
    )
    content = document.model_dump(mode="json")
    return JSONResponse(content, status_code=error.status, media_type=MEDIA_TYPE, headers=error.headers)


_INDEXED = re.compile(r"^(?P<name>.+)\[(?P<index>\d+)\]$")


def location_of(loc: Sequence[int | str]) -> Location:
    """A pydantic error location (`body.submissions.3.values.5.indicator`) as a problem location."""
    parts = [str(p) for p in loc if p != "body"]
    location = Location()
    names: list[str] = []
    for i, part in enumerate(parts):
        previous = parts[i - 1] if i else None
        if part.isdigit() and previous == "submissions":
            location.submission_index = int(part)
            names.clear()
        elif part.isdigit() and names:
            if previous == "values":
                location.value_index = int(part)
            names[-1] = f"{names[-1]}[{part}]"
        elif part != "submissions":
            names.append(part)
    location.field = ".".join(names) or None
    return location


def _validation_items(error: RequestValidationError) -> list[ProblemItem]:
    items = []
    for item in error.errors():
        location = location_of(item.get("loc", ()))
        kind = item.get("type", "")
        field = location.field or "body"
        if kind == "missing":
            items.append(problem("missing_field", location, field=field))
        elif kind == "extra_forbidden":
            items.append(problem("unknown_field", location, item.get("input"), field=field))
        else:
            detail = str(item.get("msg", kind))
            items.append(problem("invalid_field", location, _jsonable(item.get("input")), field=field, detail=detail))
    return items


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None)) else repr(value)[:200]


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem document."""

    async def on_problem(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ProblemError)
        return problem_response(request, error)

    async def on_validation(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        items = _validation_items(error)
        return problem_response(request, ProblemError(422, items, detail=f"{len(items)} problem(s) in the request"))

    async def on_http(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        return problem_response(request, ProblemError(error.status_code, [], detail=str(error.detail)))

    async def on_denied(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, Denied)
        return problem_response(request, forbidden(error.denials, detail=error.detail))

    async def on_conflict(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, SubmissionIdConflict)
        return problem_response(request, ProblemError(409, [error.item]))

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(Denied, on_denied)
    app.add_exception_handler(SubmissionIdConflict, on_conflict)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
