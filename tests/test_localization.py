"""What participants read in every language: whole sentences, dates, zones, bidi, typography."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel import Locale
from babel.messages.pofile import read_po
from bidi import get_display

from bot.delivery.compose import (
    EventChange,
    Recipient,
    agenda_messages,
    notice_messages,
    reminder_messages,
)
from bot.i18n import I18n, Translator
from bot.services import Services, import_file
from bot.store.models import ChangeKind
from bot.yamlio import load_yaml
from tests.conftest import FIXTURE, ROOT

LANGUAGES = ["en", "es", "fr", "ar", "ru", "pt"]
READERS = {"en": "P11", "es": "P01", "fr": "P03", "ar": "P05", "ru": "P07", "pt": "P09"}
# Days of the generated programme and how many events each has.
DAYS = {date(2024, 4, 29): 1, date(2024, 4, 30): 2, date(2024, 5, 1): 3, date(2024, 5, 2): 11}
EMPTY_DAY = date(2024, 5, 3)
DRESS = ["business", "smart casual", "Cultural dress welcome", None]
PLACES = ["state-hst", "doj", "meridian", "hotel-dc"]
QUESTIONS = [
    "/today",
    "/tomorrow",
    "/next",
    "/now",
    "/week",
    "/hotel",
    "/help",
    "What do we have in the afternoon?",
    "Dress code today?",
]
_ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f\u061c"), None)
_RANGE = re.compile(r"\d{1,2}:\d{2}\W{0,2}–\W{0,2}\d{1,2}:\d{2}")


def _programme(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """The test programme with its events replaced by days of 1, 2, 3 and 11 events."""
    data = load_yaml(FIXTURE.read_text(encoding="utf-8"))
    titles = [e["title"] for e in data["events"]]
    events = []
    for day, count in DAYS.items():
        for i in range(count):
            start = datetime.combine(day, datetime.min.time()) + timedelta(hours=8 + i)
            event: dict[str, Any] = {
                "key": f"e-{day.isoformat()}-{i}",
                "title": titles[(len(events) * 7) % len(titles)],
                "start": start.strftime("%Y-%m-%d %H:%M"),
                "end": (start + timedelta(minutes=50)).strftime("%Y-%m-%d %H:%M"),
                "place": PLACES[i % len(PLACES)],
                "kind": "travel" if i == 3 else "meeting",
            }
            if DRESS[i % len(DRESS)]:
                event["dress"] = DRESS[i % len(DRESS)]
            if i == 10:
                # A call with Chicago: its times are Chicago's, the reader is in Washington.
                event["place"] = "hotel-chicago"
            events.append(event)
    data["events"] = events
    path = tmp_path / "localization.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path, data


def _strings(value: Any) -> set[str]:
    """Every text of the programme file (titles, names, notes, answers): not ours to check."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return set()


@dataclass
class Rendered:
    """Everything a reader of one language was sent, and the programme's own texts."""

    texts: dict[str, list[str]] = field(default_factory=dict)
    data: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)


def _recipient(key: str, language: str, group: str) -> Recipient:
    return Recipient(key, 1000 + int(key[1:]), group, language, True, None, 180)


def _side(k: Any, event: Any, **changes: Any) -> dict[str, Any]:
    side = {
        "title": event.title,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
        "timezone": event.timezone,
        "place": event.place_key,
        "status": event.status,
        "groups": list(event.groups or []),
    }
    side.update(changes)
    return side


