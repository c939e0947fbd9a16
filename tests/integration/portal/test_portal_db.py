"""The portal's own database, on SQLite and PostgreSQL: migrating is a step of its own, and the account use cases
(sign-in, lockout, sessions, the password change, administration) keep their promises on both backends.

The catalog is faked here (its answers are the test's input); the real one is in test_portal_stack.py."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest

from dantoc_portal.app import create_app
from dantoc_portal.auth.passwords import Passwords
from dantoc_portal.db.engine import create_engine, session_factory
from dantoc_portal.db.migrate import SchemaNotAtHead, current_revision, head_revision, require_head, upgrade_head
from dantoc_portal.db.uow import UnitOfWork, UnitOfWorkFactory
from dantoc_portal.domain.accounts import Lockout
from dantoc_portal.domain.roles import Person, PortalRole
from dantoc_portal.services.accounts import NotAllowed, create_accounts, managed, read_csv, reset_password, set_disabled
from dantoc_portal.services.bootstrap import Seed, ensure_accounts
from dantoc_portal.services.signin import (
    Client,
    Outcome,
    SessionPolicy,
    change_password,
    current_session,
    sign_in,
    sign_out,
)
from dantoc_portal.settings import Settings

COMMAND = "python -m dantoc_portal migrate"
NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
POLICY = SessionPolicy(lifetime=timedelta(hours=8), idle=timedelta(minutes=60))
CLIENT = Client("10.0.0.7", "pytest")
ADMIN = Person("tinh.dienbien", "Quàng Văn Hùng", PortalRole.PROVINCE_ADMIN, "11", "BDT-11")


def _command(*args: str, database_url: str, cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANTOC_PORTAL_")}
    env |= {"DANTOC_PORTAL_DATABASE_URL": database_url, **extra}
    command = [sys.executable, "-m", "dantoc_portal", *args]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def _key(tmp_path: Path) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "key.pem"
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path.write_bytes(pem)
    return path


async def test_an_empty_database_stops_startup_until_migrated(database_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=database_url, jwt_private_key_file=_key(tmp_path))
    app = create_app(settings)
    with pytest.raises(SchemaNotAtHead, match=COMMAND):
        async with app.router.lifespan_context(app):
            pass
    done = await asyncio.to_thread(_command, "migrate", database_url=database_url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        assert app.state.container is not None


async def test_upgrades_run_together_all_succeed(database_url: str, tmp_path: Path) -> None:
    processes = [asyncio.to_thread(_command, "migrate", database_url=database_url, cwd=tmp_path) for _ in range(2)]
    migrated, _ = await asyncio.gather(asyncio.gather(*processes), asyncio.gather(upgrade_head(database_url)))
    assert [done.returncode for done in migrated] == [0, 0], [done.stderr for done in migrated]
    engine = create_engine(database_url)
    try:
        assert await current_revision(engine) == head_revision()
        await require_head(engine)
    finally:
        await engine.dispose()


def test_serve_refuses_an_empty_database(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    done = _command("serve", database_url=url, cwd=tmp_path, DANTOC_JWT_PRIVATE_KEY_FILE=str(_key(tmp_path)))
    assert done.returncode == 1
    assert "schema.not_at_head" in done.stderr


@pytest.fixture
async def uows(database_url: str) -> AsyncIterator[UnitOfWorkFactory]:
    await upgrade_head(database_url)
    engine = create_engine(database_url)
    yield UnitOfWorkFactory(session_factory(engine))
    await engine.dispose()


PASSWORDS = Passwords()


async def _seed(uows: UnitOfWorkFactory, username: str = "xa.huoiso", password: str = "Mật khẩu cũ 2026") -> None:
    seed = Seed(username, "Lò Thị Mai", PortalRole.ENTRY, "03220", "BDT-11", "11", password)
    await ensure_accounts(uow=uows(), passwords=PASSWORDS, seeds=(seed,), must_change=True, now=NOW)


async def _sign_in(uows: UnitOfWorkFactory, username: str, password: str, now: datetime = NOW) -> Any:
    return await sign_in(
        uow=uows(), passwords=PASSWORDS, lockout=Lockout(3, 15), policy=POLICY, username=username,
        password=password, client=CLIENT, now=now,
    )  # fmt: skip


async def _audit(uow: UnitOfWork) -> list[str]:
    async with uow:
        return [row.outcome for row in reversed(await uow.logins.recent(limit=50))]


async def test_sign_in_lockout_and_the_audit(uows: UnitOfWorkFactory) -> None:
    await _seed(uows)
    assert (await _sign_in(uows, "nobody", "x")).outcome is Outcome.UNKNOWN_USER
    assert (await _sign_in(uows, "XA.HUOISO", "sai 1")).outcome is Outcome.BAD_PASSWORD
    assert (await _sign_in(uows, "xa.huoiso", "sai 2")).outcome is Outcome.BAD_PASSWORD
    locked = await _sign_in(uows, "xa.huoiso", "sai 3")
    assert locked.outcome is Outcome.LOCKED
    assert locked.locked_until == NOW + timedelta(minutes=15)
    assert (await _sign_in(uows, "xa.huoiso", "Mật khẩu cũ 2026")).outcome is Outcome.LOCKED  # right, but locked
    later = NOW + timedelta(minutes=16)
    opened = await _sign_in(uows, "Xa.HuoiSo", "Mật khẩu cũ 2026", later)
    assert opened.outcome is Outcome.SUCCESS
    assert opened.secret
    assert await _audit(uows()) == [
        "unknown_user", "bad_password", "bad_password", "locked", "locked", "success"
    ]  # fmt: skip
    async with uows() as uow:
        rows = await uow.logins.recent(limit=50)
        assert {(r.ip, r.user_agent) for r in rows} == {("10.0.0.7", "pytest")}


async def test_sessions_end_by_idleness_lifetime_sign_out_and_disabling(uows: UnitOfWorkFactory) -> None:
    await _seed(uows)
    secret = (await _sign_in(uows, "xa.huoiso", "Mật khẩu cũ 2026")).secret
    current = await current_session(uow=uows(), secret=secret, policy=POLICY, now=NOW + timedelta(minutes=30))
    assert current is not None
    assert current.must_change_password
    assert current.person.unit_code == "03220"
    assert await current_session(uow=uows(), secret=secret, policy=POLICY, now=NOW + timedelta(minutes=89)) is not None
    assert await current_session(uow=uows(), secret=secret, policy=POLICY, now=NOW + timedelta(hours=9)) is None
    assert await current_session(uow=uows(), secret=secret + "x", policy=POLICY, now=NOW) is None
    idle = await current_session(uow=uows(), secret=secret, policy=POLICY, now=NOW + timedelta(minutes=89 + 61))
    assert idle is None
    second = (await _sign_in(uows, "xa.huoiso", "Mật khẩu cũ 2026")).secret
    await sign_out(uow=uows(), secret=second, now=NOW)
    assert await current_session(uow=uows(), secret=second, policy=POLICY, now=NOW) is None
    third = (await _sign_in(uows, "xa.huoiso", "Mật khẩu cũ 2026")).secret
    accounts, _ = await managed(uows(), ADMIN)
    await set_disabled(uow=uows(), admin=ADMIN, account_id=accounts[0].id, disabled=True, now=NOW)
    assert await current_session(uow=uows(), secret=third, policy=POLICY, now=NOW) is None
    assert (await _sign_in(uows, "xa.huoiso", "Mật khẩu cũ 2026")).outcome is Outcome.DISABLED


async def test_the_password_change_lists_every_problem_and_ends_the_other_sessions(uows: UnitOfWorkFactory) -> None:
    await _seed(uows)
    here = (await _sign_in(uows, "xa.huoiso", "Mật khẩu cũ 2026")).secret
    there = (await _sign_in(uows, "xa.huoiso", "Mật khẩu cũ 2026")).secret
    current = await current_session(uow=uows(), secret=here, policy=POLICY, now=NOW)
    assert current is not None
    problems = await change_password(
        uow=uows(), passwords=PASSWORDS, current=current, old="sai", new="ngan", again="khac", now=NOW
    )
    assert [p.field for p in problems] == ["old_password", "new_password", "new_password", "new_password_again"]
    new = "Mật khẩu mới 2026 của Mai"
    assert not await change_password(
        uow=uows(), passwords=PASSWORDS, current=current, old="Mật khẩu cũ 2026", new=new, again=new, now=NOW
    )
    kept = await current_session(uow=uows(), secret=here, policy=POLICY, now=NOW)
    assert kept is not None
    assert not kept.must_change_password
    assert await current_session(uow=uows(), secret=there, policy=POLICY, now=NOW) is None
    assert (await _sign_in(uows, "xa.huoiso", new)).outcome is Outcome.SUCCESS


class FakeCatalog:
    """The catalog's answers for Điện Biên (11) and Hà Giang (02) communes."""

    PROVINCES: ClassVar[dict[str, str]] = {"03220": "11", "03223": "11", "098": "11", "11": "11", "00715": "02"}

    async def versions(self, code: str) -> list[dict[str, Any]]:
        return [{"code": code, "valid_to": "2025-06-30"}] if code in self.PROVINCES else []

    async def province_of(self, code: str, on: date) -> str | None:
        return self.PROVINCES.get(code)

    async def agencies(self) -> list[dict[str, Any]]:
        return [{"code": "BDT-11", "scope_unit_code": "11"}, {"code": "BDT-02", "scope_unit_code": "02"}]

    async def is_within(self, code: str, scope: str, on: date) -> bool:
        return scope == "VN" or self.PROVINCES.get(code) == scope


