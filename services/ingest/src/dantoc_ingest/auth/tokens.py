"""Bearer tokens (JWT, RS256): the project's own key pair and minting for the single-machine default, and the
verifier every request goes through (a public key file, or the JWKS of an identity provider such as Keycloak).

A verified token's claims become a `dantoc_contracts.access.Principal` (the one authorization policy)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from dantoc_contracts.access import (
    AUDIENCE,
    ISSUER,
    REQUIRED_CLAIMS,
    InvalidClaims,
    Principal,
    Right,
    Role,
    rsa_public_jwk,
)
from dantoc_contracts.access import principal_from_claims as _from_claims
from dantoc_ingest.auth.keys import JwksKeys, KeyUnavailable


class InvalidToken(Exception):
    """The token is missing, malformed, expired, wrongly signed, or lacks a claim."""


def generate_keys(private_path: Path, public_path: Path) -> bool:
    """Create an RSA key pair when missing (the private key readable by its owner only); True when created."""
    if private_path.exists() and public_path.exists():
        return False
    private_path.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    public_path.write_bytes(public)
    return True


def key_id(private_key_pem: bytes) -> str:
    """The key's id in the portal's JWKS (RFC 7638 thumbprint), so that a minted token verifies through it too."""
    key = serialization.load_pem_private_key(private_key_pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("the private key must be an RSA key")
    numbers = key.public_key().public_numbers()
    return rsa_public_jwk(numbers.n, numbers.e)["kid"]


def mint_token(
    private_key_pem: bytes,
    *,
    role: Role,
    agency: str,
    scope: str,
    subject: str | None = None,
    days: float = 30,
    rights: Iterable[Right] | None = None,
    kid: str | None = None,
) -> str:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": subject or f"{agency}:{role.value}",
        "agency": agency,
        "role": role.value,
        "scope": scope,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + timedelta(days=days),
        "jti": uuid.uuid4().hex,
    }
    if rights is not None:
        claims["rights"] = sorted(r.value for r in rights)
    return jwt.encode(claims, private_key_pem, algorithm="RS256", headers={"kid": kid} if kid else None)


@dataclass
class TokenVerifier:
    """Verifies RS256 tokens with a PEM public key or keys fetched from a JWKS URL (https, or loopback http)."""

    public_key_pem: bytes | None = None
    jwks_url: str | None = None
    jwks_min_refresh: float = 30.0
    _jwks: JwksKeys | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if (self.public_key_pem is None) == (self.jwks_url is None):
            raise ValueError("give exactly one of a public key or a JWKS URL")
        if self.jwks_url:
            self._jwks = JwksKeys(self.jwks_url, min_refresh=self.jwks_min_refresh)

    async def _key(self, token: str) -> Any:
        if self._jwks is None:
            return self.public_key_pem
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            return await self._jwks.key_for(kid if isinstance(kid, str) else None)
        except (jwt.PyJWTError, KeyUnavailable) as error:
            raise InvalidToken(str(error)) from error

    async def verify(self, token: str) -> Principal:
        key = await self._key(token)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from error
        return principal_from_claims(claims)


def principal_from_claims(claims: dict[str, object]) -> Principal:
    missing = [name for name in REQUIRED_CLAIMS if name not in claims]
    if missing:
        raise InvalidToken(f"missing claims: {', '.join(missing)}")
    try:
        return _from_claims(claims)
    except InvalidClaims as error:
        raise InvalidToken(str(error)) from error
