"""Dependencies of the routes, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from dantoc_contracts.access import Principal
from dantoc_contracts.catalog_view import CatalogView
from dantoc_ingest.api.problems import ProblemError
from dantoc_ingest.auth.tokens import InvalidToken, TokenVerifier
from dantoc_ingest.domain.problems import problem
from dantoc_ingest.services.context import IngestContext
from dantoc_ingest.settings import Settings

_BEARER = HTTPBearer(auto_error=False, description="JWT (RS256) with the claims agency, role and scope.")
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="dantoc"'}


def _context(request: Request) -> IngestContext:
    return request.app.state.ctx  # type: ignore[no-any-return]


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def _principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)]
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ProblemError(401, [problem("not_authenticated", detail="no bearer token")], headers=_CHALLENGE)
    verifier: TokenVerifier = request.app.state.verifier
    try:
        return await verifier.verify(credentials.credentials)
    except InvalidToken as error:
        raise ProblemError(401, [problem("not_authenticated", detail=str(error))], headers=_CHALLENGE) from error


def _catalog(ctx: Annotated[IngestContext, Depends(_context)]) -> CatalogView:
    if not ctx.catalog.ready:
        raise ProblemError(503, [problem("catalog_not_ready")], headers={"Retry-After": "5"})
    return ctx.catalog.view


Ctx = Annotated[IngestContext, Depends(_context)]
Config = Annotated[Settings, Depends(_settings)]
Caller = Annotated[Principal, Depends(_principal)]
Catalog = Annotated[CatalogView, Depends(_catalog)]
