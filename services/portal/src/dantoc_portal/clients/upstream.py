"""One HTTP client per upstream service: JSON in and out, the person's token on every call, errors as types.

A 403 becomes `UpstreamForbidden` (the portal shows its 403 page), a connection failure, timeout or 5xx
`UpstreamUnavailable` (the "system busy" page, nothing the person typed is lost), anything else unexpected
`UpstreamError` with the service's problem document."""

from __future__ import annotations

import json as jsonlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from dantoc_portal.metrics import PortalMetrics

Params = Mapping[str, str | int | Sequence[str]] | None
File = tuple[str, bytes, str]  # file name, content, media type


class UpstreamError(Exception):
    def __init__(self, service: str, status: int, body: Any) -> None:
        self.service, self.status, self.body = service, status, body
        super().__init__(f"{service} answered {status}")

    @property
    def problems(self) -> list[dict[str, Any]]:
        errors = self.body.get("errors") if isinstance(self.body, dict) else None
        return [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []


class UpstreamForbidden(UpstreamError):
    pass


class UpstreamUnavailable(UpstreamError):
    pass


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: Any
    content: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)  # names in lower case


def _body(content_type: str, content: bytes) -> Any:
    if "json" in content_type:
        try:
            return jsonlib.loads(content)
        except ValueError:
            return None
    return None


def query(params: Params) -> list[tuple[str, str]]:
    """The query string's pairs: a sequence value repeats its name (`indicator=0101&indicator=0102`)."""
    pairs: list[tuple[str, str]] = []
    for name, value in (params or {}).items():
        values = [value] if isinstance(value, str | int) else list(value)
        pairs += [(name, str(v)) for v in values]
    return pairs


def form(files: Mapping[str, File]) -> aiohttp.FormData:
    data = aiohttp.FormData()
    for name, (filename, content, media_type) in files.items():
        data.add_field(name, content, filename=filename, content_type=media_type)
    return data


class Upstream:
    """Calls one service at `base_url`; `ok` lists the statuses a caller handles itself (e.g. 422 of a dry run).

    Over aiohttp: httpx's pool looked at every idle connection for each request, a sixth of a busy portal's time."""

    def __init__(self, http: aiohttp.ClientSession, base_url: str, service: str, metrics: PortalMetrics) -> None:
        self._http, self._base, self.service, self._metrics = http, base_url, service, metrics

    async def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        params: Params = None,
        json: Any = None,
        files: Mapping[str, File] | None = None,
        accept: str = "application/json",
        ok: Sequence[int] = (200,),
    ) -> Answer:
        headers = {"Accept": accept, **({"Authorization": f"Bearer {token}"} if token else {})}
        started = time.perf_counter()
        status = "error"
        try:
            attempts = 2 if method == "GET" else 1  # a read may be sent again; a write never is
            for attempt in range(1, attempts + 1):
                try:
                    async with self._http.request(
                        method,
                        self._base + path,
                        params=query(params),
                        json=json,
                        data=form(files) if files else None,
                        headers=headers,
                    ) as response:
                        content = await response.read()
                    break
                except aiohttp.ServerDisconnectedError:  # a kept-alive connection the service closed as it was reused
                    if attempt == attempts:
                        raise
            status = str(response.status)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise UpstreamUnavailable(self.service, 0, {"detail": type(error).__name__}) from error
        finally:
            elapsed = time.perf_counter() - started
            self._metrics.upstream_latency.labels(self.service, method, status).observe(elapsed)
        answered = {k.lower(): v for k, v in response.headers.items()}
        body = _body(answered.get("content-type", ""), content)
        if response.status in ok:
            return Answer(response.status, body, content, answered)
        if response.status in (401, 403):
            raise UpstreamForbidden(self.service, response.status, body)
        if response.status >= 500:
            raise UpstreamUnavailable(self.service, response.status, body)
        raise UpstreamError(self.service, response.status, body)

    async def get(
        self, path: str, *, token: str | None = None, params: Params = None, ok: Sequence[int] = (200,)
    ) -> Any:
        return (await self.request("GET", path, token=token, params=params, ok=ok)).body
