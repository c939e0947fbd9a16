"""A real Prometheus for the tests, run by deploy/prometheus/prometheus.sh with a test directory, port and config."""

from __future__ import annotations

import math
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.support.promql import REPO, RULES

SCRIPT = REPO / "deploy/prometheus/prometheus.sh"
LOCAL_CONFIG = REPO / "deploy/prometheus/prometheus.yml"


def write_config(path: Path, targets: dict[str, str], interval: str = "1s") -> Path:
    """The local stack's configuration with test targets (job -> host:port) and a fast scrape and evaluation."""
    config = yaml.safe_load(LOCAL_CONFIG.read_text(encoding="utf-8"))
    config["global"].update(scrape_interval=interval, scrape_timeout=interval, evaluation_interval=interval)
    config["rule_files"] = [str(RULES / "*.yml")]
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert set(targets) <= set(jobs), f"no such jobs in {LOCAL_CONFIG.name}: {set(targets) - set(jobs)}"
    config["scrape_configs"] = [
        {**jobs[name], "static_configs": [{"targets": [address]}]} for name, address in targets.items()
    ]
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


@dataclass
class Prometheus:
    directory: Path
    port: int
    config: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def script(self, command: str) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "PROM_DIR": str(self.directory),
            "PROM_PORT": str(self.port),
            "PROM_CONFIG": str(self.config),
            "PROM_START_TIMEOUT": "60",
        }
        return subprocess.run(
            ["bash", str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=120, check=False
        )

    def start(self) -> None:
        done = self.script("start")
        assert done.returncode == 0, done.stdout + done.stderr

    def stop(self) -> None:
        done = self.script("stop")
        assert done.returncode == 0, done.stdout + done.stderr

    def pid(self) -> int | None:
        path = self.directory / "prometheus.pid"
        return int(path.read_text().strip()) if path.is_file() else None

    async def api(self, path: str, **params: str) -> Any:
        async with httpx.AsyncClient(base_url=self.url, timeout=10) as client:
            response = await client.get(f"/api/v1/{path}", params=params)
        body = response.json()
        assert body["status"] == "success", body
        return body["data"]

    async def query(self, expr: str) -> list[dict[str, Any]]:
        data = await self.api("query", query=expr)
        result = data["result"]
        return list(result) if data["resultType"] in ("vector", "matrix") else [{"metric": {}, "value": result}]

    async def numbers(self, expr: str) -> list[float]:
        """The finite values an instant query returns (NaN and infinities left out)."""
        values = [float(series["value"][1]) for series in await self.query(expr)]
        return [value for value in values if math.isfinite(value)]
