"""Data entry: `GET /nhap-lieu` (pickers and grid), `POST /nhap-lieu` (save = dry run, submit, add a group),
`GET /nhap-lieu/lich-su` (one cell's history)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from dantoc_portal.api.deps import ContainerDep, CurrentDep, PageProblem, PostDep, now
from dantoc_portal.api.render import page
from dantoc_portal.domain.grid import SEX_NAMES, cell_id, parse_key, read_form, submission_id, value_name
from dantoc_portal.domain.grid_checks import Message, no_data_id
from dantoc_portal.services import drafts
from dantoc_portal.services.entry import Grid, build_grid, check_or_submit, choices
from dantoc_portal.services.history import cell_history

router = APIRouter(prefix="/nhap-lieu", tags=["entry"])
Code = Annotated[str, Query(max_length=10, pattern=r"^[0-9A-Za-z]*$")]
Key = Annotated[str, Query(max_length=100)]
NOT_ENTRY = PageProblem(403, "Không có quyền truy cập", "Trang này dành cho cán bộ nhập liệu.")
UNAVAILABLE = Message(
    "Hệ thống kiểm tra số liệu không trả lời. Bản nháp đã được lưu; hãy thử lại sau ít phút.",
    "The checking service does not answer. The draft is kept; try again in a few minutes.",
)


async def _ethnic(container: ContainerDep) -> dict[str, dict[str, Any]]:
    found = await container.services.catalog.ethnic_groups()
    return {str(g["code_gso_1979"]): g for g in found.get("groups", [])}


def _render(
    request: Request, grid: Grid | None, ethnic: dict[str, dict[str, Any]], *, status: int = 200, **extra: Any
) -> Response:
    context = {
        "grid": grid,
        "choices": grid.choices if grid else extra.pop("picked"),
        "ethnic": ethnic,
        "sex_names": SEX_NAMES,
        "cell_id": cell_id,
        "value_name": value_name,
        "no_data_id": no_data_id,
        "notice": None,
        "report": None,
        "general": [],
        **extra,
    }
    return page(request, "entry.html", context, status=status)


@router.get("")
async def entry_page(
    request: Request, container: ContainerDep, current: CurrentDep, unit: Code = "", period: Code = "", group: Code = ""
) -> Response:
    person = current.person
    if not person.enters_data:
        raise NOT_ENTRY
    picked = await choices(container.services.catalog, person, unit, period, group, now().date())
    ethnic = await _ethnic(container)
    if not picked.group:
        return _render(request, None, ethnic, picked=picked)
    where = drafts.Where(current.account_id, str(picked.unit["code"]), picked.period, picked.group)
    stored = await drafts.load(container.uow, where)
    token = container.tokens.token_for(person)
    grid = await build_grid(container.services, token, picked, stored=stored)
    return _render(request, grid, ethnic)


@router.post("")
async def entry_post(request: Request, container: ContainerDep, current: PostDep) -> Response:
    person = current.person
    if not person.enters_data:
        raise NOT_ENTRY
    form = await request.form()
    field = {k: v if isinstance(v, str) else "" for k, v in form.items()}
    picked = await choices(
        container.services.catalog,
        person,
        field.get("unit", "")[:10],
        field.get("period", "")[:10],
        field.get("group", "")[:10],
        now().date(),
    )
    if not picked.group:
        raise PageProblem(400, "Yêu cầu không hợp lệ", "Chưa chọn nhóm chỉ tiêu.")
    ethnic = await _ethnic(container)
    items = [(k, v) for k, v in form.multi_items() if k != "group"]
    added = field.get("add_group", "")
    if added in ethnic:
        items.append(("group", added))
    items += [("group", g) for g in form.getlist("groups") if isinstance(g, str)]
    draft = read_form(items, picked.definitions, set(ethnic))
    where = drafts.Where(current.account_id, str(picked.unit["code"]), picked.period, picked.group)
    token = container.tokens.token_for(person)
    action = field.get("action", "save")
    if action == "add":  # another ethnic group: keep what was typed, show the group's lines
        sid = submission_id(where.unit, where.period, where.group, draft)
        await drafts.store(container.uow, where, draft, sid, now=now())
        stored = await drafts.load(container.uow, where)
        grid = await build_grid(container.services, token, picked, draft=draft, stored=stored)
        return _render(request, grid, ethnic)
    outcome = await check_or_submit(
        container.services, container.uow, where, person, token, draft, submit=action == "submit", now=now()
    )
    stored = await drafts.load(container.uow, where)
    if outcome.unavailable:
        grid = await build_grid(container.services, token, picked, draft=draft, stored=stored)
        return _render(request, grid, ethnic, status=503, general=[UNAVAILABLE])
    if outcome.problems.count:
        grid = await build_grid(
            container.services, token, picked, draft=draft, problems=outcome.problems, stored=stored
        )
        return _render(request, grid, ethnic, status=422, general=outcome.problems.general)
    grid = await build_grid(
        container.services, token, picked, draft=None if action == "submit" else draft, stored=stored
    )
    notice = "submitted" if action == "submit" else "checked"
    return _render(request, grid, ethnic, notice=notice, report=outcome.report, replayed=outcome.replayed)


@router.get("/lich-su")
async def history_page(
    request: Request,
    container: ContainerDep,
    current: CurrentDep,
    unit: Code,
    period: Code,
    indicator: Code,
    key: Key,
) -> Response:
    parsed = parse_key(key)
    versions = await cell_history(
        container.services, current.person, container.tokens.token_for(current.person), unit, period, indicator, key
    )
    ethnic = await _ethnic(container) if parsed and parsed[0] else {}
    group = versions.definition.group_code if versions.definition else ""
    context = {
        "unit": versions.unit,
        "period": versions.period,
        "indicator": indicator,
        "definition": versions.definition,
        "key": key,
        "ethnic_name": ethnic.get(parsed[0]) if parsed and parsed[0] else None,
        "sex": SEX_NAMES.get(parsed[1] or "") if parsed else None,
        "versions": versions.rows,
        "back": f"/nhap-lieu?unit={unit}&period={period}&group={group}",
    }
    return page(request, "history.html", context)
