"""The composition root: ``python -m bot ...`` builds everything here and nowhere else."""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot import logs
from bot.clock import FixedClock, clock_from, parse_instant
from bot.config import Settings
from bot.delivery.drain import DeliveryPolicy, Drainer
from bot.delivery.pace import gate_for
from bot.files import private_dir, private_file
from bot.programme.exporter import dump_yaml, export_programme
from bot.programme.report import summary
from bot.programme.schema import ProgrammeError, validate
from bot.programme.sources import is_workbook_name, load_programme
from bot.programme.workbook import write_workbook
from bot.services import Services, import_file, services
from bot.store.database import DatabaseUrlError
from bot.store.models import Programme

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp
    from telegram.ext import Application

EXAMPLE_PROGRAMME = Path(__file__).with_name("data") / "example-programme.yaml"
log = logging.getLogger("bot")


async def _cmd_import(app: Services, args: argparse.Namespace) -> int:
    try:
        result = await import_file(app, Path(args.file))
    except ProgrammeError as exc:
        print(
            f"Rejected {args.file}: {exc.total} problem(s); nothing was changed.",
            file=sys.stderr,
        )
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(summary(result))
    return 0


async def _cmd_export(app: Services, args: argparse.Namespace) -> int:
    async with app.sessions() as session:
        try:
            doc = await export_programme(session)
        except LookupError as exc:
            print(f"Nothing to export: {exc}.", file=sys.stderr)
            return 1
    if is_workbook_name(args.file):
        # The same document the YAML export holds, laid out as the template is.
        content = write_workbook(validate(doc, "<store>"))
        await asyncio.to_thread(Path(args.file).write_bytes, content)
        print(f"Wrote {args.file}")
        return 0
    text = dump_yaml(doc)
    if args.file == "-":
        sys.stdout.write(text)
    else:
        await asyncio.to_thread(Path(args.file).write_text, text, encoding="utf-8")
        print(f"Wrote {args.file}")
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    """Write the spreadsheet template, empty or filled from a programme file."""
    if not is_workbook_name(args.file):
        print(
            f"The template is a workbook: give a file name ending in .xlsx, not {args.file}.",
            file=sys.stderr,
        )
        return 2
    doc = None
    if args.source:
        try:
            doc = load_programme(Path(args.source))
        except ProgrammeError as exc:
            print(
                f"Cannot fill the template from {args.source}: {exc.total} problem(s).",
                file=sys.stderr,
            )
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    Path(args.file).write_bytes(write_workbook(doc, languages))
    print(f"Wrote {args.file}")
    return 0


async def _cmd_ask(app: Services, args: argparse.Namespace) -> int:
    from handlers import console

    if args.jsonl:
        # Undecodable input becomes an error line of its own rather than the end of the run.
        lines = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="surrogateescape")
        return await console.ask_jsonl(app, lines, sys.stdout)
    if not args.text:
        print("Nothing to ask: give the question as text, or use --jsonl.", file=sys.stderr)
        return 2
    return await console.ask_once(app, args.as_key, " ".join(args.text), sys.stdout)


async def _cmd_chat(app: Services, args: argparse.Namespace) -> int:
    from handlers import console

    return await console.chat(app, args.as_key)


async def _demo_instant(app: Services) -> datetime:
    """Pick a moment inside the programme: its second morning, before the first meeting."""
    async with app.sessions() as session:
        programme = await session.scalar(select(Programme))
    assert programme is not None
    day = programme.start + timedelta(days=1)
    return datetime.combine(day, time(7, 30), tzinfo=ZoneInfo(programme.timezone))


