"""Settings: defaults, the shared variables, and what several workers change."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from dantoc_gateway.settings import Settings


def test_shared_variables_and_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "broker:9092")
    monkeypatch.setenv("DANTOC_TOPIC_NAMESPACE", "staging")
    monkeypatch.delenv("DANTOC_GATEWAY_HTTP_WORKERS", raising=False)
    settings = Settings()
    assert (settings.kafka_bootstrap_servers, settings.namespace, settings.http_port) == (
        "broker:9092",
        "staging",
        8000,
    )
    assert settings.database_url == "sqlite+aiosqlite:///.local/gateway.db"
    assert settings.change_feed_settle_seconds == 0.0


def test_several_workers_hold_back_the_youngest_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANTOC_GATEWAY_HTTP_WORKERS", "2")
    assert Settings().change_feed_settle_seconds == 5.0
    monkeypatch.setenv("DANTOC_GATEWAY_CHANGE_FEED_SETTLE_SECONDS", "1.5")
    assert Settings().change_feed_settle_seconds == 1.5


def test_a_jwks_url_must_be_http() -> None:
    with pytest.raises(ValidationError, match="http"):
        Settings(jwt_jwks_url="file:///etc/passwd")


def test_logging_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (Settings().log_level, Settings().log_format) == ("INFO", "json")
    monkeypatch.setenv("DANTOC_GATEWAY_LOG_LEVEL", "debug")
    monkeypatch.setenv("DANTOC_GATEWAY_LOG_FORMAT", "text")
    assert (Settings().log_level, Settings().log_format) == ("DEBUG", "text")
    monkeypatch.setenv("DANTOC_GATEWAY_LOG_FORMAT", "xml")
    with pytest.raises(ValidationError, match="log_format"):
        Settings()


def test_the_values_feed_has_its_own_group_derived_from_the_gateways() -> None:
    assert Settings(consumer_group="gw-a").values_consumer_group == "gw-a-values"
