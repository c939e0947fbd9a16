"""Changing the indicator catalogue: import a whole file, add a version to one indicator, export the file.

Every change is written with its outbox messages in the same transaction (published by the relay afterwards).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from dantoc_catalog.db.uow import UnitOfWork
from dantoc_catalog.domain.catalogue_checks import Entry, check_catalogue
from dantoc_catalog.domain.catalogue_file import FileFormat, HeaderStyle, read_catalogue, write_catalogue
from dantoc_catalog.domain.definition_parsing import parse_definition
from dantoc_catalog.domain.indicators import IndicatorDefinition
from dantoc_catalog.domain.payloads import Records, changes, indicator_payloads, keyed
from dantoc_catalog.domain.problems import ProblemsFound, problem
from dantoc_catalog.domain.reference import AGENCY_LIST
from dantoc_catalog.domain.table_files import DEFAULT_LIMITS
from dantoc_catalog.domain.versions import next_version
from dantoc_catalog.kafka.messages import encode_records
from dantoc_catalog.services import audit
from dantoc_contracts.catalog import IndicatorPublished
from dantoc_contracts.problems import Location
from dantoc_contracts.uploads import UploadLimits


@dataclass(frozen=True)
class ImportReport:
    dry_run: bool
    file_format: FileFormat
    indicators: int
    versions: int
    groups: int
    added: list[str]
    changed: list[str]
    removed: list[str]


async def known_agencies(uow: UnitOfWork) -> set[str]:
    """Agency codes an indicator may name: types of the `agency` code list and registered agencies."""
    types = {item.code for item in await uow.catalog.code_list_items() if item.list_id == AGENCY_LIST}
    return types | {agency.code for agency in await uow.catalog.agencies()}


async def _apply(uow: UnitOfWork, before: Records, definitions: Sequence[IndicatorDefinition]) -> Records:
    after = keyed(indicator_payloads(definitions))
    await uow.catalog.replace_definitions(definitions)
    await uow.outbox.add(encode_records(changes(before, after)))
    return after


def _codes(records: Records) -> set[str]:
    return {record.code for record in records.values() if isinstance(record, IndicatorPublished)}


async def import_catalogue(
    *, uow: UnitOfWork, data: bytes, dry_run: bool, limits: UploadLimits = DEFAULT_LIMITS
) -> ImportReport:
    """Replace the whole catalogue by the file's, or nothing at all: raises ProblemsFound with every problem."""
    try:
        report = await _import(uow, data, dry_run=dry_run, limits=limits)
    except ProblemsFound as error:
        audit.import_rejected("indicators", dry_run=dry_run, problem_count=len(error.problems))
        raise
    audit.import_accepted(
        "indicators",
        dry_run=dry_run,
        count=report.indicators,
        added=len(report.added),
        changed=len(report.changed),
        removed=len(report.removed),
    )
    return report


async def _import(uow: UnitOfWork, data: bytes, *, dry_run: bool, limits: UploadLimits) -> ImportReport:
    async with uow:
        await uow.lock_catalogue()
        agencies = await known_agencies(uow)
        read = await asyncio.to_thread(read_catalogue, data, agencies=agencies, limits=limits)  # off the loop
        if read.problems:
            raise ProblemsFound(read.problems, title="The catalogue file was rejected; nothing was changed")
        before = keyed(indicator_payloads(await uow.catalog.definitions()))
        after = keyed(indicator_payloads(read.definitions))
        old, new = _codes(before), _codes(after)
        changed = {key.split("|")[1] for key, _ in changes(before, after) if key.startswith("indicator|")}
        report = ImportReport(
            dry_run=dry_run,
            file_format=read.file_format,
            indicators=len(new),
            versions=len(read.definitions),
            groups=len(after) - len(new),
            added=sorted(new - old),
            changed=sorted((changed & old) & new),
            removed=sorted(old - new),
        )
        if not dry_run:
            await _apply(uow, before, read.definitions)
            await uow.commit()
    return report


def _field(column: str) -> Location:
    return Location(field=column)


async def add_version(*, uow: UnitOfWork, code: str, draft: Mapping[str, str]) -> IndicatorPublished:
    """Add the next version of an indicator; the previous version ends the day before it starts."""
    async with uow:
        await uow.lock_catalogue()
        definitions = await uow.catalog.definitions()
        new = _checked_version(definitions, code, draft, await known_agencies(uow))
        after = await _apply(uow, keyed(indicator_payloads(definitions)), [*definitions, new])
        await uow.commit()
    published = after[f"indicator|{code}"]
    assert isinstance(published, IndicatorPublished)
    audit.version_added(code, new.version)
    return published


def _checked_version(
    definitions: list[IndicatorDefinition], code: str, draft: Mapping[str, str], agencies: set[str]
) -> IndicatorDefinition:
    """The draft as the indicator's next version, checked by the rules of an import; raises with every problem."""
    versions = [d for d in definitions if d.code == code]
    if not versions:
        raise ProblemsFound([problem("unknown_indicator", _field("code"), value=code)], status=404, title="Not found")
    group = versions[-1].group
    cells = {**draft, "code": code, "group_code": group.code, "group_name_vi": group.name_vi, "version": "1"}
    parsed, problems = parse_definition(cells, _field, agencies=agencies)
    if parsed is not None:
        new = next_version(versions, parsed)
        entries = [Entry(d, _existing_locator(d), f"{d.code} v{d.version}") for d in definitions]
        problems += check_catalogue([*entries, Entry(new, _field, "new version")])
        if not problems:
            return new
    raise ProblemsFound(problems, title="The new version was rejected")


def _existing_locator(definition: IndicatorDefinition) -> Callable[[str], Location]:
    return lambda column: Location(field=f"indicators.{definition.code}.v{definition.version}.{column}")


async def export_catalogue(*, uow: UnitOfWork, file_format: FileFormat, header: HeaderStyle) -> bytes:
    """The catalogue file of every version of every indicator; importing it changes nothing."""
    async with uow:
        definitions = await uow.catalog.definitions()
    return write_catalogue(definitions, file_format=file_format, header=header)