async def _cmd_run(app: Services, args: argparse.Namespace) -> int:
    from handlers import console

    if app.settings.telegram_bot_token is not None:
        return await _run_telegram(app)
    print("TELEGRAM_BOT_TOKEN is not set, so the bot is not connected to Telegram.")
    print("To connect it, create a bot with @BotFather and run:")
    print("    TELEGRAM_BOT_TOKEN=123456:ABC... python -m bot run")
    print()
    async with app.sessions() as session:
        has_programme = await session.scalar(select(Programme.key)) is not None
    if not has_programme:
        await import_file(app, EXAMPLE_PROGRAMME)
        print(
            f"Loaded the example programme ({EXAMPLE_PROGRAMME.name}) into "
            f"{app.settings.resolved_database_url()}."
        )
    if app.settings.bot_now is None:
        app.clock = clock_from((await _demo_instant(app)).isoformat())
    print(
        f"Demo clock: {app.clock.now().isoformat(timespec='minutes')} "
        "(set BOT_NOW to start it elsewhere)."
    )
    return await console.chat(app, args.as_key)


def _stop_on_signals() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    return stop


@asynccontextmanager
async def _sweeps(app: Services) -> AsyncIterator[None]:
    """Run the scheduler of sweeps for the duration of the block."""
    from schedules.scheduler import build_scheduler
    from schedules.sweeps import Runtime, install, uninstall

    name = f"pid-{os.getpid()}"
    reminder = timedelta(minutes=app.settings.ack_reminder_minutes)
    coalesce = timedelta(seconds=app.settings.change_coalesce_seconds)
    days = app.settings.retention_days
    retention = timedelta(days=days) if days else None
    runtime = Runtime(
        app.sessions, app.assistant, app.i18n, app.clock, reminder, coalesce, retention
    )
    install(name, runtime)
    scheduler = build_scheduler(
        name, app.settings.sweep_interval_seconds, retention=retention is not None
    )
    scheduler.start()
    try:
        yield
    finally:
        scheduler.shutdown(wait=False)
        uninstall(name)


async def _drain(app: Services, stop: asyncio.Event) -> None:
    """Send the outbox through Telegram until ``stop`` is set."""
    from handlers.telegram.app import build_sender

    bot, sender = build_sender(app)
    policy = DeliveryPolicy(
        rate=app.settings.sender_rate,
        max_attempts=app.settings.delivery_max_attempts,
        lease=timedelta(seconds=app.settings.delivery_lease_seconds),
    )
    # Every sender of one bot shares its RetryAfter pauses (on PostgreSQL, across processes).
    assert app.settings.telegram_bot_token is not None
    prefix = app.settings.telegram_bot_token.get_secret_value().split(":", 1)[0]
    bot_id = int(prefix) if prefix.isdigit() else 0
    gate = gate_for(app.sessions, app.engine.dialect.name, policy.limits, bot_id=bot_id)
    async with bot:
        # A `send` process checks Telegram with its own bot; `run` has its polling one.
        own_probe = "telegram" not in app.probes
        if own_probe:
            app.probes["telegram"] = bot.get_me
        try:
            await Drainer(app.sessions, sender, app.clock, policy, gate, observer=app.metrics).run(
                stop
            )
        finally:
            if own_probe:
                app.probes.pop("telegram", None)


@asynccontextmanager
async def _slack(app: Services) -> AsyncIterator[AsyncApp | None]:
    """Run the Slack staff console for the block when SLACK_BOT_TOKEN is set."""
    if app.settings.slack_bot_token is None:
        yield None
        return
    from handlers.slack.app import staff_console

    username: list[str | None] = []

    async def bot_username() -> str | None:
        if not username:
            username.append(app.settings.telegram_bot_username or await _bot_username(app))
        return username[0]

    async with staff_console(app, bot_username=bot_username) as bolt:
        yield bolt


@asynccontextmanager
async def _web(
    app: Services,
    application: Application | None,  # type: ignore[type-arg]
    slack: AsyncApp | None,
) -> AsyncIterator[None]:
    """Serve the Telegram webhook, the Slack events endpoint and /healthz on $PORT."""
    from aiohttp import web

    from handlers.web import build_web_app

    secret = app.settings.telegram_webhook_secret.get_secret_value()
    runner = web.AppRunner(build_web_app(app, application, secret, slack), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "0.0.0.0", app.settings.port).start()
    log.info("serving on port %s", app.settings.port)
    try:
        yield
    finally:
        await runner.cleanup()


