"""Choosing the response format: the `format` parameter first, then the Accept header, JSON by default."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"
    SDMX_CSV = "sdmx-csv"
    SDMX_JSON = "sdmx-json"
    SDMX_ML = "sdmx-ml"


@dataclass(frozen=True)
class MediaType:
    type: str
    extension: str


MEDIA = {
    Format.JSON: MediaType("application/json", "json"),
    Format.CSV: MediaType("text/csv; charset=utf-8", "csv"),
    Format.XLSX: MediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    Format.SDMX_CSV: MediaType("application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8", "csv"),
    Format.SDMX_JSON: MediaType("application/vnd.sdmx.data+json; version=2.0.0", "json"),
    Format.SDMX_ML: MediaType("application/vnd.sdmx.structure+xml; version=3.0.0", "xml"),
}
STRUCTURE_JSON = "application/vnd.sdmx.structure+json; version=2.0.0"

_ACCEPT = {
    "text/csv": Format.CSV,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": Format.XLSX,
    "application/vnd.sdmx.data+csv": Format.SDMX_CSV,
    "application/vnd.sdmx.data+json": Format.SDMX_JSON,
    "application/vnd.sdmx.structure+json": Format.SDMX_JSON,
    "application/vnd.sdmx.structure+xml": Format.SDMX_ML,
    "application/json": Format.JSON,
}


def from_accept(accept: str | None, allowed: tuple[Format, ...]) -> Format:
    """The first allowed format named by the Accept header (parameters such as `version=` ignored)."""
    for part in (accept or "").split(","):
        media = part.split(";")[0].strip().lower()
        chosen = _ACCEPT.get(media)
        if chosen is not None and chosen in allowed:
            return chosen
    return allowed[0]


def content_types(allowed: tuple[Format, ...]) -> list[str]:
    return [MEDIA[f].type for f in allowed]
