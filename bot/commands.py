"""The participants' slash commands: one registry for understanding, answers, menus and chats."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.i18n import N_


class Intent(StrEnum):
    """What a command asks the assistant for."""

    HELP = "help"
    TODAY = "today"
    TOMORROW = "tomorrow"
    NEXT = "next"
    NOW = "now"
    WEEK = "week"
    HOTEL = "hotel"
    CONTACTS = "contacts"
    EMERGENCY = "emergency"
    LANGUAGE = "language"


@dataclass(frozen=True)
class Command:
    """A slash command, the same in every language."""

    name: str
    # What the assistant answers; None when only a chat channel's own handler does.
    intent: Intent | None = None
    # The description in the command menu (a msgid); None keeps it out of the menu.
    menu: str | None = None
    # The label on the reply keyboard (a msgid); None keeps it off the keyboard.
    keyboard: str | None = None

    @property
    def text(self) -> str:
        """The command as a participant types it."""
        return f"/{self.name}"


TODAY = Command("today", Intent.TODAY, N_("What is on today"), N_("Today"))
TOMORROW = Command("tomorrow", Intent.TOMORROW, N_("What is on tomorrow"), N_("Tomorrow"))
NEXT = Command("next", Intent.NEXT, N_("What is next"), N_("What's next?"))
WEEK = Command("week", Intent.WEEK, N_("The next seven days"))
HOTEL = Command("hotel", Intent.HOTEL, N_("My hotel"), N_("My hotel"))
CONTACTS = Command("contacts", Intent.CONTACTS, N_("Whom to call"), N_("Contacts"))
CALENDAR = Command("calendar", None, N_("My programme as a calendar file"))
LANGUAGE = Command("language", Intent.LANGUAGE, N_("Change language"))
SETTINGS = Command("settings", None, N_("Daily agenda and reminders"))
ASK = Command("ask", None, N_("Ask the programme staff"))
FORGET = Command("forget", None, N_("Erase my data"))
HELP = Command("help", Intent.HELP, N_("What I can answer"), N_("Help"))
START = Command("start", Intent.HELP)
NOW = Command("now", Intent.NOW)
EMERGENCY = Command("emergency", Intent.EMERGENCY)

# In menu order; the keyboard takes its commands in this order too, two to a row.
COMMANDS: tuple[Command, ...] = (
    TODAY,
    TOMORROW,
    NEXT,
    WEEK,
    HOTEL,
    CONTACTS,
    CALENDAR,
    LANGUAGE,
    SETTINGS,
    ASK,
    FORGET,
    HELP,
    START,
    NOW,
    EMERGENCY,
)
_BY_NAME = {command.name: command for command in COMMANDS}


def find(name: str) -> Command | None:
    """The command of a name as typed (any case), if there is one."""
    return _BY_NAME.get(name.lower())


def menu() -> tuple[Command, ...]:
    """The commands of the command menu, in order."""
    return tuple(c for c in COMMANDS if c.menu)


def keyboard() -> tuple[Command, ...]:
    """The commands of the reply keyboard, in order."""
    return tuple(c for c in COMMANDS if c.keyboard)