@asynccontextmanager
async def _operations(app: Services) -> AsyncIterator[None]:
    """Serve /healthz, /readyz and /metrics on METRICS_PORT when it is set (send, clock, run)."""
    if app.settings.metrics_port is None:
        yield
        return
    from aiohttp import web

    from handlers.web import add_operations_routes

    web_app = web.Application()
    add_operations_routes(web_app, app)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "0.0.0.0", app.settings.metrics_port).start()
    log.info("serving health and metrics on port %s", app.settings.metrics_port)
    try:
        yield
    finally:
        await runner.cleanup()


async def _run_telegram(app: Services) -> int:
    """Everything in one process: polling, Slack, the sweeps and the outbox sender."""
    from handlers.telegram.app import polling

    stop = _stop_on_signals()
    async with polling(app), _sweeps(app), _slack(app) as slack:
        slack_http = slack is not None and app.settings.slack_app_token is None
        if slack_http or app.settings.public_url:
            # Without Socket Mode, Slack reaches the console over HTTP; calendars fetch feeds.
            async with _web(app, None, slack):
                await _drain(app, stop)
        else:
            async with _operations(app):
                await _drain(app, stop)
    return 0


def _need_token(app: Services) -> bool:
    if app.settings.telegram_bot_token is None:
        print("TELEGRAM_BOT_TOKEN is not set: there is nothing to send through.", file=sys.stderr)
        return False
    return True


async def _cmd_serve(app: Services, args: argparse.Namespace) -> int:
    """The web process: Telegram webhook, Slack events and /healthz on $PORT."""
    from handlers.telegram.app import webhook

    settings = app.settings
    if (
        settings.telegram_bot_token is None
        and settings.slack_bot_token is None
        and not settings.public_url
    ):
        print(
            "Set TELEGRAM_BOT_TOKEN, SLACK_BOT_TOKEN or PUBLIC_URL (calendar feeds): "
            "nothing to serve.",
            file=sys.stderr,
        )
        return 2
    if (
        settings.telegram_bot_token is not None
        and not settings.telegram_webhook_secret.get_secret_value()
    ):
        print("Set TELEGRAM_WEBHOOK_SECRET: webhook calls without it are refused.", file=sys.stderr)
        return 2
    if (
        settings.slack_bot_token is not None
        and not settings.slack_signing_secret.get_secret_value()
    ):
        print(
            "Set SLACK_SIGNING_SECRET: Slack requests cannot be verified without it.",
            file=sys.stderr,
        )
        return 2
    stop = _stop_on_signals()
    async with AsyncExitStack() as stack:
        application = (
            await stack.enter_async_context(webhook(app))
            if settings.telegram_bot_token is not None
            else None
        )
        slack = await stack.enter_async_context(_slack(app))
        await stack.enter_async_context(_web(app, application, slack))
        await stop.wait()
    return 0


async def _cmd_clock(app: Services, args: argparse.Namespace) -> int:
    """The scheduler only; run exactly one per deployment."""
    stop = _stop_on_signals()
    async with _sweeps(app), _operations(app):
        await stop.wait()
    return 0


async def _cmd_send(app: Services, args: argparse.Namespace) -> int:
    """An outbox sender only; several may run against PostgreSQL."""
    if not _need_token(app):
        return 2
    async with _operations(app):
        await _drain(app, _stop_on_signals())
    return 0


async def _cmd_broadcast(app: Services, args: argparse.Namespace) -> int:
    """A staff broadcast from the terminal; the outbox sends it (`run` or `send`)."""
    from handlers.broadcast import run as broadcast

    return await broadcast(app, args)


