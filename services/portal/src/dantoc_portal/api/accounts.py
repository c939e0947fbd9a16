"""Accounts (administrators): list, create, disable and enable, reset a password, import from CSV, sign-in log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from dantoc_portal.api.deps import AdminDep, AdminPostDep, ContainerDep, PageProblem, now
from dantoc_portal.api.render import page
from dantoc_portal.domain.roles import ROLE_NAMES, PortalRole
from dantoc_portal.services.accounts import (
    Created,
    NotAllowed,
    create_accounts,
    managed,
    new_account,
    read_csv,
    reset_password,
    set_disabled,
)

router = APIRouter(prefix="/tai-khoan", tags=["accounts"])
Field = Annotated[str, Form(max_length=200)]
NOT_YOURS = PageProblem(403, "Không có quyền truy cập", "Bạn không được quản lý tài khoản này.")


def _roles(admin_role: PortalRole) -> list[tuple[str, tuple[str, str]]]:
    if admin_role is PortalRole.NATIONAL_ADMIN:
        return [(r.value, ROLE_NAMES[r]) for r in PortalRole]
    return [(r.value, ROLE_NAMES[r]) for r in (PortalRole.ENTRY, PortalRole.REVIEWER, PortalRole.PROVINCE_ADMIN)]


async def _list_page(
    request: Request, container: ContainerDep, current: AdminDep, *, status: int = 200, **extra: object
) -> Response:
    accounts, logins = await managed(container.uow(), current.person)
    context = {
        "accounts": accounts,
        "logins": logins,
        "roles": _roles(current.person.role),
        "role_names": {r.value: ROLE_NAMES[r] for r in PortalRole},
        "now": now(),
        "created": [],
        "problems": [],
        "form": {},
        **extra,
    }
    return page(request, "accounts.html", context, status=status)


@router.get("")
async def accounts_page(request: Request, container: ContainerDep, current: AdminDep) -> Response:
    return await _list_page(request, container, current)


@router.post("")
async def create_account(
    request: Request,
    container: ContainerDep,
    current: AdminPostDep,
    username: Field,
    display_name: Field,
    role: Field,
    unit_code: Annotated[str, Form(max_length=10)] = "",
    agency: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    form = {"username": username, "display_name": display_name, "role": role, "unit_code": unit_code, "agency": agency}
    created, problems = await create_accounts(
        uow=container.uow(),
        passwords=container.passwords,
        catalog=container.services.catalog,
        admin=current.person,
        accounts=[new_account(form)],
        now=now(),
    )
    if problems:
        return await _list_page(request, container, current, status=422, problems=problems, form=form, single=True)
    return await _list_page(request, container, current, created=created)


@router.post("/nhap")
async def import_accounts(
    request: Request, container: ContainerDep, current: AdminPostDep, file: Annotated[UploadFile, File()]
) -> Response:
    accounts, problems = read_csv(await file.read(2 * 1024 * 1024))
    created: list[Created] = []
    if not problems:
        created, problems = await create_accounts(
            uow=container.uow(),
            passwords=container.passwords,
            catalog=container.services.catalog,
            admin=current.person,
            accounts=accounts,
            now=now(),
            action="imported",
        )
    status = 422 if problems else 200
    return await _list_page(request, container, current, status=status, problems=problems, created=created)


@router.post("/{account_id}/vo-hieu-hoa")
async def disable(request: Request, container: ContainerDep, current: AdminPostDep, account_id: int) -> Response:
    return await _set_disabled(request, container, current, account_id, True)


@router.post("/{account_id}/kich-hoat")
async def enable(request: Request, container: ContainerDep, current: AdminPostDep, account_id: int) -> Response:
    return await _set_disabled(request, container, current, account_id, False)


async def _set_disabled(
    request: Request, container: ContainerDep, current: AdminPostDep, account_id: int, disabled: bool
) -> Response:
    try:
        username = await set_disabled(
            uow=container.uow(), admin=current.person, account_id=account_id, disabled=disabled, now=now()
        )
    except NotAllowed:
        raise NOT_YOURS from None
    container.tokens.forget(username)
    return await _list_page(request, container, current)


@router.post("/{account_id}/dat-lai-mat-khau")
async def reset(request: Request, container: ContainerDep, current: AdminPostDep, account_id: int) -> Response:
    try:
        created = await reset_password(
            uow=container.uow(), passwords=container.passwords, admin=current.person, account_id=account_id, now=now()
        )
    except NotAllowed:
        raise NOT_YOURS from None
    container.tokens.forget(created.username)
    return await _list_page(request, container, current, created=[created])
