"""The short-lived token the portal signs for a signed-in person, reused until a minute before it expires."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from dantoc_portal.auth.signing import SigningKey
from dantoc_portal.domain.roles import Person, token_claims

REUSE_MARGIN = 60.0


class TokenIssuer:
    """Signs `token_claims(person)` for `minutes`; the token of one person is cached, not re-signed per call."""

    def __init__(self, key: SigningKey, minutes: float, clock: Callable[[], float] = time.time) -> None:
        self._key, self._lifetime, self._clock = key, timedelta(minutes=minutes), clock
        self._cache: dict[Person, tuple[float, str]] = {}

    def token_for(self, person: Person) -> str:
        now = self._clock()
        hit = self._cache.get(person)
        if hit is not None and hit[0] - now > min(REUSE_MARGIN, self._lifetime.total_seconds() / 2):
            return hit[1]
        token = self._key.sign(token_claims(person), lifetime=self._lifetime)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[person] = (now + self._lifetime.total_seconds(), token)
        return token

    def forget(self, username: str) -> None:
        """Drop the cached token of a person (signed out, disabled): the next one is signed afresh."""
        for person in [p for p in self._cache if p.username == username]:
            del self._cache[person]
