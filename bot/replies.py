"""Platform-neutral replies: text, venues, contact cards and suggested buttons."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Venue:
    """A place to show as a map pin."""

    name: str
    address: str
    latitude: float | None = None
    longitude: float | None = None

    @property
    def map_url(self) -> str | None:
        """Return a map link for the place, if it has coordinates."""
        if self.latitude is None or self.longitude is None:
            return None
        return f"https://www.google.com/maps/search/?api=1&query={self.latitude},{self.longitude}"


@dataclass(frozen=True)
class ContactCard:
    """A person or number to call."""

    name: str
    phone: str | None
    role: str = ""
    email: str | None = None
    # A Telegram username, shown as @name so it can be tapped.
    telegram: str | None = None

    def details(self) -> list[str]:
        """Phone, e-mail and Telegram username, those given."""
        handle = f"@{self.telegram.lstrip('@')}" if self.telegram else None
        return [d for d in (self.phone, self.email, handle) if d]


@dataclass(frozen=True)
class Button:
    """A button under a reply: a label and its callback data (built in bot/callbacks.py)."""

    label: str
    action: str


@dataclass
class Reply:
    """One answer: paragraphs of text, then venues and contact cards, then buttons."""

    language: str
    text: list[str] = field(default_factory=list)
    venues: list[Venue] = field(default_factory=list)
    contacts: list[ContactCard] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    # "Show on a map" buttons for the places an agenda mentions (callbacks.venue).
    maps: list[Button] = field(default_factory=list)
    understood: bool = True

    def plain(self) -> str:
        """Render the whole reply as plain text (console, logs of tests)."""
        blocks = [paragraph for paragraph in self.text if paragraph]
        for venue in self.venues:
            lines = [venue.name, venue.address]
            if venue.map_url:
                lines.append(venue.map_url)
            blocks.append("\n".join(line for line in lines if line))
        for card in self.contacts:
            head = f"{card.name} ({card.role})" if card.role else card.name
            details = card.details()
            blocks.append(" — ".join([head, *details]) if details else head)
        return "\n\n".join(blocks)
