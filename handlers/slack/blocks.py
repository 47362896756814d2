"""Block Kit rendering for the staff console: modals, reports, alerts, lists."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.assistant.knowledge import Knowledge
from bot.i18n import Translator, clean
from bot.staff.audience import Audience, AudienceKind, cities
from bot.staff.campaigns import HelpAlert, Preview, Report
from bot.staff.relay import Question
from bot.staff.roster import RosterRow
from bot.staff.schedule import Affected, title_of
from bot.store.models import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    Event,
    EventStatus,
    Participant,
    Response,
)

Block = dict[str, Any]
# Slack's limits: 3000 characters in a text object, 50 blocks in a message, 100 options.
TEXT_LIMIT = 2900
MAX_BLOCKS = 50
MAX_OPTIONS = 100

BROADCAST_COMPOSE = "broadcast_compose"
BROADCAST_CONFIRM = "broadcast_confirm"
CHECKIN_COMPOSE = "checkin_compose"
EVENT_EDIT = "event_edit"
EVENT_PICK = "event_pick"
# Values of the broadcast options and the check-in modes.
URGENT, ACK = "urgent", "ack"
DRILL, REAL = "drill", "real"


def mrkdwn_escape(text: str) -> str:
    """Make text inert for Slack, in mrkdwn, plain_text and a message's text alike."""
    # Slack reads links, mentions and <!channel>-style commands between < and >; with its
    # three entities escaped, what a participant wrote shows as written and pings nobody;
    # without bidi controls it cannot reverse the text around it either.
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    """Escaped text cut to ``limit`` characters, without half an entity left at the end."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    # The longest entity, &amp;, is five characters: a cut one starts in the last four.
    start = cut.rfind("&", max(0, limit - 4))
    return cut[:start] if start != -1 and ";" not in cut[start:] else cut


def plain(text: str, limit: int = 150) -> dict[str, Any]:
    """A plain_text object (escaped: Slack decodes its entities too), cut to ``limit``."""
    return {"type": "plain_text", "text": _cut(mrkdwn_escape(text), limit) or " ", "emoji": True}


def section(text: str) -> Block:
    """A mrkdwn section block."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": _cut(text, TEXT_LIMIT) or " "}}


def context(text: str) -> Block:
    """A small-print context block."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(text, TEXT_LIMIT)}]}


def option(label: str, value: str) -> dict[str, Any]:
    """One option of a select."""
    return {"text": plain(label, 75), "value": value}


def names(people: Iterable[str], limit: int = 1500) -> str:
    """A comma-separated list of names, cut with a count of the rest."""
    people = list(people)
    shown: list[str] = []
    length = 0
    for name in people:
        length += len(name) + 2
        if length > limit:
            break
        shown.append(mrkdwn_escape(name))
    rest = len(people) - len(shown)
    return ", ".join(shown) + (f" (+{rest})" if rest else "")


def chunked_sections(lines: list[str]) -> list[Block]:
    """Lines packed into as few sections as Slack's text limit allows."""
    blocks: list[Block] = []
    current = ""
    for line in lines:
        if current and len(current) + len(line) + 1 > TEXT_LIMIT:
            blocks.append(section(current))
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        blocks.append(section(current))
    return blocks


def _modal(
    t: Translator,
    callback_id: str,
    title: str,
    blocks: list[Block],
    submit: str | None,
    meta: str = "",
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "blocks": blocks[:100],
        "private_metadata": meta,
    }
    if submit:
        view["submit"] = plain(submit, 24)
    view["close"] = plain(t.gettext("Cancel"), 24)
    return view


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": {**element, "action_id": block_id},
        "optional": optional,
    }