async def _cmd_invites(app: Services, args: argparse.Namespace) -> int:
    """Print each participant's deep link and write a QR code PNG per participant."""
    import segno

    from bot.accounts import invitations

    try:
        doc = load_programme(Path(args.programme))
    except ProgrammeError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 1
    # The setting saves asking Telegram, and works where there is no token.
    username = args.bot or app.settings.telegram_bot_username or await _bot_username(app)
    if not username:
        print(
            "Give the bot's username with --bot or TELEGRAM_BOT_USERNAME, "
            "or set TELEGRAM_BOT_TOKEN to ask Telegram for it.",
            file=sys.stderr,
        )
        return 2
    username = username.removeprefix("@")
    codes = {p["key"]: p["invite_code"] for p in doc.participants if p.get("invite_code")}
    async with app.sessions() as session:
        invites = await invitations(session, codes, app.invite_secret.get_secret_value())
    out = Path(args.out)
    problems = written = 0
    for invite in invites:
        if invite.linked:
            print(f"{invite.key}\t{invite.name}\talready linked")
        elif invite.code is None:
            problems += 1
            print(f"{invite.key}\t{invite.name}\tno invite_code in {args.programme}")
        elif not invite.valid:
            problems += 1
            print(
                f"{invite.key}\t{invite.name}\tthe code in {args.programme} is not the imported "
                "one (import the file first)"
            )
        else:
            link = f"https://t.me/{username}?start={invite.code}"
            if not written:
                out = await asyncio.to_thread(private_dir, out)
            # A code on a badge links whoever scans it first: owner-only, like the store.
            with private_file(out / f"{invite.key}.png") as png:
                segno.make(link, error="m").save(png, kind="png", scale=8, border=2)
            written += 1
            print(f"{invite.key}\t{invite.name}\t{link}")
    if written:
        print(f"Wrote {written} QR code{'s' if written != 1 else ''} to {out}/")
    else:
        print("Wrote no QR codes: no participant is both unlinked and has a valid code.")
    return 1 if problems else 0


async def _bot_username(app: Services) -> str | None:
    """Ask Telegram for the bot's username when a token is configured."""
    if app.settings.telegram_bot_token is None:
        return None
    from handlers.telegram.app import bot_username

    return await bot_username(app)


async def _cmd_calendar_token(app: Services, args: argparse.Namespace) -> int:
    """Print the address of a participant's calendar feed, or of the staff's."""
    from bot.calendars.links import STAFF, links, participant_owner
    from bot.store.models import Participant

    if args.staff == bool(args.key):
        print("Give a participant key or --staff (not both).", file=sys.stderr)
        return 2
    owner = STAFF
    if args.key:
        async with app.sessions() as session:
            key = await session.scalar(
                select(Participant.key).where(func.upper(Participant.key) == args.key.upper())
            )
        if key is None:
            print(f"No participant with the key {args.key!r}.", file=sys.stderr)
            return 1
        owner = participant_owner(key)
    token = await app.calendars.token(owner, app.clock.now(), reset=args.reset)
    if args.reset:
        print("The previous address no longer works.")
    if app.settings.public_url is None:
        print(f"/calendar/{token}.ics (set PUBLIC_URL to the web process's public address)")
        return 0
    feed = links(app.settings.public_url, token)
    print(feed.webcal)
    print(feed.https)
    return 0


_PURGED = (
    ("thread_messages", "questions relayed to staff and their answers"),
    ("outbox_bodies", "outbox message texts (the rows stay, with their status, for reports)"),
    ("account_links", "Telegram account links"),
    ("campaign_texts", "broadcast and check-in texts"),
    ("calendar_links", "participants' calendar subscription links"),
    ("guard_rows", "invite-code counters of Telegram accounts"),
)


async def _cmd_purge(app: Services, args: argparse.Namespace) -> int:
    """Remove personal data of a programme that ended longer ago than the period."""
    from bot.privacy import parse_period, purge

    try:
        period = parse_period(args.older_than)
    except ValueError as exc:
        print(f"--older-than: {exc}", file=sys.stderr)
        return 2
    async with app.sessions.begin() as session:
        done = await purge(session, app.clock.now(), period, dry_run=args.dry_run)
    if done.programme_end is None:
        print("No programme in the store: nothing to purge.")
        return 0
    if not done.due:
        print(
            f"The programme ends on {done.programme_end.isoformat()}: it did not end more "
            f"than {args.older_than} ago, so nothing was removed."
        )
        return 0
    verb = "Would remove" if args.dry_run else "Removed"
    print(f"The programme ended on {done.programme_end.isoformat()}. {verb}:")
    for name, what in _PURGED:
        print(f"  {getattr(done, name)} {what}")
    print(
        "Kept: participants, groups, events, and every count of the delivery and "
        "acknowledgement reports."
    )
    return 0


