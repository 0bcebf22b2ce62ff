"""Typed settings, read once from the environment (prefix ``JCM_``) and passed in."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-only-secret-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JCM_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("var")
    database_url: str = ""
    secret_key: str = DEV_SECRET
    default_language: Literal["ja", "en"] = "ja"
    session_idle_minutes: int = Field(default=30, ge=1)
    session_absolute_hours: int = Field(default=12, ge=1)
    cookie_secure: bool = False
    max_upload_bytes: int = Field(default=50 * 1024 * 1024, ge=1024)
    # Security (four-eyes approval, trusted accounts, uploads).
    four_eyes_transfer_threshold: int = Field(default=10_000, ge=0)
    trusted_accounts: Literal["off", "delay", "refuse"] = "delay"
    max_upload_ratio: int = Field(default=100, ge=1)
    max_unpacked_bytes: int = Field(default=200 * 1024 * 1024, ge=1024)
    max_upload_entries: int = Field(default=2000, ge=1)
    max_parquet_rows: int = Field(default=50_000_000, ge=1)
    # Addresses or networks of reverse proxies whose X-Forwarded-For is believed (comma list).
    trusted_proxies: str = ""
    # Redis for shared job queues (empty: jobs run in the server's process).
    redis_url: str = ""
    # A bearer token /metrics asks for (empty: /metrics is open; restrict it at the proxy).
    metrics_token: str = ""
    # Server logs on stderr: JSON lines with the request id (for a log collector), or text.
    log_format: Literal["json", "text"] = "json"

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEV_SECRET:
            raise ValueError("JCM_SECRET_KEY must be set to a real secret in production")
        from jcm.web.proxies import parse_trusted

        parse_trusted(self.trusted_proxies)
        return self

    @property
    def resolved_database_url(self) -> str:
        """The configured URL, or an SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'jcm.db').as_posix()}"


def get_settings() -> Settings:
    return Settings()
