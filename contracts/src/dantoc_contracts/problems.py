"""Problem documents (RFC 9457) and the problem items that list every fault of a request at once."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Location(BaseModel):
    """Where a problem is: any of a row (1-based, files), a cell (e.g. `D7`), a value index (0-based), a field."""

    model_config = ConfigDict(extra="ignore")

    row: int | None = Field(default=None, description="1-based row in the uploaded file.")
    cell: str | None = Field(default=None, description="Spreadsheet cell reference, e.g. `D7`, or a CSV column.")
    value_index: int | None = Field(default=None, description="0-based index in the submission's `values`.")
    field: str | None = Field(default=None, description="Field or parameter name, dotted for nested fields.")
    submission_index: int | None = Field(default=None, description="0-based index in a bulk request.")


class ProblemItem(BaseModel):
    """One problem with its place, a stable code, and messages in Vietnamese and English."""

    model_config = ConfigDict(extra="ignore")

    code: str = Field(description="Stable machine-readable code, e.g. `unknown_indicator`.")
    location: Location = Field(default_factory=Location, description="Where the problem is.")
    message_vi: str = Field(description="Message for officials, in Vietnamese.")
    message_en: str = Field(description="The same message in English.")
    value: Any = Field(default=None, description="The offending value, when there is one.")


class ProblemDocument(BaseModel):
    """RFC 9457 problem details, extended with `errors`: every problem found, not just the first."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(default="about:blank", description="URI identifying the problem type.")
    title: str = Field(description="Short summary of the problem type.")
    status: int = Field(description="HTTP status code.")
    detail: str | None = Field(default=None, description="Explanation specific to this occurrence.")
    instance: str | None = Field(default=None, description="URI of this occurrence (usually the request path).")
    errors: list[ProblemItem] = Field(default_factory=list, description="Every problem found, each with its place.")
