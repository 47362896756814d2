"""Block Kit rendering for the staff console: modals, reports, alerts, lists."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.assistant.knowledge import Knowledge
from bot.assistant.records import Event
from bot.i18n import Translator, clean, offset_label
from bot.staff.audience import Audience, AudienceKind, cities
from bot.staff.campaigns import HelpAlert, Preview, Report, Summary
from bot.staff.home import GroupToday, Overview
from bot.staff.relay import Question
from bot.staff.roster import RosterRow
from bot.staff.schedule import Affected, title_of
from bot.store.models import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    EventStatus,
    Response,
)
from handlers.slack.forms import encode
from handlers.slack.ids import TRANSLATION, Action, Choice, Input, Part, View

Block = dict[str, Any]
# Slack's limits: 3000 characters in a text object, 50 blocks in a message, 100 options.
TEXT_LIMIT = 2900
MAX_BLOCKS = 50
MAX_OPTIONS = 100

# Participants are searched as staff type (Slack's external select) from this many characters.
MIN_QUERY = 0


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


def audience_blocks(t: Translator, k: Knowledge) -> list[Block]:
    """The audience inputs shared by broadcasts and check-ins."""
    kinds = [
        option(t.gettext("Everyone"), AudienceKind.EVERYONE),
        option(t.gettext("Groups"), AudienceKind.GROUPS),
        option(t.gettext("A city on a date"), AudienceKind.CITY),
        option(t.gettext("Chosen participants"), AudienceKind.PARTICIPANTS),
    ]
    groups = [option(g.name, key) for key, g in k.snapshot.groups.items()][:MAX_OPTIONS]
    places = [option(city, city) for city in cities(k)][:MAX_OPTIONS]
    blocks = [
        _input(
            Input.KIND,
            t.gettext("Audience"),
            {"type": "static_select", "options": kinds, "initial_option": kinds[0]},
            optional=False,
        ),
    ]
    if groups:
        blocks.append(
            _input(
                Input.GROUPS,
                t.gettext("Groups (for an audience of groups)"),
                {"type": "multi_static_select", "options": groups},
                optional=True,
            )
        )
    if places:
        blocks.append(
            _input(
                Input.CITY,
                t.gettext("City (for a city on a date)"),
                {"type": "static_select", "options": places},
                optional=True,
            )
        )
    blocks.append(
        _input(
            Input.DAY,
            t.gettext("Date (for a city on a date)"),
            {"type": "datepicker"},
            optional=True,
        )
    )
    # Options come as staff type: a static list stops at Slack's 100.
    blocks.append(
        _input(
            Input.PARTICIPANTS,
            t.gettext("Participants (for chosen participants)"),
            {
                "type": "multi_external_select",
                "min_query_length": MIN_QUERY,
                "placeholder": plain(t.gettext("Type a name")),
            },
            optional=True,
        )
    )
    return blocks


def participant_options(people: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """Participants (key, name) as options of the external select."""
    return [option(name, key) for key, name in people][:MAX_OPTIONS]


def broadcast_modal(
    t: Translator, k: Knowledge, languages: Iterable[str], reply_to: str | None
) -> dict[str, Any]:
    """The modal staff compose a broadcast in."""
    default = k.programme.default_language
    blocks = audience_blocks(t, k)
    blocks.append(
        _input(
            Input.TEXT,
            t.gettext("Message ({language})", language=t.language_label(default)),
            {"type": "plain_text_input", "multiline": True, "max_length": 3000},
            optional=False,
        )
    )
    for code in languages:
        if code == default:
            continue
        blocks.append(
            _input(
                f"{TRANSLATION}{code}",
                t.gettext("Translation: {language}", language=t.language_label(code)),
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
            Input.FLAGS,
            t.gettext("Options"),
            {
                "type": "checkboxes",
                "options": [
                    option(t.gettext("Urgent (sent even during quiet hours)"), Choice.URGENT),
                    option(t.gettext("Requires acknowledgement (“Got it” button)"), Choice.ACK),
                ],
            },
            optional=True,
        )
    )
    blocks.append(
        _input(
            Input.SEND_AT,
            t.gettext("Send at (leave empty to send now)"),
            {"type": "datetimepicker"},
            optional=True,
        )
    )
    return _modal(
        t,
        View.BROADCAST_COMPOSE,
        t.gettext("Broadcast"),
        blocks,
        t.gettext("Preview"),
        encode(r=reply_to),
    )


def checkin_modal(t: Translator, k: Knowledge, reply_to: str | None) -> dict[str, Any]:
    """The modal staff start a safety check-in from."""
    modes = [
        option(t.gettext("Drill (an exercise)"), Choice.DRILL),
        option(t.gettext("Real (an emergency)"), Choice.REAL),
    ]
    blocks = audience_blocks(t, k)
    blocks.append(
        _input(
            Input.MODE,
            t.gettext("Mode"),
            {"type": "radio_buttons", "options": modes, "initial_option": modes[0]},
            optional=False,
        )
    )
    blocks.append(
        _input(
            Input.TEXT,
            t.gettext("Message (optional)"),
            {"type": "plain_text_input", "multiline": True, "max_length": 2000},
            optional=True,
        )
    )
    return _modal(
        t,
        View.CHECKIN_COMPOSE,
        t.gettext("Safety check-in"),
        blocks,
        t.gettext("Send"),
        encode(r=reply_to),
    )


def loading_modal(t: Translator, title: str) -> dict[str, Any]:
    """A modal shown while the next step is prepared."""
    return notice_modal(t, title, t.gettext("Preparing the preview…"))


def notice_modal(t: Translator, title: str, text: str) -> dict[str, Any]:
    """A modal that only says something."""
    return _modal(t, View.NOTICE, title, [section(mrkdwn_escape(text))], None)


def blocks_modal(t: Translator, title: str, blocks: list[Block]) -> dict[str, Any]:
    """A modal that shows blocks built for a message (an agenda, the roster)."""
    return _modal(t, View.NOTICE, title, blocks, None)


def _audience_text(t: Translator, k: Knowledge, campaign: Campaign) -> str:
    audience = Audience.from_json(campaign.audience)
    if audience.kind == AudienceKind.GROUPS:
        groups = [k.snapshot.groups[g].name for g in audience.groups if g in k.snapshot.groups]
        return t.gettext("Groups: {groups}", groups=t.join(groups))
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
    """A calendar date for running text in the reader's language (no instant, so no zone)."""
    return t.date(datetime.combine(day, datetime.min.time(), UTC), "UTC")


