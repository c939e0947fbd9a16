"""Every error as an RFC 9457 problem document (application/problem+json) listing all its problems."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from dantoc_contracts.problems import Location, ProblemDocument, ProblemItem
from dantoc_gateway.domain.problems import PROBLEM_BASE, ProblemError, Problems

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"
PROBLEM_CONTENT = {"content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDocument"}}}}
"""What an OpenAPI response entry of a problem document holds (`**PROBLEM_CONTENT` beside its description)."""


def problem_response(error: ProblemError, request: Request, extra: dict[str, Any] | None = None) -> JSONResponse:
    """The problem document of `error`; `extra` adds extension members (RFC 9457 §3.2)."""
    document = ProblemDocument(
        type=error.type,
        title=error.title,
        status=error.status,
        instance=request.url.path,
        errors=error.items,
        **(extra or {}),
    )
    document.detail = "; ".join(item.message_en for item in error.items) or None
    headers = {"WWW-Authenticate": 'Bearer realm="dantoc"'} if error.status == 401 else None
    runtime = getattr(request.app.state, "runtime", None)
    if runtime is not None and error.status in (401, 403):
        for item in error.items:
            runtime.metrics.denials.labels(item.code).inc()
    return JSONResponse(document.model_dump(mode="json"), error.status, headers=headers, media_type=PROBLEM_JSON)


async def _problem(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ProblemError)
    return problem_response(error, request)


async def _validation(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    items = []
    for fault in error.errors():
        field = ".".join(str(part) for part in fault.get("loc", ())[1:]) or None
        items.append(
            ProblemItem(
                code="invalid_parameter",
                location=Location(field=field),
                message_vi=f"Tham số {field} không hợp lệ: {fault.get('msg')}.",
                message_en=f"Parameter {field} is not valid: {fault.get('msg')}.",
                value=str(fault.get("input"))[:200] if fault.get("input") is not None else None,
            )
        )
    return problem_response(ProblemError(400, "Invalid request parameters", items, "invalid_parameter"), request)


async def _http(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    problems = Problems()
    if error.status_code == 404:
        problems.add("not_found", None, request.url.path)
    elif error.status_code == 405:
        problems.add("method_not_allowed", None, request.method)
    else:
        problems.add("http_error", None, error.status_code)
    return problem_response(ProblemError(error.status_code, str(error.detail), problems.items), request)


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception(
        "unexpected error on %s",
        request.url.path,
        exc_info=error,
        extra={"event": "http.unexpected_error", "path": request.url.path, "error": repr(error)},
    )
    problems = Problems()
    problems.add("internal_error")
    return problem_response(ProblemError(500, "Internal error", problems.items), request)


def install(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _problem)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)


__all__ = ["PROBLEM_BASE", "PROBLEM_CONTENT", "PROBLEM_JSON", "install", "problem_response"]
