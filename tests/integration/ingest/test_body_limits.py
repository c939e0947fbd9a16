"""Nothing is read before it is allowed, on the real broker and both databases: bodies over their route's limit are
refused before they are read (413), token-less bodies before any byte (401), malformed and over-limit files are a
422 with their place, and ingest answers other requests while a large upload is being parsed."""

from __future__ import annotations

import asyncio
import io
import threading
import zipfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from dantoc_ingest.services import decide, uploads
from tests.support.ingest.catalog import publish_catalog
from tests.support.ingest.serving import Ingest, running, settings_for

Headers = Callable[..., dict[str, str]]


@pytest.fixture
async def small(kafka: str, namespace: str, database_url: str, keys: tuple[Path, Path]) -> AsyncIterator[Ingest]:
    """Ingest with small limits, so that the tests send little."""
    await publish_catalog(kafka, namespace)
    settings = settings_for(
        kafka,
        namespace,
        database_url,
        keys[1],
        max_json_bytes=4096,
        max_upload_bytes=300 * 1024,
        max_upload_unpacked_bytes=256 * 1024,
        max_upload_ratio=20,
        max_upload_rows=50,
    )
    async with running(settings) as service:
        yield service


def body(n: int) -> dict[str, Any]:
    values = [{"indicator": "0101", "value": i, "disaggregation": {"sex": str(1 + i % 2)}} for i in range(n)]
    return {"submission_id": "big", "agency": "BDT-02", "unit_code": "00715", "period": "2024", "values": values}


async def test_bodies_over_the_limit_are_refused_before_they_are_read(small: Ingest, token: Headers) -> None:
    declared = await small.client.post("/submissions", json=body(500), headers=token())
    assert declared.status_code == 413
    assert declared.headers["content-type"].startswith("application/problem+json")
    assert [e["code"] for e in declared.json()["errors"]] == ["body_too_large"]

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it streams
        for _ in range(100):
            yield b" " * 1024

    streamed = await small.client.post(
        "/submissions", content=chunks(), headers={**token(), "content-type": "application/json"}
    )
    assert streamed.status_code == 413
    anonymous = await small.client.post("/submissions", content=chunks(), headers={"content-type": "application/json"})
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    assert (await small.client.post("/submissions", json=body(2), headers=token())).status_code == 200


def _upload(ingest: Ingest, token: Headers, name: str, data: bytes) -> Any:
    form = {"unit_code": "00715", "period": "2024"}
    return ingest.client.post("/submissions/file", files={"file": (name, data)}, data=form, headers=token())


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (1024 * 1024))
    return out.getvalue()


CSV_HEADER = "indicator,ethnic_code,sex,age_group,residence,value,no_data,no_data_reason\n"


@pytest.mark.parametrize(
    ("name", "data", "code", "row"),
    [
        ("bomb.xlsx", _zip_bomb(), "file_too_large", None),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "unreadable_file", None),
        ("rows.csv", (CSV_HEADER + "0101,,,,,1,,\n" * 60).encode(), "too_many_rows", 52),
        (
            "quote.csv",
            (CSV_HEADER + "0101,,,,,1,,\n" + '0101,"' + "x" * 200_000 + '"\n').encode(),
            "unreadable_file",
            3,
        ),
    ],
)
async def test_malformed_and_over_limit_files_are_422_with_their_place(
    small: Ingest, token: Headers, name: str, data: bytes, code: str, row: int | None
) -> None:
    response = await _upload(small, token, name, data)
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert (error["code"], error["location"]["row"]) == (code, row)


async def test_ingest_answers_while_an_upload_is_parsed(
    ingest: Ingest, token: Headers, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsing, health_answered = threading.Event(), threading.Event()
    real = uploads.drafts_from_upload

    def parse_after_health(*args: Any) -> Any:  # the real parse, held until /health has answered
        parsing.set()
        assert health_answered.wait(timeout=30), "/health did not answer while the upload was parsed"
        return real(*args)

    monkeypatch.setattr(decide, "drafts_from_upload", parse_after_health)
    csv_text = CSV_HEADER + "".join(f"0101,,{1 + i % 2},,,{i},,\n" for i in range(2))
    upload = asyncio.create_task(_upload(ingest, token, "data.csv", csv_text.encode()))
    await asyncio.to_thread(parsing.wait, 30)
    health = await ingest.client.get("/health")
    health_answered.set()
    assert health.status_code == 200
    assert (await upload).status_code == 200
