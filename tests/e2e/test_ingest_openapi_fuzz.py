"""Schemathesis fuzz of ingest's OpenAPI on a real ingest process (real broker, SQLite), with a valid token.

Every generated request (valid and invalid, on every operation) must be answered without a server error, and
every 4xx must be a problem document: `application/problem+json` in the project's shape (`ProblemDocument`,
each item with its code and messages in Vietnamese and English). Deterministic (`derandomize=True`) and bounded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from dantoc_contracts.problems import ProblemDocument
from tests.support.infra import free_port
from tests.support.ingest.catalog import publish_catalog
from tests.support.kafka import create_namespace
from tests.support.stack import Stack, base_env, serve, wait_ready

pytestmark = pytest.mark.timeout(600)

PROBLEM_JSON = "application/problem+json"


@pytest.fixture(scope="module")
async def fuzz_namespace(kafka: str) -> str:
    namespace = await create_namespace(kafka)
    await publish_catalog(kafka, namespace)
    return namespace


@pytest.fixture(scope="module")
def ingest_process(
    kafka: str, fuzz_namespace: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Stack, str]]:
    """`python -m dantoc_ingest serve` on a free port; yields the stack (env, process) and a national token."""
    directory: Path = tmp_path_factory.mktemp("ingest-fuzz")
    stack = Stack(directory, kafka, fuzz_namespace, base_env(directory, kafka, fuzz_namespace))
    port = free_port()
    env = {
        **stack.env,
        "DANTOC_INGEST_DATABASE_URL": f"sqlite+aiosqlite:///{directory / 'ingest.db'}",
        "DANTOC_INGEST_HTTP_HOST": "127.0.0.1",
        "DANTOC_INGEST_HTTP_PORT": str(port),
        "DANTOC_INGEST_CONSUMER_GROUP": f"{fuzz_namespace}-ingest",
    }
    stack.services["ingest"] = serve("ingest", port, env, directory, directory / "ingest.log")
    try:
        wait_ready(stack.services.values(), 120)
        yield stack, stack.token(role="national", scope="VN", agency="BDTTG")
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def ingest_schema(ingest_process: tuple[Stack, str]) -> Any:
    stack, _ = ingest_process
    return schemathesis.openapi.from_url(f"{stack.services['ingest'].url}/openapi.json")


def assert_answer_is_allowed(response: Any, request: str) -> None:
    status = response.status_code
    assert status < 500, f"{status} for {request}: {response.text[:500]}"
    if 400 <= status < 500:
        media = response.headers.get("content-type", [""])
        media = media[0] if isinstance(media, list) else media
        assert media.split(";")[0].strip() == PROBLEM_JSON, f"{status} {media!r} for {request}: {response.text[:300]}"
        document = ProblemDocument.model_validate(json.loads(response.text))
        assert document.status == status, request


FUZZ = settings(
    derandomize=True,
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
def test_no_server_error_and_every_rejection_is_a_problem_document(
    mode: GenerationMode, ingest_schema: Any, ingest_process: tuple[Stack, str]
) -> None:
    stack, token = ingest_process
    headers = {"Authorization": f"Bearer {token}"}
    base_url = stack.services["ingest"].url
    operations = [result.ok() for result in ingest_schema.get_all_operations()]
    assert len(operations) >= 5

    fuzzed = []
    for operation in operations:

        @FUZZ
        @given(case=operation.as_strategy(generation_mode=mode))
        def fuzz(case: schemathesis.Case[Any]) -> None:
            response = case.call(base_url=base_url, headers=headers, timeout=30)
            request = f"{case.method} {case.formatted_path}: {case.as_curl_command(headers)}"
            assert_answer_is_allowed(response, request)

        try:
            fuzz()
        except Unsatisfiable:
            # negative mode: an operation without parameters or body has nothing to make invalid
            assert mode is GenerationMode.NEGATIVE, operation.label
            continue
        fuzzed.append(operation.label)
    assert len(fuzzed) >= (len(operations) if mode is GenerationMode.POSITIVE else 5), fuzzed


def test_a_request_without_a_token_is_a_problem_document(ingest_process: tuple[Stack, str]) -> None:
    stack, _ = ingest_process
    response = httpx.post(f"{stack.services['ingest'].url}/submissions", json={}, timeout=30)
    assert response.status_code == 401
    assert_answer_is_allowed(response, "POST /submissions without a token")
