"""Grafana provisioning and dashboards: generated files up to date, valid queries, metrics that services define."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import yaml

from dantoc_contracts.quarantine import OFFSET_OUT_OF_RANGE_METRIC, QUARANTINED_METRIC
from deploy.grafana.build_dashboards import DASHBOARDS, OUT, rendered
from tests.support.promql import REPO, dashboard_expressions, dashboards, rule_groups

GRAFANA = REPO / "deploy/grafana"
METRIC = re.compile(r"\b(?:dantoc|catalog)_[a-z0-9_]+\b")
RECORDED = re.compile(r"\bdantoc:[a-z0-9_:]+\b")
SUFFIXES = ("_bucket", "_count", "_sum", "_total", "_created")


def test_committed_dashboards_are_what_the_generator_writes() -> None:
    committed = {path.name for path in OUT.glob("*.json")}
    assert committed == set(rendered()), "run .venv/bin/python deploy/grafana/build_dashboards.py"
    for name, text in rendered().items():
        assert (OUT / name).read_text(encoding="utf-8") == text, f"{name} is stale: regenerate it"


def test_the_three_dashboards_of_the_issue_exist() -> None:
    assert set(DASHBOARDS) == {"pipeline", "gateway", "completeness"}
    titles = " ".join(panel["title"] for board in dashboards().values() for panel in board["panels"])
    for words in ("throughput", "rejections", "lag", "freshness", "latency", "errors", "completeness"):
        assert words in titles.lower(), words


def test_panels_use_the_provisioned_datasource_and_fit_the_grid() -> None:
    provisioned = yaml.safe_load((GRAFANA / "provisioning/datasources/prometheus.yml").read_text())
    uid = provisioned["datasources"][0]["uid"]
    for name, board in dashboards().items():
        ids = [panel["id"] for panel in board["panels"]]
        assert len(ids) == len(set(ids)), name
        for panel in board["panels"]:
            grid = panel["gridPos"]
            assert grid["x"] >= 0, (name, panel["title"])
            assert grid["x"] + grid["w"] <= 24, (name, panel["title"])
            if panel["type"] == "row":
                continue
            assert panel["datasource"]["uid"] == uid, (name, panel["title"])
            assert panel["description"], (name, panel["title"])
            assert panel["targets"], (name, panel["title"])
            assert all(target["datasource"]["uid"] == uid and target["expr"] for target in panel["targets"])


def test_the_dashboard_provider_reads_the_folder_compose_mounts() -> None:
    provider = yaml.safe_load((GRAFANA / "provisioning/dashboards/dantoc.yml").read_text())["providers"][0]
    compose = yaml.safe_load((REPO / "deploy/compose.yaml").read_text())
    mounts = compose["services"]["grafana"]["volumes"]
    assert f"./grafana/dashboards:{provider['options']['path']}:ro" in mounts
    assert "./grafana/provisioning:/etc/grafana/provisioning:ro" in mounts


def test_every_dashboard_query_is_valid_promql(tmp_path: Path) -> None:
    assert shutil.which("promtool"), "promtool not found: run deploy/setup.sh (apt-get install prometheus)"
    rules = [{"record": f"check:panel_{i}", "expr": e.promql} for i, e in enumerate(dashboard_expressions())]
    (tmp_path / "panels.yml").write_text(yaml.safe_dump({"groups": [{"name": "panels", "rules": rules}]}))
    done = subprocess.run(
        ["promtool", "check", "rules", "panels.yml"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


SHARED = {"QUARANTINED_METRIC": QUARANTINED_METRIC, "OFFSET_OUT_OF_RANGE_METRIC": OFFSET_OUT_OF_RANGE_METRIC}
"""The metric names every service shares (defined once in the contracts, so that one alert covers them all)."""


def declared_metrics(path: Path, *, shared: bool = True) -> set[str]:
    """Metric names a metrics module declares (any quoted `dantoc_…` or `catalog_…` name, and the contracts' shared
    names it uses)."""
    text = path.read_text(encoding="utf-8")
    names = set(re.findall(r"[\"']((?:dantoc|catalog)_[a-z0-9_]+)[\"']", text))
    return names | ({name for constant, name in SHARED.items() if constant in text} if shared else set())


def defined_metrics() -> set[str]:
    """Metric names the services declare in their metrics modules (the live test checks they are exposed)."""
    return {name for path in REPO.glob("services/*/src/*/metrics.py") for name in declared_metrics(path)}


def test_every_service_prefixes_its_metrics_with_dantoc_and_its_name() -> None:
    modules = sorted(REPO.glob("services/*/src/*/metrics.py"))
    assert {path.parts[-4] for path in modules} >= {"catalog", "ingest", "aggregate"}
    for path in modules:
        prefix = f"dantoc_{path.parts[-4]}_"
        names = declared_metrics(path, shared=False)
        assert names, path
        assert sorted(n for n in names if not n.startswith(prefix)) == [], f"{path}: every name starts with {prefix}"


def base_name(metric: str) -> str:
    for suffix in SUFFIXES:
        if metric.endswith(suffix):
            return metric[: -len(suffix)]
    return metric


def test_queries_name_only_metrics_the_services_define_and_series_the_rules_record() -> None:
    recorded = {rule["record"] for group in rule_groups() for rule in group["rules"] if "record" in rule}
    texts = [e.promql for e in dashboard_expressions()]
    texts += [rule["expr"] for group in rule_groups() for rule in group["rules"]]
    used = {m for text in texts for m in METRIC.findall(text)}
    unknown = sorted(m for m in used if base_name(m) not in defined_metrics() and m not in defined_metrics())
    assert unknown == [], "metrics no service defines (services/*/src/*/metrics.py)"
    assert {r for text in texts for r in RECORDED.findall(text)} <= recorded
