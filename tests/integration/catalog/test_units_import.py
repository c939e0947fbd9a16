"""Importing the administrative units (SQLite and PostgreSQL): all or nothing, changes go to the outbox."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from dantoc_catalog.db.uow import UnitOfWorkFactory
from dantoc_catalog.domain.problems import ProblemsFound
from dantoc_catalog.domain.table_files import FileFormat
from dantoc_catalog.domain.tabular import encode_csv
from dantoc_catalog.services.seed import package_data_dir
from dantoc_catalog.services.units import export_units, import_units
from tests.support.catalog.serving import ENVELOPES

pytestmark = pytest.mark.integration
PACKAGE = (package_data_dir() / "admin_units.csv").read_bytes()


def package_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(PACKAGE.decode())))


async def test_export_import_export_of_units_is_byte_identical(seeded: UnitOfWorkFactory) -> None:
    exported = await export_units(uow=seeded(), file_format=FileFormat.CSV)
    assert exported == PACKAGE
    report = await import_units(uow=seeded(), data=exported, dry_run=False)
    assert (report.units, report.added, report.changed, report.removed) == (14_149, 0, 0, 0)
    assert await export_units(uow=seeded(), file_format=FileFormat.CSV) == PACKAGE


async def test_a_units_file_with_a_cycle_is_rejected_whole(seeded: UnitOfWorkFactory) -> None:
    rows = package_rows()
    renamed = next(i for i, r in enumerate(rows) if r[0] == "00004" and r[5] == "2025-07-01")
    rows[renamed][2] = "Ba Đình (đổi tên)"  # a good change, which must not be applied either
    district = next(i for i, r in enumerate(rows) if r[0] == "001")
    rows[district][4] = "002"  # 001 under 002 ...
    other = next(i for i, r in enumerate(rows) if r[0] == "002")
    rows[other][4] = "001"  # ... and 002 under 001
    with pytest.raises(ProblemsFound) as rejected:
        await import_units(uow=seeded(), data=encode_csv(rows), dry_run=False)
    codes = {(p.code, p.location.row) for p in rejected.value.problems}
    assert {("hierarchy_cycle", district + 1), ("hierarchy_cycle", other + 1)} <= codes
    assert await export_units(uow=seeded(), file_format=FileFormat.CSV) == PACKAGE
    async with seeded() as uow:
        assert await uow.outbox.backlog() == 0
    # Without the cycle, removing a legacy commune is still refused: the 2025 conversion needs it.
    rows[district][4], rows[other][4] = "01", "01"
    del rows[next(i for i, r in enumerate(rows) if r[0] == "00007")]
    with pytest.raises(ProblemsFound) as rejected:
        await import_units(uow=seeded(), data=encode_csv(rows), dry_run=False)
    assert {(p.code, p.value) for p in rejected.value.problems} == {("unit_in_use", "00007")}


async def test_an_accepted_units_file_publishes_what_changed(seeded: UnitOfWorkFactory) -> None:
    rows = package_rows()
    renamed = next(i for i, r in enumerate(rows) if r[0] == "00004" and r[5] == "2025-07-01")
    rows[renamed][2] = "Ba Đình (đổi tên)"
    rows.append(["99999", "commune", "Xã Mới", "Xã", "01", "2026-04-30", ""])
    report = await import_units(uow=seeded(), data=encode_csv(rows), dry_run=True)
    assert (report.added, report.changed, report.removed) == (1, 1, 0)
    async with seeded() as uow:
        assert await uow.outbox.backlog() == 0  # a dry run changes nothing
    await import_units(uow=seeded(), data=encode_csv(rows), dry_run=False)
    async with seeded() as uow:
        pending = await uow.outbox.pending(10)
        unit = await uow.units.unit("00004", date(2025, 7, 1))
    assert unit is not None
    assert unit.name == "Ba Đình (đổi tên)"
    assert [m.key for m in pending] == ["unit|00004|commune|2025-07-01", "unit|99999|commune|2026-04-30"]
    assert pending[0].value is not None
    assert ENVELOPES.validate_json(pending[0].value).payload.name == "Ba Đình (đổi tên)"
