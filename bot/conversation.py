"""The conversation policy every channel shares: code, follow-up to staff, answer or relay."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.accounts import plausible_code, seen
from bot.assistant.service import Assistant
from bot.i18n import N_
from bot.replies import Reply
from bot.staff.relay import ask_staff, in_conversation
from bot.store.models import Participant

PASSED_ON = N_(
    "I could not answer that myself, so I have passed it to the programme staff. "
    "They will answer you here."
)
# A follow-up in an open conversation with staff: nothing was tried, it simply went on.
FORWARDED = N_("Sent to the programme staff. They will answer you here.")


class Turn(StrEnum):
    """What became of a message."""

    # A stranger sent something shaped like an invite code: the channel links it.
    CODE = "code"
    # A question the bot could not answer went to the programme staff.
    RELAYED = "relayed"
    # A follow-up joined the participant's open conversation with staff.
    FORWARDED = "forwarded"
    # The assistant answered.
    ANSWERED = "answered"


@dataclass(frozen=True)
class Outcome:
    """A message's turn, and the assistant's reply when it answered."""

    turn: Turn
    reply: Reply | None = None
    # The participant was seen for the first time in a while (channels refresh caches).
    seen: bool = False


async def converse(
    session: AsyncSession,
    assistant: Assistant,
    participant: Participant | None,
    text: str,
    now: datetime,
    *,
    staff: bool,
    replying: bool = False,
    language_hint: str | None = None,
) -> Outcome:
    """Decide what a message is and act on it, the same way in every channel.

    ``staff``: a staff console can read relayed questions. ``replying``: the message answers
    one of the bot's own (on Telegram, a reply to the bot).
    """
    if participant is None and plausible_code(text):
        # Only what looks like a code is an attempt; "thank you" gets the usual answer.
        return Outcome(Turn.CODE)
    if (
        participant is not None
        and staff
        and replying
        and await in_conversation(session, participant.key, now)
    ):
        # A reply to the bot while talking with staff goes to staff, not to the assistant.
        await ask_staff(session, participant, text, now)
        return Outcome(Turn.FORWARDED)
    reply = await assistant.ask(session, participant, text, now, language_hint=language_hint)
    if participant is None:
        return Outcome(Turn.ANSWERED, reply)
    fresh = await seen(session, participant, now)
    if not reply.understood and staff:
        await ask_staff(session, participant, text, now)
        return Outcome(Turn.RELAYED, reply, fresh)
    return Outcome(Turn.ANSWERED, reply, fresh)