def audience_blocks(t: Translator, k: Knowledge, people: list[Participant]) -> list[Block]:
    """The audience inputs shared by broadcasts and check-ins."""
    kinds = [
        option(t.gettext("Everyone"), AudienceKind.EVERYONE),
        option(t.gettext("Groups"), AudienceKind.GROUPS),
        option(t.gettext("A city on a date"), AudienceKind.CITY),
        option(t.gettext("Chosen participants"), AudienceKind.PARTICIPANTS),
    ]
    groups = [option(g.name, key) for key, g in k.snapshot.groups.items()][:MAX_OPTIONS]
    places = [option(city, city) for city in cities(k)][:MAX_OPTIONS]
    roster = [option(p.name, p.key) for p in people][:MAX_OPTIONS]
    blocks = [
        _input(
            "kind",
            t.gettext("Audience"),
            {"type": "static_select", "options": kinds, "initial_option": kinds[0]},
            optional=False,
        ),
    ]
    if groups:
        blocks.append(
            _input(
                "groups",
                t.gettext("Groups (for an audience of groups)"),
                {"type": "multi_static_select", "options": groups},
                optional=True,
            )
        )
    if places:
        blocks.append(
            _input(
                "city",
                t.gettext("City (for a city on a date)"),
                {"type": "static_select", "options": places},
                optional=True,
            )
        )
    blocks.append(
        _input(
            "day",
            t.gettext("Date (for a city on a date)"),
            {"type": "datepicker"},
            optional=True,
        )
    )
    if roster:
        blocks.append(
            _input(
                "participants",
                t.gettext("Participants (for chosen participants)"),
                {"type": "multi_static_select", "options": roster},
                optional=True,
            )
        )
    return blocks


def broadcast_modal(
    t: Translator, k: Knowledge, people: list[Participant], languages: Iterable[str]
) -> dict[str, Any]:
    """The modal staff compose a broadcast in."""
    default = k.programme.default_language
    blocks = audience_blocks(t, k, people)
    blocks.append(
        _input(
            "text",
            t.gettext("Message ({language})", language=t.language_name(default)),
            {"type": "plain_text_input", "multiline": True, "max_length": 3000},
            optional=False,
        )
    )
    for code in languages:
        if code == default:
            continue
        blocks.append(
            _input(
                f"tr_{code}",
                t.gettext("Translation: {language}", language=t.language_name(code)),
                {"type": "plain_text_input", "multiline": True, "max_length": 3000},
                optional=True,
            )
        )
    blocks.append(
        context(
            t.gettext(
                "Without a translation, participants get the message as written, "
                "under a header in their language."
            )
        )
    )
    blocks.append(
        _input(
            "flags",
            t.gettext("Options"),
            {
                "type": "checkboxes",
                "options": [
                    option(t.gettext("Urgent (sent even during quiet hours)"), URGENT),
                    option(t.gettext("Requires acknowledgement (“Got it” button)"), ACK),
                ],
            },
            optional=True,
        )
    )
    blocks.append(
        _input(
            "send_at",
            t.gettext("Send at (leave empty to send now)"),
            {"type": "datetimepicker"},
            optional=True,
        )
    )
    return _modal(t, BROADCAST_COMPOSE, t.gettext("Broadcast"), blocks, t.gettext("Preview"))


def checkin_modal(t: Translator, k: Knowledge, people: list[Participant]) -> dict[str, Any]:
    """The modal staff start a safety check-in from."""
    modes = [
        option(t.gettext("Drill (an exercise)"), DRILL),
        option(t.gettext("Real (an emergency)"), REAL),
    ]
    blocks = audience_blocks(t, k, people)
    blocks.append(
        _input(
            "mode",
            t.gettext("Mode"),
            {"type": "radio_buttons", "options": modes, "initial_option": modes[0]},
            optional=False,
        )
    )
    blocks.append(
        _input(
            "text",
            t.gettext("Message (optional)"),
            {"type": "plain_text_input", "multiline": True, "max_length": 2000},
            optional=True,
        )
    )
    return _modal(t, CHECKIN_COMPOSE, t.gettext("Safety check-in"), blocks, t.gettext("Send"))


