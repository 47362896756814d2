"""The console channel: ``ask``, ``ask --jsonl`` and the interactive ``chat``."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from bot.clock import parse_instant
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
            return await assistant.ask(session, participant, text, now)
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


async def ask_jsonl(app: Services, lines: IO[str], out: IO[str]) -> int:
    """Answer one JSON object per input line, writing one JSON object per line, in order."""
    failures = 0
    for line in lines:
        if not line.strip():
            continue
        result: dict[str, Any]
        try:
            request = json.loads(line)
            if not isinstance(request, dict) or not isinstance(request.get("text"), str):
                raise ValueError('expected an object with a "text" string')
            now = parse_instant(request["now"]) if request.get("now") else app.clock.now()
            key = request.get("as")
            reply = await _reply(app, str(key) if key else None, request["text"], now)
            if reply is None:
                result = {"reply": "", "error": f"unknown participant {key!r}"}
                failures += 1
            else:
                result = {"reply": reply.plain()}
        except (ValueError, TypeError) as exc:
            result = {"reply": "", "error": f"bad request line: {exc}"}
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
