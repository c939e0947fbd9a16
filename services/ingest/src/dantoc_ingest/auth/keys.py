"""Verification keys of a JWKS URL (an identity provider such as Keycloak), cached and refetched sparingly.

The URL must be https; plain http is accepted only for a loopback host (the local stack). A token naming a key id
the cache does not hold makes at most one refetch per `min_refresh` seconds, so a flood of forged key ids cannot
make ingest hammer the identity provider; the whole set is refreshed every `ttl` seconds.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import time
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import jwt

LOOPBACK_NAMES = frozenset({"localhost"})
MAX_JWKS_BYTES = 1024 * 1024


class KeyUnavailable(Exception):
    """No key verifies this token (unknown key id, or the JWKS cannot be fetched)."""


def _loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_jwks_url(url: str) -> str:
    """The URL when it may be used: https, or http on a loopback host; ValueError otherwise."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname and _loopback(parts.hostname):
        return url
    raise ValueError(f"the JWKS URL must be https (plain http only on a loopback host), not {url!r}")


def _fetch(url: str, timeout: float) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        document: dict[str, Any] = json.loads(response.read(MAX_JWKS_BYTES))
        return document


class JwksKeys:
    """Keys of a JWKS URL, cached for `ttl` seconds; an unknown key id refetches at most every `min_refresh`."""

    def __init__(
        self,
        url: str,
        *,
        ttl: float = 600.0,
        min_refresh: float = 30.0,
        timeout: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = check_jwks_url(url)
        self._ttl, self._min_refresh, self._timeout, self._clock = ttl, min_refresh, timeout, clock
        self._keys: dict[str | None, Any] = {}
        self._fetched = float("-inf")
        self._lock = asyncio.Lock()
        self.fetches = 0

    def _due(self, kid: str | None) -> bool:
        age = self._clock() - self._fetched
        return age >= self._ttl or (kid not in self._keys and age >= self._min_refresh)

    async def key_for(self, kid: str | None) -> Any:
        if self._due(kid):
            async with self._lock:
                if self._due(kid):  # another request may have refreshed while this one waited
                    await self._refresh()
        key = self._keys.get(kid)
        if key is None:
            raise KeyUnavailable(f"no key {kid!r} in the JWKS")
        return key

    async def _refresh(self) -> None:
        """Fetch the set; the time of the fetch is noted once it has ended (also on failure: a failing endpoint is
        not asked again at once), so that requests waiting on the lock meanwhile find the new keys, not none."""
        self.fetches += 1
        try:
            document = await asyncio.to_thread(_fetch, self.url, self._timeout)
            keys = jwt.PyJWKSet.from_dict(document).keys
        except (OSError, ValueError, jwt.PyJWTError) as error:
            if not self._keys:
                raise KeyUnavailable(f"JWKS not available: {type(error).__name__}") from error
            return  # keep the keys we had
        finally:
            self._fetched = self._clock()
        self._keys = {key.key_id: key.key for key in keys if key.public_key_use in (None, "sig")}
