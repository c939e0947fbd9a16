"""Repositories on both SQLite and PostgreSQL: seeding in one transaction, versions, units at a date, outbox."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from dantoc_catalog.db.migrate import upgrade_head
from dantoc_catalog.db.uow import UnitOfWorkFactory
from dantoc_catalog.domain.versions import closed_versions
from dantoc_catalog.services.queries import CatalogQueries
from dantoc_catalog.services.seed import SeedData, package_data_dir, seed_if_empty
from dantoc_contracts.codes import UnitLevel
from tests.support.catalog.serving import unit_of_work_factory

pytestmark = pytest.mark.integration
LEGACY_DAY = date(2024, 12, 31)
CURRENT_DAY = date(2025, 7, 1)


async def test_seeding_fills_an_empty_database_once(database_url: str, seed_data: SeedData) -> None:
    await upgrade_head(database_url)
    async with unit_of_work_factory(database_url) as uow_factory:
        assert await seed_if_empty(uow=uow_factory(), directory=package_data_dir()) is True
        assert (
            await seed_if_empty(uow=uow_factory(), directory=package_data_dir()) is False
        )  # a second start leaves it alone
        async with uow_factory() as uow:
            assert await uow.catalog.definitions() == seed_data.definitions
            assert await uow.catalog.ethnic_groups() == sorted(seed_data.ethnic_groups, key=lambda g: g.code)
            assert len(await uow.catalog.agencies()) == len(seed_data.agencies)
            assert len(await uow.units.all_units()) == 14_149
            assert sorted(await uow.units.all_conversions(), key=str) == sorted(seed_data.conversions, key=str)


async def test_seeding_is_all_or_nothing(database_url: str, tmp_path: Path) -> None:
    # A data folder whose last file is broken: nothing at all is stored.
    for source in package_data_dir().glob("*.csv"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    with (tmp_path / "commune_conversion_2025.csv").open("a", encoding="utf-8") as handle:
        handle.write("1234,00004,whole,1\n")
    await upgrade_head(database_url)
    async with unit_of_work_factory(database_url) as uow_factory:
        with pytest.raises(Exception, match=r"commune_conversion_2025\.csv"):
            await seed_if_empty(uow=uow_factory(), directory=tmp_path)
        async with uow_factory() as uow:
            assert await uow.catalog.is_empty()
            assert await uow.units.all_units() == []


async def test_replacing_definitions_stores_closed_versions(seeded: UnitOfWorkFactory, seed_data: SeedData) -> None:
    first = seed_data.definitions[0]
    second = replace(first, version=2, effective_from=date(2026, 1, 1), name_vi="Tên mới")
    async with seeded() as uow:
        await uow.catalog.replace_definitions([*seed_data.definitions, second])
        await uow.commit()
    async with seeded() as uow:
        stored = await uow.catalog.definitions(first.code)
    assert stored == [first, second]
    assert [to for _, to in closed_versions(stored)] == [date(2025, 12, 31), None]


async def test_a_unit_of_work_rolls_back_unless_committed(seeded: UnitOfWorkFactory) -> None:
    async with seeded() as uow:
        await uow.catalog.replace_definitions([])
        await uow.outbox.add([("indicator|0101", None)])
    async with seeded() as uow:
        assert len(await uow.catalog.definitions()) == 78
        assert await uow.outbox.backlog() == 0


async def test_the_hierarchy_at_a_date(seeded: UnitOfWorkFactory) -> None:
    queries = CatalogQueries(seeded)
    # Code 15 was Yên Bái until 2025-06-30 and is Lào Cai from 2025-07-01.
    assert [(u.name, u.valid_to) for u in await queries.unit_versions("15")] == [
        ("Yên Bái", date(2025, 6, 30)),
        ("Lào Cai", None),
    ]
    assert len(await queries.children("VN", LEGACY_DAY)) == 63
    assert len(await queries.children("VN", CURRENT_DAY)) == 34
    assert len(await queries.subtree("VN", LEGACY_DAY, UnitLevel.COMMUNE)) == 10_035
    assert len(await queries.subtree("VN", CURRENT_DAY, UnitLevel.COMMUNE)) == 3_321
    assert [u.code for u in await queries.ancestors("00007", LEGACY_DAY)] == ["001", "01", "VN"]
    assert [u.code for u in await queries.ancestors("00008", CURRENT_DAY)] == ["01", "VN"]
    districts = await queries.children("01", LEGACY_DAY)
    assert all(u.level is UnitLevel.DISTRICT for u in districts)
    assert len(districts) == 30
    conversion = await queries.conversion("00007")
    assert conversion is not None
    assert [(c.new_code, c.kind, u and u.name) for c, u in conversion.targets] == [
        ("00008", "partial", "Ngọc Hà"),
        ("00025", "partial", "Giảng Võ"),
    ]


async def test_outbox_keeps_order_and_marks_sent(database_url: str) -> None:
    await upgrade_head(database_url)
    async with unit_of_work_factory(database_url) as uow_factory:
        async with uow_factory() as uow:
            await uow.outbox.add([("a", b"1"), ("b", None), ("a", b"2")])
            await uow.commit()
        async with uow_factory() as uow:
            first = await uow.outbox.pending(2)
            assert [(m.key, m.value) for m in first] == [("a", b"1"), ("b", None)]
            await uow.outbox.mark_sent([m.id for m in first])
            await uow.commit()
        async with uow_factory() as uow:
            assert [(m.key, m.value) for m in await uow.outbox.pending(10)] == [("a", b"2")]
            assert await uow.outbox.backlog() == 1
