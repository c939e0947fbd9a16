"""The portal's signing keys as a JSON Web Key Set: what ingest and the gateway verify its tokens with."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from dantoc_portal.api.deps import ContainerDep

router = APIRouter(tags=["keys"])


@router.get("/.well-known/jwks.json")
async def jwks(container: ContainerDep) -> JSONResponse:
    return JSONResponse(container.key.jwks(), headers={"Cache-Control": "public, max-age=300"})
