"""JWKS verification: https only (plain http on loopback for the local stack), and a key cache that an unknown key
id cannot make refetch more than once per `min_refresh` seconds. The JWKS is served over a real loopback socket."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from dantoc_contracts.access import Role
from dantoc_ingest.auth.keys import JwksKeys, KeyUnavailable, check_jwks_url
from dantoc_ingest.auth.tokens import InvalidToken, TokenVerifier, generate_keys, mint_token


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://keycloak.example.vn/realms/dantoc/protocol/openid-connect/certs", True),
        ("http://127.0.0.1:8080/certs", True),
        ("http://localhost:8080/certs", True),
        ("http://[::1]:8080/certs", True),
        ("http://keycloak.example.vn/certs", False),
        ("http://10.0.0.5/certs", False),
        ("ftp://127.0.0.1/certs", False),
        ("https:///certs", False),
    ],
)
def test_only_https_or_loopback(url: str, allowed: bool) -> None:
    if allowed:
        assert check_jwks_url(url) == url
    else:
        with pytest.raises(ValueError, match="https"):
            check_jwks_url(url)
        with pytest.raises(ValueError, match="https"):
            TokenVerifier(jwks_url=url)


@pytest.fixture(scope="module")
def private_key(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    folder: Path = tmp_path_factory.mktemp("jwks")
    generate_keys(folder / "p.pem", folder / "q.pem")
    return (folder / "p.pem").read_bytes(), (folder / "q.pem").read_bytes()


@pytest.fixture
def jwks_server(private_key: tuple[bytes, bytes]) -> Iterator[tuple[str, list[str]]]:
    public = load_pem_public_key(private_key[1])
    assert isinstance(public, rsa.RSAPublicKey)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(public))
    document = json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(document)

        def log_message(self, *_: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/certs", hits
    finally:
        server.shutdown()
        server.server_close()


async def test_tokens_verify_with_the_jwks(
    private_key: tuple[bytes, bytes], jwks_server: tuple[str, list[str]]
) -> None:
    url, hits = jwks_server
    verifier = TokenVerifier(jwks_url=url)
    token = mint_token(private_key[0], role=Role.PROVINCIAL, agency="BDT-02", scope="02", kid="k1")
    assert (await verifier.verify(token)).agency == "BDT-02"
    assert (await verifier.verify(token)).scope == "02"
    assert len(hits) == 1  # cached


async def test_unknown_key_ids_refetch_at_most_once_per_interval(
    private_key: tuple[bytes, bytes], jwks_server: tuple[str, list[str]]
) -> None:
    url, hits = jwks_server
    now = [1000.0]
    keys = JwksKeys(url, min_refresh=30.0, clock=lambda: now[0])
    assert await keys.key_for("k1") is not None
    for forged in range(50):  # a flood of forged key ids
        with pytest.raises(KeyUnavailable):
            await keys.key_for(f"forged-{forged}")
    assert len(hits) == 1  # all within min_refresh of the first fetch
    now[0] += 31
    with pytest.raises(KeyUnavailable):
        await keys.key_for("forged-again")
    with pytest.raises(KeyUnavailable):
        await keys.key_for("forged-once-more")
    assert len(hits) == 2
    verifier = TokenVerifier(jwks_url=url)
    other = mint_token(private_key[0], role=Role.NATIONAL, agency="BDTTG", scope="VN", kid="nope")
    with pytest.raises(InvalidToken, match="no key"):
        await verifier.verify(other)


async def test_requests_arriving_together_at_a_cold_cache_all_find_the_key(jwks_server: tuple[str, list[str]]) -> None:
    """The first requests after a start wait for the one fetch and then find its keys (they were refused while the
    fetch was marked done before it had ended)."""
    url, hits = jwks_server
    keys = JwksKeys(url)
    found = await asyncio.gather(*(keys.key_for("k1") for _ in range(5)))
    assert all(key is not None for key in found)
    assert len(hits) == 1