def loading_modal(t: Translator, title: str) -> dict[str, Any]:
    """A modal shown while the next step is prepared."""
    return notice_modal(t, title, t.gettext("Preparing the preview…"))


def notice_modal(t: Translator, title: str, text: str) -> dict[str, Any]:
    """A modal that only says something."""
    return _modal(t, "notice", title, [section(mrkdwn_escape(text))], None)


def _audience_text(t: Translator, k: Knowledge, campaign: Campaign) -> str:
    audience = Audience.from_json(campaign.audience)
    if audience.kind == AudienceKind.GROUPS:
        groups = [k.snapshot.groups[g].name for g in audience.groups if g in k.snapshot.groups]
        return t.gettext("Groups: {groups}", groups=", ".join(groups))
    if audience.kind == AudienceKind.CITY and audience.day is not None:
        return t.gettext(
            "In {city} on {day}",
            city=audience.city or "",
            day=_date(t, audience.day),
        )
    if audience.kind == AudienceKind.PARTICIPANTS:
        return t.ngettext(
            "{n} chosen participant", "{n} chosen participants", len(audience.participants)
        )
    return t.gettext("Everyone")


def _date(t: Translator, day: date) -> str:
    """A calendar date in the reader's language (no instant, so no timezone)."""
    return t.day(datetime.combine(day, datetime.min.time(), UTC), "UTC")


def _when(t: Translator, k: Knowledge, instant: datetime) -> str:
    zone = k.programme.timezone
    return f"{t.day(instant, zone)} {t.time(instant, zone)} ({zone})"


def preview_modal(
    t: Translator, k: Knowledge, campaign: Campaign, preview: Preview
) -> dict[str, Any]:
    """The per-language preview staff confirm."""
    audience = preview.audience
    lines = [
        f"*{mrkdwn_escape(_audience_text(t, k, campaign))}*",
        t.ngettext(
            "{n} participant in this audience:",
            "{n} participants in this audience:",
            len(audience.people),
        )
        + " "
        + t.gettext(
            "{reachable} on Telegram, {unlinked} not linked, {blocked} blocked.",
            reachable=len(audience.reachable),
            unlinked=len(audience.not_linked),
            blocked=len(audience.blocked),
        ),
        t.gettext("Sends at {when}.", when=_when(t, k, campaign.send_at))
        if campaign.send_at
        else t.gettext("Sends as soon as you confirm."),
    ]
    flags = []
    if campaign.urgent:
        flags.append(t.gettext("Urgent"))
    if campaign.requires_ack:
        flags.append(t.gettext("Requires acknowledgement"))
    if flags:
        lines.append(" · ".join(flags))
    blocks = [section("\n".join(lines))]
    if audience.not_linked:
        blocks.append(
            context(
                t.gettext("Not linked: {names}", names=names(p.name for p in audience.not_linked))
            )
        )
    for code, text in preview.texts.items():
        count = preview.languages.get(code, 0)
        how = (
            t.gettext("translated")
            if preview.translated.get(code)
            else t.gettext("not translated: the message as written, under a translated header")
        )
        blocks.append({"type": "divider"})
        blocks.append(
            section(
                f"*{mrkdwn_escape(t.language_name(code))}* · "
                + t.ngettext("{n} reader", "{n} readers", count)
                + f" · _{how}_\n"
                + "\n".join(f"> {mrkdwn_escape(line)}" for line in text.split("\n"))
            )
        )
    if not audience.people:
        blocks.append(section(t.gettext("Nobody is in this audience; nothing would be sent.")))
    submit = (
        None
        if not audience.people
        else t.gettext("Schedule")
        if campaign.send_at
        else t.gettext("Send now")
    )
    return _modal(
        t,
        BROADCAST_CONFIRM,
        t.gettext("Confirm broadcast"),
        blocks[:MAX_BLOCKS],
        submit,
        str(campaign.id),
    )


