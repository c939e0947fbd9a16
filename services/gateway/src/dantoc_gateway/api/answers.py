"""Shared route plumbing: raw parameters, format choice, the response cache, paging links."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable

from fastapi import Request, Response
from starlette.datastructures import URL

from dantoc_gateway.domain.access import Caller
from dantoc_gateway.domain.problems import Problems
from dantoc_gateway.formats.negotiate import MEDIA, Format, from_accept
from dantoc_gateway.services.runtime import Rendered, Runtime

Produce = Callable[[], Awaitable[Rendered]]


def raw_params(request: Request, problems: Problems, declared: tuple[str, ...]) -> dict[str, str | None]:
    """Every query parameter as text (a repeated one joined with commas); one the route lacks is a problem.

    A misspelt filter (`indicater=0401`) must not silently widen the answer.
    """
    params = request.query_params
    for key in params:
        if key not in declared:
            problems.add("unknown_parameter", key, allowed=", ".join(sorted(declared)))
    return {key: ",".join(params.getlist(key)) for key in params}


def choose_format(request: Request, allowed: tuple[Format, ...], problems: Problems) -> Format:
    """The `format` parameter, else the Accept header; an unsupported `format` is added to `problems`."""
    asked = request.query_params.get("format")
    if asked is None:
        return from_accept(request.headers.get("accept"), allowed)
    for option in allowed:
        if option.value == asked:
            return option
    problems.add("unsupported_value", "format", asked, allowed=", ".join(allowed))
    return allowed[0]


def link_to(request: Request, url: URL) -> str:
    """A link to `url`'s path and query: on the configured public base URL, else relative; never on the Host header
    (which the caller chooses, and which the response cache does not key on)."""
    base: str | None = request.app.state.settings.public_base_url
    relative = url.path + (f"?{url.query}" if url.query else "")
    return f"{base.rstrip('/')}{relative}" if base else relative


def next_url(request: Request, has_next: bool, page: int) -> str | None:
    return link_to(request, request.url.include_query_params(page=page + 1)) if has_next else None


async def respond(
    request: Request, runtime: Runtime, caller: Caller, chosen: Format, produce: Produce, depends_on: Hashable
) -> Response:
    """Render a checked request, from the cache while what it `depends_on` has not changed."""
    key = (
        request.url.path,
        tuple(sorted(request.query_params.multi_items())),
        chosen,
        caller.cache_key,
        depends_on,
    )
    rendered = runtime.cache.get(key)
    runtime.metrics.cache.labels("hit" if rendered is not None else "miss").inc()
    if rendered is None:
        rendered = await produce()
        runtime.cache.put(key, rendered)
    runtime.metrics.exports.labels(chosen.value).inc()
    return Response(rendered.body, media_type=rendered.media_type, headers=rendered.headers)


def download_headers(fmt: Format, name: str, *, total: int, link: str | None) -> dict[str, str]:
    headers = {"X-Total-Count": str(total)}
    if link is not None:
        headers["Link"] = f'<{link}>; rel="next"'
    if fmt is not Format.JSON and fmt is not Format.SDMX_JSON:
        headers["Content-Disposition"] = f'attachment; filename="{name}.{MEDIA[fmt].extension}"'
    return headers
