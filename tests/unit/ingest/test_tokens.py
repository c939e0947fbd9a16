"""Bearer tokens: minted with the project's key, verified with the public key; anything else is refused."""

from __future__ import annotations

from pathlib import Path

import jwt
import pytest

from dantoc_contracts.access import Role
from dantoc_ingest.auth.tokens import InvalidToken, TokenVerifier, generate_keys, mint_token


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    folder = tmp_path_factory.mktemp("keys")
    assert generate_keys(folder / "private.pem", folder / "public.pem")
    assert not generate_keys(folder / "private.pem", folder / "public.pem")  # kept when present
    assert (folder / "private.pem").stat().st_mode & 0o077 == 0
    return (folder / "private.pem").read_bytes(), (folder / "public.pem").read_bytes()


async def test_round_trip(keys: tuple[bytes, bytes]) -> None:
    token = mint_token(keys[0], role=Role.PROVINCIAL, agency="BDT-02", scope="02")
    principal = await TokenVerifier(public_key_pem=keys[1]).verify(token)
    assert (principal.agency, principal.role, principal.scope) == ("BDT-02", Role.PROVINCIAL, "02")


async def test_expired_token_is_refused(keys: tuple[bytes, bytes]) -> None:
    token = mint_token(keys[0], role=Role.AGENCY, agency="SYT-02", scope="02", days=-1)
    with pytest.raises(InvalidToken, match="expired"):
        await TokenVerifier(public_key_pem=keys[1]).verify(token)


async def test_other_key_is_refused(keys: tuple[bytes, bytes], tmp_path: Path) -> None:
    generate_keys(tmp_path / "a.pem", tmp_path / "b.pem")
    token = mint_token((tmp_path / "a.pem").read_bytes(), role=Role.NATIONAL, agency="BDTTG", scope="VN")
    with pytest.raises(InvalidToken):
        await TokenVerifier(public_key_pem=keys[1]).verify(token)


async def test_missing_claims_and_bad_role_are_refused(keys: tuple[bytes, bytes]) -> None:
    base = {"sub": "u", "iss": "dantoc", "aud": "dantoc", "iat": 1_700_000_000, "exp": 4_000_000_000}
    verifier = TokenVerifier(public_key_pem=keys[1])
    with pytest.raises(InvalidToken, match="missing claims: role, scope"):
        await verifier.verify(jwt.encode(base, keys[0], algorithm="RS256"))
    bad_role = {**base, "agency": "A", "role": "admin", "scope": "VN"}
    with pytest.raises(InvalidToken, match="role must be one of"):
        await verifier.verify(jwt.encode(bad_role, keys[0], algorithm="RS256"))
    with pytest.raises(InvalidToken):
        await verifier.verify(
            jwt.encode({**bad_role, "role": "national"}, "a-shared-secret-that-must-not-work-0123", algorithm="HS256")
        )