def report_blocks(t: Translator, k: Knowledge, r: Report) -> tuple[str, list[Block]]:
    """A campaign's live report: fallback text and blocks."""
    c = r.campaign
    if c.kind == CampaignKind.CHECKIN:
        title = (
            t.gettext("Safety check-in (DRILL)") if c.drill else t.gettext("SAFETY CHECK-IN (REAL)")
        )
    else:
        title = t.gettext("Broadcast")
    head = [
        f"*{mrkdwn_escape(title)}* · <@{c.created_by}> · {mrkdwn_escape(_audience_text(t, k, c))}"
    ]
    if c.text:
        head.append("\n".join(f"> {mrkdwn_escape(line)}" for line in c.text[:500].split("\n")))
    if c.status == CampaignStatus.SCHEDULED and c.send_at is not None:
        head.append(t.gettext("Scheduled for {when}.", when=_when(t, k, c.send_at)))
    blocks = [section("\n".join(head))]
    counts: list[tuple[str, int]] = []
    if c.kind == CampaignKind.CHECKIN:
        counts = [
            (t.gettext("Safe"), len(r.responses.get(Response.SAFE, []))),
            (t.gettext("Need help"), len(r.responses.get(Response.HELP, []))),
            (t.gettext("Not in the area"), len(r.responses.get(Response.AWAY, []))),
            (t.gettext("No answer yet"), len(r.unanswered)),
        ]
    counts += [
        (t.gettext("Delivered"), len(r.delivered)),
        (t.gettext("Pending"), len(r.pending)),
        (t.gettext("Failed"), len(r.failed)),
        (t.gettext("Blocked"), len(r.blocked)),
        (t.gettext("Not linked"), len(r.not_linked)),
    ]
    if c.requires_ack:
        counts.append((t.gettext("Acknowledged"), len(r.responses.get(Response.ACK, []))))
    fields = [{"type": "mrkdwn", "text": f"*{mrkdwn_escape(label)}*\n{n}"} for label, n in counts]
    blocks.append({"type": "section", "fields": fields[:10]})
    details: list[tuple[str, list[str]]] = []
    if c.kind == CampaignKind.CHECKIN:
        details.append((t.gettext("Need help"), r.responses.get(Response.HELP, [])))
        details.append((t.gettext("No answer yet"), r.unanswered))
    details += [
        (t.gettext("Pending"), r.pending),
        (t.gettext("Failed"), r.failed),
        (t.gettext("Blocked"), r.blocked),
        (t.gettext("Not linked"), r.not_linked),
    ]
    if c.requires_ack:
        details.append((t.gettext("Not acknowledged yet"), r.unanswered))
    lines = [f"*{mrkdwn_escape(label)}:* {names(people)}" for label, people in details if people]
    blocks.extend(chunked_sections(lines))
    summary = t.gettext(
        "{title}: {delivered} of {total} delivered",
        title=title,
        delivered=len(r.delivered),
        total=r.total,
    )
    return mrkdwn_escape(summary), blocks[:MAX_BLOCKS]


def digest(blocks: list[Block]) -> str:
    """A short fingerprint of what a message shows."""
    return hashlib.sha256(json.dumps(blocks, sort_keys=True).encode()).hexdigest()


def alert_blocks(t: Translator, alert: HelpAlert) -> tuple[str, list[Block]]:
    """The alert posted when someone answers "I need help"."""
    title = (
        t.gettext("DRILL: {name} answered “I need help”", name=alert.name)
        if alert.drill
        else t.gettext("{name} NEEDS HELP", name=alert.name)
    )
    lines = [
        f":rotating_light: *{mrkdwn_escape(title)}*",
        t.gettext("Phone: {phone}", phone=alert.phone or t.gettext("unknown")),
        t.gettext("In: {city}", city=alert.city or t.gettext("unknown")),
    ]
    if alert.group:
        lines.append(t.gettext("Group: {group}", group=alert.group))
    # The message's text notifies too, so the name in it is escaped like the blocks.
    text = mrkdwn_escape(title)
    return text, [section("\n".join(lines[:1] + [mrkdwn_escape(line) for line in lines[1:]]))]