async def _render(app: Services) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {code: [] for code in LANGUAGES}
    async with app.sessions.begin() as session:
        k = await app.assistant.knowledge(session)
        answerer = await app.assistant.answerer(session)
        assert k is not None and answerer is not None
        for code, key in READERS.items():
            person = await app.assistant.participant(session, key)
            for day in [*DAYS, EMPTY_DAY]:
                for hour in (7, 12):
                    now = datetime.fromisoformat(f"{day.isoformat()}T{hour:02d}:10-04:00")
                    for question in QUESTIONS:
                        reply = await app.assistant.ask(session, person, question, now)
                        texts[code].extend(reply.text)
    readers = [_recipient(key, code, "B") for code, key in READERS.items()]
    for day in DAYS:
        now = datetime.fromisoformat(f"{day.isoformat()}T07:30-04:00")
        for message in agenda_messages(k, answerer, app.i18n, readers, now, set(), set()):
            texts[message.language].append(message.text)
    events = sorted(k.events.values(), key=lambda e: e.start)
    moved, dropped, added = events[3], events[4], events[5]
    (call,) = [e for e in events if e.place_key == "hotel-chicago"]
    other_place = "doj" if moved.place_key != "doj" else "meridian"
    changes = [
        EventChange(
            moved.key,
            2,
            ChangeKind.CHANGED,
            ("time", "place", "title"),
            _side(k, moved),
            _side(
                k,
                moved,
                start=(moved.start + timedelta(hours=1)).isoformat(),
                end=(moved.end + timedelta(hours=1)).isoformat(),
                place=other_place,
                title={"en": "Renamed meeting"},
            ),
        ),
        EventChange(
            dropped.key,
            2,
            ChangeKind.CHANGED,
            ("status",),
            _side(k, dropped),
            _side(k, dropped, status="cancelled"),
        ),
        EventChange(added.key, 1, ChangeKind.ADDED, ("title",), None, _side(k, added)),
        EventChange(call.key, 1, ChangeKind.ADDED, ("title",), None, _side(k, call)),
        EventChange(dropped.key, 3, ChangeKind.REMOVED, (), _side(k, dropped), None),
    ]
    for change in changes:
        for message in notice_messages(k, app.i18n, change, readers, events[0].start):
            texts[message.language].append(message.text)
    for event in events:
        now = event.start - timedelta(minutes=30)
        for message in reminder_messages(k, app.i18n, readers, now):
            texts[message.language].append(message.text)
    return texts


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    """Rendering needs one store; SQLite is enough."""
    store = tmp_path / "store.sqlite3"
    store.write_bytes(sqlite_template.read_bytes())
    return f"sqlite+aiosqlite:///{store}"


@pytest.fixture
async def rendered(app: Services, tmp_path: Path) -> AsyncIterator[Rendered]:
    """Replies, agendas, notices and reminders of the generated programme, per language."""
    path, data = _programme(tmp_path)
    await import_file(app, path)
    titles = _strings([e["title"] for e in data["events"]]) | _strings(data["programme"]["title"])
    titles |= {"Renamed meeting"}
    yield Rendered(await _render(app), _strings(data) | titles, titles)


def _plain(text: str) -> str:
    return text.translate(_ISOLATES)


def _ours(text: str, data: set[str]) -> str:
    """The text with the programme's own texts and addresses blanked: what the catalogs say."""
    text = _plain(text)
    for value in sorted(data, key=len, reverse=True):
        if len(value) > 3:
            text = text.replace(value, "▢")
    return re.sub(r"https?://\S+", "▢", text)


async def test_every_kind_of_message_was_rendered(rendered: Rendered) -> None:
    """The checks below look at agendas, notices and reminders in every language."""
    for code in LANGUAGES:
        assert len(rendered.texts[code]) > 150, code
    english = "\n".join(rendered.texts["en"])
    for expected in ("Good morning!", "Reminder:", "Change to your programme", "CANCELLED"):
        assert expected in english
    # The call with Chicago, announced: its time is labelled once, by city.
    announced = [t for t in rendered.texts["en"] if t.startswith("New activity") and "Chicago" in t]
    assert announced
    assert "Thursday, May 2, 18:00–18:50 (Chicago time; 19:00–19:50 where you are)" in announced[0]


