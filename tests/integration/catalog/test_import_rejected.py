"""A bad catalogue file is rejected whole with every problem; nothing of it is applied (SQLite and PostgreSQL)."""

from __future__ import annotations

import logging

import pytest

from dantoc_catalog.db.uow import UnitOfWorkFactory
from dantoc_catalog.domain.catalogue_file import FileFormat, HeaderStyle, write_catalogue
from dantoc_catalog.domain.problems import ProblemsFound
from dantoc_catalog.services.catalogue import export_catalogue, import_catalogue
from dantoc_catalog.services.seed import SeedData, package_data_dir
from tests.support.catalog.rows import BAD, EXPECTED

pytestmark = pytest.mark.integration


async def test_a_bad_file_is_rejected_whole_with_every_problem(
    seeded: UnitOfWorkFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="dantoc_catalog")
    uow_factory = seeded
    before = await export_catalogue(uow=uow_factory(), file_format=FileFormat.CSV, header=HeaderStyle.CODES)
    with pytest.raises(ProblemsFound) as rejected:
        await import_catalogue(uow=uow_factory(), data=BAD, dry_run=False)
    assert {(p.code, p.location.row, p.location.cell) for p in rejected.value.problems} == EXPECTED
    assert all(p.message_vi and p.message_en for p in rejected.value.problems)
    [logged] = [r for r in caplog.records if getattr(r, "event", None) == "catalog.import_rejected"]
    assert (getattr(logged, "kind", None), getattr(logged, "problem_count", None)) == ("indicators", 11)
    # Nothing of it was applied, and nothing waits to be published.
    assert await export_catalogue(uow=uow_factory(), file_format=FileFormat.CSV, header=HeaderStyle.CODES) == before
    async with uow_factory() as uow:
        assert await uow.outbox.backlog() == 0


async def test_a_dry_run_reports_and_changes_nothing(seeded: UnitOfWorkFactory, seed_data: SeedData) -> None:
    uow_factory = seeded
    before = await export_catalogue(uow=uow_factory(), file_format=FileFormat.CSV, header=HeaderStyle.CODES)
    kept = [d for d in seed_data.definitions if d.code != "0105"]
    report = await import_catalogue(
        uow=uow_factory(), data=write_catalogue(kept, file_format=FileFormat.XLSX), dry_run=True
    )
    assert (report.dry_run, report.file_format, report.removed, report.indicators) == (
        True,
        FileFormat.XLSX,
        ["0105"],
        77,
    )
    assert await export_catalogue(uow=uow_factory(), file_format=FileFormat.CSV, header=HeaderStyle.CODES) == before
    async with uow_factory() as uow:
        assert await uow.outbox.backlog() == 0


async def test_export_import_export_is_byte_identical(seeded: UnitOfWorkFactory) -> None:
    uow_factory = seeded
    exported = await export_catalogue(uow=uow_factory(), file_format=FileFormat.CSV, header=HeaderStyle.CODES)
    assert exported == (package_data_dir() / "indicators.csv").read_bytes()
    report = await import_catalogue(uow=uow_factory(), data=exported, dry_run=False)
    assert (report.added, report.changed, report.removed) == ([], [], [])
    assert await export_catalogue(uow=uow_factory(), file_format=FileFormat.CSV, header=HeaderStyle.CODES) == exported
    xlsx = await export_catalogue(uow=uow_factory(), file_format=FileFormat.XLSX, header=HeaderStyle.VI)
    await import_catalogue(uow=uow_factory(), data=xlsx, dry_run=False)
    assert await export_catalogue(uow=uow_factory(), file_format=FileFormat.CSV, header=HeaderStyle.CODES) == exported
    async with uow_factory() as uow:
        assert await uow.outbox.backlog() == 0  # nothing changed, so nothing to publish
