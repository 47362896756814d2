"""Settings read from the environment only."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def normalise_database_url(url: str) -> str:
    """Return an async SQLAlchemy URL for the given database URL."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+asyncpg://" + url[len("postgresql://") :]
    if url.startswith("sqlite:///") and not url.startswith("sqlite+"):
        url = "sqlite+aiosqlite:///" + url[len("sqlite:///") :]
    return url


class Settings(BaseSettings):
    """Process configuration; every field comes from an environment variable."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    data_dir: Path = Field(default=Path("data"))
    database_url: str = ""
    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str | None = None
    bot_now: str | None = None
    # The public HTTPS base URL of `serve`; when set, the Telegram webhook is registered.
    telegram_webhook_url: str | None = None
    # Telegram sends it back in a header with every webhook call; set a long random value.
    telegram_webhook_secret: SecretStr = SecretStr("")
    port: int = 8080
    invite_secret: SecretStr = SecretStr("programme-assistant")
    log_level: str = "INFO"
    # Outbox pace: Telegram allows about 30 messages a second in all.
    delivery_rate: float = 30.0
    delivery_max_attempts: int = 6
    # How long a sender holds claimed rows; after a crash they are sent again after it.
    delivery_lease_seconds: float = 120.0

    @field_validator("database_url")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return normalise_database_url(value) if value else value

    def resolved_database_url(self) -> str:
        """Return the configured database URL, or the default SQLite file (creating its folder)."""
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{(self.data_dir / 'bot.sqlite3').resolve()}"
