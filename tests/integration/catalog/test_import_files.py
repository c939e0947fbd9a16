"""Whatever file an admin uploads, the catalog answers a problem document with its place (422), never a 500, and
changes nothing; files are parsed off the event loop, so the service answers while a large one is read."""

from __future__ import annotations

import asyncio
import io
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from openpyxl import Workbook

from dantoc_catalog.domain.units_file import UnitsRead, read_units_file
from dantoc_catalog.services import units as units_service
from dantoc_catalog.services.seed import package_data_dir
from dantoc_contracts.uploads import UploadLimits
from tests.support.catalog.serving import AUTH, RunningCatalog, catalog_settings, running_catalog
from tests.support.mutations import with_member

pytestmark = pytest.mark.integration
MAX_ROWS = 20_000


@pytest.fixture
async def catalog(kafka: str, namespace: str, tmp_path: Path) -> AsyncIterator[RunningCatalog]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'catalog.db'}"
    settings = catalog_settings(url, kafka, namespace, import_max_rows=MAX_ROWS, import_max_unpacked_bytes=8 << 20)
    async with running_catalog(settings) as running:
        yield running


def workbook(rows: list[list[str]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("indicators")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(workbook([["code"]])))
    with source, zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("xl/padding.bin", b"\0" * (64 << 20))
    return out.getvalue()


def too_many_rows() -> bytes:
    return b"code,name_vi\n" + b"".join(b"%04d,x\n" % (n % 10_000) for n in range(MAX_ROWS + 50))


FILES = {
    "not UTF-8": (b"code,name_vi\n\xff\xfe,x\n", "unreadable_file", "file"),
    "text after a closing quote": (b'code,name_vi\n0101,"a"b\n', "unreadable_file", "file"),
    "a zip that is not a workbook": (b"PK\x03\x04" + b"\0" * 64, "unreadable_file", "file"),
    "a worksheet that is not XML": (
        with_member(workbook([["code"], ["0101"]]), "xl/worksheets/sheet1.xml", b"<row"),
        "unreadable_file",
        "file",
    ),
    "an XML entity": (
        with_member(workbook([["code"]]), "xl/worksheets/sheet1.xml", b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'),
        "unreadable_file",
        "file",
    ),
    "a zip bomb": (zip_bomb(), "file_too_large", "file"),
    "more rows than allowed": (too_many_rows(), "too_many_rows", "file"),
}


async def test_a_malformed_file_is_a_422_with_its_place_and_changes_nothing(catalog: RunningCatalog) -> None:
    """Every file of FILES to both imports (one service for all: it seeds 14 149 units when it starts)."""
    before = await catalog.records()
    answers = {}
    for path in ("/admin/imports", "/admin/imports/units"):
        for name, (data, _, _) in FILES.items():
            response = await catalog.client.post(path, files={"file": ("f", data)}, headers=AUTH)
            errors = response.json().get("errors", [])
            kind = response.headers["content-type"].split(";")[0]
            answers[path, name] = (response.status_code, kind, [(e["code"], e["location"]["field"]) for e in errors])
    expected = {
        (path, name): (422, "application/problem+json", [(code, field)])
        for path in ("/admin/imports", "/admin/imports/units")
        for name, (_, code, field) in FILES.items()
    }
    assert answers == expected
    assert await catalog.records() == before


def on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


async def test_the_service_answers_while_a_large_file_is_read(
    catalog: RunningCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The package's whole units file (14 149 rows) as XLSX: parsed in a worker thread, /health answers meanwhile."""
    parsed_on_loop: list[bool] = []

    def watched(data: bytes, limits: UploadLimits) -> UnitsRead:
        parsed_on_loop.append(on_event_loop())
        return read_units_file(data, limits)

    monkeypatch.setattr(units_service, "read_units_file", watched)
    rows = [line.split(",") for line in (package_data_dir() / "admin_units.csv").read_text().splitlines()]
    data = workbook(rows)
    upload = asyncio.create_task(
        catalog.client.post("/admin/imports/units?dry_run=true", files={"file": ("u.xlsx", data)}, headers=AUTH)
    )
    answered_during = 0
    while not upload.done():
        health = await catalog.client.get("/health")
        assert health.status_code == 200
        answered_during += 0 if upload.done() else 1
        await asyncio.sleep(0.01)
    response: httpx.Response = await upload
    assert response.status_code == 200, response.text
    assert response.json()["units"] == len(rows) - 1
    assert parsed_on_loop == [False]
    assert answered_during > 0
