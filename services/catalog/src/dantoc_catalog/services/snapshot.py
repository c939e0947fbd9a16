"""The whole catalog as the records the topic must hold, built from the database."""

from __future__ import annotations

from dantoc_catalog.db.uow import UnitOfWork
from dantoc_catalog.domain.payloads import (
    Records,
    agency_payloads,
    code_list_payloads,
    conversion_payloads,
    indicator_payloads,
    keyed,
    unit_payloads,
)


async def indicator_records(uow: UnitOfWork) -> Records:
    return keyed(indicator_payloads(await uow.catalog.definitions()))


async def catalog_records(uow: UnitOfWork) -> Records:
    """Every record: indicators and groups, code lists and ethnic groups, agencies, units, conversions."""
    records = await indicator_records(uow)
    records |= keyed(code_list_payloads(await uow.catalog.code_list_items(), await uow.catalog.ethnic_groups()))
    records |= keyed(agency_payloads(await uow.catalog.agencies()))
    records |= keyed(unit_payloads(await uow.units.all_units()))
    records |= keyed(conversion_payloads(await uow.units.all_conversions()))
    return records
