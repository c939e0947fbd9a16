"""Accounts administration: list, create, disable and enable, reset a password, import many from CSV.

A provincial administrator manages the accounts of his province's units, a national administrator every account
(`domain.roles.may_administer`). Each change is an account event (who, when, what). A new or reset account gets a
temporary password, shown once, that must be changed at the first sign-in."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from dantoc_portal.auth.passwords import Passwords, temporary_password
from dantoc_portal.db.models import AccountEventRow, AccountRow
from dantoc_portal.db.uow import UnitOfWork
from dantoc_portal.domain.accounts import FieldProblem, NewAccount, account_problems, nfc, normal_username
from dantoc_portal.domain.roles import Person, PortalRole, may_administer, national, scope_of

CSV_COLUMNS = ("username", "display_name", "role", "unit_code", "agency")
MAX_IMPORT_ROWS = 2000


class Directory(Protocol):
    """What account checks ask the catalog (its HTTP client in the app, a fake in tests)."""

    async def versions(self, code: str) -> list[dict[str, Any]]: ...
    async def province_of(self, code: str, on: date) -> str | None: ...
    async def agencies(self) -> list[dict[str, Any]]: ...
    async def is_within(self, code: str, scope: str, on: date) -> bool: ...


class NotAllowed(Exception):
    """The administrator may not manage this account."""


@dataclass(frozen=True, slots=True)
class Created:
    username: str
    temporary_password: str


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int  # 1-based line of the CSV file (the header is line 1)
    field: str
    message_vi: str
    message_en: str


def new_account(raw: dict[str, Any]) -> NewAccount:
    text = {k: nfc(str(raw.get(k) or "")) for k in CSV_COLUMNS}
    return NewAccount(
        username=normal_username(text["username"]),
        display_name=text["display_name"],
        role=text["role"],
        unit_code=text["unit_code"] or ("VN" if text["role"] in ("national", "national_admin") else ""),
        agency=text["agency"].upper(),
    )


def _latest_day(versions: list[dict[str, Any]]) -> date:
    last = versions[-1].get("valid_to")
    return date.fromisoformat(last) if last else date.today()


async def catalog_problems(catalog: Directory, admin: Person, account: NewAccount) -> tuple[str, list[FieldProblem]]:
    """The account's province, and what the catalog says is wrong (unknown unit, agency, outside the admin's)."""
    role = PortalRole(account.role)
    if national(role):
        allowed = may_administer(admin, role, "")
        return "", [] if allowed else [_not_yours()]
    versions = await catalog.versions(account.unit_code)
    if not versions:
        return "", [FieldProblem("unit_code", "Đơn vị không tồn tại.", "No such unit.")]
    day = _latest_day(versions)
    province = await catalog.province_of(account.unit_code, day) or ""
    problems = [] if may_administer(admin, role, province) else [_not_yours()]
    agencies = {a["code"]: a for a in await catalog.agencies()}
    agency = agencies.get(account.agency)
    if agency is None or not await catalog.is_within(account.unit_code, str(agency["scope_unit_code"]), day):
        problems.append(
            FieldProblem(
                "agency", "Cơ quan chưa đăng ký hoặc không phụ trách đơn vị này.", "Agency not registered for the unit."
            )
        )
    return province, problems


def _not_yours() -> FieldProblem:
    return FieldProblem("unit_code", "Bạn không được quản lý tài khoản này.", "You may not manage this account.")


async def check_new(catalog: Directory, admin: Person, account: NewAccount) -> tuple[str, list[FieldProblem]]:
    problems = account_problems(account)
    if problems:
        return "", problems
    return await catalog_problems(catalog, admin, account)


def _row(account: NewAccount, province: str, password_hash: str, admin: Person, now: datetime) -> AccountRow:
    return AccountRow(
        username=account.username,
        display_name=account.display_name,
        password_hash=password_hash,
        role=account.role,
        unit_code=scope_of(PortalRole(account.role), account.unit_code),
        agency=account.agency,
        province_code=province,
        must_change_password=True,
        disabled=False,
        failed_logins=0,
        created_at=now,
        created_by=admin.username,
    )


async def create_accounts(
    *,
    uow: UnitOfWork,
    passwords: Passwords,
    catalog: Directory,
    admin: Person,
    accounts: list[NewAccount],
    now: datetime,
    action: str = "created",
) -> tuple[list[Created], list[RowProblem]]:
    """Create every account or none: every problem of every row at once (row 2 is the first after a header)."""
    problems: list[RowProblem] = []
    checked: list[tuple[NewAccount, str]] = []
    seen: set[str] = set()
    for index, account in enumerate(accounts):
        province, found = await check_new(catalog, admin, account)
        if account.username in seen:
            found.append(FieldProblem("username", "Tên đăng nhập bị lặp trong tệp.", "Repeated in the file."))
        seen.add(account.username)
        problems += [RowProblem(index + 2, p.field, p.message_vi, p.message_en) for p in found]
        checked.append((account, province))
    async with uow:
        taken = await uow.accounts.existing([a.username for a in accounts])
        problems += [
            RowProblem(i + 2, "username", "Tên đăng nhập đã tồn tại.", "The username is taken.")
            for i, a in enumerate(accounts)
            if a.username in taken
        ]
        if problems:
            return [], sorted(problems, key=lambda p: (p.row, p.field))
        created = []
        for account, province in checked:
            password = temporary_password()
            row = _row(account, province, await passwords.hash(password), admin, now)
            uow.accounts.add(row)
            await uow.accounts.flush()
            uow.events.add(AccountEventRow(at=now, account_id=row.id, actor=admin.username, action=action))
            created.append(Created(account.username, password))
        await uow.commit()
    return created, []


def read_csv(data: bytes) -> tuple[list[NewAccount], list[RowProblem]]:
    """The accounts of an import file (UTF-8, with or without BOM; comma or semicolon), or what is wrong with it."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowProblem(1, "file", "Tệp phải mã hóa UTF-8.", "The file must be UTF-8.")]
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in reader.fieldnames or []]
    rows = list(reader)
    missing = [c for c in CSV_COLUMNS[:4] if c not in header]
    if missing:
        return [], [RowProblem(1, c, f"Thiếu cột {c}.", f"Missing column {c}.") for c in missing]
    if len(rows) > MAX_IMPORT_ROWS:
        return [], [RowProblem(1, "file", f"Tối đa {MAX_IMPORT_ROWS} dòng.", f"At most {MAX_IMPORT_ROWS} rows.")]
    return [new_account({k.strip(): v for k, v in row.items() if k}) for row in rows], []


