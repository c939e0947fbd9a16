"""Excel: `GET /excel` (pick, download, upload), `GET /excel/mau` (the template), `POST /excel/tai-len` (upload)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from dantoc_portal.api.deps import ContainerDep, CurrentDep, PageProblem, PostDep, now
from dantoc_portal.api.render import page
from dantoc_portal.services.entry import choices
from dantoc_portal.services.excel import XLSX, template, upload

router = APIRouter(prefix="/excel", tags=["excel"])
Code = Annotated[str, Query(max_length=10, pattern=r"^[0-9A-Za-z]*$")]
NOT_ENTRY = PageProblem(403, "Không có quyền truy cập", "Trang này dành cho cán bộ nhập liệu.")
TOO_BIG = PageProblem(413, "Tệp quá lớn", "Tệp vượt quá dung lượng cho phép.")


@router.get("")
async def excel_page(
    request: Request, container: ContainerDep, current: CurrentDep, unit: Code = "", period: Code = "", group: Code = ""
) -> Response:
    if not current.person.enters_data:
        raise NOT_ENTRY
    picked = await choices(container.services.catalog, current.person, unit, period, group, now().date())
    return page(request, "excel.html", {"choices": picked})


@router.get("/mau")
async def excel_template(
    container: ContainerDep, current: CurrentDep, unit: Code, period: Code, group: Code = ""
) -> Response:
    token = container.tokens.token_for(current.person)
    found = await template(container.services, current.person, token, unit, period, group)
    disposition = f'attachment; filename="{found.filename}"'
    return Response(found.body, media_type=XLSX, headers={"Content-Disposition": disposition})


@router.post("/tai-len")
async def excel_upload(
    request: Request,
    container: ContainerDep,
    current: PostDep,
    file: Annotated[UploadFile, File()],
    group: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    if not current.person.enters_data:
        raise NOT_ENTRY
    limit = container.settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise TOO_BIG
    result = await upload(container.services, container.tokens.token_for(current.person), file.filename or "", data)
    context = {"result": result, "group": group if group.isalnum() else "", "filename": file.filename or ""}
    return page(request, "excel_result.html", context, status=200 if result.accepted else 422)
