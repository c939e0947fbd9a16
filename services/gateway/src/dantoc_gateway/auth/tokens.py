"""Verify bearer tokens (RS256, the issuer and audience of `dantoc_contracts.access`) into principals (the one
authorization policy's `principal_from_claims`); verified tokens are cached until they expire."""

from __future__ import annotations

import time
from collections import OrderedDict

import jwt

from dantoc_contracts.access import AUDIENCE, ISSUER, REQUIRED_CLAIMS, InvalidClaims, Principal, principal_from_claims
from dantoc_gateway.auth.keys import KeySource, KeyUnavailable


class InvalidToken(Exception):
    """The token cannot be trusted; the message says why (in English, for the problem document)."""


class TokenVerifier:
    def __init__(
        self,
        keys: KeySource,
        *,
        issuer: str = ISSUER,
        audience: str = AUDIENCE,
        cache_size: int = 10_000,
        leeway: float = 30.0,
    ) -> None:
        self._keys, self._issuer, self._audience = keys, issuer, audience
        self._cache: OrderedDict[str, Principal] = OrderedDict()
        self._cache_size = cache_size
        self._leeway = leeway

    async def verify(self, token: str) -> Principal:
        cached = self._cache.get(token)
        if cached is not None and cached.expires > time.time():
            self._cache.move_to_end(token)
            return cached
        claims = await self._decode(token)
        self._cache[token] = claims
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return claims

    async def _decode(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != "RS256":
                raise InvalidToken("only RS256 tokens are accepted")
            key = await self._keys.key_for(header.get("kid"))
            payload = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": list(REQUIRED_CLAIMS)},
            )
            return principal_from_claims(payload)
        except KeyUnavailable as error:
            raise InvalidToken(str(error)) from error
        except InvalidClaims as error:
            raise InvalidToken(str(error)) from error
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error) or type(error).__name__) from error