@dataclass(frozen=True, slots=True)
class AccountView:
    id: int
    username: str
    display_name: str
    role: str
    unit_code: str
    agency: str
    disabled: bool
    locked_until: datetime | None
    must_change_password: bool


@dataclass(frozen=True, slots=True)
class LoginView:
    at: datetime
    username: str
    ip: str
    outcome: str


async def managed(uow: UnitOfWork, admin: Person) -> tuple[list[AccountView], list[LoginView]]:
    """The accounts the administrator manages, and the latest sign-ins to them (a national one: every sign-in,
    unknown usernames included)."""
    everyone = admin.role is PortalRole.NATIONAL_ADMIN
    async with uow:
        rows = await uow.accounts.listed(None if everyone else admin.unit_code)
        logins = await uow.logins.recent(account_ids=None if everyone else [a.id for a in rows], limit=50)
        accounts = [
            AccountView(
                a.id,
                a.username,
                a.display_name,
                a.role,
                a.unit_code,
                a.agency,
                a.disabled,
                a.locked_until,
                a.must_change_password,
            )
            for a in rows
        ]
        return accounts, [LoginView(row.at, row.username, row.ip, row.outcome) for row in logins]


async def _managed_account(uow: UnitOfWork, admin: Person, account_id: int) -> AccountRow:
    account = await uow.accounts.get(account_id)
    if account is None or not may_administer(admin, PortalRole(account.role), account.province_code):
        raise NotAllowed(account_id)
    return account


async def set_disabled(*, uow: UnitOfWork, admin: Person, account_id: int, disabled: bool, now: datetime) -> str:
    """Disable (every session ends) or enable an account; its username."""
    async with uow:
        account = await _managed_account(uow, admin, account_id)
        account.disabled = disabled
        if disabled:
            await uow.sessions.end_all(account.id, now)
        action = "disabled" if disabled else "enabled"
        uow.events.add(AccountEventRow(at=now, account_id=account.id, actor=admin.username, action=action))
        await uow.commit()
        return account.username


async def reset_password(
    *, uow: UnitOfWork, passwords: Passwords, admin: Person, account_id: int, now: datetime
) -> Created:
    """A new temporary password; the account is unlocked, must change it, and every session ends."""
    async with uow:
        account = await _managed_account(uow, admin, account_id)
        password = temporary_password()
        account.password_hash = await passwords.hash(password)
        account.must_change_password, account.failed_logins, account.locked_until = True, 0, None
        await uow.sessions.end_all(account.id, now)
        uow.events.add(AccountEventRow(at=now, account_id=account.id, actor=admin.username, action="reset"))
        await uow.commit()
        return Created(account.username, password)
