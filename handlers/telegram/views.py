"""Rendering for Telegram: HTML text (every value escaped), keyboards, message splitting."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot import callbacks, commands
from bot.calendars.links import Links
from bot.callbacks import Setting
from bot.i18n import Translator, clean
from bot.replies import Reply

MESSAGE_LIMIT = 4096
# Telegram counts a message after parsing its HTML, in UTF-16 code units; parts stay well
# below its limit, so a count that differs from Telegram's in some detail costs no message.
SPLIT_LIMIT = 4000
# A tag, an entity, or one character of HTML text.
_TOKEN = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*>|&(?:[A-Za-z]+|#[0-9]+|#x[0-9A-Fa-f]+);|.", re.DOTALL
)
# Telegram allows 64 bytes of callback data.
CALLBACK_LIMIT = 64
# A reply offers contact cards only when it names a few people, not a whole list.
MAX_CONTACT_CARDS = 3


def escape(text: str) -> str:
    """Make any text safe to interpolate into Telegram HTML."""
    return html.escape(clean(text), quote=False)


def reply_html(reply: Reply) -> str:
    """Return a reply's text as Telegram HTML: its first paragraph bold, contacts listed."""
    paragraphs = [p for p in reply.text if p]
    blocks = [f"<b>{escape(paragraphs[0])}</b>"] if paragraphs else []
    blocks.extend(escape(p) for p in paragraphs[1:])
    for card in reply.contacts:
        line = f"<b>{escape(card.name)}</b>"
        if card.role:
            line += f" — {escape(card.role)}"
        for detail in card.details():
            line += f"\n{escape(detail)}"
        blocks.append(line)
    if not paragraphs and not reply.contacts:
        for venue in reply.venues:
            blocks.append(f"<b>{escape(venue.name)}</b>\n{escape(venue.address)}")
    return "\n\n".join(blocks)


def split_message(text: str, limit: int = SPLIT_LIMIT) -> list[str]:
    """Split HTML into messages of at most ``limit`` UTF-16 units as shown, tags kept whole."""
    # Tags and entities only shorten what is shown, so most texts need no parsing at all.
    if _units(text) <= limit:
        return [text]
    atoms = _atoms(text)
    sizes = [_units(atom.shown) for atom in atoms]
    if sum(sizes) <= limit:
        return [text]
    shown = [atom.shown for atom in atoms]
    chunks: list[str] = []
    start = 0
    while start < len(atoms):
        end, used = start, 0
        while end < len(atoms) and used + sizes[end] <= limit:
            used += sizes[end]
            end += 1
        # A limit below one character still makes progress, one character at a time.
        end = max(end, start + 1)
        cut, resume = (end, end) if end == len(atoms) else _break(shown, start, end)
        if not "".join(shown[start:cut]).isspace():
            chunks.append(_render(atoms[start:cut]))
        start = resume
    return chunks


# An element open around some text: (its position in the source, its name, its start tag).
_Element = tuple[int, str, str]


@dataclass(frozen=True)
class _Atom:
    """One character or entity as written, what it shows, and the elements open around it."""

    html: str
    shown: str
    elements: tuple[_Element, ...]


def _atoms(text: str) -> list[_Atom]:
    """The characters and entities of HTML text, each with the elements open around it."""
    atoms: list[_Atom] = []
    open_elements: list[_Element] = []
    elements: tuple[_Element, ...] = ()
    for position, token in enumerate(_TOKEN.finditer(text)):
        name = token.group(2)
        if name is None:
            atoms.append(_Atom(token.group(), html.unescape(token.group()), elements))
            continue
        name = name.lower()
        if not token.group(1):
            open_elements.append((position, name, token.group()))
        else:
            # An end tag closes the innermost element of its name; a stray one is dropped.
            names = [element[1] for element in open_elements]
            if name in names:
                del open_elements[len(names) - 1 - names[::-1].index(name) :]
        elements = tuple(open_elements)
    return atoms


