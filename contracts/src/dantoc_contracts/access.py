"""The one authorization policy: who a verified token speaks for, and what it may read and write.

Pure functions of the token's claims and the catalog; ingest and the gateway both decide with them.

- A token carries a role (`national`, `provincial`, `agency`), a scope (the unit whose subtree it covers; `VN` for
  all), the agency it speaks for, and its rights (`read`, `submit`; both when the claim is absent).
- The scope a token acts in is its own scope *intersected with its agency's registered scope*: a unit is inside only
  when it lies in both subtrees. A token whose agency is not registered reaches nothing, except a national token
  that names no agency (an operator's), which reaches everything for reading only.
- An indicator is written only by the agency whose type is responsible for it in the catalog, or by an agency the
  catalog lets write for that type (`AgencyPublished.writes_for`), so two departments cannot overwrite each other's
  figures for the same cell.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dantoc_contracts.catalog import AgencyPublished
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import NATIONAL_UNIT_CODE

ISSUER = AUDIENCE = "dantoc"
"""The issuer and audience of the project's own tokens (the default of every verifier)."""

REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub", "role", "scope")


def _b64_int(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def rsa_public_jwk(modulus: int, exponent: int) -> dict[str, str]:
    """The JWK of an RSA public key, its `kid` the RFC 7638 thumbprint: every signer of the same key (the portal,
    `python -m dantoc_ingest token`) names the same key id, which the verifiers look up in the portal's JWKS."""
    jwk = {"e": _b64_int(exponent), "kty": "RSA", "n": _b64_int(modulus)}
    digest = hashlib.sha256(json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode()).digest()
    kid = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}


class Role(StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    AGENCY = "agency"


class Right(StrEnum):
    READ = "read"
    SUBMIT = "submit"


ALL_RIGHTS = frozenset(Right)


class InvalidClaims(ValueError):
    """A verified token whose claims do not make a principal; the message says which claim and why (English)."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a verified token speaks for."""

    subject: str
    agency: str  # empty for a national operator's token that names no agency
    role: Role
    scope: str  # the unit whose subtree the token covers; `VN` for all
    rights: frozenset[Right] = ALL_RIGHTS
    expires: float = float("inf")

    def may(self, right: Right) -> bool:
        return right in self.rights

    def may_act_for(self, agency: str) -> bool:
        """National holders may submit on behalf of any agency; everyone else only for their own."""
        return self.role is Role.NATIONAL or agency == self.agency


def principal_from_claims(claims: Mapping[str, object]) -> Principal:
    """The principal of verified claims, or InvalidClaims naming what is wrong."""
    role, scope, subject, agency = (claims.get(name) for name in ("role", "scope", "sub", "agency"))
    if role not in {r.value for r in Role}:
        raise InvalidClaims(f"role must be one of {', '.join(Role)}, not {role!r}")
    if not isinstance(scope, str) or not scope or not isinstance(subject, str) or not subject:
        raise InvalidClaims("sub and scope must be non-empty strings")
    if agency is not None and not isinstance(agency, str):
        raise InvalidClaims("agency must be a string")
    if role != Role.NATIONAL and not agency:
        raise InvalidClaims(f"a {role} token needs the agency claim")
    rights = _rights(claims.get("rights"))
    expires = claims.get("exp")
    expiry = float(expires) if isinstance(expires, int | float) else float("inf")
    return Principal(subject, agency or "", Role(str(role)), scope, rights, expiry)


def _rights(value: object) -> frozenset[Right]:
    if value is None:
        return ALL_RIGHTS
    names = value.split() if isinstance(value, str) else value
    if not isinstance(names, list | tuple) or not all(isinstance(n, str) for n in names):
        raise InvalidClaims("rights must be a list of read, submit (or a space-separated string)")
    unknown = sorted(set(names) - {r.value for r in Right})
    if unknown:
        raise InvalidClaims(f"unknown rights: {', '.join(unknown)} (known: read, submit)")
    return frozenset(Right(n) for n in names)


def registered_agency(principal: Principal, catalog: CatalogView) -> AgencyPublished | None:
    return catalog.agencies.get(principal.agency) if principal.agency else None


def _within(catalog: CatalogView, unit_code: str, scope: str, on: date) -> bool:
    return scope == NATIONAL_UNIT_CODE or unit_code == scope or catalog.is_within(unit_code, scope, on)


def within_scope(principal: Principal, catalog: CatalogView, unit_code: str, on: date) -> bool:
    """Is the unit (on the map valid on `on`) inside the token's scope and its agency's registered scope?"""
    if not _within(catalog, unit_code, principal.scope, on):
        return False
    if not principal.agency:
        return principal.role is Role.NATIONAL
    agency = registered_agency(principal, catalog)
    return agency is not None and _within(catalog, unit_code, agency.scope_unit_code, on)


def effective_scopes(principal: Principal, catalog: CatalogView) -> tuple[str, ...]:
    """The scope codes whose subtrees are all inside (both scopes); empty when the token reaches nothing.

    When one scope contains the other the narrower one is the answer; two disjoint scopes reach nothing. (Scopes
    that overlap partially cannot occur on a tree: one contains the other or they are disjoint, on any one map.)
    """
    if not principal.agency:
        return (principal.scope,) if principal.role is Role.NATIONAL else ()
    agency = registered_agency(principal, catalog)
    if agency is None:
        return ()
    token, registered = principal.scope, agency.scope_unit_code
    if token == registered or registered == NATIONAL_UNIT_CODE:
        return (token,)
    if token == NATIONAL_UNIT_CODE:
        return (registered,)
    days = _map_days(catalog)
    if any(catalog.is_within(token, registered, day) for day in days):
        return (token,)
    if any(catalog.is_within(registered, token, day) for day in days):
        return (registered,)
    return ()


def _map_days(catalog: CatalogView) -> list[date]:
    days = {date(1900, 1, 1)}
    for unit in catalog.units():
        days.update(d for d in (unit.valid_from, unit.valid_to) if d is not None)
    return sorted(days)


def may_write_indicator(principal: Principal, catalog: CatalogView, responsible_type: str) -> bool:
    """May the principal's agency write an indicator whose responsible agency type is `responsible_type`?"""
    agency = registered_agency(principal, catalog)
    if agency is None:
        return False
    return agency.agency_type == responsible_type or responsible_type in agency.writes_for
