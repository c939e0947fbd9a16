"""Composition root of the portal: the web application for officials.

Server-rendered pages (Jinja2, Vietnamese first), over the HTTP APIs of the catalog, ingest and the gateway, called
with a short-lived token the portal signs for the signed-in person (published at `/.well-known/jwks.json`).
Topics produced and consumed: none (the portal talks HTTP only). Its own database: accounts, sessions, the login
audit, account events, data-entry drafts.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dantoc_contracts.body_limit import BodyLimit, Route
from dantoc_portal.api import accounts, completeness, entry, excel, explore, health, home, jwks, signin
from dantoc_portal.api.container import Container
from dantoc_portal.api.problems import install_error_pages
from dantoc_portal.api.render import environment
from dantoc_portal.auth.signing import SigningKey
from dantoc_portal.clients.services import Services
from dantoc_portal.db.engine import create_engine, session_factory
from dantoc_portal.db.migrate import require_head
from dantoc_portal.db.uow import UnitOfWorkFactory
from dantoc_portal.metrics import PortalMetrics
from dantoc_portal.settings import Settings

STATIC = Path(__file__).resolve().parent / "static"
UPLOAD_OVERHEAD = 64 * 1024
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
PAGE_ROUTERS = (signin, home, accounts, entry, excel, completeness, explore)


def create_app(settings: Settings, *, services: Services | None = None) -> FastAPI:
    """The portal; its lifespan checks the schema is at head (`python -m dantoc_portal migrate` first)."""
    key = SigningKey.from_file(settings.jwt_private_key_file)  # first: a missing key is refused before anything
    metrics = PortalMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url)
        clients = services or Services.of(settings, metrics)
        try:
            await require_head(engine)
            app.state.container = Container.build(
                settings, engine, UnitOfWorkFactory(session_factory(engine)), key, clients, metrics, environment()
            )
            yield
        finally:
            if services is None:
                await clients.close()
            await engine.dispose()

    app = FastAPI(title="Dân tộc portal", version="1.0.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    install_error_pages(app)
    for module in PAGE_ROUTERS:
        app.include_router(module.router)
    app.include_router(jwks.router)
    app.include_router(health.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    routes = [Route("/excel/", settings.max_upload_bytes + UPLOAD_OVERHEAD), Route("/tai-khoan/nhap", 2 * 1024 * 1024)]
    app.add_middleware(BodyLimit, default=settings.max_form_bytes, routes=routes)
    app.add_middleware(GZipMiddleware, minimum_size=800)
    app.add_middleware(Observe, metrics=metrics)
    return app


class Observe:
    """Latency per route template, and the headers every answer carries (no framing, no sniffing, no caching). A
    plain ASGI middleware: Starlette's `BaseHTTPMiddleware` cost a tenth of a busy portal's time."""

    def __init__(self, app: ASGIApp, metrics: PortalMetrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        static = str(scope.get("path", "")).startswith("/static/")

        async def answer(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CSP)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("Cache-Control", "public, max-age=86400" if static else "no-store")
            await send(message)

        try:
            await self.app(scope, receive, answer)
        finally:
            template = getattr(scope.get("route"), "path", "unmatched")
            method = str(scope.get("method", ""))
            self.metrics.http_latency.labels(template, method, str(status)).observe(time.perf_counter() - started)
