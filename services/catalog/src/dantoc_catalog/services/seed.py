"""First start: an empty database is filled from the package's data files, in one transaction."""

from __future__ import annotations

import importlib.resources
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from dantoc_catalog.db.uow import UnitOfWork
from dantoc_catalog.domain.catalogue_file import read_catalogue
from dantoc_catalog.domain.indicators import IndicatorDefinition
from dantoc_catalog.domain.problems import ProblemsFound
from dantoc_catalog.domain.reference import AGENCY_LIST, Agency, CodeListItem, Conversion, EthnicGroupRow
from dantoc_catalog.domain.reference_files import (
    Read,
    check_agencies,
    read_agencies,
    read_code_lists,
    read_commune_conversion,
    read_ethnic_groups,
    read_province_conversion,
    read_units,
)
from dantoc_catalog.domain.tabular import decode_csv
from dantoc_catalog.domain.units import AdminUnit
from dantoc_contracts.codes import NATIONAL_UNIT_CODE

log = logging.getLogger(__name__)
T = TypeVar("T")


def package_data_dir() -> Path:
    return Path(str(importlib.resources.files("dantoc_catalog") / "data"))


@dataclass(frozen=True)
class SeedData:
    definitions: list[IndicatorDefinition]
    code_items: list[CodeListItem]
    ethnic_groups: list[EthnicGroupRow]
    agencies: list[Agency]
    units: list[AdminUnit]
    conversions: list[Conversion]


SEED_MAX_ROWS = 1_000_000  # the operator's own files, read once at start-up


class SeedDataInvalid(ProblemsFound):
    def __init__(self, file: str, read_problems: ProblemsFound) -> None:
        super().__init__(read_problems.problems, title=f"Seed data file {file} is invalid")
        self.args = (f"{file}: {read_problems}",)


def _rows(directory: Path, name: str) -> list[list[str]]:
    rows, problems = decode_csv((directory / name).read_bytes(), max_rows=SEED_MAX_ROWS)
    if problems:
        raise SeedDataInvalid(name, ProblemsFound(problems))
    return rows


def _items(name: str, read: Read[T]) -> list[T]:
    if read.problems:
        raise SeedDataInvalid(name, ProblemsFound(read.problems))
    return read.items


def _file(directory: Path, name: str, reader: Callable[[list[list[str]]], Read[T]]) -> list[T]:
    return _items(name, reader(_rows(directory, name)))


def load_seed_data(directory: Path) -> SeedData:
    """Read and check every data file; raises SeedDataInvalid listing a file's problems."""
    code_items = _file(directory, "code_lists.csv", read_code_lists)
    agencies = _file(directory, "agencies.csv", read_agencies)
    units = _file(directory, "admin_units.csv", read_units)
    agency_types = {item.code for item in code_items if item.list_id == AGENCY_LIST}
    scopes = {unit.code for unit in units if unit.valid_to is None} | {NATIONAL_UNIT_CODE}
    _items("agencies.csv", Read(agencies, check_agencies(agencies, agency_types, scopes)))
    known = agency_types | {agency.code for agency in agencies}
    catalogue = read_catalogue((directory / "indicators.csv").read_bytes(), agencies=known)
    return SeedData(
        definitions=_items("indicators.csv", Read(catalogue.definitions, catalogue.problems)),
        code_items=code_items,
        ethnic_groups=_file(directory, "ethnic_groups.csv", read_ethnic_groups),
        agencies=agencies,
        units=units,
        conversions=[
            *_file(directory, "province_conversion_2025.csv", read_province_conversion),
            *_file(directory, "commune_conversion_2025.csv", read_commune_conversion),
        ],
    )


async def seed_if_empty(*, uow: UnitOfWork, directory: Path) -> bool:
    """Fill an empty database from the data files in one transaction. True when it seeded."""
    async with uow:
        await uow.lock_catalogue()
        if not await uow.catalog.is_empty():
            return False
        data = load_seed_data(directory)
        await uow.catalog.add_reference(data.code_items, data.ethnic_groups, data.agencies)
        await uow.catalog.replace_definitions(data.definitions)
        await uow.units.add_units(data.units)
        await uow.units.add_conversions(data.conversions)
        await uow.commit()
    extra = {"event": "catalog.seeded", "directory": str(directory), "indicator_versions": len(data.definitions)}
    log.info("seeded the catalog", extra={**extra, "units": len(data.units)})
    return True
