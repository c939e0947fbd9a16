"""deploy/compose.yaml: the services it names exist, and its ports and variables are the ones they read.

Variable names come from each service's `Settings` (imported): its env prefix and field names, or the field's
validation aliases. A variable the service does not read would be silently ignored, so it fails here.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import AliasChoices, AliasPath
from pydantic_settings import BaseSettings

from tests.support.promql import REPO

DEPLOY = REPO / "deploy"
DOCKERFILE = "deploy/docker/service.Dockerfile"
PORTS = {"gateway": 8000, "catalog": 8001, "ingest": 8002, "aggregate": 8003, "portal": 8004}
HTTP_ONLY = {"portal"}  # talks to the others over HTTP: no Kafka settings
SHARED = {"KAFKA_BOOTSTRAP_SERVERS", "DANTOC_TOPIC_NAMESPACE"}


def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8")))


def built_services() -> dict[str, dict[str, Any]]:
    """Compose services built from the service Dockerfile, by the SERVICE they build."""
    found: dict[str, dict[str, Any]] = {}
    for name, spec in compose()["services"].items():
        build = spec.get("build")
        if build and build["dockerfile"] == DOCKERFILE and name == build["args"]["SERVICE"]:
            found[name] = spec
    return found


def settings_class(service: str) -> type[BaseSettings]:
    module = importlib.import_module(f"dantoc_{service}.settings")
    cls: type[BaseSettings] = module.Settings
    assert issubclass(cls, BaseSettings)
    return cls


def env_names(cls: type[BaseSettings]) -> dict[str, str]:
    """Environment variable (upper case) -> field name, as pydantic-settings reads them."""
    prefix = str(cls.model_config.get("env_prefix", ""))
    names: dict[str, str] = {}
    for field_name, info in cls.model_fields.items():
        alias = info.validation_alias or info.alias
        choices = alias.choices if isinstance(alias, AliasChoices) else [alias] if alias else []
        strings = [c for c in choices if isinstance(c, str) and not isinstance(c, AliasPath)]
        for env in strings or [prefix + field_name]:
            names[env.upper()] = field_name
    return names


def environment(spec: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in (spec.get("environment") or {}).items()}


def test_the_five_services_are_built_from_the_workspace_with_the_lock_file() -> None:
    assert set(built_services()) == set(PORTS)
    dockerfile = (REPO / DOCKERFILE).read_text(encoding="utf-8")
    assert "COPY pyproject.toml uv.lock ./" in dockerfile
    assert re.search(r"uv sync --frozen .*--package \"dantoc-\$\{SERVICE\}\"", dockerfile)
    assert "python -m dantoc_${DANTOC_SERVICE} migrate && exec python -m dantoc_${DANTOC_SERVICE} serve" in dockerfile


@pytest.mark.parametrize("service", sorted(PORTS))
def test_every_service_compose_names_exists(service: str) -> None:
    main = REPO / f"services/{service}/src/dantoc_{service}/__main__.py"
    assert main.is_file(), f"compose builds {service} but {main.relative_to(REPO)} does not exist"


@pytest.mark.parametrize("service", sorted(PORTS))
def test_compose_sets_only_variables_the_service_reads(service: str) -> None:
    known = env_names(settings_class(service))
    spec = compose()["services"][service]
    unknown = sorted(set(environment(spec)) - set(known))
    assert unknown == [], f"{service} does not read {unknown}; it reads {sorted(known)}"
    prefix = f"DANTOC_{service.upper()}_"
    for required in ("DATABASE_URL", "HTTP_HOST", "HTTP_PORT"):
        assert prefix + required in environment(spec), f"{service}: {prefix}{required} not set"
    if service in HTTP_ONLY:
        assert "KAFKA_BOOTSTRAP_SERVERS" not in environment(spec)
        return
    assert environment(spec)["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    assert set(known) >= SHARED


@pytest.mark.parametrize("helper", ["keys", "topics"])
def test_one_shot_helpers_run_the_ingest_image_with_variables_it_reads(helper: str) -> None:
    spec = compose()["services"][helper]
    assert spec["image"] == compose()["services"]["ingest"]["image"]
    assert spec["build"] == compose()["services"]["ingest"]["build"]
    unknown = set(environment(spec)) - set(env_names(settings_class("ingest")))
    assert unknown == set()


@pytest.mark.parametrize("service", sorted(PORTS))
def test_ports_agree_with_the_settings_the_scrape_config_and_the_published_port(service: str) -> None:
    cls = settings_class(service)
    port = PORTS[service]
    assert cls.model_fields["http_port"].default == port, "the service's default port"
    spec = compose()["services"][service]
    assert environment(spec)[f"DANTOC_{service.upper()}_HTTP_PORT"] == str(port)
    assert spec["ports"] == [f"127.0.0.1:{port}:{port}"]
    scrape = yaml.safe_load((DEPLOY / "prometheus/prometheus.compose.yml").read_text(encoding="utf-8"))
    targets = {j["job_name"]: j["static_configs"][0]["targets"] for j in scrape["scrape_configs"]}
    assert targets[service] == [f"{service}:{port}"]


def test_secrets_are_required_not_defaulted() -> None:
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    for secret in ("DANTOC_CATALOG_ADMIN_TOKEN", "POSTGRES_PASSWORD", "GRAFANA_ADMIN_PASSWORD"):
        assert re.search(rf"\$\{{{secret}:\?", text), f"{secret} must be required (${{{secret}:?...}})"


def test_infrastructure_images_and_mounted_files() -> None:
    services = compose()["services"]
    assert services["kafka"]["image"].startswith("apache/kafka:4.")
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert {"postgres", "prometheus", "grafana", "topics", "keys"} <= set(services)
    for spec in services.values():
        for volume in spec.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("./"):
                assert (DEPLOY / source).exists(), f"compose mounts {source}, which does not exist"
    databases = (DEPLOY / "docker/postgres-init.sql").read_text(encoding="utf-8")
    for service in PORTS:
        assert f"CREATE DATABASE {service};" in databases
        assert environment(services[service])[f"DANTOC_{service.upper()}_DATABASE_URL"].endswith(f"/{service}")


def test_env_names_reads_prefixes_and_aliases() -> None:
    from pydantic import Field
    from pydantic_settings import SettingsConfigDict

    class Example(BaseSettings):
        model_config = SettingsConfigDict(env_prefix="DANTOC_X_")
        http_port: int = 1
        bootstrap: str = Field("", validation_alias="KAFKA_BOOTSTRAP_SERVERS")
        namespace: str = Field("", validation_alias=AliasChoices("DANTOC_TOPIC_NAMESPACE", "namespace"))

    assert env_names(Example) == {
        "DANTOC_X_HTTP_PORT": "http_port",
        "KAFKA_BOOTSTRAP_SERVERS": "bootstrap",
        "DANTOC_TOPIC_NAMESPACE": "namespace",
        "NAMESPACE": "namespace",
    }


def test_the_stack_files_are_in_place() -> None:
    for path in ("deploy/docker/service.Dockerfile.dockerignore", "deploy/kafka/topics.py"):
        assert Path(REPO / path).is_file(), path
