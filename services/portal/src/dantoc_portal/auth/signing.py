"""The portal's signing key: the short-lived token of a signed-in person, and the JWKS that publishes the key.

Ingest and the gateway verify the portal's tokens through `GET /.well-known/jwks.json` (their
`DANTOC_JWT_JWKS_URL`). The key id is the key's RFC 7638 thumbprint, so any tool signing with the same key (the
`python -m dantoc_ingest token` command of the single-machine default) names the same `kid`."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from dantoc_contracts.access import AUDIENCE, ISSUER, rsa_public_jwk


class SigningKey:
    """An RSA private key (PEM) that signs RS256 tokens with the `kid` its JWKS entry names."""

    def __init__(self, private_pem: bytes) -> None:
        key = serialization.load_pem_private_key(private_pem, password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the signing key must be an RSA private key")
        self._key = key
        numbers = key.public_key().public_numbers()
        self.jwk = rsa_public_jwk(numbers.n, numbers.e)
        self.kid = self.jwk["kid"]

    @classmethod
    def from_file(cls, path: Path) -> SigningKey:
        if not path.is_file():
            raise FileNotFoundError(
                f"signing key {path} not found: run `python -m dantoc_ingest keys` or set DANTOC_JWT_PRIVATE_KEY_FILE"
            )
        return cls(path.read_bytes())

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [self.jwk]}

    def sign(self, claims: Mapping[str, object], *, lifetime: timedelta, now: datetime | None = None) -> str:
        issued = now or datetime.now(UTC)
        payload: dict[str, Any] = {
            **claims,
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": issued,
            "exp": issued + lifetime,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(payload, self._key, algorithm="RS256", headers={"kid": self.kid})