IMPORT = """username,display_name,role,unit_code,agency
xa.sinchai,Sùng Thị Dợ,entry,03223,BDT-11
huyen.tuachua,Giàng A Sử,reviewer,098,BDT-11
xa.lungcu,Vàng Mí Lử,entry,00715,BDT-02
xa.sinchai,Lặp,entry,03223,BDT-11
bad name,,boss,,
"""


async def test_an_import_is_all_or_nothing_with_every_problem_by_row(uows: UnitOfWorkFactory) -> None:
    await _seed(uows, "huyen.tuachua")
    accounts, problems = read_csv(IMPORT.encode())
    assert not problems
    created, problems = await create_accounts(
        uow=uows(),
        passwords=PASSWORDS,
        catalog=FakeCatalog(),
        admin=ADMIN,
        accounts=accounts,
        now=NOW,
    )
    assert created == []
    assert [(p.row, p.field) for p in problems] == [
        (3, "username"), (4, "unit_code"), (5, "username"), (6, "display_name"), (6, "role"), (6, "username"),
    ]  # fmt: skip
    fine = [a for a in accounts if a.username == "xa.sinchai"][:1]
    created, problems = await create_accounts(
        uow=uows(),
        passwords=PASSWORDS,
        catalog=FakeCatalog(),
        admin=ADMIN,
        accounts=fine,
        now=NOW,
    )
    assert not problems
    assert [c.username for c in created] == ["xa.sinchai"]
    assert (await _sign_in(uows, "xa.sinchai", created[0].temporary_password)).outcome is Outcome.SUCCESS


