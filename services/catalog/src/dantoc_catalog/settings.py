"""Settings of the catalog service, from the environment (`DANTOC_CATALOG_*` plus the shared Kafka settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from dantoc_contracts.uploads import UploadLimits

WEAK_TOKENS = frozenset({"changeme", "change-me", "admin", "secret", "token", "password", "dev", "test"})
MIN_TOKEN_LENGTH = 16


class InsecureSettings(ValueError):
    """A setting that must be a secret is missing or a known default."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DANTOC_CATALOG_", extra="ignore")

    database_url: str = Field(
        default="sqlite+aiosqlite:///.local/catalog.db",
        description="SQLAlchemy async URL: SQLite by default, e.g. postgresql+asyncpg://user:pw@host/db.",
    )
    http_host: str = "127.0.0.1"
    http_port: int = 8001
    admin_token: SecretStr | None = Field(
        default=None, description="Bearer token of the admin endpoints. Required to serve; no default."
    )
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "kafka_bootstrap_servers"),
    )
    namespace: str = Field(default="", validation_alias=AliasChoices("DANTOC_TOPIC_NAMESPACE", "namespace"))
    data_dir: Path | None = Field(
        default=None, description="Folder of the seed data files; the package's own data when unset."
    )
    relay_interval_seconds: float = Field(
        default=1.0, gt=0, description="How often the outbox relay looks for messages written by other processes."
    )
    publish_batch_size: int = Field(default=5000, ge=1, description="Outbox messages published per round trip.")
    max_body_bytes: int = Field(
        default=16 * 1024,
        ge=0,
        description="Largest request body of any route but the imports (413 beyond, before it is read).",
    )
    max_import_bytes: int = Field(
        default=20 * 1024 * 1024,
        ge=0,
        description="Largest catalogue or units file an admin import accepts (413 beyond, before it is read).",
    )
    import_max_rows: int = Field(default=50_000, ge=1, description="Most data rows an import file may have (422).")
    import_max_unpacked_bytes: int = Field(
        default=100 * 1024 * 1024, ge=0, description="Most bytes an XLSX import may unpack to (422, checked first)."
    )
    import_max_ratio: int = Field(default=100, ge=1, description="Highest compression ratio of an XLSX import.")

    def import_limits(self) -> UploadLimits:
        return UploadLimits(self.import_max_unpacked_bytes, self.import_max_ratio, self.import_max_rows)

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        default="INFO", description="Lowest level logged (DANTOC_CATALOG_LOG_LEVEL)."
    )
    log_format: Literal["json", "text"] = Field(
        default="json", description="json: one object per line (default); text: for people reading a terminal."
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    def require_admin_token(self) -> str:
        """The admin token; refuses a missing, short or well-known default value."""
        token = self.admin_token.get_secret_value() if self.admin_token else ""
        if not token:
            raise InsecureSettings("DANTOC_CATALOG_ADMIN_TOKEN is required (a random secret of 16+ characters)")
        if len(token) < MIN_TOKEN_LENGTH or token.lower() in WEAK_TOKENS:
            raise InsecureSettings("DANTOC_CATALOG_ADMIN_TOKEN is too weak: use a random secret of 16+ characters")
        return token
