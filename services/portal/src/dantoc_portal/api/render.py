"""Rendering pages: the Jinja2 environment (autoescaped, Vietnamese formatting filters) and `page(...)`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from dantoc_portal.domain.i18n import format_date, format_number, lang_of, period_label, translator

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
LANG_COOKIE = "dantoc_lang"


def environment(folder: Path = TEMPLATES) -> Environment:
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        enable_async=False,
    )
    return env


def request_lang(request: Request) -> str:
    return lang_of(request.cookies.get(LANG_COOKIE))


def page(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render `template` with the layout's values: the language, `_`, the person and CSRF token when signed in."""
    container = request.app.state.container
    lang = request_lang(request)
    current = getattr(request.state, "current", None)
    values = {
        "request": request,
        "lang": lang,
        "_": translator(lang),
        "number": lambda v, places=None: format_number(v, lang, places=places),
        "day": lambda v: format_date(v, lang),
        "period_label": lambda p: period_label(p, lang),
        "person": current.person if current else None,
        "must_change_password": bool(current and current.must_change_password),  # the menu waits until it is done
        "csrf_token": current.csrf_token if current else getattr(request.state, "login_csrf", ""),
        "path": request.url.path,
        **(context or {}),
    }
    body = container.templates.get_template(template).render(values)
    return HTMLResponse(body, status_code=status, headers=headers)
