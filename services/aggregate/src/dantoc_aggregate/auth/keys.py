"""Where token verification keys come from: a PEM public key file, or a JWKS URL fetched and cached.

The JWKS is fetched at most every `min_refresh` seconds whatever tokens arrive (an unknown key id cannot make the
service hammer the identity provider), and only over https (or http to this machine, for tests and `make up`).
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_public_key

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class KeyUnavailable(Exception):
    """No key verifies this token (unknown key id, or the JWKS cannot be fetched)."""


class KeySource(Protocol):
    async def key_for(self, kid: str | None) -> Any: ...


def check_jwks_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK):
        return url
    raise ValueError("DANTOC_JWT_JWKS_URL must be an https URL (http only to this machine)")


class PublicKeyFile:
    """The public key from `DANTOC_JWT_PUBLIC_KEY_FILE`, read once."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise FileNotFoundError(
                f"JWT public key {path} not found: run `python -m dantoc_ingest keys` or set DANTOC_JWT_JWKS_URL"
            )
        self._key = load_pem_public_key(path.read_bytes())

    async def key_for(self, kid: str | None) -> Any:
        return self._key


class JwksKeys:
    """Keys of a JWKS URL, cached for `ttl` seconds; an unknown key id refetches at most every `min_refresh`."""

    def __init__(self, url: str, *, ttl: float = 300.0, min_refresh: float = 10.0, timeout: float = 5.0) -> None:
        self._url = check_jwks_url(url)
        self._ttl, self._min_refresh, self._timeout = ttl, min_refresh, timeout
        self._keys: dict[str | None, Any] = {}
        self._fetched = float("-inf")
        self._lock = asyncio.Lock()

    async def key_for(self, kid: str | None) -> Any:
        now = time.monotonic()
        stale = now - self._fetched > self._ttl
        if stale or (kid not in self._keys and now - self._fetched > self._min_refresh):
            async with self._lock:
                if time.monotonic() - self._fetched > self._min_refresh or not self._keys:
                    await self._refresh()
        key = self._keys.get(kid) if kid is not None else next(iter(self._keys.values()), None)
        if key is None:
            raise KeyUnavailable(f"no key {kid!r} in the JWKS")
        return key

    async def _refresh(self) -> None:
        try:
            document = await asyncio.to_thread(self._fetch)
            keys = jwt.PyJWKSet.from_dict(document).keys
        except (OSError, ValueError, jwt.PyJWTError) as error:
            self._fetched = time.monotonic()  # do not hammer a failing endpoint; keep the keys we had
            if not self._keys:
                raise KeyUnavailable(f"JWKS not available: {type(error).__name__}") from error
            return
        self._keys = {key.key_id: key.key for key in keys if key.public_key_use in (None, "sig")}
        self._fetched = time.monotonic()

    def _fetch(self) -> dict[str, Any]:
        with urllib.request.urlopen(self._url, timeout=self._timeout) as response:
            document: dict[str, Any] = json.loads(response.read(1 << 20))
            return document
