"""Verify bearer tokens (RS256, the contract's issuer, audience and required claims) into a `Principal`."""

from __future__ import annotations

import time
from collections import OrderedDict

import jwt

from dantoc_aggregate.auth.keys import KeySource, KeyUnavailable
from dantoc_contracts.access import AUDIENCE, ISSUER, REQUIRED_CLAIMS, InvalidClaims, Principal, principal_from_claims


class InvalidToken(Exception):
    """The token cannot be trusted; the message says why (in English, for the problem document)."""


class TokenVerifier:
    """Verified tokens are cached (by their text) until they expire."""

    def __init__(self, keys: KeySource, *, cache_size: int = 10_000, leeway: float = 30.0) -> None:
        self._keys, self._cache_size, self._leeway = keys, cache_size, leeway
        self._cache: OrderedDict[str, Principal] = OrderedDict()

    async def verify(self, token: str) -> Principal:
        cached = self._cache.get(token)
        if cached is not None and cached.expires > time.time():
            self._cache.move_to_end(token)
            return cached
        principal = await self._decode(token)
        self._cache[token] = principal
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return principal

    async def _decode(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != "RS256":
                raise InvalidToken("only RS256 tokens are accepted")
            key = await self._keys.key_for(header.get("kid"))
            claims = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=AUDIENCE,
                issuer=ISSUER,
                leeway=self._leeway,
                options={"require": list(REQUIRED_CLAIMS)},
            )
            return principal_from_claims(claims)
        except (KeyUnavailable, InvalidClaims) as error:
            raise InvalidToken(str(error)) from error
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error) or type(error).__name__) from error
