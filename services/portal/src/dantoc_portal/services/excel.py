"""Excel: the template of a unit, period and group (ingest's XLSX, fetched with the person's token) and the upload
of a filled one (ingest's `/submissions/file`): accepted with its counts, or every problem with sheet, row, cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dantoc_portal.clients.services import Services
from dantoc_portal.domain.grid_checks import Message
from dantoc_portal.domain.roles import Person
from dantoc_portal.services.scope import require_unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATA_SHEET = "Số liệu"  # the template's data sheet (ingest's files/templates.py)
FILE_PROBLEM = Message("Tệp không hợp lệ.", "The file is not valid.")


@dataclass(frozen=True, slots=True)
class Template:
    body: bytes
    filename: str


async def template(services: Services, person: Person, token: str, unit: str, period: str, group: str) -> Template:
    await require_unit(services.catalog, person, unit, period)
    params = {"unit_code": unit, "period": period, "format": "xlsx", **({"group": group} if group else {})}
    answer = await services.ingest.request("GET", "/templates", token=token, params=params, accept=XLSX)
    name = f"bieu-nhap-{unit}-{period}{'-' + group if group else ''}.xlsx"
    return Template(answer.content, name)


@dataclass(frozen=True, slots=True)
class FileProblem:
    sheet: str
    row: int | None
    cell: str | None
    message: Message


@dataclass(frozen=True, slots=True)
class UploadResult:
    accepted: bool
    report: dict[str, Any] | None = None
    problems: list[FileProblem] = field(default_factory=list)
    replayed: bool = False


def file_problems(errors: list[Any]) -> list[FileProblem]:
    """Ingest's problems of a file, each with the sheet, row and cell it names (by row, then cell)."""
    found: list[FileProblem] = []
    for item in errors:
        if not isinstance(item, dict):
            continue
        found_at = item.get("location")
        location: dict[str, Any] = found_at if isinstance(found_at, dict) else {}
        row = location.get("row") if isinstance(location.get("row"), int) else None
        cell = location.get("cell") if isinstance(location.get("cell"), str) else None
        message = Message(str(item.get("message_vi", "")), str(item.get("message_en", "")))
        found.append(FileProblem(DATA_SHEET if row is not None or cell is not None else "", row, cell, message))
    return sorted(found, key=lambda p: (p.row is None, p.row or 0, p.cell or ""))


async def upload(services: Services, token: str, filename: str, data: bytes) -> UploadResult:
    files = {"file": (filename or "bieu-nhap.xlsx", data, XLSX)}
    answer = await services.ingest.request(
        "POST", "/submissions/file", token=token, files=files, ok=(200, 202, 413, 422)
    )
    body = answer.body if isinstance(answer.body, dict) else {}
    if answer.status in (200, 202):
        replayed = answer.headers.get("idempotent-replayed", "") == "true"
        return UploadResult(True, body, replayed=replayed)
    problems = file_problems(body.get("errors") or [])
    return UploadResult(False, body, problems or [FileProblem("", None, None, FILE_PROBLEM)])
