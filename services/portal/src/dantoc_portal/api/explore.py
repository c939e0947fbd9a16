"""Khai thác số liệu: the explore page (tables and server-rendered charts) and its CSV/XLSX downloads."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from dantoc_portal.api.deps import ContainerDep, CurrentDep, PageProblem, now
from dantoc_portal.api.render import page, request_lang
from dantoc_portal.clients.upstream import UpstreamForbidden
from dantoc_portal.domain.charts import Chart, bar_chart, line_chart
from dantoc_portal.domain.i18n import period_label, translator
from dantoc_portal.services.explore import EXPORTS, KINDS, ExploreView, explore_export, explore_view

router = APIRouter(prefix="/khai-thac", tags=["explore"])
GATEWAY_REFUSED = PageProblem(
    403, "Không có quyền truy cập", "Cổng dữ liệu chỉ cho cơ quan của bạn xem các đơn vị cơ quan đã gửi số liệu."
)
BAD_FILTER = PageProblem(400, "Yêu cầu không hợp lệ", "Lựa chọn không hợp lệ; hãy mở lại trang Khai thác số liệu.")
FIELDS = ("indicator", "unit", "period", "from", "to")


def _short(period: str) -> str:
    """A period as an axis label: 2024, Q3/2024, S1/2024, 07/2024."""
    if len(period) == 4:
        return period
    return f"{period[4:]}/{period[:4]}"


def _charts(view: ExploreView, lang: str) -> dict[str, str]:
    if view.definition is None or view.form.problems:
        return {}
    _ = translator(lang)
    name, unit = view.definition.name(lang), f"{view.unit['type']} {view.unit['name']}".strip() if view.unit else ""
    measure = view.definition.unit(lang)
    period = period_label(view.form.values["period"], lang)
    empty = _("Chưa có số liệu")
    return {
        "series": line_chart(
            [(_short(code), value) for code, _label, value in view.series.rows],
            Chart(
                _("{name} của {unit} qua các kỳ", name=name, unit=unit),
                _("Đơn vị tính: {measure}", measure=measure),
                lang,
            ),
            empty=empty,
        ),
        "drilldown": bar_chart(
            [(label, value) for _code, label, value in view.drilldown.rows if value is not None],
            Chart(
                _("{name} theo đơn vị cấp dưới, {period}", name=name, period=period),
                _("Đơn vị tính: {measure}", measure=measure),
                lang,
            ),
            empty=empty,
        ),
        "comparison": bar_chart(
            [(label, value) for _code, label, value in view.comparison.rows],
            Chart(
                _("{name} theo dân tộc, {period}", name=name, period=period),
                _("Đơn vị tính: {measure}", measure=measure),
                lang,
            ),
            empty=empty,
        ),
    }


@router.get("")
async def explore_page(request: Request, container: ContainerDep, current: CurrentDep) -> Response:
    token = container.tokens.token_for(current.person)
    lang = request_lang(request)
    raw = {k: v[:20] for k, v in request.query_params.items() if k in FIELDS}
    try:
        view = await explore_view(container.services, current.person, token, raw, now().date(), lang)
    except UpstreamForbidden:
        raise GATEWAY_REFUSED from None
    values = {k: v for k, v in view.form.values.items() if v}

    def query(**changes: str) -> str:
        return urlencode({k: v for k, v in {**values, **changes}.items() if v})

    context = {"view": view, "charts": _charts(view, lang), "query": query}
    return page(request, "explore.html", context, status=400 if view.form.problems else 200)


@router.get("/tai-ve")
async def explore_download(request: Request, container: ContainerDep, current: CurrentDep) -> Response:
    fmt, kind = request.query_params.get("format", "csv"), request.query_params.get("kind", "series")
    if fmt not in EXPORTS or kind not in KINDS:
        raise BAD_FILTER
    raw = {k: v[:20] for k, v in request.query_params.items() if k in FIELDS}
    token = container.tokens.token_for(current.person)
    try:
        answer = await explore_export(
            container.services, current.person, token, raw, kind, fmt, now().date(), request_lang(request)
        )
    except ValueError:
        raise BAD_FILTER from None
    headers = {k: v for k, v in answer.headers.items() if k.lower() == "content-disposition"}
    return Response(answer.content, media_type=answer.headers.get("content-type", EXPORTS[fmt]), headers=headers)
