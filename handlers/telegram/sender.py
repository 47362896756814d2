"""The outbox's Sender port on Telegram: errors mapped to what the outbox should do."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.delivery.port import Rejected, RetryLater, Transient, Unknown, Unreachable, unpaced
from handlers.telegram.request import Dropped, NotSent
from handlers.telegram.views import escape, split_message


class TelegramSender:
    """Sends outbox texts as HTML messages, split at Telegram's length limit."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(
        self,
        chat_id: int,
        text: str,
        buttons: list[list[str]] | None = None,
        pace: Callable[[], Awaitable[None]] = unpaced,
    ) -> int:
        """Send the text (several messages if long, buttons under the last); return its id."""
        message_id = 0
        markup = (
            InlineKeyboardMarkup(
                [[InlineKeyboardButton(label, callback_data=data)] for label, data in buttons]
            )
            if buttons
            else None
        )
        try:
            chunks = split_message(escape(text))
            for index, chunk in enumerate(chunks):
                last = index == len(chunks) - 1
                await pace()
                message = await self.bot.send_message(
                    chat_id, chunk, reply_markup=markup if last else None
                )
                message_id = message.message_id
        except RetryAfter as exc:
            seconds = exc.retry_after
            raise RetryLater(getattr(seconds, "total_seconds", lambda: seconds)()) from exc
        except Forbidden as exc:
            raise Unreachable(exc.message) from exc
        except BadRequest as exc:
            raise Rejected(exc.message) from exc
        except NotSent as exc:
            raise Transient(str(exc)) from exc
        except (TimedOut, Dropped) as exc:
            # Telegram may have the message: sending it again can make it arrive twice.
            raise Unknown(str(exc) or type(exc).__name__) from exc
        except NetworkError as exc:  # an answer came back: a 5xx, nothing was sent
            raise Transient(str(exc) or type(exc).__name__) from exc
        return message_id
