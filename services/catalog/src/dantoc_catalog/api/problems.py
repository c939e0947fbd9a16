"""Every error as an RFC 9457 problem document listing all problems at once (application/problem+json)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from dantoc_catalog.domain.problems import ProblemsFound, problem
from dantoc_contracts.problems import Location, ProblemDocument, ProblemItem

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger(__name__)
_DESCRIPTIONS = {
    400: "The request body cannot be read.",
    401: "Missing or wrong admin token.",
    404: "Not found.",
    413: "File too large.",
    422: "Invalid input: every problem, each with its place.",
    503: "Not ready.",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries of the problem documents a route may answer with."""
    schema = {"schema": {"$ref": "#/components/schemas/ProblemDocument"}}
    return {
        status: {"model": ProblemDocument, "description": _DESCRIPTIONS[status], "content": {MEDIA_TYPE: schema}}
        for status in statuses
    }


def problem_response(
    request: Request, status: int, title: str, errors: list[ProblemItem], detail: str | None = None
) -> JSONResponse:
    document = ProblemDocument(title=title, status=status, detail=detail, instance=request.url.path, errors=errors)
    return JSONResponse(document.model_dump(mode="json"), status_code=status, media_type=MEDIA_TYPE)


async def _problems(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ProblemsFound)
    detail = f"{len(error.problems)} problem(s) found" if error.status == 422 else None
    return problem_response(request, error.status, error.title, error.problems, detail)


async def _validation(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    items = [
        problem(
            "invalid_request",
            Location(field=".".join(str(part) for part in e["loc"])),
            value=e.get("input") if isinstance(e.get("input"), str | int | float | None) else None,
            detail=e["msg"],
        )
        for e in error.errors()
    ]
    return problem_response(request, 422, "Invalid request", items, f"{len(items)} problem(s) found")


async def _http(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    if error.status_code == 404:
        items = [problem("not_found", Location(field="path"), value=request.url.path)]
    else:
        items = [problem("invalid_request", Location(), detail=str(error.detail))]
    return problem_response(request, error.status_code, str(error.detail), items)


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    extra = {"event": "http.unexpected_error", "path": request.url.path, "error": repr(error)}
    log.exception("unexpected error", exc_info=error, extra=extra)
    return problem_response(request, 500, "Internal server error", [])


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemsFound, _problems)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