async def _cmd_backup(app: Services, args: argparse.Namespace) -> int:
    """Copy the SQLite store while the bot runs (PostgreSQL: pg_dump)."""
    from bot.backup import BackupError, backup_sqlite, sqlite_path

    source = sqlite_path(app.settings.resolved_database_url())
    if source is None:
        print(
            "The store is PostgreSQL: back it up with pg_dump, e.g.\n"
            '    pg_dump --format=custom --no-owner --dbname="$DATABASE_URL" --file=bot.dump\n'
            "(see Backups in the README).",
            file=sys.stderr,
        )
        return 2
    try:
        done = await asyncio.to_thread(backup_sqlite, source, Path(args.file))
    except BackupError as exc:
        print(f"No backup made: {exc}.", file=sys.stderr)
        return 1
    print(f"Wrote {done.path} ({done.size} bytes, {done.tables} tables, integrity ok).")
    return 0


def _instant(text: str) -> datetime:
    try:
        return parse_instant(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 moment: {text!r}") from None


def _broadcast_arguments(p: argparse.ArgumentParser) -> None:
    """The options of the broadcast command."""
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--everyone", action="store_true", help="every participant")
    who.add_argument("--groups", help="group keys, comma-separated (e.g. A,B)")
    who.add_argument("--participants", help="participant keys, comma-separated (e.g. P01,P07)")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--text", help="the message, in the programme's default language")
    what.add_argument(
        "--file",
        help="a YAML file of the message per language code (the default language required), "
        "or a plain text file",
    )
    p.add_argument("--ack", action="store_true", help="ask each recipient to tap “Got it”")
    p.add_argument("--urgent", action="store_true", help="urgent: goes through quiet hours")
    p.add_argument("--at", type=_instant, help="send at this moment (ISO 8601 with its offset)")
    p.add_argument(
        "--dry-run", action="store_true", help="print what would be sent, and to whom; send nothing"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description=(
            "A programme assistant: participants ask on Telegram, staff work in Slack.\n"
            "Configuration comes from environment variables (see the README)."
        ),
        epilog=(
            "examples:\n"
            "  python -m bot run                       chat in the terminal on the example "
            "programme\n"
            "  python -m bot template programme.xlsx   the spreadsheet to fill in\n"
            "  python -m bot import programme.xlsx     load or update a programme\n"
            "  python -m bot ask --as P01 what is on today?\n"
            "  TELEGRAM_BOT_TOKEN=... python -m bot run   the whole bot in one process"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser(
        "import", help="validate and import a programme file (format v1: .yaml or .xlsx)"
    )
    p.add_argument("file")
    p = sub.add_parser(
        "export", help="write the stored programme as a format-v1 file (.xlsx: a workbook)"
    )
    p.add_argument("file", help="output path (.yaml or .xlsx), or - for YAML on standard output")
    p = sub.add_parser("template", help="write the programme spreadsheet template (.xlsx)")
    p.add_argument("file", help="output path, ending in .xlsx")
    p.add_argument(
        "--from", dest="source", help="fill it from this programme file (.yaml or .xlsx)"
    )
    p.add_argument(
        "--languages",
        default="en,es,fr,ar,ru,pt",
        help="an empty template's languages, the default first (default: en,es,fr,ar,ru,pt)",
    )
    p = sub.add_parser("ask", help="ask one question as a participant and print the reply")
    p.add_argument("--as", dest="as_key", help="participant key (omit to ask as a stranger)")
    p.add_argument(
        "--now", type=_instant, help="the moment of asking, ISO 8601 (default: BOT_NOW or now)"
    )
    p.add_argument("--jsonl", action="store_true", help="read JSON lines from standard input")
    p.add_argument("text", nargs="*", help="the question, as the participant would type it")
    p = sub.add_parser("chat", help="chat with the assistant in the terminal")
    p.add_argument("--as", dest="as_key")
    p.add_argument("--now", type=_instant, help="fix the clock at this moment, ISO 8601")
    sub.add_parser(
        "serve",
        help="serve the Telegram webhook, Slack events, calendar feeds, health and metrics",
    )
    sub.add_parser("clock", help="run the scheduled sweeps only (exactly one per deployment)")
    sub.add_parser("send", help="run an outbox sender only (several may run on PostgreSQL)")
    p = sub.add_parser("invites", help="print deep links and write a QR code per participant")
    p.add_argument("programme", help="the programme file holding the invite codes")
    p.add_argument("--bot", help="the bot's Telegram username (asked from Telegram if omitted)")
    p.add_argument("--out", default="invites", help="folder for the QR code PNGs")
    p = sub.add_parser(
        "calendar-token", help="print the calendar feed address of a participant or of the staff"
    )
    p.add_argument("key", nargs="?", help="the participant's key")
    p.add_argument("--staff", action="store_true", help="the staff feed: every group's events")
    p.add_argument("--reset", action="store_true", help="make a new address; the old one stops")
    p = sub.add_parser(
        "purge", help="remove personal data of a programme that ended longer ago than a period"
    )
    p.add_argument(
        "--older-than", required=True, help="how long ago the programme ended: 30d, 12h, 2w"
    )
    p.add_argument("--dry-run", action="store_true", help="print what would go; change nothing")
    p = sub.add_parser(
        "backup", help="copy the SQLite store to a new file, safely while the bot runs"
    )
    p.add_argument("file", help="the new file (it must not exist)")
    p = sub.add_parser(
        "broadcast", help="send a staff broadcast (as the Slack console does); --dry-run to check"
    )
    _broadcast_arguments(p)
    p = sub.add_parser("run", help="run the bot (the console chat when no Telegram token is set)")
    p.add_argument("--as", dest="as_key")
    return parser


COMMANDS = {
    "import": _cmd_import,
    "export": _cmd_export,
    "ask": _cmd_ask,
    "chat": _cmd_chat,
    "run": _cmd_run,
    "invites": _cmd_invites,
    "clock": _cmd_clock,
    "serve": _cmd_serve,
    "send": _cmd_send,
    "calendar-token": _cmd_calendar_token,
    "purge": _cmd_purge,
    "backup": _cmd_backup,
    "broadcast": _cmd_broadcast,
}


# How long tasks still running when a command ends get to finish once cancelled.
SHUTDOWN_GRACE = 10.0


async def _main(args: argparse.Namespace, settings: Settings) -> int:
    clock = FixedClock(args.now) if getattr(args, "now", None) else None
    code = 1
    try:
        async with services(settings, clock) as app:
            code = await COMMANDS[args.command](app, args)
            return code
    finally:
        stuck = await _cancel_leftovers(SHUTDOWN_GRACE)
        if stuck:
            _exit_now(stuck, code)


async def _cancel_leftovers(grace: float) -> list[asyncio.Task[object]]:
    """Cancel the tasks a command left running; return those still running after ``grace``."""
    current = asyncio.current_task()
    tasks = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    for task in tasks:
        task.cancel()
    if not tasks:
        return []
    _, pending = await asyncio.wait(tasks, timeout=grace)
    return list(pending)


def _exit_now(stuck: list[asyncio.Task[object]], code: int) -> None:
    """Leave at once: a task that ignores cancelling would otherwise keep the process alive."""
    # Only where each task waits (function, file, line): no arguments, so nothing private.
    places = []
    for task in stuck:
        frames = task.get_stack()
        where = frames[-1] if frames else None
        places.append(
            f"{task.get_name()} at {where.f_code.co_qualname} "
            f"({where.f_code.co_filename}:{where.f_lineno})"
            if where
            else task.get_name()
        )
    log.warning(
        "%d task(s) did not stop within %g s of the stop; leaving without them: %s",
        len(stuck),
        SHUTDOWN_GRACE,
        "; ".join(places),
    )
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """Run one command line; return the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "template":
        # No store is needed to lay out a file.
        return _cmd_template(args)
    settings = Settings()
    try:
        logs.configure(settings)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        return asyncio.run(_main(args, settings))
    except DatabaseUrlError as exc:
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception:
        # Through the log, so the traceback is masked too (a rejected token is in its message).
        log.critical("stopped by an unexpected error", exc_info=True)
        return 1
