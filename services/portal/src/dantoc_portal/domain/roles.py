"""The portal's roles, what each may do, and the claims of the token the portal signs for a person.

The claims are the rest of the system's (`dantoc_contracts.access`): the gateway and ingest decide with them alone,
so an external identity provider that puts the same claims in its tokens replaces the portal's sign-in without
touching them.

| role | who | token role | rights | scope |
| --- | --- | --- | --- | --- |
| entry | a unit's data-entry official (commune, district, province department) | provincial | read, submit | the unit |
| reviewer | a reviewer of a district or a province | provincial | read | the district or province |
| province_admin | a provincial administrator: the accounts of his province's units | provincial | read | the province |
| national | a national user (the Ministry, reading) | national | read | VN |
| national_admin | a national administrator: every account | national | read, submit | VN |

People of the reporting hierarchy read their scope's whole subtree: the token role is `provincial` (a scope unit's
subtree, on each period's map) for every one of them below the nation. The `agency` role is for agency systems
submitting machine to machine, which see only the units they have submitted for.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dantoc_contracts.access import Right, Role
from dantoc_contracts.codes import NATIONAL_UNIT_CODE


class PortalRole(StrEnum):
    ENTRY = "entry"
    REVIEWER = "reviewer"
    PROVINCE_ADMIN = "province_admin"
    NATIONAL = "national"
    NATIONAL_ADMIN = "national_admin"


ROLE_NAMES: dict[PortalRole, tuple[str, str]] = {
    PortalRole.ENTRY: ("Cán bộ nhập liệu", "Data-entry official"),
    PortalRole.REVIEWER: ("Cán bộ rà soát", "Reviewer"),
    PortalRole.PROVINCE_ADMIN: ("Quản trị cấp tỉnh", "Provincial administrator"),
    PortalRole.NATIONAL: ("Người dùng cấp trung ương", "National user"),
    PortalRole.NATIONAL_ADMIN: ("Quản trị cấp trung ương", "National administrator"),
}


@dataclass(frozen=True, slots=True)
class Person:
    """Who is signed in: what the session holds and what the token says."""

    username: str
    display_name: str
    role: PortalRole
    unit_code: str  # the unit whose subtree the person works on; VN for national roles
    agency: str  # the registered agency the person acts for; empty for a national user

    @property
    def enters_data(self) -> bool:
        return self.role in (PortalRole.ENTRY, PortalRole.NATIONAL_ADMIN)

    @property
    def reviews(self) -> bool:
        return self.role is not PortalRole.ENTRY

    @property
    def administers(self) -> bool:
        return self.role in (PortalRole.PROVINCE_ADMIN, PortalRole.NATIONAL_ADMIN)

    def role_name(self, lang: str = "vi") -> str:
        vi, en = ROLE_NAMES[self.role]
        return en if lang == "en" else vi


def token_claims(person: Person) -> dict[str, object]:
    """The access claims (role, scope, agency, rights) of the token signed for `person`."""
    role, rights = {
        PortalRole.ENTRY: (Role.PROVINCIAL, (Right.READ, Right.SUBMIT)),
        PortalRole.REVIEWER: (Role.PROVINCIAL, (Right.READ,)),
        PortalRole.PROVINCE_ADMIN: (Role.PROVINCIAL, (Right.READ,)),
        PortalRole.NATIONAL: (Role.NATIONAL, (Right.READ,)),
        PortalRole.NATIONAL_ADMIN: (Role.NATIONAL, (Right.READ, Right.SUBMIT)),
    }[person.role]
    claims: dict[str, object] = {
        "sub": f"portal:{person.username}",
        "name": person.display_name,
        "role": role.value,
        "scope": person.unit_code,
        "rights": sorted(r.value for r in rights),
        "portal_role": person.role.value,
    }
    if person.agency:
        claims["agency"] = person.agency
    return claims


def needs_agency(role: PortalRole) -> bool:
    """Every role but the national user acts for a registered agency (the access policy requires it)."""
    return role is not PortalRole.NATIONAL


def national(role: PortalRole) -> bool:
    return role in (PortalRole.NATIONAL, PortalRole.NATIONAL_ADMIN)


def may_administer(admin: Person, role: PortalRole, unit_province: str) -> bool:
    """May `admin` create, disable or reset an account of `role` whose unit lies in province `unit_province`?

    A national administrator: every account. A provincial administrator: the entry and reviewer accounts (and other
    provincial administrators) of his own province, never a national one."""
    if admin.role is PortalRole.NATIONAL_ADMIN:
        return True
    if admin.role is PortalRole.PROVINCE_ADMIN:
        return not national(role) and unit_province == admin.unit_code
    return False


def scope_of(role: PortalRole, unit_code: str) -> str:
    return NATIONAL_UNIT_CODE if national(role) else unit_code