def question_blocks(t: Translator, q: Question) -> tuple[str, list[Block]]:
    """A participant's question or follow-up as posted for staff."""
    quote = "\n".join(f"> {mrkdwn_escape(line)}" for line in q.text.split("\n"))
    if q.thread_ts is not None:
        return mrkdwn_escape(q.text[:200]), [section(quote)]
    who = t.gettext(
        "Question from {name} ({group}, {language}, in {city} today)",
        name=q.name,
        group=q.group or "—",
        language=t.language_name(q.language),
        city=q.city or "—",
    )
    blocks = [
        section(f":question: *{mrkdwn_escape(who)}*\n{quote}"),
        context(t.gettext("Reply in this thread: the participant gets your answer on Telegram.")),
    ]
    return mrkdwn_escape(who), blocks


def agenda_blocks(
    t: Translator, k: Knowledge, day: date, group: str | None, events: list[Event]
) -> list[Block]:
    """A day of the programme as staff see it."""
    when = _date(t, day)
    title = (
        t.gettext("Agenda for {day}, group {group}", day=when, group=k.snapshot.groups[group].name)
        if group
        else t.gettext("Agenda for {day}, all groups", day=when)
    )
    lines = []
    for e in events:
        start, end = t.time(e.start, e.timezone), t.time(e.end, e.timezone)
        place = k.places.get(e.place_key or "")
        audience = (
            ", ".join(k.snapshot.groups[g].name for g in e.groups if g in k.snapshot.groups)
            if e.groups
            else t.gettext("everyone")
        )
        title_text = mrkdwn_escape(title_of(k, e))
        if e.status == EventStatus.CANCELLED:
            cancelled = t.gettext("(cancelled)")
            title_text = f"~{title_text}~ {cancelled}"
        line = f"*{start}–{end}* {title_text}"
        details = [mrkdwn_escape(place.name) if place else None, mrkdwn_escape(audience)]
        line += "\n      " + " · ".join(d for d in details if d)
        lines.append(line)
    if not lines:
        lines.append(t.gettext("Nothing on the programme that day."))
    return [section(f"*{mrkdwn_escape(title)}*"), *chunked_sections(lines)][:MAX_BLOCKS]


def event_label(t: Translator, k: Knowledge, e: Event) -> str:
    """An event as one line of a select."""
    return f"{t.day(e.start, e.timezone)} {t.time(e.start, e.timezone)} · {title_of(k, e)}"


