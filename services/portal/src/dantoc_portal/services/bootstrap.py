"""Accounts made from the command line: the first national administrator, and the demo accounts of `make up`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dantoc_portal.auth.passwords import Passwords, temporary_password
from dantoc_portal.db.models import AccountEventRow, AccountRow
from dantoc_portal.db.uow import UnitOfWork
from dantoc_portal.domain.accounts import normal_username
from dantoc_portal.domain.roles import PortalRole, scope_of

SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Seed:
    username: str
    display_name: str
    role: PortalRole
    unit_code: str
    agency: str
    province: str
    password: str = ""


DEMO: tuple[Seed, ...] = (
    Seed("xa.huoiso", "Lò Thị Mai (xã Huổi Só)", PortalRole.ENTRY, "03220", "BDT-11", "11"),
    Seed("huyen.tuachua", "Giàng A Sử (huyện Tủa Chùa)", PortalRole.REVIEWER, "098", "BDT-11", "11"),
    Seed("tinh.dienbien", "Quàng Văn Hùng (tỉnh Điện Biên)", PortalRole.PROVINCE_ADMIN, "11", "BDT-11", "11"),
    Seed("trunguong", "Nguyễn Thị Lan (Bộ Dân tộc và Tôn giáo)", PortalRole.NATIONAL, "VN", "", ""),
    Seed("quantri", "Trần Văn Minh (quản trị trung ương)", PortalRole.NATIONAL_ADMIN, "VN", "BDTTG", ""),
)


def demo_password() -> str:
    return temporary_password(12)


async def ensure_accounts(
    *, uow: UnitOfWork, passwords: Passwords, seeds: tuple[Seed, ...], must_change: bool, now: datetime
) -> list[tuple[Seed, bool]]:
    """Create each seed's account unless its username exists (then nothing of it changes); (seed, created)."""
    out = []
    async with uow:
        taken = await uow.accounts.existing([normal_username(s.username) for s in seeds])
        for seed in seeds:
            name = normal_username(seed.username)
            if name in taken:
                out.append((seed, False))
                continue
            row = AccountRow(
                username=name,
                display_name=seed.display_name,
                password_hash=await passwords.hash(seed.password),
                role=seed.role.value,
                unit_code=scope_of(seed.role, seed.unit_code),
                agency=seed.agency,
                province_code=seed.province,
                must_change_password=must_change,
                disabled=False,
                failed_logins=0,
                created_at=now,
                created_by=SYSTEM,
            )
            uow.accounts.add(row)
            await uow.accounts.flush()
            uow.events.add(AccountEventRow(at=now, account_id=row.id, actor=SYSTEM, action="created"))
            out.append((seed, True))
        await uow.commit()
    return out
