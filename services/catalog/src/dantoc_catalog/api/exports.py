"""Exports: the indicator catalogue file and the units file, in the columns their imports read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from dantoc_catalog.api.deps import ContainerDep
from dantoc_catalog.domain.catalogue_file import HeaderStyle
from dantoc_catalog.domain.table_files import FileFormat
from dantoc_catalog.services.catalogue import export_catalogue
from dantoc_catalog.services.units import export_units

router = APIRouter(prefix="/exports", tags=["files"])
MEDIA = {
    FileFormat.CSV: "text/csv; charset=utf-8",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FILES = {200: {"content": {media: {} for media in MEDIA.values()}, "description": "The file."}}
FormatParam = Annotated[FileFormat, Query(description="csv or xlsx.")]


def _file(body: bytes, name: str, file_format: FileFormat) -> Response:
    disposition = f'attachment; filename="{name}.{file_format.value}"'
    return Response(body, media_type=MEDIA[file_format], headers={"Content-Disposition": disposition})


@router.get("/indicators", response_class=Response, responses=FILES)  # type: ignore[arg-type]
async def export_indicators(
    container: ContainerDep,
    format: FormatParam = FileFormat.CSV,
    header: Annotated[HeaderStyle, Query(description="Header: column codes, or Vietnamese labels (`vi`).")] = (
        HeaderStyle.CODES
    ),
) -> Response:
    """Export the catalogue file (every version of every indicator); importing it back changes nothing."""
    return _file(
        await export_catalogue(uow=container.uow_factory(), file_format=format, header=header), "indicators", format
    )


@router.get("/units", response_class=Response, responses=FILES)  # type: ignore[arg-type]
async def export_units_file(container: ContainerDep, format: FormatParam = FileFormat.CSV) -> Response:
    """Export every administrative unit of every map, with validity dates; importing it back changes nothing."""
    return _file(await export_units(uow=container.uow_factory(), file_format=format), "admin_units", format)