def event_modal(
    t: Translator,
    k: Knowledge,
    choices: list[Event],
    chosen: Event | None,
    who: Affected | None,
) -> dict[str, Any]:
    """The modal to find an event and change its time, place or status."""
    options = [option(event_label(t, k, e), e.key) for e in choices[:MAX_OPTIONS]]
    if chosen is not None and chosen.key not in {o["value"] for o in options}:
        options.insert(0, option(event_label(t, k, chosen), chosen.key))
    if not options:
        blocks = [section(t.gettext("No event matches that search."))]
        return _modal(t, EVENT_EDIT, t.gettext("Edit an event"), blocks, None)
    picker: dict[str, Any] = {"type": "static_select", "options": options[:MAX_OPTIONS]}
    if chosen is not None:
        picker["initial_option"] = next(o for o in options if o["value"] == chosen.key)
    blocks: list[Block] = [
        {
            "type": "input",
            "block_id": EVENT_PICK,
            "dispatch_action": True,
            "label": plain(t.gettext("Event")),
            "element": {**picker, "action_id": EVENT_PICK},
        }
    ]
    if chosen is None:
        return _modal(t, EVENT_EDIT, t.gettext("Edit an event"), blocks, None)
    zone = ZoneInfo(chosen.timezone)
    start, end = chosen.start.astimezone(zone), chosen.end.astimezone(zone)
    places = [option(p.name, key) for key, p in k.places.items()][:MAX_OPTIONS]
    place: dict[str, Any] = {"type": "static_select", "options": places}
    current = next((o for o in places if o["value"] == chosen.place_key), None)
    if current:
        place["initial_option"] = current
    statuses = [
        option(t.gettext("On the programme"), EventStatus.SCHEDULED),
        option(t.gettext("Cancelled"), EventStatus.CANCELLED),
    ]
    blocks += [
        context(t.gettext("Times are local to the event ({zone}).", zone=chosen.timezone)),
        _input(
            "day",
            t.gettext("Date"),
            {"type": "datepicker", "initial_date": start.date().isoformat()},
            optional=False,
        ),
        _input(
            "start",
            t.gettext("Starts"),
            {"type": "timepicker", "initial_time": start.strftime("%H:%M")},
            optional=False,
        ),
        _input(
            "end",
            t.gettext("Ends"),
            {"type": "timepicker", "initial_time": end.strftime("%H:%M")},
            optional=False,
        ),
    ]
    if places:
        blocks.append(_input("place", t.gettext("Place"), place, optional=True))
    blocks.append(
        _input(
            "status",
            t.gettext("Status"),
            {
                "type": "radio_buttons",
                "options": statuses,
                "initial_option": statuses[1 if chosen.status == EventStatus.CANCELLED else 0],
            },
            optional=False,
        )
    )
    if who is not None:
        lines = [
            t.ngettext(
                "Saving notifies {n} participant: {names}",
                "Saving notifies {n} participants: {names}",
                len(who.reachable),
                names=names(who.reachable),
            )
            if who.reachable
            else t.gettext("Nobody linked will be notified.")
        ]
        if who.not_linked:
            lines.append(
                t.gettext("Not linked (cannot be told): {names}", names=names(who.not_linked))
            )
        lines.append(
            t.gettext("They are told within two minutes.")
            if who.soon
            else t.gettext("More than 48 hours away: the change is marked in that day's agenda.")
        )
        blocks.append(section("\n".join(lines)))
    meta = json.dumps({"key": chosen.key, "version": chosen.version})
    return _modal(t, EVENT_EDIT, t.gettext("Edit an event"), blocks, t.gettext("Save"), meta)


def roster_blocks(
    t: Translator, rows: list[RosterRow], username: str | None, zone: str
) -> list[Block]:
    """The roster with link status and deep links for those not linked."""
    linked = sum(r.linked for r in rows)
    head = t.gettext(
        "Roster: {total} participants, {linked} linked, {unlinked} not linked, "
        "{unreachable} unreachable",
        total=len(rows),
        linked=linked,
        unlinked=len(rows) - linked,
        unreachable=sum(r.unreachable for r in rows),
    )
    lines = []
    for r in rows:
        facts = [mrkdwn_escape(r.group or "—"), r.language]
        if r.linked:
            icon = ":warning:" if r.unreachable else ":white_check_mark:"
            facts.append(
                t.gettext(
                    "last seen {when}",
                    when=f"{t.day(r.last_seen, zone)} {t.time(r.last_seen, zone)}",
                )
                if r.last_seen
                else t.gettext("never wrote")
            )
            if r.unreachable:
                facts.append(t.gettext("unreachable (blocked the bot)"))
        else:
            icon = ":white_circle:"
            facts.append(t.gettext("not linked"))
            if r.code and username:
                link = f"https://t.me/{username}?start={r.code}"
                label = mrkdwn_escape(t.gettext("invite link"))
                facts.append(f"<{link}|{label}>")
            elif r.code:
                facts.append(t.gettext("code {code}", code=r.code))
        lines.append(f"{icon} *{mrkdwn_escape(r.name)}* — " + " · ".join(facts))
    return [section(f"*{mrkdwn_escape(head)}*"), *chunked_sections(lines)][:MAX_BLOCKS]
