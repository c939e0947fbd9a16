"""Pure rules of accounts: usernames, the password policy, lockout, and the checks of a new account.

Every check returns every problem at once, each with the field it is about and a Vietnamese message (English
beside it for an API consumer)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from dantoc_contracts.codes import UNIT_CODE_PATTERN
from dantoc_portal.domain.roles import PortalRole, national, needs_agency

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 128
AGENCY = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}$")


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    message_vi: str
    message_en: str


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def normal_username(raw: str) -> str:
    """Usernames compare case-insensitively, after NFC: `Xa.TanLap` and `xa.tanlap` are one account."""
    return nfc(raw).casefold()


def password_problems(password: str, username: str = "", *, field: str = "password") -> list[FieldProblem]:
    problems = []
    if len(password) < MIN_PASSWORD:
        problems.append(
            FieldProblem(
                field, f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.", f"At least {MIN_PASSWORD} characters."
            )
        )
    if len(password) > MAX_PASSWORD:
        problems.append(FieldProblem(field, f"Mật khẩu dài quá {MAX_PASSWORD} ký tự.", f"At most {MAX_PASSWORD}."))
    if username and username.casefold() in password.casefold():
        problems.append(
            FieldProblem(field, "Mật khẩu không được chứa tên đăng nhập.", "Must not contain the username.")
        )
    if password and len(set(password)) < 4:
        problems.append(FieldProblem(field, "Mật khẩu quá đơn giản.", "Too simple a password."))
    return problems


@dataclass(frozen=True, slots=True)
class NewAccount:
    username: str
    display_name: str
    role: str
    unit_code: str
    agency: str


def account_problems(account: NewAccount) -> list[FieldProblem]:
    """What is wrong with a new account's fields (not yet whether the unit and agency exist: the catalog's)."""
    problems = []
    if not USERNAME.match(account.username):
        problems.append(
            FieldProblem(
                "username",
                "Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới.",
                "3-64 characters: lowercase ASCII letters, digits, dot, hyphen, underscore.",
            )
        )
    if not account.display_name or len(account.display_name) > 200:
        problems.append(FieldProblem("display_name", "Cần họ tên (tối đa 200 ký tự).", "A name, at most 200."))
    roles = {r.value for r in PortalRole}
    if account.role not in roles:
        problems.append(FieldProblem("role", "Vai trò không hợp lệ.", f"Role must be one of {', '.join(roles)}."))
        return problems
    role = PortalRole(account.role)
    if national(role):
        if account.unit_code not in ("", "VN"):
            problems.append(FieldProblem("unit_code", "Tài khoản trung ương có phạm vi VN.", "National: scope VN."))
    elif not re.fullmatch(UNIT_CODE_PATTERN, account.unit_code) or account.unit_code == "VN":
        problems.append(
            FieldProblem("unit_code", "Mã đơn vị phải có 2, 3 hoặc 5 chữ số.", "Unit code: 2, 3 or 5 digits.")
        )
    elif role is PortalRole.PROVINCE_ADMIN and len(account.unit_code) != 2:
        problems.append(FieldProblem("unit_code", "Quản trị cấp tỉnh cần mã tỉnh (2 chữ số).", "A province code."))
    elif role is PortalRole.REVIEWER and len(account.unit_code) == 5:
        problems.append(FieldProblem("unit_code", "Cán bộ rà soát thuộc huyện hoặc tỉnh.", "A district or province."))
    if needs_agency(role) and not AGENCY.match(account.agency):
        problems.append(FieldProblem("agency", "Cần mã cơ quan (ví dụ BDT-11).", "An agency code, e.g. BDT-11."))
    return problems


@dataclass(frozen=True, slots=True)
class Lockout:
    failures: int
    minutes: float

    def after_failure(self, failed_logins: int, now: datetime) -> tuple[int, datetime | None]:
        """The new failure count and, when it reaches the limit, until when the account is locked."""
        count = failed_logins + 1
        return (0, now + timedelta(minutes=self.minutes)) if count >= self.failures else (count, None)


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and locked_until > now
