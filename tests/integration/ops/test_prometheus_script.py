"""deploy/prometheus/prometheus.sh runs a real Prometheus: ready with the project's rules, idempotent, clean stop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.support.infra import free_port
from tests.support.kafka import eventually
from tests.support.ops.prometheus import Prometheus, write_config
from tests.support.promql import rule_groups

pytestmark = pytest.mark.integration


@pytest.fixture
def prometheus(tmp_path: Path) -> Iterator[Prometheus]:
    port = free_port()
    config = write_config(tmp_path / "prometheus.yml", {"prometheus": f"127.0.0.1:{port}"})
    server = Prometheus(tmp_path / "prom", port, config)
    yield server
    server.script("stop")


async def test_start_waits_for_readiness_and_loads_every_rule_group(prometheus: Prometheus) -> None:
    # Step 1: start returns once /-/ready answers.
    prometheus.start()
    assert prometheus.script("status").returncode == 0
    # Step 2: the project's rule groups are loaded and evaluate without error.
    data = await prometheus.api("rules")
    loaded = {group["name"]: group for group in data["groups"]}
    assert set(loaded) == {group["name"] for group in rule_groups()}

    async def healthy() -> bool:
        rules = [rule for group in (await prometheus.api("rules"))["groups"] for rule in group["rules"]]
        return all(rule["health"] == "ok" for rule in rules) and all(rule.get("lastEvaluation") for rule in rules)

    await eventually(healthy, timeout=30, interval=0.5)
    # Step 3: it scrapes its own target.
    await eventually(lambda: prometheus.query('up{job="prometheus"} == 1'), timeout=30, interval=0.5)


def test_start_is_idempotent_and_stop_is_clean(prometheus: Prometheus) -> None:
    prometheus.start()
    pid = prometheus.pid()
    assert pid is not None
    # Step 1: a second start finds the running server and leaves it alone.
    again = prometheus.script("start")
    assert again.returncode == 0, again.stderr
    assert "already running" in again.stderr
    assert prometheus.pid() == pid
    # Step 2: a lost pid file does not lose the server: it is found by its command line.
    (prometheus.directory / "prometheus.pid").unlink()
    assert prometheus.script("status").returncode == 0
    # Step 3: stop ends the process and removes the pid file; status then reports it down.
    prometheus.stop()
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert prometheus.pid() is None
    assert prometheus.script("status").returncode == 1
    # Step 4: stopping a stopped server is not an error.
    prometheus.stop()


def test_a_busy_port_or_a_broken_config_is_refused(prometheus: Prometheus, tmp_path: Path) -> None:
    prometheus.start()
    other = Prometheus(tmp_path / "other", prometheus.port, prometheus.config)
    busy = other.script("start")
    assert busy.returncode != 0
    assert "in use" in busy.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text("scrape_configs: [{job_name: x, static_configs: [{targets: 5}]}]\n")
    refused = Prometheus(tmp_path / "broken", free_port(), broken).script("start")
    assert refused.returncode != 0
    assert not (tmp_path / "broken" / "prometheus.pid").exists()
