"""Bearer tokens of the aggregate API: what verifies (and as whom), what does not, and which JWKS URLs are allowed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from dantoc_aggregate.auth.keys import PublicKeyFile, check_jwks_url
from dantoc_aggregate.auth.tokens import InvalidToken, TokenVerifier
from dantoc_contracts.access import Right, Role

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    found: dict[str, Any] = {
        "iss": "dantoc",
        "aud": "dantoc",
        "sub": "op",
        "role": "national",
        "scope": "VN",
        "iat": now,
        "exp": now + 600,
    }
    found.update(changes)
    return {name: value for name, value in found.items() if value is not None}


@pytest.fixture
def verifier(tmp_path: Path) -> TokenVerifier:
    path = tmp_path / "public.pem"
    path.write_bytes(
        KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return TokenVerifier(PublicKeyFile(path))


BAD = [
    ("other key", jwt.encode(claims(), OTHER, algorithm="RS256")),
    ("HS256", jwt.encode(claims(), "s" * 32, algorithm="HS256")),
    ("expired", jwt.encode(claims(exp=int(time.time()) - 3600), KEY, algorithm="RS256")),
    ("wrong audience", jwt.encode(claims(aud="other"), KEY, algorithm="RS256")),
    ("wrong issuer", jwt.encode(claims(iss="other"), KEY, algorithm="RS256")),
    ("no scope", jwt.encode(claims(scope=None), KEY, algorithm="RS256")),
    ("unknown role", jwt.encode(claims(role="admin"), KEY, algorithm="RS256")),
    ("provincial without agency", jwt.encode(claims(role="provincial", scope="01"), KEY, algorithm="RS256")),
    ("unknown right", jwt.encode(claims(rights=["delete"]), KEY, algorithm="RS256")),
    ("not a JWT", "abc.def"),
]


@pytest.mark.parametrize(("name", "token"), BAD, ids=[name for name, _ in BAD])
async def test_untrusted_tokens_are_refused(verifier: TokenVerifier, name: str, token: str) -> None:
    with pytest.raises(InvalidToken):
        await verifier.verify(token)


@pytest.mark.parametrize(
    ("changes", "role", "may_read"),
    [
        ({}, Role.NATIONAL, True),
        ({"rights": ["submit"]}, Role.NATIONAL, False),
        ({"role": "provincial", "scope": "01", "agency": "SO01"}, Role.PROVINCIAL, True),
    ],
)
async def test_verified_tokens_give_the_principal(
    verifier: TokenVerifier, changes: dict[str, Any], role: Role, may_read: bool
) -> None:
    principal = await verifier.verify(jwt.encode(claims(**changes), KEY, algorithm="RS256"))
    assert (principal.role, principal.may(Right.READ)) == (role, may_read)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://id.example.vn/jwks.json", True),
        ("http://127.0.0.1:9000/jwks.json", True),
        ("http://localhost/jwks", True),
        ("http://id.example.vn/jwks.json", False),
        ("file:///etc/passwd", False),
        ("ftp://id.example.vn/jwks", False),
    ],
)
def test_jwks_urls_are_https_or_local(url: str, allowed: bool) -> None:
    if allowed:
        assert check_jwks_url(url) == url
    else:
        with pytest.raises(ValueError, match="https"):
            check_jwks_url(url)


def test_a_missing_key_file_fails_at_start(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="dantoc_ingest keys"):
        PublicKeyFile(tmp_path / "absent.pem")
