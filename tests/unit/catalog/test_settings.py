"""The admin token is required and must not be a default or a short value."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from dantoc_catalog.settings import InsecureSettings, Settings


@pytest.mark.parametrize("token", [None, "", "changeme", "admin", "short-token", "CHANGEME"])
def test_missing_or_weak_admin_tokens_are_refused(token: str | None) -> None:
    settings = Settings(admin_token=SecretStr(token) if token is not None else None)
    with pytest.raises(InsecureSettings):
        settings.require_admin_token()


def test_a_random_token_is_accepted() -> None:
    assert Settings(admin_token=SecretStr("s3cr3t-0123456789abcdef")).require_admin_token() == "s3cr3t-0123456789abcdef"


def test_shared_kafka_settings_are_read_without_the_service_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "broker:9092")
    monkeypatch.setenv("DANTOC_TOPIC_NAMESPACE", "staging")
    monkeypatch.setenv("DANTOC_CATALOG_HTTP_PORT", "9001")
    monkeypatch.delenv("DANTOC_CATALOG_DATABASE_URL", raising=False)
    settings = Settings()
    assert (settings.kafka_bootstrap_servers, settings.namespace, settings.http_port) == (
        "broker:9092",
        "staging",
        9001,
    )
    assert Settings().database_url.startswith("sqlite+aiosqlite:///")
