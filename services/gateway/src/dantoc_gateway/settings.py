"""Gateway settings: `DANTOC_GATEWAY_*` for the service, plus the shared Kafka, namespace and token-key variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from dantoc_contracts.access import AUDIENCE, ISSUER


class Settings(BaseSettings):
    """Everything the gateway reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="DANTOC_GATEWAY_", extra="ignore", populate_by_name=True)

    database_url: str = Field(
        default="sqlite+aiosqlite:///.local/gateway.db", description="Read-model database (SQLite or PostgreSQL)."
    )
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    http_workers: int = Field(
        default=1,
        ge=1,
        description="Worker processes. They share the read model: the consumer group splits the aggregates topic "
        "between them, and each one's response cache follows the database's cell versions.",
    )
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092", validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS")
    )
    namespace: str = Field(default="", validation_alias=AliasChoices("DANTOC_TOPIC_NAMESPACE"))
    consumer_group: str = Field(
        default="dantoc-gateway",
        description="Consumer group of the aggregates feed. Replicas sharing one PostgreSQL read model share it; "
        "replicas with their own database need their own group.",
    )
    change_feed_settle_seconds: float | None = Field(
        default=None,
        ge=0,
        description="Changes younger than this are held back from the change feed, because with several writers "
        "a batch stamped earlier may commit later. Default: 0 with one worker, 5 with several.",
    )
    jwt_public_key_file: Path = Field(
        default=Path(".local/keys/jwt-public.pem"), validation_alias=AliasChoices("DANTOC_JWT_PUBLIC_KEY_FILE")
    )
    jwt_jwks_url: str | None = Field(default=None, validation_alias=AliasChoices("DANTOC_JWT_JWKS_URL"))
    jwt_issuer: str = Field(default=ISSUER, description="The `iss` every token must carry.")
    jwt_audience: str = Field(default=AUDIENCE, description="The `aud` every token must carry.")
    public_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DANTOC_PUBLIC_BASE_URL", "DANTOC_GATEWAY_PUBLIC_BASE_URL"),
        description="The gateway's public address (e.g. `https://thongke.example.gov.vn`), the base of the links in "
        "answers; unset, links are relative. Never taken from the request's Host header.",
    )
    jwks_cache_seconds: float = Field(default=300.0, gt=0)
    jwks_min_refresh_seconds: float = Field(
        default=10.0, ge=0, description="A token naming an unknown key refetches the JWKS at most this often."
    )
    max_body_bytes: int = Field(
        default=16 * 1024,
        ge=0,
        description="Largest request body any route accepts (413 beyond, before it is read); the gateway reads none.",
    )
    default_page_size: int = Field(default=1000, ge=1)
    max_page_size: int = Field(default=10_000, ge=1, description="Limit on observations (cells) per response.")
    max_codes_per_parameter: int = Field(default=500, ge=1)
    response_cache_megabytes: float = Field(
        default=256, ge=0, description="Size of each worker's cache of rendered answers; 0 disables it."
    )
    batch_max_records: int = Field(default=2000, ge=1, description="Aggregates applied per database transaction.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        default="INFO", description="Level of the root logger (uvicorn's loggers included)."
    )
    log_format: Literal["json", "text"] = Field(
        default="json", description="`json`: one JSON object per line; `text`: plain lines for a terminal."
    )
    access_log: bool = Field(default=False, description="Log one line per HTTP request (uvicorn's access log).")

    @property
    def values_consumer_group(self) -> str:
        """Group of the accepted-values feed: derived from `consumer_group`, so replicas sharing it share this."""
        return f"{self.consumer_group}-values"

    @property
    def catalog_consumer(self) -> str:
        """The catalog follower's name in parked records and metrics (it reads without a group)."""
        return f"{self.consumer_group}-catalog"

    @model_validator(mode="after")
    def _settle_with_several_writers(self) -> Settings:
        if self.change_feed_settle_seconds is None:
            self.change_feed_settle_seconds = 5.0 if self.http_workers > 1 else 0.0
        return self

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, level: object) -> object:
        return level.upper() if isinstance(level, str) else level

    @field_validator("public_base_url")
    @classmethod
    def _base_is_http(cls, url: str | None) -> str | None:
        if url and (not url.startswith(("https://", "http://")) or "?" in url or "#" in url):
            raise ValueError("DANTOC_PUBLIC_BASE_URL must be an http(s) URL without query or fragment")
        return url.rstrip("/") if url else None

    @field_validator("jwt_jwks_url")
    @classmethod
    def _jwks_is_http(cls, url: str | None) -> str | None:
        if url is not None and not url.startswith(("https://", "http://")):
            raise ValueError("DANTOC_JWT_JWKS_URL must be an http(s) URL")
        return url or None
