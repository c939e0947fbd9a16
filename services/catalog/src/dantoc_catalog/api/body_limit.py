"""The catalog's request body limits: the shared middleware (`dantoc_contracts.body_limit`) and its route table.

Every admin route needs a token before any of its body is read (401); the two imports take a file of up to
`max_import_bytes` plus the multipart envelope; every other route takes at most `max_body_bytes`.
"""

from __future__ import annotations

from dantoc_contracts.body_limit import BodyLimit, Route

MULTIPART_OVERHEAD = 64 * 1024
"""Room for the multipart boundaries and part headers around an uploaded file."""


def catalog_routes(max_body_bytes: int, max_import_bytes: int) -> list[Route]:
    return [
        Route("/admin/", max_body_bytes, needs_token=True),
        Route("/admin/imports", max_import_bytes + MULTIPART_OVERHEAD, needs_token=True),
    ]


__all__ = ["MULTIPART_OVERHEAD", "BodyLimit", "catalog_routes"]
