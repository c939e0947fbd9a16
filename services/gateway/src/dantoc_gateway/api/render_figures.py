"""Figures in every format: JSON (with names), CSV, XLSX, SDMX-CSV and SDMX-JSON."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from dantoc_contracts.catalog_view import CatalogView
from dantoc_gateway.api.answers import download_headers, next_url
from dantoc_gateway.domain.access import Caller
from dantoc_gateway.formats.csv_out import render_csv
from dantoc_gateway.formats.json_out import dumps, labels_json, meta_json, observation_json
from dantoc_gateway.formats.negotiate import MEDIA, Format
from dantoc_gateway.formats.sdmx_data import render_sdmx_csv, render_sdmx_json
from dantoc_gateway.formats.table import FIGURE_COLUMNS, table_rows
from dantoc_gateway.formats.xlsx_out import render_xlsx
from dantoc_gateway.services.labels import Labels
from dantoc_gateway.services.observations import Figures, drill_children
from dantoc_gateway.services.runtime import Rendered, Runtime

FIGURE_FORMATS = (Format.JSON, Format.CSV, Format.XLSX, Format.SDMX_CSV, Format.SDMX_JSON)


def _title(figures: Figures, labels: Labels, lang: str) -> str:
    obs = figures.observations
    if not obs:
        return "Số liệu công tác dân tộc" if lang == "vi" else "Ethnic affairs statistics"
    first = labels.indicator(obs[0].indicator, obs[0].period)
    name = first.name_vi if lang == "vi" else first.name_en
    more = len({o.indicator for o in obs}) > 1
    return f"{name}{' …' if more else ''} ({first.unit_vi if lang == 'vi' else first.unit_en})"


def _subtitle(request: Request, figures: Figures) -> str:
    page = figures.page
    return f"{request.url.path}?{request.url.query} — trang {page.number}/{page.pages}, {page.total} ô số liệu"


def render_figures(
    request: Request, runtime: Runtime, caller: Caller, figures: Figures, fmt: Format, *, name: str
) -> Rendered:
    catalog = runtime.catalog
    labels = runtime.labels(figures.output.ethnic_list)
    link = next_url(request, figures.page.has_next, figures.page.number)
    headers = download_headers(fmt, f"dantoc-{name}-p{figures.page.number}", total=figures.page.total, link=link)
    lang = figures.output.lang
    if fmt is Format.JSON:
        body = dumps(_figures_json(figures, labels, caller, link, catalog))
    elif fmt is Format.CSV:
        body = render_csv(FIGURE_COLUMNS, table_rows(figures.observations, labels, lang), lang)
    elif fmt is Format.XLSX:
        rows = table_rows(figures.observations, labels, lang)
        body = render_xlsx(
            FIGURE_COLUMNS, rows, lang, title=_title(figures, labels, lang), subtitle=_subtitle(request, figures)
        )
    elif fmt is Format.SDMX_CSV:
        body = render_sdmx_csv(figures.observations, labels)
    else:
        body = render_sdmx_json(figures.observations, labels)
    return Rendered(body, MEDIA[fmt].type, headers)


def _figures_json(
    figures: Figures, labels: Labels, caller: Caller, link: str | None, catalog: CatalogView
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "meta": meta_json(figures.page, caller, next_url=link, ethnic_list=figures.output.ethnic_list.value),
        "labels": labels_json(figures.observations, labels),
        "observations": [observation_json(obs, labels) for obs in figures.observations],
    }
    if figures.parent is not None:
        periods = figures.periods
        document["parent"] = {
            "code": figures.parent,
            "name": labels.unit(figures.parent, periods[0]) if periods else figures.parent,
        }
        document["children"] = None
        if not figures.level:
            document["children"] = [
                {"period": p, "code": c.code, "name": f"{c.type} {c.name}", "level": c.level.value}
                for p, c in drill_children(catalog, caller, figures.parent, periods)
            ]
    return document
