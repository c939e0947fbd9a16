"""Admin endpoints (bearer token): a new version of an indicator, and importing a whole catalogue file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, Query, UploadFile, status

from dantoc_catalog.api.deps import Admin, ContainerDep
from dantoc_catalog.api.indicator_models import ImportReportOut, IndicatorOut, NewVersionIn, UnitsImportReportOut
from dantoc_catalog.domain.problems import ProblemsFound, problem
from dantoc_catalog.services import admin as changes
from dantoc_contracts.codes import INDICATOR_CODE_PATTERN
from dantoc_contracts.problems import Location

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Admin])


@router.post("/indicators/{code}/versions", status_code=status.HTTP_201_CREATED)
async def create_version(
    container: ContainerDep,
    code: Annotated[str, Path(pattern=INDICATOR_CODE_PATTERN, examples=["0101"])],
    body: NewVersionIn,
) -> IndicatorOut:
    """Create the next version of an indicator; the previous version ends the day before it takes effect."""
    versions = await changes.create_version(
        uow_factory=container.uow_factory, queries=container.queries, relay=container.publisher, code=code,
        cells=body.cells(),
    )  # fmt: skip
    return IndicatorOut.of(versions)


@router.post("/imports")
async def import_file(
    container: ContainerDep,
    file: Annotated[UploadFile, File(description="The catalogue file, CSV (UTF-8) or XLSX, columns as exported.")],
    dry_run: Annotated[bool, Query(description="Check and report without applying anything.")] = False,
) -> ImportReportOut:
    """Import a whole catalogue (replaces it): all or nothing, every problem listed with its row and cell."""
    data = await _read(file, container.max_import_bytes)
    report = await changes.import_catalogue_file(
        uow_factory=container.uow_factory, relay=container.publisher, metrics=container.metrics, data=data,
        dry_run=dry_run, limits=container.import_limits,
    )  # fmt: skip
    return ImportReportOut(
        dry_run=report.dry_run, file_format=report.file_format.value, indicators=report.indicators,
        versions=report.versions, groups=report.groups, added=report.added, changed=report.changed,
        removed=report.removed,
    )  # fmt: skip


@router.post("/imports/units")
async def import_units_file(
    container: ContainerDep,
    file: Annotated[UploadFile, File(description="Every unit of every map, CSV (UTF-8) or XLSX, columns as exported.")],
    dry_run: Annotated[bool, Query(description="Check and report without applying anything.")] = False,
) -> UnitsImportReportOut:
    """Import the administrative units (replaces all maps): all or nothing, every problem with its row and cell."""
    data = await _read(file, container.max_import_bytes)
    report = await changes.import_units_file(
        uow_factory=container.uow_factory, relay=container.publisher, metrics=container.metrics, data=data,
        dry_run=dry_run, limits=container.import_limits,
    )  # fmt: skip
    return UnitsImportReportOut(
        dry_run=report.dry_run, file_format=report.file_format.value, units=report.units, added=report.added,
        changed=report.changed, removed=report.removed,
    )  # fmt: skip


async def _read(file: UploadFile, limit: int) -> bytes:
    """The file's bytes; the body limit has refused a larger request already, this bounds the part itself."""
    data = await file.read(limit + 1)
    if len(data) > limit:
        items = [problem("file_too_large", Location(field="file"), detail=f"more than {limit} bytes")]
        raise ProblemsFound(items, status=413, title="File too large")
    return data