async def test_titles_are_quoted_in_sentences(rendered: Rendered) -> None:
    """A title inside a sentence is between quotation marks; a bare one starts its line."""
    opening = ("«", "“", "«\u202f", "« ")
    for code in LANGUAGES:
        for text in rendered.texts[code]:
            for line in _plain(text).split("\n"):
                line = line.strip()
                for title in rendered.titles:
                    at = line.find(title)
                    if at <= 0:
                        continue
                    before = line[:at].strip()
                    if _RANGE.match(line) or not before or before.endswith(opening):
                        continue  # an agenda line: "09:00–10:00 Title", or a quoted title
                    if before.endswith(":") and not _words(before, 3):
                        continue  # a labelled compact line: "ملغى: Title"
                    pytest.fail(f"{code}: bare title in a sentence: {line!r}")


def _words(text: str, more_than: int) -> bool:
    return len(re.findall(r"\w+", text)) > more_than


async def test_no_abbreviated_weekday_in_running_text(rendered: Rendered) -> None:
    """Weekdays and months are written in full ("miércoles", not "mié")."""
    for code in LANGUAGES:
        locale = Locale.parse(code)
        short = set()
        short |= set(locale.days["format"]["abbreviated"].values())
        short |= set(locale.days["stand-alone"]["abbreviated"].values())
        wide = set(locale.days["format"]["wide"].values()) | set(
            locale.days["stand-alone"]["wide"].values()
        )
        short -= wide
        if not short:
            continue  # Arabic has no abbreviated weekdays
        pattern = re.compile(
            r"(?<!\w)(" + "|".join(re.escape(s) for s in sorted(short, key=len)) + r")(?!\w)"
        )
        for text in rendered.texts[code]:
            found = pattern.search(_ours(text, rendered.data))
            assert found is None, (code, found.group(), text)


async def test_one_zone_label_after_each_range(rendered: Rendered) -> None:
    """A range in another city's time is labelled once, after it, by city, never by offset."""
    labelled = 0
    for code in LANGUAGES:
        for text in rendered.texts[code]:
            for line in _plain(text).split("\n"):
                assert not re.search(r"\b(GMT|UTC|[ECMP][DS]T)\b", line), (code, line)
                ranges = list(_RANGE.finditer(line))
                if "Chicago" in line and ranges:
                    labelled += 1
                    assert line.count("Chicago") == 1, (code, line)
                    assert line.index("Chicago") > ranges[0].end(), (code, line)
    assert labelled >= len(LANGUAGES)


async def test_no_double_brackets(rendered: Rendered) -> None:
    """One parenthesis at a time: never "(afternoon) (1 item)" or nested ones."""
    for code in LANGUAGES:
        for text in rendered.texts[code]:
            ours = _ours(text, rendered.data)
            assert not re.search(r"\)\s*\(", ours), (code, text)
            assert not re.search(r"\([^)]*\(", ours), (code, text)


async def test_french_punctuation_spacing(rendered: Rendered) -> None:
    """French: a narrow no-break space before : ; ? ! and inside « », one apostrophe."""
    for text in rendered.texts["fr"]:
        ours = _ours(text, rendered.data)
        ours = re.sub(r"\d{1,2}:\d{2}", "0", ours)
        assert not re.search(r"[^\u202f\u00a0]([:;?!])", ours.replace("▢:", "▢\u202f:")), ours
        assert not re.search(r"«[^\u202f\u00a0]|[^\u202f\u00a0]»", ours), ours
        assert "'" not in ours, ours


def _dress_codes_raw(text: str) -> bool:
    # The programme's own words may follow a translation, in brackets.
    text = re.sub(r"\([^()]*\)", "", text)
    return bool(re.search(r"(?<![\w-])(business|smart casual)(?![\w-])", text))


async def test_dress_codes_are_translated(rendered: Rendered) -> None:
    """Known dress codes are in the reader's language (the programme's words may follow, in
    brackets); unknown ones come as written."""
    for code in ("es", "fr", "ar", "ru", "pt"):
        joined = "\n".join(_plain(t) for t in rendered.texts[code])
        lines = [line for line in joined.split("\n") if "Dress" not in line]
        assert not any(_dress_codes_raw(line) for line in lines if "ttire" not in line), code
        assert "Cultural dress welcome" in joined, code


