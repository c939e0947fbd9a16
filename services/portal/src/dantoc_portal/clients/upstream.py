"""One HTTP client per upstream service: JSON in and out, the person's token on every call, errors as types.

A 403 becomes `UpstreamForbidden` (the portal shows its 403 page), a connection failure, timeout or 5xx
`UpstreamUnavailable` (the "system busy" page, nothing the person typed is lost), anything else unexpected
`UpstreamError` with the service's problem document."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from dantoc_portal.metrics import PortalMetrics

Params = Mapping[str, str | int | Sequence[str]] | None


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
    headers: Mapping[str, str] = field(default_factory=dict)


def _body(response: httpx.Response) -> Any:
    if "json" in response.headers.get("content-type", ""):
        try:
            return response.json()
        except ValueError:
            return None
    return None


class Upstream:
    """Calls one service at `base_url`; `ok` lists the statuses a caller handles itself (e.g. 422 of a dry run)."""

    def __init__(self, http: httpx.AsyncClient, base_url: str, service: str, metrics: PortalMetrics) -> None:
        self._http, self._base, self.service, self._metrics = http, base_url, service, metrics

    async def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        params: Params = None,
        json: Any = None,
        files: Mapping[str, Any] | None = None,
        data: Mapping[str, str] | None = None,
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
                    response = await self._http.request(
                        method, self._base + path, params=params, json=json, files=files, data=data, headers=headers
                    )
                    break
                except httpx.RemoteProtocolError:  # a kept-alive connection the service closed as it was reused
                    if attempt == attempts:
                        raise
            status = str(response.status_code)
        except httpx.HTTPError as error:
            raise UpstreamUnavailable(self.service, 0, {"detail": type(error).__name__}) from error
        finally:
            elapsed = time.perf_counter() - started
            self._metrics.upstream_latency.labels(self.service, method, status).observe(elapsed)
        body = _body(response)
        if response.status_code in ok:
            return Answer(response.status_code, body, response.content, dict(response.headers))
        if response.status_code in (401, 403):
            raise UpstreamForbidden(self.service, response.status_code, body)
        if response.status_code >= 500:
            raise UpstreamUnavailable(self.service, response.status_code, body)
        raise UpstreamError(self.service, response.status_code, body)

    async def get(
        self, path: str, *, token: str | None = None, params: Params = None, ok: Sequence[int] = (200,)
    ) -> Any:
        return (await self.request("GET", path, token=token, params=params, ok=ok)).body
