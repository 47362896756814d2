"""Logs at DEBUG: no token, secret, invite code or message text, from the bot or a library."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
import sys
from datetime import datetime

import pytest

from bot.config import Settings
from bot.logs import MASK, JsonFormatter, Redactor, secrets_of
from bot.services import Services, import_file
from handlers.web import SLACK_PATH
from tests.conftest import FIXTURE, ROOT
from tests.fake_slack import BOT_TOKEN, SIGNING_SECRET, STAFF_CHANNEL, FakeSlack, SlackClient
from tests.fake_telegram import TOKEN, FakeBotAPI
from tests.subprocesses import terminated
from tests.test_telegram import CODES

QUESTION = "Could my cousin Tomasz come along to the embassy reception?"
WEBHOOK_SECRET = "hook-secret-for-the-log-test"
READY = b"serving on port"
# A line of the log format: time, level, logger.
LINE = re.compile(r"^\S+ \S+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) (\S+): ", re.MULTILINE)


async def _collect(stream: asyncio.StreamReader, out: bytearray, ready: asyncio.Event) -> None:
    """Keep everything the process writes; say when it serves."""
    while chunk := await stream.read(65536):
        out += chunk
        if not ready.is_set() and READY in out:
            ready.set()


def _levels(text: str, log_format: str) -> list[tuple[str, str]]:
    """(level, logger) of every line; in JSON, every line must be one object with its fields."""
    if log_format == "text":
        return LINE.findall(text)
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert records and all(isinstance(r, dict) for r in records)
    for r in records:
        assert {"time", "level", "logger", "event"} <= set(r), r
        datetime.fromisoformat(r["time"])
    return [(r["level"], r["logger"]) for r in records]


@pytest.mark.parametrize(
    ("libraries", "log_format"), [("", "text"), ("debug", "text"), ("", "json")]
)
async def test_debug_logs_keep_secrets_and_texts_out(
    libraries: str, log_format: str, app: Services, subprocess_env: dict[str, str]
) -> None:
    """`run` at DEBUG while a participant links and asks and staff list the roster: no secret."""
    # Without LOG_LIBRARIES the libraries stay at WARNING; with it at debug they log what
    # they carry (message texts too, as documented), and the secrets in it are masked.
    await import_file(app, FIXTURE)
    tg, slack = FakeBotAPI(), FakeSlack(members=["USTAFF"])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **subprocess_env,
        "LOG_LEVEL": "DEBUG",
        "LOG_LIBRARIES": libraries,
        "LOG_FORMAT": log_format,
        "PORT": str(port),
        "BOT_NOW": "2024-05-01T07:30-04:00",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": await tg.start(),
        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_STAFF_CHANNEL": STAFF_CHANNEL,
        "SLACK_API_URL": await slack.start(),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stderr is not None
    log, ready = bytearray(), asyncio.Event()
    reading = asyncio.create_task(_collect(process.stderr, log, ready))
    try:
        started = asyncio.ensure_future(ready.wait())
        exited = asyncio.ensure_future(process.wait())
        await asyncio.wait([started, exited], timeout=120, return_when=asyncio.FIRST_COMPLETED)
        exited.cancel()
        assert ready.is_set(), log.decode(errors="replace")[-3000:]
        user = 1011
        mark = len(tg.sent)
        await tg.push_message(user, f"/start {CODES['P11']}")
        await tg.wait_for(lambda s: s.method == "sendMessage" and s.chat_id == user, since=mark)
        mark = len(tg.sent)
        await tg.push_message(user, f"/ask {QUESTION}")
        await tg.wait_for(lambda s: s.method == "sendMessage" and s.chat_id == user, since=mark)
        question = await slack.wait_for(lambda call: call.method == "chat.postMessage")
        assert QUESTION in question.text()
        status, _ = await SlackClient(f"http://127.0.0.1:{port}{SLACK_PATH}", slack).command(
            "/roster"
        )
        assert status == 200
        roster = await slack.wait_for(lambda call: call.method == "response_url")
        # Deep links with codes went out through the libraries.
        shown = set(re.findall(r"\?start=([A-Za-z0-9_-]+)", roster.text()))
        assert len(shown) == len(CODES) - 1
    finally:
        await tg.closing()  # the long poll ends at once, so the process stops at once
        code = await terminated(process)
        await reading
        await tg.stop()
        await slack.stop()
    text = log.decode(errors="replace")
    assert code == 0, text[-3000:]
    secrets = [TOKEN, TOKEN.split(":")[1], BOT_TOKEN, SIGNING_SECRET, WEBHOOK_SECRET]
    for secret in [*secrets, *CODES.values(), *shown]:
        assert secret not in text, secret
    levels = _levels(text, log_format)
    assert any(name.startswith("bot") for _, name in levels)
    if libraries:
        # Libraries did log their traffic, and the masks were put to work on it.
        assert any(lv == "DEBUG" and name.startswith("telegram") for lv, name in levels)
        assert f"/start {MASK}" in text
    else:
        assert QUESTION not in text and "Tomasz" not in text
        chatty = {name for lv, name in levels if lv in ("DEBUG", "INFO")}
        assert all(name.split(".")[0] in ("bot", "handlers", "schedules") for name in chatty)


def test_the_redactor_masks_secrets_in_messages_arguments_and_tracebacks() -> None:
    """Configured secrets and secret-shaped text are masked wherever they are in a record."""
    settings = Settings(
        telegram_bot_token="999:configured-token",
        slack_signing_secret="signing-s3cret",
        invite_secret="invite-s3cret",
        database_url="postgresql://bot:db-pa55word@db.example.org/bot",
    )
    redactor = Redactor(secrets_of(settings))
    handler = logging.StreamHandler()
    handler.addFilter(redactor)
    try:
        raise RuntimeError("rejected https://api.telegram.org/bot123456:AAH-xyz_987/getMe")
    except RuntimeError:
        record = logging.LogRecord(
            "telegram", logging.DEBUG, __file__, 1, "%s %s %s", None, sys.exc_info()
        )
    record.args = (
        {"token": "999:configured-token", "secret": "signing-s3cret"},
        "xoxb-1-2-abc xapp-1-A1-xyz /start@ProgrammeBot VKQ7-2MXD",
        "https://t.me/ProgrammeBot?start=H8TR-4NLC and %3Fstart%3DZ3PW-9FJA, db-pa55word",
    )
    assert handler.filter(record)
    shown = handler.format(record)
    for secret in (
        "configured-token",
        "signing-s3cret",
        "db-pa55word",
        "AAH-xyz_987",
        "xoxb-1-2-abc",
        "xapp-1-A1-xyz",
        "VKQ7-2MXD",
        "H8TR-4NLC",
        "Z3PW-9FJA",
    ):
        assert secret not in shown, secret
    assert f"?start={MASK}" in shown and f"/start@ProgrammeBot {MASK}" in shown
    assert "RuntimeError" in shown  # the traceback is kept, masked


async def test_a_rejected_token_is_masked_in_the_crash_log(
    subprocess_env: dict[str, str], database_url: str
) -> None:
    """Telegram refusing the token stops `run`; the traceback saying so does not show it."""
    if not database_url.startswith("sqlite"):
        pytest.skip("the store plays no part")
    tg = FakeBotAPI()
    env = {
        **subprocess_env,
        "TELEGRAM_BOT_TOKEN": "777:a-token-telegram-refuses",
        "TELEGRAM_BASE_URL": await tg.start(),
    }
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=env,
            cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await process.communicate()
    finally:
        await tg.stop()
    text = err.decode(errors="replace")
    assert process.returncode == 1, text[-3000:]
    assert "InvalidToken" in text and f"`{MASK}`" in text
    assert "a-token-telegram-refuses" not in text


def test_json_lines_carry_ids_and_a_masked_traceback_on_one_line() -> None:
    """A JSON record: its fields, the ids given with it, the traceback masked and escaped."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(Redactor(["s3cret-value"]))
    try:
        raise ValueError("failed with s3cret-value and /start VKQ7-2MXD\non two lines")
    except ValueError:
        record = logging.LogRecord(
            "handlers.telegram.chat",
            logging.ERROR,
            __file__,
            1,
            "update %s failed",
            (42,),
            sys.exc_info(),
        )
    record.update_id = 42
    assert handler.filter(record)
    line = handler.format(record)
    assert len(line.splitlines()) == 1
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["logger"] == "handlers.telegram.chat"
    assert entry["event"] == "update 42 failed" and entry["update_id"] == 42
    assert "ValueError" in entry["exception"] and MASK in entry["exception"]
    assert "s3cret-value" not in line and "VKQ7-2MXD" not in line
