"""Settings: `DANTOC_PORTAL_*` for the service, plus the shared `DANTOC_TOPIC_NAMESPACE` and
`DANTOC_JWT_PRIVATE_KEY_FILE` (the key the portal signs its short-lived tokens with, published as JWKS)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_KEYS = Path(".local/keys")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DANTOC_PORTAL_", extra="ignore", populate_by_name=True)

    database_url: str = "sqlite+aiosqlite:///.local/portal.db"
    http_host: str = "127.0.0.1"
    http_port: int = 8004
    namespace: str = Field("", validation_alias="DANTOC_TOPIC_NAMESPACE", description="Unused: no topics.")
    catalog_url: str = Field("http://127.0.0.1:8001", description="The catalog's HTTP API.")
    ingest_url: str = Field("http://127.0.0.1:8002", description="Ingest's HTTP API.")
    gateway_url: str = Field("http://127.0.0.1:8000", description="The gateway's HTTP API.")
    upstream_timeout_seconds: float = Field(30.0, gt=0, description="Longest wait for another service's answer.")
    jwt_private_key_file: Path = Field(DEFAULT_KEYS / "jwt-private.pem", validation_alias="DANTOC_JWT_PRIVATE_KEY_FILE")
    token_minutes: float = Field(5.0, gt=0, le=60, description="Lifetime of the token the portal signs per person.")
    session_hours: float = Field(8.0, gt=0, description="A session ends this long after sign-in.")
    idle_minutes: float = Field(60.0, gt=0, description="A session unused this long ends.")
    lockout_failures: int = Field(5, ge=1, description="Failed sign-ins in a row that lock an account.")
    lockout_minutes: float = Field(15.0, gt=0, description="How long a locked account stays locked.")
    cookie_secure: bool = Field(False, description="Secure cookies (true behind https; false on loopback http).")
    max_upload_bytes: int = Field(20 * 1024 * 1024, description="Largest Excel file an official may upload.")
    max_form_bytes: int = Field(1024 * 1024, description="Largest form body (the data-entry grid included).")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        "INFO", description="Lowest level logged (DANTOC_PORTAL_LOG_LEVEL)."
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

    @field_validator("catalog_url", "ingest_url", "gateway_url")
    @classmethod
    def _no_trailing_slash(cls, url: str) -> str:
        return url.rstrip("/")
