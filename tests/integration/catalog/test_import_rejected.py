"""A bad catalogue file is rejected whole with every problem; nothing of it is applied (SQLite and PostgreSQL)."""

from __future__ import annotations

import logging

import pytest

from dantoc_catalog.db.uow import UnitOfWorkFactory
from dantoc_catalog.domain.catalogue_file import FileFormat, HeaderStyle, write_catalogue
from dantoc_catalog.domain.indicators import COLUMNS
from dantoc_catalog.domain.problems import ProblemsFound
from dantoc_catalog.services.catalogue import export_catalogue, import_catalogue
from dantoc_catalog.services.seed import SeedData, package_data_dir
from tests.unit.catalog.rows import csv_file, formula, row

pytestmark = pytest.mark.integration

BAD = csv_file(
    row(code="0101", name_vi="Dân số (sửa)"),  # row 2: a good change, which must not be applied either
    row(code="0101"),  # row 3: repeats code 0101 version 1
    formula("0103", "0101", "0199"),  # row 4: formula refers to a missing indicator
    formula("0104", "0105", "0101"),  # rows 5-6: formulas refer to each other
    formula("0105", "0104", "0101"),
    row(code="0106", period_type="weekly"),  # row 7: invalid period type
    row(code="0107", aggregation="MEDIAN", value_type="text", lowest_level="village", disaggregations="religion"),
    row(code="0108", min_value="10", max_value="1"),  # row 9: min > max
    columns=(*COLUMNS, "note"),  # an unknown column
)
EXPECTED = {
    ("unknown_column", 1, "W1"),
    ("duplicate_code", 3, "A3"),
    ("unknown_formula_indicator", 4, "L4"),
    ("formula_cycle", 5, "K5"),
    ("formula_cycle", 6, "K6"),
    ("invalid_choice", 7, "P7"),
    ("invalid_choice", 8, "I8"),
    ("invalid_choice", 8, "J8"),
    ("invalid_choice", 8, "N8"),
    ("invalid_choice", 8, "O8"),
    ("min_greater_than_max", 9, "R9"),
}


async def test_a_bad_file_is_rejected_whole_with_every_problem(
    seeded: UnitOfWorkFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="dantoc_catalog")
    uow_factory = seeded
    before = await export_catalogue(uow_factory, FileFormat.CSV, HeaderStyle.CODES)
    with pytest.raises(ProblemsFound) as rejected:
        await import_catalogue(uow_factory, BAD, dry_run=False)
    assert {(p.code, p.location.row, p.location.cell) for p in rejected.value.problems} == EXPECTED
    assert all(p.message_vi and p.message_en for p in rejected.value.problems)
    [logged] = [r for r in caplog.records if getattr(r, "event", None) == "catalog.import_rejected"]
    assert (getattr(logged, "kind", None), getattr(logged, "problem_count", None)) == ("indicators", 11)
    # Nothing of it was applied, and nothing waits to be published.
    assert await export_catalogue(uow_factory, FileFormat.CSV, HeaderStyle.CODES) == before
    async with uow_factory() as uow:
        assert await uow.outbox.backlog() == 0


async def test_a_dry_run_reports_and_changes_nothing(seeded: UnitOfWorkFactory, seed_data: SeedData) -> None:
    uow_factory = seeded
    before = await export_catalogue(uow_factory, FileFormat.CSV, HeaderStyle.CODES)
    kept = [d for d in seed_data.definitions if d.code != "0105"]
    report = await import_catalogue(uow_factory, write_catalogue(kept, file_format=FileFormat.XLSX), dry_run=True)
    assert (report.dry_run, report.file_format, report.removed, report.indicators) == (
        True,
        FileFormat.XLSX,
        ["0105"],
        77,
    )
    assert await export_catalogue(uow_factory, FileFormat.CSV, HeaderStyle.CODES) == before
    async with uow_factory() as uow:
        assert await uow.outbox.backlog() == 0


async def test_export_import_export_is_byte_identical(seeded: UnitOfWorkFactory) -> None:
    uow_factory = seeded
    exported = await export_catalogue(uow_factory, FileFormat.CSV, HeaderStyle.CODES)
    assert exported == (package_data_dir() / "indicators.csv").read_bytes()
    report = await import_catalogue(uow_factory, exported, dry_run=False)
    assert (report.added, report.changed, report.removed) == ([], [], [])
    assert await export_catalogue(uow_factory, FileFormat.CSV, HeaderStyle.CODES) == exported
    xlsx = await export_catalogue(uow_factory, FileFormat.XLSX, HeaderStyle.VI)
    await import_catalogue(uow_factory, xlsx, dry_run=False)
    assert await export_catalogue(uow_factory, FileFormat.CSV, HeaderStyle.CODES) == exported
    async with uow_factory() as uow:
        assert await uow.outbox.backlog() == 0  # nothing changed, so nothing to publish