def when(t: Translator, k: Knowledge, instant: datetime) -> str:
    zone = k.programme.timezone
    return f"{t.day(instant, zone)} {t.time(instant, zone)} ({zone})"


def preview_modal(
    t: Translator, k: Knowledge, campaign: Campaign, preview: Preview, reply_to: str | None
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
        t.gettext("Sends at {when}.", when=when(t, k, campaign.send_at))
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
                f"*{mrkdwn_escape(t.language_label(code))}* · "
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
        View.BROADCAST_CONFIRM,
        t.gettext("Confirm broadcast"),
        blocks[:MAX_BLOCKS],
        submit,
        encode(c=campaign.id, r=reply_to),
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
        head.append(t.gettext("Scheduled for {when}.", when=when(t, k, c.send_at)))
    blocks = [section("\n".join(head))]
    counts: list[tuple[str, int]] = []
    if c.kind == CampaignKind.CHECKIN:
        counts = [
            (t.gettext("Safe"), len(r.responses.get(Response.SAFE, []))),
            (t.gettext("Need help"), len(r.responses.get(Response.HELP, []))),
            (t.gettext("Away from the area"), len(r.responses.get(Response.AWAY, []))),
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
    buttons = report_buttons(t, r)
    blocks.extend(chunked_sections(lines)[: MAX_BLOCKS - len(blocks) - (1 if buttons else 0)])
    if buttons:
        blocks.append({"type": "actions", "block_id": Part.REPORT_ACTIONS, "elements": buttons})
    return mrkdwn_escape(report_summary(t, title, r)), blocks


def report_summary(t: Translator, title: str, r: Report) -> str:
    """A report's notification line: delivered out of those who can be reached at all."""
    linked = r.total - len(r.not_linked)
    if not r.not_linked:
        return t.gettext(
            "{title}: {delivered} of {total} delivered",
            title=title,
            delivered=len(r.delivered),
            total=r.total,
        )
    return t.ngettext(
        "{title}: {delivered} of {n} linked participant delivered, {unlinked} not linked",
        "{title}: {delivered} of {n} linked participants delivered, {unlinked} not linked",
        linked,
        title=title,
        delivered=len(r.delivered),
        unlinked=len(r.not_linked),
    )


def button(label: str, action: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    """A button of a message or view."""
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(label, 75),
        "action_id": action,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def report_buttons(t: Translator, r: Report) -> list[dict[str, Any]]:
    """What staff can do from a report: remind those who have not acknowledged, retry."""
    c = r.campaign
    value = str(c.id)
    buttons = []
    if c.requires_ack and c.status == CampaignStatus.QUEUED and r.unanswered:
        label = t.pgettext("button", "Remind those who have not acknowledged")
        buttons.append(button(label, Action.REMIND, value))
    if r.failed:
        buttons.append(button(t.pgettext("button", "Retry failed"), Action.RETRY, value))
    return buttons


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
    # The message's text notifies too, so the name in it is escaped like the blocks; a real
    # emergency reaches everyone active in the channel, a drill nobody in particular.
    text = mrkdwn_escape(title)
    if not alert.drill:
        text = f"<!here> {text}"
    blocks = [section("\n".join(lines[:1] + [mrkdwn_escape(line) for line in lines[1:]]))]
    value = f"{alert.campaign_id}:{alert.participant_key}"
    if alert.resolved_by:
        blocks.append(
            context(
                ":white_check_mark: " + t.gettext("Resolved by <@{user}>", user=alert.resolved_by)
            )
        )
        return text, blocks
    if alert.taken_by:
        blocks.append(context(":runner: " + t.gettext("<@{user}> is on it", user=alert.taken_by)))
    elements = [button(t.pgettext("button", "Resolved"), Action.ALERT_RESOLVE, value)]
    if not alert.taken_by:
        elements.insert(
            0, button(t.pgettext("button", "I'm on it"), Action.ALERT_TAKE, value, style="primary")
        )
    blocks.append({"type": "actions", "block_id": Part.ALERT_ACTIONS, "elements": elements})
    return text, blocks


def question_blocks(t: Translator, q: Question) -> tuple[str, list[Block]]:
    """A participant's question or follow-up as posted for staff."""
    quote = "\n".join(f"> {mrkdwn_escape(line)}" for line in q.text.split("\n"))
    if q.thread_ts is not None:
        return mrkdwn_escape(q.text[:200]), [section(quote)]
    who = t.gettext(
        "Question from {name} ({group}, {language}, in {city} today)",
        name=q.name,
        group=q.group or "—",
        language=t.language_label(q.language),
        city=q.city or "—",
    )
    blocks = [
        section(f":question: *{mrkdwn_escape(who)}*\n{quote}"),
        context(t.gettext("Reply in this thread: the participant gets your answer on Telegram.")),
        question_actions(t, q.thread_id),
    ]
    return mrkdwn_escape(who), blocks


def question_actions(t: Translator, thread_id: int) -> Block:
    """The buttons under a question: answered, or no reply needed."""
    value = str(thread_id)
    return {
        "type": "actions",
        "block_id": Part.QUESTION_ACTIONS,
        "elements": [
            button(t.pgettext("button", "Answered"), Action.QUESTION_ANSWERED, value),
            button(t.pgettext("button", "No reply needed"), Action.QUESTION_NO_REPLY, value),
        ],
    }


def question_closed(t: Translator, blocks: list[Block], closing: str, user: str) -> list[Block]:
    """A posted question's blocks once staff closed it: the buttons give way to who did."""
    kept = [
        b for b in blocks if b.get("block_id") not in (Part.QUESTION_ACTIONS, Part.QUESTION_CLOSED)
    ]
    said = (
        t.gettext("<@{user}> marked this answered", user=user)
        if closing == "answered"
        else t.gettext("<@{user}> marked this as needing no reply", user=user)
    )
    return [*kept, {**context(":white_check_mark: " + said), "block_id": Part.QUESTION_CLOSED}]


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
    # Local times are only comparable with their zone when the groups are apart that day.
    zoned = len({e.timezone for e in events}) > 1 or any(
        e.timezone != k.programme.timezone for e in events
    )
    for e in events:
        start, end = t.time(e.start, e.timezone), t.time(e.end, e.timezone)
        if zoned:
            end = f"{end} ({zone_label(e.start, e.timezone)})"
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


def zone_label(instant: datetime, zone: str) -> str:
    """A zone as staff read it beside a local time: its city and its offset from UTC."""
    offset = instant.astimezone(ZoneInfo(zone)).utcoffset() or timedelta()
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    return f"{city}, {offset_label(offset)}"


def event_label(t: Translator, k: Knowledge, e: Event) -> str:
    """An event as one line of a select."""
    return f"{t.day(e.start, e.timezone)} {t.time(e.start, e.timezone)} · {title_of(k, e)}"


def event_modal(
    t: Translator,
    k: Knowledge,
    choices: list[Event],
    chosen: Event | None,
    who: Affected | None,
    *,
    search: str = "",
    reply_to: str | None = None,
) -> dict[str, Any]:
    """The modal to find an event and change its time, place or status."""
    options = [option(event_label(t, k, e), e.key) for e in choices[:MAX_OPTIONS]]
    if chosen is not None and chosen.key not in {o["value"] for o in options}:
        options = [option(event_label(t, k, chosen), chosen.key), *options][:MAX_OPTIONS]
    title = t.gettext("Edit an event")
    if not options:
        return _modal(
            t, View.EVENT_EDIT, title, [section(t.gettext("No event matches that search."))], None
        )
    # A select in a section acts at once and needs no submit button, so the modal can open
    # with nothing chosen (Slack refuses a modal with an input and no submit button).
    picker: dict[str, Any] = {
        "type": "static_select",
        "action_id": Action.EVENT_PICK,
        "options": options,
        "placeholder": plain(t.gettext("Choose an event")),
    }
    if chosen is not None:
        picker["initial_option"] = next(o for o in options if o["value"] == chosen.key)
    blocks: list[Block] = [
        {
            "type": "section",
            "block_id": Action.EVENT_PICK,
            "text": {"type": "mrkdwn", "text": f"*{mrkdwn_escape(t.gettext('Event'))}*"},
            "accessory": picker,
        }
    ]
    if chosen is None:
        return _modal(t, View.EVENT_EDIT, title, blocks, None, encode(s=search[:500], r=reply_to))
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
            Input.DAY,
            t.gettext("Date"),
            {"type": "datepicker", "initial_date": start.date().isoformat()},
            optional=False,
        ),
        _input(
            Input.START,
            t.gettext("Starts"),
            {"type": "timepicker", "initial_time": start.strftime("%H:%M")},
            optional=False,
        ),
        _input(
            Input.END,
            t.gettext("Ends"),
            {"type": "timepicker", "initial_time": end.strftime("%H:%M")},
            optional=False,
        ),
    ]
    if places:
        blocks.append(_input(Input.PLACE, t.gettext("Place"), place, optional=True))
    blocks.append(
        _input(
            Input.STATUS,
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
    meta = encode(key=chosen.key, version=chosen.version, s=search[:500], r=reply_to)
    return _modal(t, View.EVENT_EDIT, title, blocks, t.gettext("Save"), meta)


def roster_blocks(
    t: Translator,
    rows: list[RosterRow],
    username: str | None,
    zone: str,
    *,
    everyone: list[RosterRow] | None = None,
    showing: str | None = None,
) -> list[Block]:
    """The roster with link status and deep links for those not linked.

    ``rows`` are those shown (filtered, sorted); ``everyone`` the whole roster for the counts.
    """
    total = rows if everyone is None else everyone
    linked = sum(r.linked for r in total)
    head = t.gettext(
        "Roster: {total} participants, {linked} linked, {unlinked} not linked, "
        "{unreachable} unreachable",
        total=len(total),
        linked=linked,
        unlinked=len(total) - linked,
        unreachable=sum(r.unreachable for r in total),
    )
    top = [section(f"*{mrkdwn_escape(head)}*")]
    if showing:
        top.append(context(mrkdwn_escape(t.gettext("Showing: {which}", which=showing))))
    lines = [_roster_line(t, r, username, zone) for r in rows]
    if not lines:
        lines.append(mrkdwn_escape(t.gettext("Nobody matches.")))
    top.append(
        context(
            mrkdwn_escape(
                t.gettext("Filter: /roster not linked, /roster unreachable, /roster <group>")
            )
        )
    )
    return [*top, *chunked_sections(lines)][:MAX_BLOCKS]


def _roster_line(t: Translator, r: RosterRow, username: str | None, zone: str) -> str:
    facts = [mrkdwn_escape(r.group or "—"), mrkdwn_escape(t.language_label(r.language))]
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
        if r.forgotten:
            facts.append(
                t.gettext(
                    "erased their data on request {when}",
                    when=f"{t.day(r.forgotten, zone)} {t.time(r.forgotten, zone)}",
                )
            )
        if r.code and username:
            link = f"https://t.me/{username}?start={r.code}"
            label = mrkdwn_escape(t.gettext("invite link"))
            facts.append(f"<{link}|{label}>")
        elif r.code:
            facts.append(t.gettext("code {code}", code=r.code))
    return f"{icon} *{mrkdwn_escape(r.name)}* — " + " · ".join(facts)


def home_view(
    t: Translator, k: Knowledge, o: Overview, now: datetime, feed: str | None = None
) -> dict[str, Any]:
    """The staff Home tab: today by group, what waits for staff, the last campaigns, and the
    staff's calendar feed."""
    waiting = t.ngettext(
        "{n} question waiting for an answer", "{n} questions waiting for an answer", o.questions
    )
    blocks: list[Block] = [
        {"type": "header", "text": plain(t.gettext("Programme today"))},
        *chunked_sections([_group_line(t, k, g, now) for g in o.groups]),
        {"type": "divider"},
        section(f"*{mrkdwn_escape(waiting)}*"),
    ]
    blocks += chunked_sections(
        [
            f"• *{mrkdwn_escape(q.name)}* ({t.day(q.asked_at, k.programme.timezone)} "
            f"{t.time(q.asked_at, k.programme.timezone)}): {mrkdwn_escape(q.text[:150])}"
            for q in o.waiting
        ]
    )
    title = t.ngettext("{n} help alert not resolved", "{n} help alerts not resolved", len(o.alerts))
    blocks.append(section(f"*{mrkdwn_escape(title)}*"))
    blocks += chunked_sections([_alert_line(t, a) for a in o.alerts[:20]])
    blocks.append({"type": "divider"})
    last = t.gettext("Last broadcasts and check-ins")
    blocks.append(section(f"*{mrkdwn_escape(last)}*"))
    lines = [_summary_line(t, k, s) for s in o.campaigns]
    blocks += chunked_sections(lines or [mrkdwn_escape(t.gettext("None in the last three days."))])
    blocks.append(
        context(
            mrkdwn_escape(
                t.gettext(
                    "{total} participants: {unlinked} not linked, {unreachable} unreachable.",
                    total=o.reach.total,
                    unlinked=o.reach.not_linked,
                    unreachable=o.reach.unreachable,
                )
            )
        )
    )
    if feed is not None:
        # The link goes in as Slack markup; the sentence around it is escaped.
        text = t.gettext("Staff calendar (every group), to subscribe to: {url}", url="\0")
        blocks.append(context(f"<{feed}>".join(mrkdwn_escape(p) for p in text.split("\0"))))
    blocks.append(
        {
            "type": "actions",
            "block_id": Part.HOME_ACTIONS,
            "elements": [
                button(
                    t.pgettext("button", "Broadcast"), Action.HOME_BROADCAST, "1", style="primary"
                ),
                button(t.pgettext("button", "Check-in"), Action.HOME_CHECKIN, "1"),
                button(t.pgettext("button", "Agenda"), Action.HOME_AGENDA, "1"),
                button(t.pgettext("button", "Roster"), Action.HOME_ROSTER, "1"),
            ],
        }
    )
    return {"type": "home", "blocks": blocks[:100]}


def _at(t: Translator, k: Knowledge, e: Event) -> str:
    place = k.places.get(e.place_key or "")
    span = f"{t.time(e.start, e.timezone)}–{t.time(e.end, e.timezone)}"
    where = f" · {mrkdwn_escape(place.name)}" if place else ""
    return f"{span} {mrkdwn_escape(title_of(k, e))}{where}"


def _group_line(t: Translator, k: Knowledge, g: GroupToday, now: datetime) -> str:
    name = g.name or t.gettext("Everyone")
    head = t.gettext(
        "{group}: {city}, {time} local ({zone})",
        group=name,
        city=g.city or "—",
        time=t.time(now, g.zone),
        zone=zone_label(now, g.zone),
    )
    lines = [f"*{mrkdwn_escape(head)}*"]
    lines.append(mrkdwn_escape(t.gettext("Now:")) + " " + (_at(t, k, g.now) if g.now else "—"))
    lines.append(mrkdwn_escape(t.gettext("Next:")) + " " + (_at(t, k, g.next) if g.next else "—"))
    return "\n".join(lines)


def _alert_line(t: Translator, a: HelpAlert) -> str:
    kind = t.gettext("drill") if a.drill else t.gettext("REAL")
    who = (
        t.gettext("<@{user}> is on it", user=a.taken_by)
        if a.taken_by
        else mrkdwn_escape(t.gettext("nobody has taken it yet"))
    )
    where = mrkdwn_escape(", ".join(x for x in (a.group, a.city) if x))
    return f"• :rotating_light: *{mrkdwn_escape(a.name)}* ({mrkdwn_escape(kind)}; {where}) — {who}"


def _summary_line(t: Translator, k: Knowledge, s: Summary) -> str:
    c = s.campaign
    if c.kind == CampaignKind.CHECKIN:
        title = t.gettext("Check-in (drill)") if c.drill else t.gettext("Check-in (REAL)")
        numbers = t.gettext(
            "{safe} safe, {help} need help, {away} not in the area, of {total}",
            safe=s.responses.get(Response.SAFE, 0),
            help=s.responses.get(Response.HELP, 0),
            away=s.responses.get(Response.AWAY, 0),
            total=s.total,
        )
    else:
        title = t.gettext("Broadcast")
        numbers = t.gettext(
            "{delivered} of {total} delivered", delivered=s.delivered, total=s.total
        )
        if c.requires_ack:
            numbers += ", " + t.gettext("{n} acknowledged", n=s.responses.get(Response.ACK, 0))
    when = (
        f"{t.day(c.created_at, k.programme.timezone)} {t.time(c.created_at, k.programme.timezone)}"
    )
    audience = mrkdwn_escape(_audience_text(t, k, c))
    return f"• *{mrkdwn_escape(title)}* · {when} · {audience}: {mrkdwn_escape(numbers)}"


def home_empty(t: Translator, text: str) -> dict[str, Any]:
    """The Home tab before a programme is imported."""
    return {"type": "home", "blocks": [section(mrkdwn_escape(text))]}
