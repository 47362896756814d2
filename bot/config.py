"""Settings read from the environment only."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from bot.files import private_dir

# URLs without a driver (postgres:// is Heroku's spelling) get the async one.
_ASYNC_DRIVERS = {
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "sqlite": "sqlite+aiosqlite",
}


def normalise_database_url(url: str) -> str:
    """Return an async SQLAlchemy URL for the given database URL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        # The engine reports it; a settings error would print the URL, password and all.
        return url
    driver = _ASYNC_DRIVERS.get(parsed.drivername)
    if driver is None:
        return url
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


class Settings(BaseSettings):
    """Process configuration; every field comes from an environment variable."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    data_dir: Path = Field(default=Path("data"))
    database_url: str = ""
    # PostgreSQL connections each process keeps open, and how many more it opens at peaks.
    database_pool_size: int = Field(default=10, ge=1)
    database_max_overflow: int = Field(default=20, ge=0)
    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str | None = None
    bot_now: str | None = None
    # The public HTTPS base URL of `serve`; when set, the Telegram webhook is registered.
    telegram_webhook_url: str | None = None
    # Telegram sends it back in a header with every webhook call; set a long random value.
    telegram_webhook_secret: SecretStr = SecretStr("")
    port: int = 8080
    # `send` and `clock` serve /healthz, /readyz and /metrics on this port when it is set.
    metrics_port: int | None = None
    # The public base URL of the web process (https://host); calendar subscription links
    # are made under it. Unset, /calendar sends the file only.
    public_url: str | None = None
    # Key of invite code hashes. No default: unset, the store keeps a random one (accounts.py).
    invite_secret: SecretStr | None = None
    # Wrong invite codes from all accounts together within an hour before code checking
    # pauses for everyone for an hour (staff are told).
    wrong_codes_per_hour: int = 50
    log_level: str = "INFO"
    # "text" for people, "json" for log shippers: one JSON object a line.
    log_format: Literal["text", "json"] = "text"
    # The libraries' log level (default: LOG_LEVEL, but at least WARNING); below WARNING
    # they log message texts, so lower it only to debug one of them.
    log_libraries: str | None = None
    # Slack staff console: the bot token (xoxb-), the signing secret of HTTP requests, and
    # an app-level token (xapp-) to use Socket Mode instead of HTTP.
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr = SecretStr("")
    slack_app_token: SecretStr | None = None
    # The staff channel (its ID, C...): its members are staff; reports and questions go there.
    slack_staff_channel: str | None = None
    # More staff by Slack user ID, comma-separated.
    slack_staff_user_ids: str = ""
    # The Slack Web API base (tests point it at a fake).
    slack_api_url: str | None = None
    # The language of the staff console.
    slack_language: str = "en"
    # Minutes after a broadcast before one reminder to those who have not acknowledged it.
    ack_reminder_minutes: float = 60.0
    # The bot's Telegram username for deep links (asked from Telegram when not set).
    telegram_bot_username: str | None = None
    # Outbox pace in all, for every sender together: Telegram allows 30 messages a second,
    # so the default keeps a margin for the jitter of the network.
    delivery_rate: float = Field(default=29.0, gt=0)
    # How many `send` processes run for the bot: each sends at DELIVERY_RATE divided by it.
    delivery_senders: int = Field(default=1, ge=1)
    delivery_max_attempts: int = 6
    # How long a sender holds claimed rows; after a crash they are sent again after it.
    delivery_lease_seconds: float = 120.0
    # Edits to one event within this many seconds of the first make one change notice.
    change_coalesce_seconds: float = Field(default=90.0, ge=0)
    # How often the change and broadcast sweeps run; agendas and reminders every six.
    sweep_interval_seconds: float = Field(default=10.0, gt=0)
    # Days after the programme's end before `clock` purges personal data (unset: never).
    retention_days: int | None = Field(default=None, ge=1)
    # /readyz: how long Telegram, Slack and the store may take to answer, how old the last
    # agenda and change sweeps may be, and how long a due message may wait (0: not checked).
    ready_timeout_seconds: float = Field(default=5.0, gt=0)
    ready_sweep_max_age_seconds: float = Field(default=300.0, ge=0)
    ready_outbox_lag_seconds: float = Field(default=300.0, ge=0)

    @property
    def sender_rate(self) -> float:
        """The pace of one sender process: its share of the bot's rate."""
        return self.delivery_rate / self.delivery_senders

    @field_validator("public_url")
    @classmethod
    def _public(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith(("https://", "http://")) or value.endswith("://"):
            raise ValueError("PUBLIC_URL must be an address such as https://bot.example.org")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return normalise_database_url(value) if value else value

    def staff_user_ids(self) -> frozenset[str]:
        """Slack users who are staff besides the members of the staff channel."""
        return frozenset(u.strip() for u in self.slack_staff_user_ids.split(",") if u.strip())

    def resolved_database_url(self) -> str:
        """Return the configured database URL, or the default SQLite file (creating its folder)."""
        if self.database_url:
            return self.database_url
        private_dir(self.data_dir)
        return f"sqlite+aiosqlite:///{(self.data_dir / 'bot.sqlite3').resolve()}"
