"""Tình hình báo cáo: the completeness page and its CSV/XLSX download (through the gateway, with the person's token)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from dantoc_portal.api.deps import ContainerDep, CurrentDep, PageProblem, now
from dantoc_portal.api.render import page, request_lang
from dantoc_portal.clients.upstream import UpstreamForbidden
from dantoc_portal.domain.charts import Chart, stacked_bars
from dantoc_portal.domain.i18n import period_label, translator
from dantoc_portal.domain.views import SORTS, STATUSES
from dantoc_portal.services.completeness import EXPORTS, CompletenessView, completeness_export, completeness_view

router = APIRouter(prefix="/tinh-hinh-bao-cao", tags=["completeness"])
GATEWAY_REFUSED = PageProblem(
    403, "Không có quyền truy cập", "Cổng dữ liệu chỉ cho cơ quan của bạn xem các đơn vị cơ quan đã gửi số liệu."
)
BAD_FILTER = PageProblem(400, "Yêu cầu không hợp lệ", "Bộ lọc không hợp lệ; hãy mở lại trang Tình hình báo cáo.")
STATUS_NAMES = ("Đã báo cáo", "Không có số liệu", "Chưa báo cáo")
SORT_NAMES = ("Tên đơn vị (A–Z)", "Tên đơn vị (Z–A)", "Tỷ lệ đã báo cáo (thấp trước)", "Tỷ lệ đã báo cáo (cao trước)")
CHART_UNITS = 60


def today() -> date:
    return now().date()


def _charts(view: CompletenessView, lang: str) -> dict[str, str]:
    if view.picking or view.form.problems:
        return {}
    _ = translator(lang)
    names = [_(s) for s in STATUS_NAMES]
    name = view.unit["name"] if view.unit else ""
    period = period_label(view.form.values["period"], lang)
    by_group = [
        (f"{g['code']} {g['name_en'] if lang == 'en' else g['name_vi']}", (g["reported"], g["no_data"], g["silent"]))
        for g in view.groups
    ]
    charts = {
        "groups": stacked_bars(
            by_group,
            names,
            Chart(
                _("Tình hình báo cáo theo nhóm chỉ tiêu: {unit}, {period}", unit=name, period=period),
                _("Số cặp đơn vị – chỉ tiêu đã báo cáo, không có số liệu và chưa báo cáo, theo nhóm."),
                lang,
            ),
            empty=_("Chưa có số liệu"),
        )
    }
    if 0 < len(view.rows) <= CHART_UNITS:
        charts["units"] = stacked_bars(
            [(r.name, (r.reported, r.no_data, r.silent)) for r in view.rows],
            names,
            Chart(
                _("Tình hình báo cáo theo đơn vị: {unit}, {period}", unit=name, period=period),
                _("Số chỉ tiêu đã báo cáo, không có số liệu và chưa báo cáo của từng đơn vị."),
                lang,
            ),
            empty=_("Chưa có số liệu"),
        )
    return charts


@router.get("")
async def completeness_page(request: Request, container: ContainerDep, current: CurrentDep) -> Response:
    token = container.tokens.token_for(current.person)
    lang = request_lang(request)
    raw = {k: v[:20] for k, v in request.query_params.items()}
    try:
        view = await completeness_view(container.services, current.person, token, raw, today(), lang)
    except UpstreamForbidden:
        raise GATEWAY_REFUSED from None
    status = 400 if view.form.problems else 200
    values = {k: v for k, v in view.form.values.items() if v and not (k == "sort" and v == "name")}

    def query(**changes: str) -> str:
        return urlencode({k: v for k, v in {**values, **changes}.items() if v})

    context = {
        "view": view,
        "charts": _charts(view, lang),
        "chart_units": CHART_UNITS,
        "query": query,
        "link": lambda **changes: "/tinh-hinh-bao-cao?" + query(**changes),
        "all_groups": await container.services.catalog.groups(),
        "statuses": list(zip(STATUSES, STATUS_NAMES, strict=True)),
        "sorts": list(zip(SORTS, SORT_NAMES, strict=True)),
    }
    return page(request, "completeness.html", context, status=status)


@router.get("/tai-ve")
async def completeness_download(request: Request, container: ContainerDep, current: CurrentDep) -> Response:
    fmt = request.query_params.get("format", "csv")
    if fmt not in EXPORTS:
        raise BAD_FILTER
    raw = {k: v[:20] for k, v in request.query_params.items() if k != "format"}
    token = container.tokens.token_for(current.person)
    try:
        answer = await completeness_export(
            container.services, current.person, token, raw, fmt, today(), request_lang(request)
        )
    except ValueError:
        raise BAD_FILTER from None
    headers = {k: v for k, v in answer.headers.items() if k.lower() == "content-disposition"}
    return Response(answer.content, media_type=answer.headers.get("content-type", EXPORTS[fmt]), headers=headers)
