"""Sign-in, sign-out, the password change and the language switch."""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from dantoc_portal.api.deps import (
    CHANGE_PASSWORD,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    ContainerDep,
    CsrfRejected,
    CurrentDep,
    PostDep,
    client_of,
    now,
)
from dantoc_portal.api.render import LANG_COOKIE, page
from dantoc_portal.domain.i18n import LANGS, format_date, translate
from dantoc_portal.services.signin import Outcome, change_password, csrf_matches, sign_in, sign_out

router = APIRouter(tags=["sign-in"])
SIGN_IN = "/dang-nhap"
Text = Annotated[str, Form(max_length=500)]


def safe_next(target: str | None) -> str:
    """Only a path of this site (no scheme, no host, not `//`): an open redirect is refused."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


def _sign_in_page(
    request: Request, container_secure: bool, *, error: str = "", status: int = 200, **extra: str
) -> Response:
    token = secrets.token_urlsafe(32)
    request.state.login_csrf = token
    response = page(
        request,
        "signin.html",
        {"error": error, "next": safe_next(request.query_params.get("next")), **extra},
        status=status,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=container_secure, path=SIGN_IN, max_age=3600
    )
    return response


@router.get(SIGN_IN)
async def sign_in_form(request: Request, container: ContainerDep) -> Response:
    notice = "Bạn đã đăng xuất." if request.query_params.get("da_dang_xuat") else ""
    return _sign_in_page(request, container.settings.cookie_secure, notice=notice)


@router.post(SIGN_IN)
async def sign_in_post(
    request: Request,
    container: ContainerDep,
    username: Text,
    password: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Double-submit CSRF for the form before a session exists: the hidden field must equal the cookie."""
    if not csrf_matches(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf_token):
        raise CsrfRejected()
    result = await sign_in(
        uow=container.uow(),
        passwords=container.passwords,
        lockout=container.lockout,
        policy=container.policy,
        username=username,
        password=password,
        client=client_of(request),
        now=now(),
    )
    container.metrics.sign_ins.labels(result.outcome.value).inc()
    secure = container.settings.cookie_secure
    if result.outcome is Outcome.SUCCESS and result.secret:
        response = RedirectResponse(safe_next(next), status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            result.secret,
            httponly=True,
            samesite="lax",
            secure=secure,
            path="/",
            max_age=int(container.policy.lifetime.total_seconds()),
        )
        response.delete_cookie(LOGIN_CSRF_COOKIE, path=SIGN_IN)
        return response
    lang = request.cookies.get(LANG_COOKIE, "vi")
    if result.outcome is Outcome.LOCKED:
        until = format_date(result.locked_until, lang)
        error = translate("Tài khoản tạm khóa do đăng nhập sai nhiều lần. Thử lại sau {until}.", lang).format(
            until=until
        )
    elif result.outcome is Outcome.DISABLED:
        error = translate("Tài khoản đã bị vô hiệu hóa. Liên hệ quản trị cấp tỉnh.", lang)
    else:
        error = translate("Tên đăng nhập hoặc mật khẩu không đúng.", lang)
    return _sign_in_page(request, secure, error=error, status=401, username=username)


@router.post("/dang-xuat")
async def sign_out_post(request: Request, container: ContainerDep, current: PostDep) -> Response:
    await sign_out(uow=container.uow(), secret=request.cookies.get(SESSION_COOKIE, ""), now=now())
    container.tokens.forget(current.person.username)
    response = RedirectResponse(f"{SIGN_IN}?da_dang_xuat=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get(CHANGE_PASSWORD)
async def password_form(request: Request, current: CurrentDep) -> Response:
    return page(request, "password.html", {"problems": [], "first": current.must_change_password})


@router.post(CHANGE_PASSWORD)
async def password_post(
    request: Request,
    container: ContainerDep,
    current: PostDep,
    old_password: Annotated[str, Form(max_length=200)],
    new_password: Annotated[str, Form(max_length=200)],
    new_password_again: Annotated[str, Form(max_length=200)],
) -> Response:
    problems = await change_password(
        uow=container.uow(),
        passwords=container.passwords,
        current=current,
        old=old_password,
        new=new_password,
        again=new_password_again,
        now=now(),
    )
    if problems:
        context = {"problems": problems, "first": current.must_change_password}
        return page(request, "password.html", context, status=422)
    return RedirectResponse("/?mat_khau_moi=1", status_code=303)


@router.get("/ngon-ngu/{lang}")
async def switch_language(request: Request, lang: str, container: ContainerDep) -> Response:
    """Vietnamese or English for every page (a cookie); back to where the person was."""
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    if lang in LANGS:
        response.set_cookie(
            LANG_COOKIE, lang, samesite="lax", secure=container.settings.cookie_secure, max_age=365 * 86400
        )
    return response
