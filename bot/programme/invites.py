"""Invite codes: only their keyed hashes are ever stored."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

_NOT_CODE = re.compile(r"[^0-9A-Z]")


def normalise_code(code: str) -> str:
    """Return the code without case, spaces or dashes, as people type it variously."""
    return _NOT_CODE.sub("", code.upper())


def hash_invite(code: str, secret: str) -> str:
    """Return the keyed SHA-256 of a normalised invite code, as hex."""
    return hmac.new(secret.encode(), normalise_code(code).encode(), hashlib.sha256).hexdigest()


def roster_code(key: str, secret: str) -> str:
    """Return the code of a participant's roster deep link: derived, so never stored."""
    digest = hmac.new(secret.encode(), f"roster:{key}".encode(), hashlib.sha256).digest()
    text = base64.b32encode(digest).decode()
    # Letters and digits that are hard to confuse, in two groups of four, like file codes.
    return f"{text[:4]}-{text[4:8]}"