def _rtl_display(line: str) -> str:
    return get_display(line, base_dir="R")


_ISOLATED = re.compile("[\u2066-\u2068][^\u2066-\u2069]*\u2069")


def _outside_isolates(line: str) -> str:
    while _ISOLATED.search(line):
        line = _ISOLATED.sub("", line)
    return line


async def test_arabic_lines_display_right_to_left(rendered: Rendered) -> None:
    """Under the Unicode bidi algorithm every Arabic line, and every line of isolated names
    and numbers in an Arabic message, is laid out right to left; a line of the programme's
    own Latin text (an English-only note) keeps its left-to-right direction."""
    checked = 0
    for text in rendered.texts["ar"]:
        for line in text.split("\n"):
            if not line.strip():
                continue
            checked += _reads_in_its_direction(line)
    assert checked > 500


def _reads_in_its_direction(line: str) -> bool:
    """Assert a line's direction; return whether it is one that reads right to left."""
    own = _outside_isolates(line)
    if re.search("[A-Za-z]", own) and not re.search("[\u0600-\u06ff]", own):
        assert get_display(line) == get_display(line, base_dir="L"), line
        return False
    # The paragraph direction found from the line itself is right to left.
    assert get_display(line) == _rtl_display(line), line
    return True


def _visual_positions(line: str, pieces: list[str]) -> list[int]:
    """Where each piece (in reading order) lands in the displayed line, left to right."""
    shown = _plain(_rtl_display(line))
    positions = []
    for piece in pieces:
        # Right-to-left words display reversed; left-to-right runs keep their order.
        rtl = any(ch for ch in piece if "\u0600" <= ch <= "\u06ff")
        target = piece[::-1] if rtl else piece
        assert target in shown, (piece, shown)
        positions.append(shown.index(target))
    return positions


async def test_arabic_change_notice_reads_old_then_new(rendered: Rendered) -> None:
    """ "المكان: old ← new" displays with the label rightmost, then old, then new leftwards."""
    lines = [
        line
        for text in rendered.texts["ar"]
        for line in text.split("\n")
        if line.startswith("المكان:") and "←" in line
    ]
    assert lines
    for line in lines:
        label, rest = _plain(line).split(": ", 1)
        old, new = rest.split(" ← ")
        right, middle, left = _visual_positions(line, [label, old, new])
        assert right > middle > left, _rtl_display(line)
    notes = [
        line
        for text in rendered.texts["ar"]
        for line in text.split("\n")
        if line.startswith("ملاحظة:")
    ]
    assert notes
    for line in notes:
        label, note = _plain(line).split(": ", 1)
        first_word = note.split()[0]
        right, left = _visual_positions(line, [label, first_word])
        assert right > left, _rtl_display(line)


@pytest.mark.parametrize("code", LANGUAGES)
def test_plural_forms_read_right(code: str) -> None:
    """Counts 0, 1, 2, 3, 5, 11, 21, 100 take the language's form; Arabic says 1 and 2 in words."""
    t: Translator = I18n().translator(code)
    expected: dict[str, dict[int, str]] = {
        "en": {1: "1 item", 2: "2 items", 21: "21 items"},
        "es": {1: "1 actividad", 2: "2 actividades", 100: "100 actividades"},
        "fr": {0: "0 activité", 1: "1 activité", 2: "2 activités", 100: "100 activités"},
        "pt": {1: "1 atividade", 2: "2 atividades", 21: "21 atividades"},
        "ru": {
            1: "1 мероприятие",
            2: "2 мероприятия",
            3: "3 мероприятия",
            5: "5 мероприятий",
            11: "11 мероприятий",
            21: "21 мероприятие",
            100: "100 мероприятий",
        },
        "ar": {
            1: "نشاط واحد",
            2: "نشاطان",
            3: "3 أنشطة",
            5: "5 أنشطة",
            11: "11 نشاطًا",
            21: "21 نشاطًا",
            100: "100 نشاط",
        },
    }[code]
    for n in (0, 1, 2, 3, 5, 11, 21, 100):
        text = _plain(
            t.ngettext(
                "Your programme for {day} ({n} item):",
                "Your programme for {day} ({n} items):",
                n,
                day="X",
            )
        )
        if n in expected:
            assert expected[n] in text, (code, n, text)
        if code == "ar" and n in (1, 2):
            assert str(n) not in text, text  # the dual and singular words say the number
        elif n:
            assert str(n) in text, (code, n, text)
        assert " de " + str(n) not in text and f"{n} de " not in text, text


