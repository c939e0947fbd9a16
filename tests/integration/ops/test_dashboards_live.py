"""Against the four services running as processes and a real Prometheus scraping them during a small load:
every target is up, every rule evaluates, and every expression of the dashboards and alert rules returns at least
one series with a number (a panel that shows nothing, or an alert on a metric nobody exposes, fails here)."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from deploy.demo import load_demo
from tests.support.kafka import eventually
from tests.support.ops.load import demo_arguments
from tests.support.ops.prometheus import Prometheus
from tests.support.promql import Expression, dashboard_expressions, rule_expressions, rule_groups
from tests.support.stack import SERVICES, Stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]


async def test_prometheus_scrapes_every_service_and_every_rule_evaluates(stack_prometheus: Prometheus) -> None:
    async def all_up() -> bool:
        targets = (await stack_prometheus.api("targets"))["activeTargets"]
        return {t["labels"]["job"] for t in targets if t["health"] == "up"} >= set(SERVICES)

    await eventually(all_up, timeout=60, interval=1)

    async def rules_ok() -> list[str]:
        groups = (await stack_prometheus.api("rules"))["groups"]
        rules = [rule for group in groups for rule in group["rules"]]
        assert {g["name"] for g in groups} == {g["name"] for g in rule_groups()}
        bad = [f"{r['name']}: {r.get('lastError')}" for r in rules if r["health"] not in ("ok", "unknown")]
        assert bad == [], bad
        return [r["name"] for r in rules if r["health"] == "ok"]

    evaluated = await eventually(rules_ok, timeout=60, interval=1)
    assert len(evaluated) == sum(len(g["rules"]) for g in rule_groups())


def counter(url: str, name: str, **labels: str) -> float:
    text = httpx.get(f"{url}/metrics", timeout=10).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items())
    )


async def test_the_demo_loads_once_and_a_second_load_sends_nothing(loaded_stack: Stack) -> None:
    ingest = loaded_stack.services["ingest"].url
    accepted = counter(ingest, "dantoc_ingest_submissions_total", outcome="accepted")
    assert accepted > 10
    assert counter(ingest, "dantoc_ingest_submissions_total", outcome="rejected") >= 1  # the deliberate mistake
    arguments = [*demo_arguments(loaded_stack, loaded_stack.token()), "--skip-if-loaded"]
    await asyncio.to_thread(load_demo.main, arguments)
    assert counter(ingest, "dantoc_ingest_submissions_total", outcome="accepted") == accepted


async def test_every_dashboard_and_alert_expression_returns_series(
    loaded_stack: Stack, stack_prometheus: Prometheus
) -> None:
    expressions = rule_expressions() + dashboard_expressions()
    assert len(expressions) > 40
    pending: dict[str, Expression] = {e.origin: e for e in expressions}
    deadline = time.monotonic() + 150
    while pending and time.monotonic() < deadline:
        for origin, expression in list(pending.items()):
            if await stack_prometheus.numbers(expression.promql):
                del pending[origin]
        if pending:
            await asyncio.sleep(2)
    empty = "\n".join(f"  {e.origin}: {e.promql}" for e in pending.values())
    assert not pending, f"{len(pending)} expressions return no series with a number:\n{empty}"
