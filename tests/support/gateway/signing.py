"""RSA key pairs and RS256 tokens with the claims of the token scheme, for the gateway's tests."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass(frozen=True)
class Signing:
    private_key: rsa.RSAPrivateKey
    public_file: Path
    kid: str = "test-key"

    def mint(self, role: str, scope: str, *, agency: str = "BDT", ttl: float = 3600, **claims: Any) -> str:
        now = time.time()
        payload = {
            "sub": f"user-{role}-{scope}",
            "agency": agency,
            "role": role,
            "scope": scope,
            "iss": "dantoc",
            "aud": "dantoc",
            "iat": int(now),
            "exp": int(now + ttl),
            **claims,
        }
        return jwt.encode(payload, self.private_key, algorithm="RS256", headers={"kid": self.kid})

    def headers(self, role: str, scope: str, **kwargs: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.mint(role, scope, **kwargs)}"}


def new_signing(directory: Path) -> Signing:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    path = directory / "jwt-public.pem"
    path.write_bytes(public)
    return Signing(key, path)