def test_line_direction_marks_reach_telegram() -> None:
    """Telegram HTML keeps the RLM before a line of isolates only, and drops any other control
    (a programme title that starts with an RLM is plain text and loses it)."""
    from handlers.telegram.views import escape

    text = "\u200f\u2068Hotel A\u2069\nabc\u200fdef\n\u200f\u2068x\u2069 \u202e\n\u200fFBI"
    shown = escape(text)
    assert shown.split("\n") == [
        "\u200f\u2068Hotel A\u2069",
        "abcdef",
        "\u200f\u2068x\u2069 ",
        "FBI",
    ]


async def test_arabic_contact_cards_read_right_to_left(app: Services, tmp_path: Path) -> None:
    """A card of isolated names and numbers gets its line direction in Telegram HTML."""
    from handlers.telegram.views import reply_html

    await import_file(app, FIXTURE)
    async with app.sessions.begin() as session:
        person = await app.assistant.participant(session, READERS["ar"])
        now = datetime.fromisoformat("2024-05-01T10:00-04:00")
        reply = await app.assistant.ask(session, person, "/contacts", now)
    assert reply.contacts
    html = reply_html(reply)
    right_to_left = 0
    for line in html.split("\n"):
        plain = re.sub(r"<[^>]+>", "", line)
        if plain.strip():
            right_to_left += _reads_in_its_direction(plain)
    assert right_to_left >= len(reply.contacts)  # at least each card's phone line


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_plural_message_says_its_number(code: str) -> None:
    """Each plural message, for 0 to 100, shows the count, except where Arabic says it in words."""
    t = I18n().translator(code)
    with (ROOT / "locales" / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=code)
    plurals = [m for m in catalog if m.id and isinstance(m.id, tuple)]
    assert plurals
    for message in plurals:
        singular, plural = message.id
        names = set(re.findall(r"\{(\w+)\}", singular + plural)) - {"n"}
        for n in (0, 1, 2, 3, 5, 11, 21, 100):
            text = t.ngettext(singular, plural, n, **dict.fromkeys(names, "X"))
            if code == "ar" and n <= 2:
                assert str(n) not in _plain(text), (n, text)  # "نشاطان", not "نشاطان: 2"
            else:
                assert re.search(rf"(?<!\d){n}(?!\d)", text), (code, n, text)
            # The "many" form ("{n} de actividades") is for millions only.
            assert not re.search(rf"(?<!\d){n} (de |d’|d')", text), (code, n, text)


def test_known_dress_codes_have_catalog_entries() -> None:
    """Known dress codes, however capitalised or hyphenated, read in the reader's language."""
    from bot.assistant.answer import DRESS_CODES, dress_code

    i18n = I18n()
    spanish, arabic = i18n.translator("es"), i18n.translator("ar")
    # The programme's own words follow, as hosts and invitations use them.
    assert dress_code("Business", spanish) == "traje de negocios (Business)"
    informal = "vestimenta de negocios informal (business-casual)"
    assert dress_code("business-casual", spanish) == informal
    assert dress_code("business", i18n.translator("en")) == "business attire"
    assert dress_code("Cultural dress welcome", spanish) == "Cultural dress welcome"
    assert dress_code("Cultural dress welcome", arabic) == "\u2068Cultural dress welcome\u2069"
    for code in ("es", "fr", "ar", "ru", "pt"):
        t = i18n.translator(code)
        for value in DRESS_CODES:
            assert dress_code(value, t) != t.isolate(value), (code, value)
