"""Settings: `DANTOC_INGEST_*` for the service, plus the shared `KAFKA_BOOTSTRAP_SERVERS`,
`DANTOC_TOPIC_NAMESPACE`, `DANTOC_JWT_PUBLIC_KEY_FILE` / `DANTOC_JWT_JWKS_URL` and `DANTOC_JWT_PRIVATE_KEY_FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_KEYS = Path(".local/keys")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DANTOC_INGEST_", extra="ignore", populate_by_name=True)

    database_url: str = "sqlite+aiosqlite:///.local/ingest.db"
    http_host: str = "127.0.0.1"
    http_port: int = 8002
    kafka_bootstrap_servers: str = Field("127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS")
    namespace: str = Field("", validation_alias="DANTOC_TOPIC_NAMESPACE")
    jwt_public_key_file: Path | None = Field(None, validation_alias="DANTOC_JWT_PUBLIC_KEY_FILE")
    jwt_jwks_url: str | None = Field(None, validation_alias="DANTOC_JWT_JWKS_URL")
    jwt_private_key_file: Path = Field(DEFAULT_KEYS / "jwt-private.pem", validation_alias="DANTOC_JWT_PRIVATE_KEY_FILE")
    consumer_group: str = "dantoc-ingest"
    consume_submissions: bool = Field(True, description="Consume the submissions topic (off: HTTP only).")
    max_values_per_submission: int = 10_000
    max_upload_bytes: int = Field(20 * 1024 * 1024, description="Largest uploaded file (compressed, as sent).")
    max_upload_unpacked_bytes: int = Field(
        100 * 1024 * 1024, description="Largest total uncompressed size of an XLSX file's members."
    )
    max_upload_ratio: int = Field(100, description="Largest compression ratio of an XLSX file (a zip bomb's is huge).")
    max_upload_rows: int = Field(20_000, description="Most data rows read from one uploaded file.")
    max_json_bytes: int = Field(8 * 1024 * 1024, description="Largest body of POST /submissions.")
    max_bulk_bytes: int = Field(32 * 1024 * 1024, description="Largest body of POST /submissions/bulk.")
    max_other_body_bytes: int = Field(64 * 1024, description="Largest body of any other route.")
    relay_batch: int = 500
    relay_poll_seconds: float = 0.5
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        "INFO", description="Lowest level logged (DANTOC_INGEST_LOG_LEVEL)."
    )
    log_format: Literal["json", "text"] = Field(
        "json", description="json: one object per line (default); text: for people reading a terminal."
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_key_source(self) -> Settings:
        if self.jwt_public_key_file is not None and self.jwt_jwks_url:
            raise ValueError("set DANTOC_JWT_PUBLIC_KEY_FILE or DANTOC_JWT_JWKS_URL, not both")
        return self

    def public_key_file(self) -> Path | None:
        """The public key to verify with: the configured one, else the project's generated one (no JWKS)."""
        if self.jwt_jwks_url:
            return None
        return self.jwt_public_key_file or DEFAULT_KEYS / "jwt-public.pem"
