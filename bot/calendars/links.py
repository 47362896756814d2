"""Secret subscription links: derived from a random nonce, stored only as a hash."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendars.entries import dialect_insert
from bot.store.models import CalendarFeed

STAFF = "staff"
# Where feeds are served, under PUBLIC_URL.
PATH = "/calendar/"
GOOGLE_ADD = "https://calendar.google.com/calendar/render?cid="


def participant_owner(key: str) -> str:
    """The owner of a participant's feed."""
    return f"participant:{key}"


def participant_key(owner: str) -> str | None:
    """The participant a feed belongs to; None for the staff's."""
    kind, _, key = owner.partition(":")
    return key if kind == "participant" else None


def derive(secret: str, owner: str, nonce: str) -> str:
    """The token of a link: unguessable without the secret, and no name in it."""
    mac = hmac.new(secret.encode(), f"calendar\0{owner}\0{nonce}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:24]).decode()


def token_hash(token: str) -> str:
    """What the store keeps of a token (a token has 192 random bits: no key needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


async def token_for(
    session: AsyncSession, secret: str, owner: str, now: datetime, *, reset: bool = False
) -> str:
    """The owner's token, made on first use; ``reset`` replaces it (the old one stops working)."""
    if reset:
        nonce = secrets.token_urlsafe(16)
        token = derive(secret, owner, nonce)
        values = {"nonce": nonce, "token_hash": token_hash(token), "created_at": now}
        await session.execute(
            dialect_insert(session)(CalendarFeed)
            .values(owner=owner, **values)
            .on_conflict_do_update(index_elements=["owner"], set_=values)
        )
        return token
    nonce = secrets.token_urlsafe(16)
    # Two first requests at once agree: the second insert does nothing, both read one row.
    await session.execute(
        dialect_insert(session)(CalendarFeed)
        .values(
            owner=owner,
            nonce=nonce,
            token_hash=token_hash(derive(secret, owner, nonce)),
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["owner"])
    )
    row = (
        await session.execute(
            select(CalendarFeed.nonce, CalendarFeed.token_hash).where(CalendarFeed.owner == owner)
        )
    ).one()
    token = derive(secret, owner, row.nonce)
    if not hmac.compare_digest(token_hash(token), row.token_hash):
        # The key was rotated since: the link is made again under the new one.
        await session.execute(
            update(CalendarFeed)
            .where(CalendarFeed.owner == owner)
            .values(token_hash=token_hash(token))
        )
    return token


async def owner_of(session: AsyncSession, token: str) -> str | None:
    """Whose feed a token opens; None for a wrong or revoked one.

    Every token, well formed or not, costs one hash and one indexed lookup, so a wrong
    token and a revoked one take the same time, and nothing compares secrets byte by byte.
    """
    return await session.scalar(
        select(CalendarFeed.owner).where(CalendarFeed.token_hash == token_hash(token))
    )


@dataclass(frozen=True)
class Links:
    """The ways to subscribe to one feed."""

    https: str
    webcal: str
    apple: str
    google: str


def links(public_url: str, token: str) -> Links:
    """The feed's addresses under the public URL of the web process."""
    base = public_url.rstrip("/")
    https = f"{base}{PATH}{token}.ics"
    webcal = "webcal://" + https.split("://", 1)[1]
    return Links(
        https=https,
        webcal=webcal,
        # Telegram buttons open only http(s): this address redirects to the webcal one.
        apple=f"{base}{PATH}{token}/subscribe",
        google=GOOGLE_ADD + quote(webcal, safe=""),
    )