async def test_a_reset_unlocks_ends_sessions_and_is_limited_to_the_province(uows: UnitOfWorkFactory) -> None:
    await _seed(uows)
    secret = (await _sign_in(uows, "xa.huoiso", "Mật khẩu cũ 2026")).secret
    for attempt in range(3):
        await _sign_in(uows, "xa.huoiso", f"sai {attempt}")
    [account], _ = await managed(uows(), ADMIN)
    other = Person("tinh.hagiang", "Hà Giang", PortalRole.PROVINCE_ADMIN, "02", "BDT-02")
    with pytest.raises(NotAllowed):
        await reset_password(uow=uows(), passwords=PASSWORDS, admin=other, account_id=account.id, now=NOW)
    assert (await managed(uows(), other))[0] == []
    done = await reset_password(uow=uows(), passwords=PASSWORDS, admin=ADMIN, account_id=account.id, now=NOW)
    assert await current_session(uow=uows(), secret=secret, policy=POLICY, now=NOW) is None
    assert (await _sign_in(uows, "xa.huoiso", done.temporary_password)).outcome is Outcome.SUCCESS
    async with uows() as uow:
        events = [e.action for e in await uow.events.of(account.id)]
        assert events == ["created", "reset"]
        assert await uow.accounts.count() == 1
        assert len(await uow.logins.recent(limit=50)) == 5
