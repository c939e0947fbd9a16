"""Dependencies of the routes, as Annotated aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from dantoc_contracts.access import Principal, Role
from dantoc_gateway.auth.tokens import InvalidToken
from dantoc_gateway.db.agency_units import units_of
from dantoc_gateway.domain.access import Caller, caller_of
from dantoc_gateway.domain.problems import single
from dantoc_gateway.services.runtime import Runtime

_bearer = HTTPBearer(auto_error=False, bearerFormat="JWT", description="RS256 token issued for the ingest service.")


async def get_runtime(request: Request) -> Runtime:  # async: no thread-pool hop per request
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_caller(
    runtime: RuntimeDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Caller:
    """The verified caller; 401 without a valid bearer token, 503 while what access depends on is still loading."""
    if credentials is None or not credentials.credentials:
        raise single(401, "Authentication required", "missing_token")
    try:
        principal = await runtime.verifier.verify(credentials.credentials)
    except InvalidToken as error:
        raise single(401, "Authentication failed", "invalid_token", reason=str(error)) from error
    if not runtime.state.catalog.caught_up:
        raise single(503, "Not ready", "not_ready", reason="the catalog is still loading")
    if principal.role is Role.AGENCY:
        return await _agency(runtime, principal)
    return caller_of(principal, runtime.catalog, reach=runtime.reach)


async def _agency(runtime: Runtime, principal: Principal) -> Caller:
    """An agency caller with the units its agency has submitted for (read from the database: workers share it)."""
    if not runtime.state.values.caught_up:
        raise single(503, "Not ready", "not_ready", reason="the accepted values are still loading")
    async with runtime.engine.connect() as connection:
        units = await units_of(connection, principal.agency)
    return caller_of(principal, runtime.catalog, submitted=units)


CallerDep = Annotated[Caller, Depends(get_caller)]
