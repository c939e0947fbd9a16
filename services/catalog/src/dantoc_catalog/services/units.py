"""Changing the administrative units: import the whole units file (every map), or export it.

Units keep changing (further adjustments took effect 30/4/2026): a new map or a correction is an import of the
complete file, checked whole, applied in one transaction with its outbox messages, or not at all.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from dantoc_catalog.db.uow import UnitOfWork
from dantoc_catalog.domain.payloads import changes, keyed, unit_payloads
from dantoc_catalog.domain.problems import ProblemsFound
from dantoc_catalog.domain.table_files import DEFAULT_LIMITS, FileFormat
from dantoc_catalog.domain.units import check_dependents
from dantoc_catalog.domain.units_file import read_units_file, write_units_file
from dantoc_catalog.kafka.messages import encode_records
from dantoc_catalog.services import audit
from dantoc_contracts.uploads import UploadLimits


@dataclass(frozen=True)
class UnitsImportReport:
    dry_run: bool
    file_format: FileFormat
    units: int
    added: int
    changed: int
    removed: int


async def import_units(
    *, uow: UnitOfWork, data: bytes, dry_run: bool, limits: UploadLimits = DEFAULT_LIMITS
) -> UnitsImportReport:
    """Replace every unit by the file's, or nothing at all: raises ProblemsFound with every problem."""
    try:
        report = await _import(uow, data, dry_run=dry_run, limits=limits)
    except ProblemsFound as error:
        audit.import_rejected("units", dry_run=dry_run, problem_count=len(error.problems))
        raise
    audit.import_accepted(
        "units",
        dry_run=dry_run,
        count=report.units,
        added=report.added,
        changed=report.changed,
        removed=report.removed,
    )
    return report


async def _import(uow: UnitOfWork, data: bytes, *, dry_run: bool, limits: UploadLimits) -> UnitsImportReport:
    async with uow:
        await uow.lock_catalogue()
        read = await asyncio.to_thread(read_units_file, data, limits)  # off the event loop
        problems = list(read.problems)
        if not problems:
            scopes = {agency.code: agency.scope_unit_code for agency in await uow.catalog.agencies()}
            conversions = [(c.old_code, c.new_code, c.effective) for c in await uow.units.all_conversions()]
            problems = check_dependents(read.units, scopes, conversions)
        if problems:
            raise ProblemsFound(problems, title="The units file was rejected; nothing was changed")
        before = keyed(unit_payloads(await uow.units.all_units()))
        after = keyed(unit_payloads(read.units))
        changed = changes(before, after)
        removed = sum(1 for _, record in changed if record is None)
        added = sum(1 for key, record in changed if record is not None and key not in before)
        report = UnitsImportReport(
            dry_run, read.file_format, len(after), added, len(changed) - removed - added, removed
        )
        if not dry_run:
            await uow.units.replace_units(read.units)
            await uow.outbox.add(encode_records(changed))
            await uow.commit()
    return report


async def export_units(*, uow: UnitOfWork, file_format: FileFormat) -> bytes:
    """The units file of every map; importing it changes nothing."""
    async with uow:
        units = await uow.units.all_units()
    return write_units_file(units, file_format=file_format)
