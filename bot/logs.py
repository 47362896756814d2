"""Logging: our own loggers at LOG_LEVEL, libraries quieter, and secrets masked in every line."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

from pydantic import SecretStr
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from bot.config import Settings

MASK = "[redacted]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# The process's own code; it never logs message texts or codes, at any level.
OWN = ("bot", "handlers", "schedules")
# Libraries that at INFO or DEBUG log request URLs (the Telegram token is in them), request
# and response bodies (message texts, deep links with invite codes) or SQL parameters.
LIBRARIES = (
    "telegram",
    "httpx",
    "httpcore",
    "aiohttp",
    "slack_bolt",
    "slack_sdk",
    "sqlalchemy",
    "aiosqlite",
    "asyncpg",
    "alembic",
    "asyncio",
    "apscheduler",
    "websockets",
    "urllib3",
)
# Shapes of secrets whatever their value: Bot API URLs, Slack tokens, invite codes in deep
# links (also URL-encoded) and in /start commands, calendar feed tokens. Codes fit a deep
# link: [A-Za-z0-9_-].
PATTERNS = (
    (re.compile(r"(bot)\d+:[A-Za-z0-9_-]+"), rf"\1{MASK}"),
    (re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{30,}"), MASK),
    (re.compile(r"\bxox[a-z]-[A-Za-z0-9-]+"), MASK),
    (re.compile(r"\bxapp-[A-Za-z0-9-]+"), MASK),
    (
        re.compile(r"((?:[?&]|%3F|%26)start(?:group)?(?:=|%3D))[A-Za-z0-9_-]+", re.IGNORECASE),
        rf"\1{MASK}",
    ),
    (re.compile(r"(/start(?:@\w+)?\s+)[A-Za-z0-9_-]+"), rf"\1{MASK}"),
    # Calendar feed tokens in their addresses.
    (re.compile(r"(/calendar/)[A-Za-z0-9_-]{16,}"), rf"\1{MASK}"),
)


class Redactor(logging.Filter):
    """Masks configured secrets and secret-shaped text in a record's message and traceback."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Longest first, so that a secret containing another is masked whole.
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """The text with every secret masked."""
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        for pattern, replacement in PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the formatted message (arguments included), the traceback and the stack."""
        try:
            message = record.getMessage()
        except Exception:
            # A malformed call must not break logging; its parts are masked all the same.
            message = f"{record.msg!s} {record.args!r}"
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def secrets_of(settings: Settings) -> list[str]:
    """Every secret the settings hold: each SecretStr field, and the database password."""
    found: list[str] = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            found.append(value.get_secret_value())
    try:
        password = make_url(settings.database_url).password if settings.database_url else None
    except ArgumentError:
        password = None
    if password:
        found.append(str(password))
    return found


def level(name: str, setting: str) -> int:
    """The logging level a setting names; ``ValueError`` saying which setting if none."""
    levels = logging.getLevelNamesMapping()
    if name.upper() not in levels:
        raise ValueError(f"{setting}={name!r} is not a log level (DEBUG, INFO, WARNING, ERROR)")
    return levels[name.upper()]


def configure(settings: Settings) -> Redactor:
    """Log to standard error: ours at LOG_LEVEL, libraries at LOG_LIBRARIES, all masked."""
    own = level(settings.log_level, "LOG_LEVEL")
    libraries = (
        level(settings.log_libraries, "LOG_LIBRARIES")
        if settings.log_libraries
        else max(own, logging.WARNING)
    )
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    redactor = Redactor(secrets_of(settings))
    for handler in root.handlers:
        # On the handlers, not the root logger: records of other loggers pass only these.
        # One redactor per handler, even when a process configures logging again.
        for old in [f for f in handler.filters if isinstance(f, Redactor)]:
            handler.removeFilter(old)
        handler.addFilter(redactor)
    root.setLevel(libraries)
    for name in LIBRARIES:
        logging.getLogger(name).setLevel(libraries)
    for name in OWN:
        logging.getLogger(name).setLevel(own)
    return redactor
