"""Việc cần làm: what the signed-in person must report, and for reviewers the units below that are silent."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from dantoc_portal.api.deps import ContainerDep, CurrentDep, now
from dantoc_portal.api.render import page, request_lang
from dantoc_portal.services.todo import todo_of

router = APIRouter(tags=["home"])


@router.get("/")
async def home(request: Request, container: ContainerDep, current: CurrentDep) -> Response:
    token = container.tokens.token_for(current.person)
    every = request.query_params.get("ky") == "tat-ca"
    todo = await todo_of(
        container.services,
        container.uow,
        current.person,
        current.account_id,
        token,
        today=now().date(),
        lang=request_lang(request),
        every_period=every,
    )
    new_password = bool(request.query_params.get("mat_khau_moi"))
    return page(request, "home.html", {"todo": todo, "new_password": new_password})
