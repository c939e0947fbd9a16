"""Bearer tokens: RS256 with iss/aud `dantoc`, the claims the scheme needs, nothing else accepted."""

from __future__ import annotations

import time
from pathlib import Path

import jwt
import pytest

from dantoc_contracts.access import Role
from dantoc_gateway.auth.keys import PublicKeyFile
from dantoc_gateway.auth.tokens import InvalidToken, TokenVerifier
from tests.support.gateway.signing import Signing, new_signing


@pytest.fixture(scope="module")
def signing(tmp_path_factory: pytest.TempPathFactory) -> Signing:
    return new_signing(tmp_path_factory.mktemp("keys"))


@pytest.fixture
def verifier(signing: Signing) -> TokenVerifier:
    return TokenVerifier(PublicKeyFile(signing.public_file))


async def test_a_valid_token(signing: Signing, verifier: TokenVerifier) -> None:
    claims = await verifier.verify(signing.mint("provincial", "02"))
    assert (claims.role, claims.scope, claims.subject) == (Role.PROVINCIAL, "02", "user-provincial-02")


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"ttl": -3600}, "expired"),
        ({"aud": "other"}, "(?i)audience"),
        ({"iss": "other"}, "(?i)issuer"),
        ({"role": "admin"}, "role must be one of"),
        ({"sub": ""}, "non-empty"),
        ({"role": "agency", "agency": None}, "agency claim"),
    ],
)
async def test_refused_tokens(
    signing: Signing, verifier: TokenVerifier, overrides: dict[str, object], reason: str
) -> None:
    with pytest.raises(InvalidToken, match=reason):
        await verifier.verify(signing.mint(overrides.pop("role", "provincial"), "02", **overrides))  # type: ignore[arg-type]


async def test_other_algorithms_and_keys_are_refused(signing: Signing, verifier: TokenVerifier, tmp_path: Path) -> None:
    claims = {
        "sub": "x",
        "role": "national",
        "scope": "VN",
        "iss": "dantoc",
        "aud": "dantoc",
        "iat": 0,
        "exp": time.time() + 60,
    }
    with pytest.raises(InvalidToken, match="RS256"):
        await verifier.verify(jwt.encode(claims, "a shared secret of 32 bytes or more!", algorithm="HS256"))
    stranger = new_signing(tmp_path)
    with pytest.raises(InvalidToken, match="Signature"):
        await verifier.verify(stranger.mint("national", "VN"))
    with pytest.raises(InvalidToken):
        await verifier.verify("not-a-token")


async def test_missing_key_file_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="dantoc_ingest keys"):
        PublicKeyFile(tmp_path / "missing.pem")
