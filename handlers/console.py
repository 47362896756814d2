"""The console channel: ``ask``, ``ask --jsonl`` and the interactive ``chat``."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from bot.clock import Clock
from bot.conversation import FORWARDED, PASSED_ON, Turn, converse
from bot.replies import Reply
from bot.staff.roster import participants

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)


async def _reply(app: Services, key: str | None, text: str, now: datetime) -> Reply | None:
    """Answer one message in its own session; ``None`` when the participant is unknown."""
    assistant = app.assistant
    async with app.sessions.begin() as session:
        participant = await assistant.participant(session, key) if key else None
        if key and participant is None:
            return None
        try:
            # Staff can read relayed questions wherever a staff console is configured: its
            # desk posts what the store holds, whichever process wrote it.
            staff = app.settings.slack_bot_token is not None
            outcome = await converse(session, assistant, participant, text, now, staff=staff)
            if outcome.turn in (Turn.RELAYED, Turn.FORWARDED) and participant is not None:
                t = assistant.i18n.translator(participant.effective_language)
                said = FORWARDED if outcome.turn is Turn.FORWARDED else PASSED_ON
                return Reply(t.code, [t.gettext(said)])
            if outcome.reply is None:
                # A code typed into the console: it links only on Telegram.
                return await assistant.ask(session, participant, text, now)
            return outcome.reply
        except Exception:
            # The message text stays out of the log: it may be private.
            log.exception("failed to answer a console message")
            t = assistant.i18n.translator(participant.effective_language if participant else None)
            return Reply(t.code, [t.gettext("Sorry, something went wrong. Please try again.")])


async def ask_once(app: Services, key: str | None, text: str, out: IO[str]) -> int:
    """Print the reply to one question; exit code 2 for an unknown participant."""
    reply = await _reply(app, key, text, app.clock.now())
    if reply is None:
        out.write(f"Unknown participant {key!r}.\n")
        return 2
    out.write(reply.plain() + "\n")
    return 0


# A question is at most what Telegram lets a participant write in one message.
MAX_TEXT = 4096
# A request line longer than this is refused unread: a key, a moment and a question fit.
MAX_LINE = 64 * 1024


class BadLine(ValueError):
    """A request line that is not ``{"as": KEY, "now": ISO8601, "text": TEXT}``."""


def _request_lines(stream: IO[str], limit: int) -> Iterator[str | None]:
    """Each line of the stream, or None for one longer than ``limit`` (skipped unkept)."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith("\n"):
            yield line
            continue
        # Read the rest of the long line away in pieces, so memory stays bounded.
        while line and not line.endswith("\n"):
            line = stream.readline(limit)
        yield None


def _unicode(value: str, name: str) -> str:
    # Lone surrogates (a JSON escape, or undecodable input) are no text a person wrote.
    try:
        value.encode()
    except UnicodeEncodeError:
        raise BadLine(f'"{name}" is not valid Unicode') from None
    return value


def _request(line: str, clock: Clock) -> tuple[str | None, str, datetime]:
    """The participant key (None: a stranger), the question and its moment, from one line."""
    try:
        request = json.loads(line)
    except (ValueError, RecursionError) as exc:
        raise BadLine(f"not JSON ({type(exc).__name__})") from None
    if not isinstance(request, dict):
        raise BadLine("expected a JSON object")
    text = request.get("text")
    if not isinstance(text, str):
        raise BadLine('"text" must be a string')
    if len(text) > MAX_TEXT:
        raise BadLine(f'"text" is longer than {MAX_TEXT} characters')
    key = request.get("as")
    if key is not None and not isinstance(key, str):
        raise BadLine('"as" must be a participant key (a string)')
    now = request.get("now")
    if now is None:
        moment = clock.now()
    elif not isinstance(now, str):
        raise BadLine('"now" must be an ISO 8601 string')
    else:
        try:
            moment = datetime.fromisoformat(_unicode(now, "now").strip().replace("Z", "+00:00"))
        except ValueError:
            raise BadLine('"now" is not an ISO 8601 moment') from None
        if moment.tzinfo is None:
            raise BadLine('"now" has no UTC offset')
    return _unicode(key, "as") if key else None, _unicode(text, "text"), moment


async def ask_jsonl(app: Services, lines: IO[str], out: IO[str]) -> int:
    """Answer one JSON object per input line, writing one JSON object per line, in order."""
    failures = 0
    for number, line in enumerate(_request_lines(lines, MAX_LINE), start=1):
        if line is not None and not line.strip():
            continue
        result: dict[str, Any]
        try:
            if line is None:
                raise BadLine(f"longer than {MAX_LINE} characters")
            key, text, now = _request(line, app.clock)
            # A NUL is in no key, and PostgreSQL refuses it even in a query.
            known = not (key and "\x00" in key)
            reply = await _reply(app, key, text, now) if known else None
            if reply is None:
                result = {"reply": "", "error": f"unknown participant {key!r}"}
            else:
                result = {"reply": reply.plain()}
        except BadLine as exc:
            result = {"reply": "", "error": f"bad request line: {exc}"}
        except Exception as exc:
            # One line's failure must not cost the lines after it their answers. The kind
            # only: a database error's message can quote the question.
            log.error("ask --jsonl: line %d failed (%s)", number, type(exc).__name__)
            result = {"reply": "", "error": f"could not answer ({type(exc).__name__})"}
        if "error" in result:
            failures += 1
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return 1 if failures else 0


async def chat(app: Services, key: str | None) -> int:
    """Chat in the terminal as a participant; ``/as KEY`` switches, ``/quit`` leaves."""
    async with app.sessions() as session:
        roster = await participants(session)
    people = {p.key: p for p in roster}
    by_folded = {k.casefold(): k for k in people}
    if key is None and roster:
        # The demo opens in English where it can: the reader of the README reads English.
        key = next((p.key for p in roster if p.effective_language == "en"), roster[0].key)
    elif key is not None:
        key = by_folded.get(key.casefold(), key)
    while True:
        person = people.get(key or "")
        t = app.i18n.translator(person.effective_language if person else None)
        if person is not None:
            print(
                t.gettext("You are chatting as {name} ({key}).", name=person.name, key=person.key)
            )
        else:
            print(t.gettext("You are chatting as a stranger."))
        print(
            t.gettext(
                "Type /as KEY to switch participant, /quit to leave. Participants: {keys}",
                keys=", ".join(
                    f"{p.key} ({p.effective_language})" for p in people.values()
                ) or "-",
            )
        )
        while True:
            try:
                text = await asyncio.to_thread(input, "> ")
            except EOFError:
                print()
                return 0
            if text.strip() in ("/quit", "/exit"):
                return 0
            if text.strip().startswith("/as"):
                wanted = text.strip()[3:].strip()
                if wanted.casefold() in by_folded:
                    key = by_folded[wanted.casefold()]
                    break
                print(t.gettext("Unknown participant {key}.", key=wanted))
                continue
            if not text.strip():
                continue
            reply = await _reply(app, key if person else None, text, app.clock.now())
            print(reply.plain() if reply else "")
            print()
