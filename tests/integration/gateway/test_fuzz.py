"""A bounded fuzz run of the OpenAPI schema against a live gateway: no 5xx, no response outside the schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from dantoc_gateway.app import create_app
from dantoc_gateway.db.migrate import upgrade_head
from dantoc_gateway.settings import Settings
from tests.support.apps import served_app
from tests.support.gateway.literal import CATALOG, read_model
from tests.support.gateway.serving import publish_aggregates, publish_catalog, settings_for
from tests.support.gateway.signing import Signing
from tests.support.kafka import create_namespace

EXAMPLES = 100
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(scope="module")
async def fuzz_settings(kafka: str, signing: Signing, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    namespace = await create_namespace(kafka)
    await publish_catalog(kafka, namespace, CATALOG)
    await publish_aggregates(kafka, namespace, read_model())
    database = f"sqlite+aiosqlite:///{Path(tmp_path_factory.mktemp('fuzz')) / 'gateway.db'}"
    await upgrade_head(database)
    return settings_for(kafka, namespace, database, signing)


@pytest.fixture(scope="module")
def live_url(fuzz_settings: Settings) -> Iterator[str]:
    """The gateway served by uvicorn on a real port (`tests.support.apps.served_app`)."""
    with served_app(create_app(fuzz_settings)) as url:
        yield url


@pytest.fixture(scope="module")
def api_schema(live_url: str) -> Any:
    return schemathesis.openapi.from_url(f"{live_url}/openapi.json")


def _cases(schema: Any, operation: Any, mode: GenerationMode) -> Any:
    strategies = [operation.as_strategy(generation_mode=mode)]
    if mode is GenerationMode.POSITIVE:  # the documented examples reach the 200 answers
        strategies += schema.get_strategies_from_examples(operation)
    return st.one_of(strategies)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")
@pytest.mark.parametrize(
    ("mode", "role", "scope"),
    [(GenerationMode.POSITIVE, "national", "VN"), (GenerationMode.NEGATIVE, "provincial", "02")],
)
def test_fuzz(api_schema: Any, signing: Signing, mode: GenerationMode, role: str, scope: str) -> None:
    """Every operation with generated (and documented) inputs: never a 5xx, never a response outside the schema."""
    headers = signing.headers(role, scope)
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=_cases(api_schema, operation, mode))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case: Any) -> None:
            unauthenticated = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)
            case.call_and_validate(headers=None if unauthenticated else headers, checks=CHECKS)

        try:
            run()
        except Unsatisfiable:  # an operation without parameters has no invalid input to generate
            assert mode is GenerationMode.NEGATIVE
