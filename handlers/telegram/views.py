"""Rendering for Telegram: HTML text (every value escaped), keyboards, message splitting."""

from __future__ import annotations

import html
import re

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot import callbacks, commands
from bot.callbacks import Setting
from bot.i18n import Translator
from bot.replies import Reply

# Bidi embeddings and overrides in a name could reverse the text around it; the isolates
# (U+2066..U+2069) the domain adds around Latin names in Arabic stay.
_BIDI_OVERRIDES = re.compile("[\u202a-\u202e]")
MESSAGE_LIMIT = 4096
# Telegram allows 64 bytes of callback data.
CALLBACK_LIMIT = 64
# A reply offers contact cards only when it names a few people, not a whole list.
MAX_CONTACT_CARDS = 3


def escape(text: str) -> str:
    """Make any text safe to interpolate into Telegram HTML."""
    return html.escape(_BIDI_OVERRIDES.sub("", text), quote=False)


def reply_html(reply: Reply) -> str:
    """Return a reply's text as Telegram HTML: its first paragraph bold, contacts listed."""
    paragraphs = [p for p in reply.text if p]
    blocks = [f"<b>{escape(paragraphs[0])}</b>"] if paragraphs else []
    blocks.extend(escape(p) for p in paragraphs[1:])
    for card in reply.contacts:
        line = f"<b>{escape(card.name)}</b>"
        if card.role:
            line += f" — {escape(card.role)}"
        for detail in (card.phone, card.email):
            if detail:
                line += f"\n{escape(detail)}"
        blocks.append(line)
    if not paragraphs and not reply.contacts:
        for venue in reply.venues:
            blocks.append(f"<b>{escape(venue.name)}</b>\n{escape(venue.address)}")
    return "\n\n".join(blocks)


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split HTML text at line boundaries into messages of at most ``limit`` characters."""
    if len(text) <= limit:
        return [text]
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            # A single overlong line: cut it, never inside an HTML entity or tag.
            cut = limit - len(current) - 1 if current else limit
            cut = _safe_cut(line, max(cut, 1))
            piece, line = line[:cut], line[cut:]
            chunks.append(f"{current}\n{piece}" if current else piece)
            current = ""
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current:
        chunks.append(current)
    return [c for c in chunks if c.strip()]


def _safe_cut(line: str, cut: int) -> int:
    amp, semi = line.rfind("&", 0, cut), line.rfind(";", 0, cut)
    if amp > semi:
        cut = amp
    lt, gt = line.rfind("<", 0, cut), line.rfind(">", 0, cut)
    if lt > gt:
        cut = lt
    return max(cut, 1)


def main_keyboard(t: Translator) -> ReplyKeyboardMarkup:
    """The persistent keyboard of main questions in the reader's language, two to a row."""
    labels = list(keyboard_labels(t))
    return ReplyKeyboardMarkup(
        [[KeyboardButton(label) for label in labels[i : i + 2]] for i in range(0, len(labels), 2)],
        resize_keyboard=True,
        is_persistent=True,
    )


def keyboard_labels(t: Translator) -> dict[str, str]:
    """Each keyboard label in one language -> the command it stands for."""
    return {t.gettext(c.keyboard): c.text for c in commands.keyboard() if c.keyboard}


def inline_keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Map buttons and language choices as an inline keyboard, one per row."""
    buttons = [*reply.maps, *reply.buttons]
    if not buttons:
        return None
    rows = [[InlineKeyboardButton(b.label, callback_data=_fit(b.action))] for b in buttons]
    return InlineKeyboardMarkup(rows)


def language_keyboard(t: Translator, codes: tuple[str, ...]) -> InlineKeyboardMarkup:
    """Every language by its own name."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(t.language_name(code), callback_data=callbacks.language(code))]
            for code in codes
        ]
    )


def _fit(data: str) -> str:
    return data.encode()[:CALLBACK_LIMIT].decode(errors="ignore")


def private_chat_keyboard(t: Translator, username: str) -> InlineKeyboardMarkup:
    """A button that opens a private chat with the bot."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.pgettext("button", "Open a private chat"), url=f"https://t.me/{username}"
                )
            ]
        ]
    )


def settings_text(t: Translator, enabled: bool, at: str, reminders: int) -> str:
    """The participant's delivery settings, in their language."""
    lines = [
        t.gettext("Your settings:"),
        t.gettext("Daily agenda: on, at {time} local time", time=at)
        if enabled
        else t.gettext("Daily agenda: off"),
        t.ngettext(
            "Reminders: {n} minute before travel and meeting points",
            "Reminders: {n} minutes before travel and meeting points",
            reminders,
        )
        if reminders
        else t.gettext("Reminders: off"),
    ]
    return escape("\n".join(lines))


def settings_keyboard(
    t: Translator, enabled: bool, reminders: int, times: tuple[str, ...]
) -> InlineKeyboardMarkup:
    """Buttons that change the settings."""
    agenda = (
        InlineKeyboardButton(
            t.pgettext("button", "Turn the agenda off"),
            callback_data=callbacks.setting(Setting.AGENDA, "off"),
        )
        if enabled
        else InlineKeyboardButton(
            t.pgettext("button", "Turn the agenda on"),
            callback_data=callbacks.setting(Setting.AGENDA, "on"),
        )
    )
    remind = (
        InlineKeyboardButton(
            t.pgettext("button", "Turn reminders off"),
            callback_data=callbacks.setting(Setting.REMIND, "0"),
        )
        if reminders
        else InlineKeyboardButton(
            t.pgettext("button", "Turn reminders on"),
            callback_data=callbacks.setting(Setting.REMIND, "30"),
        )
    )
    hours = [
        InlineKeyboardButton(at, callback_data=callbacks.setting(Setting.TIME, at)) for at in times
    ]
    return InlineKeyboardMarkup([[agenda], hours, [remind]])
