"""Prometheus configuration and rules: promtool accepts them, the rule unit tests pass, both stacks agree."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.promql import REPO, rule_expressions, rule_groups

PROMETHEUS = REPO / "deploy/prometheus"
CONFIGS = (PROMETHEUS / "prometheus.yml", PROMETHEUS / "prometheus.compose.yml")
SERVICE_JOBS = {"catalog", "ingest", "aggregate", "gateway"}


def promtool(*args: str, cwd: Path = PROMETHEUS) -> subprocess.CompletedProcess[str]:
    # deploy/setup.sh installs Debian's prometheus package, which ships promtool: its absence is a failure.
    assert shutil.which("promtool"), "promtool not found: run deploy/setup.sh (apt-get install prometheus)"
    return subprocess.run(["promtool", *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def load(path: Path) -> dict[str, Any]:
    return dict(yaml.safe_load(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.name)
def test_promtool_accepts_the_configuration_and_its_rule_files(config: Path) -> None:
    done = promtool("check", "config", config.name)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


def test_promtool_accepts_the_rules() -> None:
    files = sorted(p.name for p in (PROMETHEUS / "rules").glob("*.yml"))
    assert files, "no rule files"
    done = promtool("check", "rules", *files, cwd=PROMETHEUS / "rules")
    assert done.returncode == 0, done.stdout + done.stderr


def test_rule_unit_tests_pass() -> None:
    tests = sorted(p.name for p in (PROMETHEUS / "tests").glob("*.yml"))
    assert tests, "no promtool rule tests in deploy/prometheus/tests"
    done = promtool("test", "rules", *tests, cwd=PROMETHEUS / "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_alert_of_the_issue_exists_with_a_severity_and_bilingual_summaries() -> None:
    alerts = {rule["alert"]: rule for group in rule_groups() for rule in group["rules"] if "alert" in rule}
    wanted = {
        "DantocServiceDown",
        "DantocConsumerLagGrowing",
        "DantocFreshnessSlow",
        "DantocOutboxBacklogGrowing",
        "DantocRejectionRateSpike",
        "DantocDeadLetters",
        "DantocRecordsQuarantined",
        "DantocOffsetOutOfRange",
    }
    assert wanted <= set(alerts)
    for name, rule in alerts.items():
        assert rule["labels"]["severity"] in {"critical", "warning"}, name
        assert {"summary", "summary_vi", "runbook"} <= set(rule["annotations"]), name


def test_the_quarantine_alerts_watch_the_shared_metric_names_of_issue_11() -> None:
    """One alert covers every consumer and relay: the names the services share, never a per-service copy."""
    alerts = {rule["alert"]: rule for group in rule_groups() for rule in group["rules"] if "alert" in rule}
    quarantined = " ".join(alerts["DantocRecordsQuarantined"]["expr"].split())
    assert quarantined == "sum by (service, consumer) (increase(dantoc_quarantined_records_total[10m])) > 0"
    assert "replay-parked" in alerts["DantocRecordsQuarantined"]["annotations"]["runbook"]
    assert "dantoc_offset_out_of_range" in alerts["DantocOffsetOutOfRange"]["expr"]
    assert alerts["DantocOffsetOutOfRange"]["labels"]["severity"] == "critical"


def test_every_alert_is_exercised_by_a_rule_unit_test() -> None:
    tested = set()
    for path in (PROMETHEUS / "tests").glob("*.yml"):
        for case in load(path)["tests"]:
            tested |= {check["alertname"] for check in case.get("alert_rule_test", []) if check.get("exp_alerts")}
    alerts = {rule["alert"] for group in rule_groups() for rule in group["rules"] if "alert" in rule}
    assert alerts - tested == set(), "alerts never shown firing in deploy/prometheus/tests"


def test_the_checkable_forms_of_the_rule_expressions_are_valid_promql(tmp_path: Path) -> None:
    """The integration test evaluates rewritten expressions (`bool` comparisons, `or` split): they must parse."""
    rules = [{"record": f"check:expr_{i}", "expr": e.promql} for i, e in enumerate(rule_expressions())]
    (tmp_path / "checks.yml").write_text(yaml.safe_dump({"groups": [{"name": "checks", "rules": rules}]}))
    done = promtool("check", "rules", "checks.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def scrape_jobs(config: Path) -> dict[str, list[str]]:
    return {
        job["job_name"]: [t for static in job["static_configs"] for t in static["targets"]]
        for job in load(config)["scrape_configs"]
    }


def test_both_stacks_scrape_the_same_jobs_with_the_same_rules_and_paths() -> None:
    local, compose = (load(config) for config in CONFIGS)
    assert local["rule_files"] == compose["rule_files"]
    assert set(scrape_jobs(CONFIGS[0])) == set(scrape_jobs(CONFIGS[1])) >= SERVICE_JOBS
    paths = [{j["job_name"]: j.get("metrics_path", "/metrics") for j in c["scrape_configs"]} for c in (local, compose)]
    assert paths[0] == paths[1]


@pytest.mark.parametrize(("job", "port"), [("gateway", 8000), ("catalog", 8001), ("ingest", 8002), ("aggregate", 8003)])
def test_targets_are_loopback_locally_and_service_names_in_compose(job: str, port: int) -> None:
    assert scrape_jobs(CONFIGS[0])[job] == [f"127.0.0.1:{port}"]
    assert scrape_jobs(CONFIGS[1])[job] == [f"{job}:{port}"]
