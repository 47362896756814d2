"""`python -m bot broadcast`: a staff broadcast from the terminal, as the Slack console makes it."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.staff import campaigns as cmp
from bot.staff.audience import Audience, AudienceKind, unknown_keys
from bot.store.models import Campaign, CampaignKind
from bot.yamlio import load_yaml

if TYPE_CHECKING:
    from bot.assistant.knowledge import Knowledge
    from bot.services import Services


class BroadcastError(ValueError):
    """Input a broadcast cannot be made of; nothing is stored."""


def _keys(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k.strip() for k in text.split(",") if k.strip()))


def audience(args: argparse.Namespace) -> Audience:
    """The audience the options name."""
    if args.groups is not None:
        return Audience(AudienceKind.GROUPS, groups=_keys(args.groups))
    if args.participants is not None:
        return Audience(AudienceKind.PARTICIPANTS, participants=_keys(args.participants))
    return Audience(AudienceKind.EVERYONE)


def texts(args: argparse.Namespace, default: str, languages: tuple[str, ...]) -> dict[str, str]:
    """The message per language code, the programme's default language first."""
    if args.text is not None:
        found: object = args.text
    else:
        raw = Path(args.file).read_text(encoding="utf-8")
        found = load_yaml(raw) if args.file.endswith((".yaml", ".yml")) else raw
    if isinstance(found, str):
        found = {default: found}
    if not isinstance(found, dict):
        raise BroadcastError("the file must map language codes to texts")
    result = {str(code): str(text).strip() for code, text in found.items() if text}
    unknown = sorted(set(result) - set(languages))
    if unknown:
        raise BroadcastError(f"unknown language(s): {', '.join(unknown)}")
    if not result.get(default):
        raise BroadcastError(f"no text in the default language ({default})")
    return {default: result.pop(default), **result}


async def run(app: Services, args: argparse.Namespace) -> int:
    """Check, preview, and (unless --dry-run) confirm one broadcast; print what it does."""
    if args.at is not None and args.at.tzinfo is None:
        print("--at needs a UTC offset, e.g. 2024-05-06T08:00-04:00", file=sys.stderr)
        return 2
    now = app.clock.now()
    async with app.sessions() as session:
        k = await app.assistant.knowledge(session)
        if k is None:
            print("No programme is imported yet: run `python -m bot import FILE` first.")
            return 1
        try:
            draft = _draft(k, app.i18n.languages, args)
            unknown = await unknown_keys(session, k, draft.audience)
            if unknown:
                raise BroadcastError(f"unknown {draft.audience.kind}: {', '.join(unknown)}")
        except (BroadcastError, OSError) as exc:
            print(f"Broadcast refused: {exc}. Nothing was sent.", file=sys.stderr)
            return 2
        campaign = await cmp.save_draft(session, draft, "cli", now)
        preview = await cmp.preview(session, k, app.i18n, campaign)
        _print_preview(preview)
        if args.dry_run:
            await session.rollback()  # the draft is not kept
            print("Dry run: nothing was sent.")
            return 0
        confirmed = await cmp.confirm(session, k, app.i18n, campaign.id, now)
        await session.commit()
    assert confirmed is not None
    _print_confirmed(confirmed, len(preview.audience.reachable), now)
    return 0


def _draft(k: Knowledge, languages: tuple[str, ...], args: argparse.Namespace) -> cmp.Draft:
    """The broadcast the options describe (its keys still to check against the store)."""
    default = k.programme.default_language
    by_language = texts(args, default, languages)
    who = audience(args)
    missing = who.missing()
    if missing is not None:
        raise BroadcastError(f"no {missing} given")
    return cmp.Draft(
        CampaignKind.BROADCAST,
        who,
        by_language.pop(default),
        translations=by_language,
        urgent=args.urgent,
        requires_ack=args.ack,
        send_at=args.at,
    )


def _print_preview(preview: cmp.Preview) -> None:
    resolved = preview.audience
    print(f"Audience: {len(resolved.people)} participant(s), {len(resolved.reachable)} reachable.")
    for code, count in sorted(preview.languages.items(), key=lambda kv: (-kv[1], kv[0])):
        note = "" if preview.translated.get(code, True) else " (no translation: default text)"
        print(f"  {code}: {count}{note}")
    for label, people in (
        ("not linked", resolved.not_linked),
        ("blocked the bot", resolved.blocked),
    ):
        if people:
            names = ", ".join(f"{p.key} {p.name}" for p in people)
            print(f"Not reachable, {label} ({len(people)}): {names}")


def _print_confirmed(campaign: Campaign, reachable: int, now: datetime) -> None:
    if campaign.send_at is not None and campaign.send_at > now:
        print(
            f"Broadcast #{campaign.id} scheduled for {campaign.send_at.isoformat()} "
            f"({reachable} reachable now)."
        )
    else:
        print(f"Broadcast #{campaign.id} queued: {reachable} message(s) in the outbox.")
