"""Settings from the environment: `DANTOC_AGGREGATE_*`, plus the shared `KAFKA_BOOTSTRAP_SERVERS`,
`DANTOC_TOPIC_NAMESPACE` and the token keys `DANTOC_JWT_PUBLIC_KEY_FILE` / `DANTOC_JWT_JWKS_URL`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from dantoc_aggregate.auth.keys import check_jwks_url

DEFAULT_PUBLIC_KEY = Path(".local/keys/jwt-public.pem")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DANTOC_AGGREGATE_", populate_by_name=True, extra="ignore")

    database_url: str = Field(default="sqlite+aiosqlite:///.local/aggregate.db", description="SQLAlchemy async URL.")
    http_host: str = "127.0.0.1"
    http_port: int = 8003
    kafka_bootstrap_servers: str = Field(default="127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS")
    namespace: str = Field(default="", validation_alias="DANTOC_TOPIC_NAMESPACE")
    consumer_group: str = Field(default="dantoc-aggregate", description="Kafka consumer group of the service.")
    max_body_bytes: int = Field(
        default=16 * 1024,
        ge=0,
        description="Largest request body any route accepts (413 beyond, before it is read); the API reads none.",
    )
    batch_max_records: int = Field(default=1000, ge=1, description="Accepted-value messages per batch at most.")
    batch_linger_ms: int = Field(
        default=25, ge=0, description="How long a batch may wait for more messages once it has one (throughput)."
    )
    cache_max_aggregates: int = Field(
        default=400_000, ge=0, description="Aggregate states kept in memory by the writer (write-through)."
    )
    poll_timeout_ms: int = Field(default=50, ge=1, description="How long one poll waits for the first message.")
    jwt_public_key_file: Path | None = Field(
        default=None,
        validation_alias="DANTOC_JWT_PUBLIC_KEY_FILE",
        description=f"PEM public key verifying the API's bearer tokens (default {DEFAULT_PUBLIC_KEY}).",
    )
    jwt_jwks_url: str | None = Field(
        default=None, validation_alias="DANTOC_JWT_JWKS_URL", description="JWKS URL (https) instead of a key file."
    )
    jwks_cache_seconds: float = Field(default=300.0, gt=0)
    jwks_min_refresh_seconds: float = Field(
        default=10.0, ge=0, description="A token naming an unknown key refetches the JWKS at most this often."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        default="INFO", description="Level of the root logger (uvicorn's loggers included)."
    )
    log_format: Literal["json", "text"] = Field(
        default="json", description="`json`: one JSON object per line (default); `text`: for a human at a terminal."
    )

    @field_validator("jwt_jwks_url")
    @classmethod
    def _jwks_is_https(cls, url: str | None) -> str | None:
        return check_jwks_url(url) if url else None

    @model_validator(mode="after")
    def _one_key_source(self) -> Settings:
        if self.jwt_public_key_file is not None and self.jwt_jwks_url:
            raise ValueError("set DANTOC_JWT_PUBLIC_KEY_FILE or DANTOC_JWT_JWKS_URL, not both")
        return self

    @property
    def public_key_file(self) -> Path:
        return self.jwt_public_key_file or DEFAULT_PUBLIC_KEY

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value