def _units(shown: str) -> int:
    """Telegram's length of a text: UTF-16 code units."""
    return len(shown) + sum(1 for char in shown if ord(char) > 0xFFFF)


def _render(atoms: list[_Atom]) -> str:
    """HTML of a run of atoms: elements open at its start reopened, open at its end closed."""
    parts: list[str] = []
    current: tuple[_Element, ...] = ()
    for atom in [*atoms, _Atom("", "", ())]:
        if atom.elements != current:
            common = 0
            for mine, theirs in zip(current, atom.elements, strict=False):
                if mine != theirs:
                    break
                common += 1
            parts.extend(f"</{name}>" for _, name, _ in reversed(current[common:]))
            parts.extend(tag for _, _, tag in atom.elements[common:])
            current = atom.elements
        parts.append(atom.html)
    return "".join(parts)


def _break(shown: list[str], start: int, end: int) -> tuple[int, int]:
    """Where a part ends and where the next begins, at the best break before ``end``."""
    # A paragraph, else a line, else a word break that fills at least half the part; else
    # the last line or word break; else mid-word.
    lines = _runs(shown, start, end, "\n")
    words = _runs(shown, start, end, " ")
    paragraphs = [run for run in lines if run[1] - run[0] > 1]
    half = start + (end - start) // 2
    for runs in (paragraphs, lines, words):
        late = [run for run in runs if run[0] >= half]
        if late:
            return late[0]
    for runs in (lines, words):
        if runs:
            return runs[0]
    # No space at all: cut, but not between a character and what joins or marks it.
    while end - 1 > start and (_joins(shown[end][0]) or shown[end - 1] == "\u200d"):
        end -= 1
    return end, end


def _runs(shown: list[str], start: int, end: int, char: str) -> list[tuple[int, int]]:
    """Runs of ``char`` that begin after ``start`` and by ``end``, the latest first."""
    runs = []
    at = end
    while at > start:
        if at < len(shown) and shown[at] == char:
            first, after = at, at
            while first - 1 > start and shown[first - 1] == char:
                first -= 1
            while after < len(shown) and shown[after] == char:
                after += 1
            runs.append((first, after))
            at = first
        at -= 1
    return runs


def _joins(char: str) -> bool:
    """Whether a character belongs with the one before it (a mark, selector, tone, joiner)."""
    return (
        bool(unicodedata.combining(char))
        or char in "\u200d\ufe0e\ufe0f"
        or "\U0001f3fb" <= char <= "\U0001f3ff"
    )


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
    rows = [[InlineKeyboardButton(clean(b.label), callback_data=_fit(b.action))] for b in buttons]
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


def calendar_subscription(
    t: Translator, links: Links, *, reset: bool
) -> tuple[str, InlineKeyboardMarkup]:
    """The participant's subscription link, with buttons for the common calendar apps."""
    lines = []
    if reset:
        renewed = t.gettext("Your old calendar link no longer works. Here is the new one.")
        lines.append(escape(renewed))
    lines += [
        escape(
            t.gettext(
                "Subscribe once and your phone's calendar follows every change to your "
                "programme, offline too."
            )
        ),
        escape(t.gettext("Calendar address for other apps:")),
        f"<code>{escape(links.https)}</code>",
        escape(
            t.gettext(
                "This link is yours alone: anyone who has it can see your programme. "
                "Send /calendar reset to replace it; the old link then stops working."
            )
        ),
    ]
    apple = t.pgettext("button", "Add to Apple Calendar")
    google = t.pgettext("button", "Add to Google Calendar")
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(apple, url=links.apple)],
            [InlineKeyboardButton(google, url=links.google)],
        ]
    )
    return "\n\n".join(lines), keyboard


def calendar_caption(t: Translator, *, subscribed: bool) -> str:
    """The caption of the .ics file; without a subscription, why it will not update."""
    caption = t.gettext("Your programme as a calendar file.")
    if not subscribed:
        caption += "\n\n" + t.gettext(
            "This file does not update itself: the bot has no public web address for "
            "calendar subscriptions. Send /calendar again after a change."
        )
    return escape(caption)
