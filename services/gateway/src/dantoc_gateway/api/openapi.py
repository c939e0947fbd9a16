"""OpenAPI adjustments: errors are problem documents (application/problem+json), never FastAPI's 422 shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from dantoc_contracts.problems import ProblemDocument

_REF = "#/components/schemas/{model}"


def _problem_schemas() -> dict[str, Any]:
    schema = ProblemDocument.model_json_schema(ref_template=_REF, mode="serialization")
    found: dict[str, Any] = schema.pop("$defs", {})
    found["ProblemDocument"] = schema
    return found


def openapi_factory(app: FastAPI) -> Callable[[], dict[str, Any]]:
    def build() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(_problem_schemas())
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        for operations in spec.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.get("responses", {})
                responses.pop("422", None)
                if "security" in operation and "401" not in responses:
                    responses["401"] = {"description": "No valid bearer token."}
                for code, response in responses.items():
                    if int(code) >= 400:
                        response["content"] = {
                            "application/problem+json": {"schema": {"$ref": _REF.format(model="ProblemDocument")}}
                        }
        app.openapi_schema = spec
        return spec

    return build
