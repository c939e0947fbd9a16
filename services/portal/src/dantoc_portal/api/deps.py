"""Route dependencies: the container, the signed-in person (or a redirect to the sign-in page), the CSRF check."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request

from dantoc_portal.api.container import Container
from dantoc_portal.services.signin import Client, Current, csrf_matches, current_session

SESSION_COOKIE = "dantoc_session"
LOGIN_CSRF_COOKIE = "dantoc_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
CHANGE_PASSWORD = "/doi-mat-khau"


class SignInRequired(Exception):
    """No open session: the page answers with a redirect to the sign-in page (`next` is where to come back)."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


class PasswordChangeRequired(Exception):
    """The first sign-in (or a reset): every page but the password change redirects there."""


class CsrfRejected(Exception):
    """A form without the session's CSRF token (or with another): 403, nothing is done."""


class PageProblem(Exception):
    """An error page: status, a title and a message (Vietnamese texts; `translate` gives their English)."""

    def __init__(self, status: int, title: str, message: str) -> None:
        self.status, self.title, self.message = status, title, message
        super().__init__(f"{status} {title}")


def forbidden_unit() -> PageProblem:
    return PageProblem(403, "Không có quyền truy cập", "Đơn vị này nằm ngoài phạm vi của bạn.")


def now() -> datetime:
    return datetime.now(UTC)


async def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def client_of(request: Request) -> Client:
    host = request.client.host if request.client else ""
    return Client(ip=host, user_agent=request.headers.get("user-agent", ""))


async def optional_session(request: Request, container: ContainerDep) -> Current | None:
    secret = request.cookies.get(SESSION_COOKIE, "")
    current = await current_session(uow=container.uow(), secret=secret, policy=container.policy, now=now())
    request.state.current = current
    return current


async def signed_in(request: Request, current: Annotated[Current | None, Depends(optional_session)]) -> Current:
    """The signed-in person; a page of a person who must change the password first redirects there."""
    if current is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(quote(target, safe="/?=&"))
    if current.must_change_password and request.url.path != CHANGE_PASSWORD:
        raise PasswordChangeRequired()
    return current


CurrentDep = Annotated[Current, Depends(signed_in)]


async def csrf_checked(request: Request, current: CurrentDep) -> Current:
    """A state-changing request of the signed-in person: its form field or header must carry the session's token."""
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        form = await request.form()  # cached by Starlette: the route reads the same form
        field = form.get(CSRF_FIELD)
        given = field if isinstance(field, str) else None
    if not csrf_matches(current.csrf_token, given):
        raise CsrfRejected()
    return current


PostDep = Annotated[Current, Depends(csrf_checked)]


async def administrator(current: CurrentDep) -> Current:
    if not current.person.administers:
        raise PageProblem(403, "Không có quyền truy cập", "Trang này dành cho quản trị viên.")
    return current


AdminDep = Annotated[Current, Depends(administrator)]


async def admin_post(current: PostDep) -> Current:
    return await administrator(current)


AdminPostDep = Annotated[Current, Depends(admin_post)]
