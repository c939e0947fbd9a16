"""Verify bearer tokens (RS256, iss/aud `dantoc`) into claims; verified tokens are cached until they expire."""

from __future__ import annotations

import time
from collections import OrderedDict

import jwt

from dantoc_gateway.auth.keys import KeySource, KeyUnavailable
from dantoc_gateway.domain.access import Claims, Role

ISSUER = AUDIENCE = "dantoc"
_REQUIRED = ["exp", "iat", "iss", "aud", "sub", "role", "scope"]


class InvalidToken(Exception):
    """The token cannot be trusted; the message says why (in English, for the problem document)."""


class TokenVerifier:
    def __init__(self, keys: KeySource, *, cache_size: int = 10_000, leeway: float = 30.0) -> None:
        self._keys = keys
        self._cache: OrderedDict[str, Claims] = OrderedDict()
        self._cache_size = cache_size
        self._leeway = leeway

    async def verify(self, token: str) -> Claims:
        cached = self._cache.get(token)
        if cached is not None and cached.expires > time.time():
            self._cache.move_to_end(token)
            return cached
        claims = await self._decode(token)
        self._cache[token] = claims
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return claims

    async def _decode(self, token: str) -> Claims:
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != "RS256":
                raise InvalidToken("only RS256 tokens are accepted")
            key = await self._keys.key_for(header.get("kid"))
            payload = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=AUDIENCE,
                issuer=ISSUER,
                leeway=self._leeway,
                options={"require": _REQUIRED},
            )
        except KeyUnavailable as error:
            raise InvalidToken(str(error)) from error
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error) or type(error).__name__) from error
        return _claims(payload)


def _claims(payload: dict[str, object]) -> Claims:
    role, scope, subject = payload.get("role"), payload.get("scope"), payload.get("sub")
    if role not in {r.value for r in Role}:
        raise InvalidToken(f"role must be one of national, provincial, agency, not {role!r}")
    if not isinstance(scope, str) or not scope or not isinstance(subject, str) or not subject:
        raise InvalidToken("sub and scope must be non-empty strings")
    agency = payload.get("agency")
    if role == Role.AGENCY and not isinstance(agency, str):
        raise InvalidToken("an agency token needs the agency claim")
    expires = payload.get("exp")
    assert isinstance(expires, int | float)
    return Claims(subject, str(agency or ""), Role(str(role)), scope, float(expires))
