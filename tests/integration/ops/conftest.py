"""The operations stack for the live tests: the four services as processes and a Prometheus scraping them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from functools import partial

import pytest

from deploy.demo import load_demo
from tests.support.infra import free_port
from tests.support.kafka import create_namespace, eventually
from tests.support.ops.load import demo_arguments, poison, requests
from tests.support.ops.prometheus import Prometheus, write_config
from tests.support.stack import Stack, assert_stack_files_exist, start_stack

SCRAPED = (  # series of the first round that Prometheus must have seen before the second round
    'dantoc_ingest_submissions_total{outcome="rejected"}',
    'dantoc_gateway_http_requests_total{route="/v1/values"}',
    "dantoc_gateway_dead_lettered_total",
)


@pytest.fixture(scope="module")
async def ops_namespace(kafka: str) -> str:
    return await create_namespace(kafka)


@pytest.fixture(scope="module")
def stack(kafka: str, ops_namespace: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    assert_stack_files_exist()
    running = start_stack(tmp_path_factory.mktemp("stack"), kafka, ops_namespace)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def stack_prometheus(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prometheus]:
    directory, port = tmp_path_factory.mktemp("prometheus"), free_port()
    targets = {"prometheus": f"127.0.0.1:{port}"}
    targets |= {name: f"127.0.0.1:{service.port}" for name, service in stack.services.items()}
    server = Prometheus(directory / "data", port, write_config(directory / "prometheus.yml", targets))
    server.start()
    yield server
    server.script("stop")


@pytest.fixture(scope="module")
async def loaded_stack(stack: Stack, stack_prometheus: Prometheus) -> Stack:
    """The stack after a small load in two rounds: a demo subset through ingest, unreadable messages, requests.

    A labelled series first appears with its value already counted, so a rate over it is 0 until it grows again:
    the first round creates the series, Prometheus scrapes them, the second round makes them grow."""
    token = stack.token()
    for communes in (1, 4):
        await asyncio.to_thread(load_demo.main, demo_arguments(stack, token, communes))
        await poison(stack)
        await requests(stack, token)
        if communes == 1:
            for series in SCRAPED:
                await eventually(partial(stack_prometheus.numbers, series), timeout=60, interval=0.5)
    return stack
