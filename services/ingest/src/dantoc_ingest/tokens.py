"""Bearer tokens (JWT, RS256): the project's own key pair and minting for the single-machine default, and the
verifier every request goes through (a public key file, or the JWKS of an identity provider such as Keycloak)."""

from __future__ import annotations

import asyncio
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from dantoc_ingest.domain.access import Principal, Role

ISSUER = AUDIENCE = "dantoc"


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


def mint_token(
    private_key_pem: bytes, *, role: Role, agency: str, scope: str, subject: str | None = None, days: float = 30
) -> str:
    now = datetime.now(UTC)
    claims = {
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
    return jwt.encode(claims, private_key_pem, algorithm="RS256")


@dataclass
class TokenVerifier:
    """Verifies RS256 tokens with a PEM public key or keys fetched from a JWKS URL."""

    public_key_pem: bytes | None = None
    jwks_url: str | None = None

    def __post_init__(self) -> None:
        if (self.public_key_pem is None) == (self.jwks_url is None):
            raise ValueError("give exactly one of a public key or a JWKS URL")
        self._jwks = jwt.PyJWKClient(self.jwks_url, cache_keys=True, lifespan=600) if self.jwks_url else None

    async def verify(self, token: str) -> Principal:
        key: Any = self.public_key_pem
        if self._jwks is not None:
            try:
                key = (await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)).key
            except jwt.PyJWTError as error:
                raise InvalidToken(str(error)) from error
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
        return _principal(claims)


def _principal(claims: dict[str, object]) -> Principal:
    missing = [name for name in ("agency", "role", "scope") if not isinstance(claims.get(name), str)]
    if missing:
        raise InvalidToken(f"missing claims: {', '.join(missing)}")
    try:
        role = Role(str(claims["role"]))
    except ValueError as error:
        raise InvalidToken(f"unknown role {claims['role']!r}") from error
    return Principal(subject=str(claims["sub"]), agency=str(claims["agency"]), role=role, scope=str(claims["scope"]))
