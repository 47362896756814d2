"""The programme as a spreadsheet (.xlsx): one sheet per section of format v1.

Reading turns a workbook into the same document a YAML file gives and validates it with
the very same rules; each problem's place is mapped back to its sheet and cell. Writing
lays out the template and the export: a header row with a note on each column, data
validation lists, date and time cells, and a translation column per language.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.programme.schema import (
    EVENT_KINDS,
    EVENT_STATUSES,
    SCHEMA,
    SECTIONS,
    Location,
    ProgrammeDoc,
    ProgrammeError,
    check_size,
    field_shape,
    timezones,
    validate,
)

SHEETS = {
    "programme": "Programme",
    "groups": "Groups",
    "places": "Places",
    "legs": "Legs",
    "contacts": "Contacts",
    "participants": "Participants",
    "events": "Events",
    "faq": "FAQ",
}
# Sheets and columns whose name starts with this are the staff's own: never read.
PRIVATE = "#"
LISTS_SHEET = "#Lists"
# A workbook is compressed; its content may be far larger than the file, but not this much.
MAX_WORKBOOK_BYTES = 16 * 1024 * 1024
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
# What a cell shows when its formula failed; such a cell holds no value.
_ERRORS = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
# Keys and language codes in one cell: "A, B". Aliases may hold commas: "Washington, D.C.".
_KEYS_SPLIT = re.compile(r"[,;\n]")
_ALIASES_SPLIT = re.compile(r"[;\n]")
# A text date-time with seconds, as some applications write them: the seconds are zero.
_SECONDS = re.compile(r"^(\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}):00$")
DATE_FORMAT, DATETIME_FORMAT, TIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "hh:mm"
# Rows given data validation and column formats beyond the last one filled.
_SPARE_ROWS = 1000

NOTES: dict[str, dict[str, str]] = {
    "programme": {
        "key": "Short code of the programme, e.g. tmssw-2024. One row only on this sheet.",
        "title": "Title in the default language; title_xx columns hold translations.",
        "organizer": "Organising institution.",
        "default_language": "Language code texts are written in, e.g. en.",
        "languages": "Codes the bot offers, comma-separated: en, es, fr.",
        "timezone": "Default IANA time zone, e.g. America/New_York.",
        "start": "First day (a date).",
        "end": "Last day (a date).",
        "daily_agenda_time": "Local time the daily agenda is sent, e.g. 07:00.",
        "help_email": "Address participants may write to.",
    },
    "groups": {
        "key": "Short code of the group, e.g. A.",
        "name": "Name participants see.",
    },
    "places": {
        "key": "Short code of the place, e.g. hotel-dc.",
        "name": "Name of the venue or hotel.",
        "address": "Street address.",
        "city": "City.",
        "lat": "Latitude, decimal degrees.",
        "lon": "Longitude, decimal degrees.",
        "timezone": "IANA time zone of the place.",
        "kind": "hotel, venue, ...",
        "notes": "What to know: security, entrance, what to bring.",
        "aliases": "Other names people use, separated by ;",
    },
    "legs": {
        "groups": "Group keys, comma-separated; empty = everyone.",
        "city": "City of the stay.",
        "from": "First night (a date).",
        "to": "Last night (a date).",
        "hotel": "Place key of the hotel.",
    },
    "contacts": {
        "key": "Short code of the contact.",
        "name": "Name of the person or service.",
        "role": "Role, e.g. Programme officer.",
        "phone": "Phone number, +1 202 555 0100 or a short code such as 911.",
        "email": "E-mail address.",
        "telegram": "Telegram username.",
        "languages": "Language codes spoken, comma-separated.",
        "groups": "Group keys served, comma-separated; empty = everyone.",
        "kind": "emergency for numbers shown first.",
        "aliases": "Other names people use, separated by ;",
    },
    "participants": {
        "key": "Short code of the participant, e.g. P01.",
        "name": "Full name.",
        "country": "Country.",
        "language": "Preferred language code (one of the programme's).",
        "group": "Group key.",
        "invite_code": "One-time code linking Telegram: letters, digits, - and _.",
        "phone": "Phone number.",
        "email": "E-mail address.",
    },
    "events": {
        "key": "Short code of the event, stable across versions.",
        "title": "Title in the default language; title_xx columns hold translations.",
        "start": "Local start, date and time (2024-05-02 10:00).",
        "end": "Local end, date and time.",
        "place": "Place key.",
        "timezone": "IANA time zone, only if not the place's.",
        "groups": "Group keys, comma-separated; empty = everyone.",
        "kind": "meeting, site-visit, travel, meal, cultural, free or logistics.",
        "contact": "Contact key.",
        "dress": "Dress code.",
        "description": "Longer description.",
        "status": "scheduled (default) or cancelled.",
        "aliases": "Other names people use, separated by ;",
    },
    "faq": {
        "key": "Short code of the question.",
        "question": "The question.",
        "answer": "The answer.",
    },
}


# ---- reading ----


def is_workbook(data: bytes) -> bool:
    """Whether content is a zip archive, as every .xlsx file is."""
    return data.startswith(b"PK\x03\x04")


def _open(data: bytes, source: str) -> Any:
    """Open a workbook's content read-only, refusing what is not one or unpacks too large."""
    check_size(data, source, MAX_WORKBOOK_BYTES)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ProgrammeError([f"{source}: an Excel 97-2003 (.xls) file; save it as .xlsx"])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ProgrammeError([f"{source}: not an .xlsx workbook (save it as .xlsx)"]) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ProgrammeError(
            [f"{source}: unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB; not a programme"]
        )
    try:
        # Formulas are read as the values the spreadsheet application last computed.
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        reason = " ".join(str(exc).split())[:200]
        raise ProgrammeError([f"{source}: not a readable .xlsx workbook ({reason})"]) from None


def _header(value: Any) -> str:
    return str(value).strip().lower() if value is not None else ""


def _number_text(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _split(text: str, shape_field: str) -> list[str]:
    pattern = _ALIASES_SPLIT if shape_field == "aliases" else _KEYS_SPLIT
    return [part.strip() for part in pattern.split(text) if part.strip()]


def _from_text(text: str, shape: str, name: str) -> Any:
    if not text.strip():
        return None
    if shape == "list":
        return _split(text, name)
    if shape == "datetime" and (match := _SECONDS.match(text.strip())):
        return match.group(1)
    return text


def _from_moment(value: date, shape: str) -> Any:
    """A date or date-time cell, as the field it is in takes it."""
    if shape == "time" and isinstance(value, datetime):
        return f"{value:%H:%M}"
    if shape == "datetime" and isinstance(value, datetime):
        # A cell's date-time is a fraction of a day: 10:00 may come back as 09:59:59.9999.
        minute = (value + timedelta(seconds=30)).replace(second=0, microsecond=0)
        return minute
    if shape in ("date", "datetime"):
        return value
    return value.isoformat()


def cell_value(value: Any, shape: str, name: str = "") -> Any:
    """Turn a cell's value into what format v1 writes for a field of ``shape``."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _from_text(value, shape, name)
    if isinstance(value, int | float):
        if shape in ("number", "date", "datetime", "time"):
            return value
        # A number in a text column is its text: a spreadsheet has no quotes to put it in.
        text = _number_text(value)
        return [text] if shape == "list" else text
    if isinstance(value, date):
        return _from_moment(value, shape)
    if isinstance(value, time) and shape == "time":
        return f"{value:%H:%M}"
    if isinstance(value, timedelta) and shape == "time" and timedelta() <= value < timedelta(1):
        return f"{value.seconds // 3600:02d}:{value.seconds % 3600 // 60:02d}"
    return value


@dataclass
class _Sheet:
    """Where one section's columns and rows are in its sheet."""

    title: str
    columns: dict[tuple[str, str | None], str] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)

    def cell(self, name: str, code: str | None, row: int) -> str:
        """A cell by its column's field (and language), named as problems show it."""
        header = name if code is None else f"{name}_{code}"
        return f"{self.title}!{self.columns[(name, code)]}{row} ({header})"


class _Reader:
    """Turns a workbook into a format-v1 document, remembering where each value came from."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[tuple[str, str]] = []
        self.sheets: dict[str, _Sheet] = {}
        self.default_language = "en"

    def problem(self, where: str, message: str) -> None:
        self.problems.append((where, message))

    def document(self, book: Any) -> dict[str, Any]:
        """The workbook's sections as a format-v1 document."""
        found: dict[str, Any] = {}
        titles = {title.lower(): section for section, title in SHEETS.items()}
        for sheet in book.worksheets:
            section = titles.get(sheet.title.strip().lower())
            if section is None:
                if not sheet.title.startswith(PRIVATE):
                    self.problem(
                        f"sheet {sheet.title!r}",
                        f"unknown sheet; expected {', '.join(SHEETS.values())} "
                        f"(sheets whose name starts with {PRIVATE} are not read)",
                    )
                continue
            if section in found:
                self.problem(f"sheet {sheet.title!r}", "a second sheet for the same section")
                continue
            found[section] = sheet
        raw: dict[str, Any] = {"version": 1}
        # The programme first: its default language is what untranslated columns are in.
        for section in ("programme", *SECTIONS):
            if section in found:
                self._section(raw, section, found[section])
        if "programme" not in found:
            self.problem(SHEETS["programme"], "missing sheet")
        return raw

    def _section(self, raw: dict[str, Any], section: str, sheet: Any) -> None:
        rows = sheet.iter_rows(values_only=True)
        place = self.sheets[section] = _Sheet(sheet.title)
        header = next(rows, None)
        if header is None:
            return
        columns = self._columns(section, place, header)
        items: list[dict[str, Any]] = []
        for number, values in enumerate(rows, start=2):
            cells = [(columns[i], v) for i, v in enumerate(values) if i in columns]
            if all(v is None or (isinstance(v, str) and not v.strip()) for _, v in cells):
                continue
            items.append(self._item(section, place, number, cells))
            place.rows.append(number)
        if section != "programme":
            raw[section] = items
            return
        if items:
            raw["programme"] = items[0]
            code = items[0].get("default_language")
            if isinstance(code, str):
                self.default_language = code.strip()
        for number in place.rows[1:]:
            self.problem(
                f"{place.title}!A{number}", "one programme per workbook: only row 2 is read"
            )

    def _columns(
        self, section: str, place: _Sheet, header: Sequence[Any]
    ) -> dict[int, tuple[str, str | None]]:
        spec = SCHEMA[section]
        columns: dict[int, tuple[str, str | None]] = {}
        for index, value in enumerate(header):
            name, letter = _header(value), get_column_letter(index + 1)
            if not name or name.startswith(PRIVATE):
                continue
            base, _, code = name.rpartition("_")
            if name in spec:
                column: tuple[str, str | None] = (name, None)
            elif base in spec and spec[base].translatable and code:
                column = (base, code)
            else:
                self.problem(
                    f"{place.title}!{letter}1",
                    f"unknown column {value!r}; expected one of {', '.join(spec)} "
                    f"(or a translation such as title_es; columns whose name starts with "
                    f"{PRIVATE} are not read)",
                )
                continue
            if column in place.columns:
                self.problem(
                    f"{place.title}!{letter}1",
                    f"column {name!r} is also column {place.columns[column]}",
                )
                continue
            place.columns[column] = letter
            columns[index] = column
        return columns

    def _item(
        self,
        section: str,
        place: _Sheet,
        number: int,
        cells: Iterable[tuple[tuple[str, str | None], Any]],
    ) -> dict[str, Any]:
        item: dict[str, Any] = {}
        texts: dict[str, dict[str | None, Any]] = {}
        for (name, code), value in cells:
            if isinstance(value, str) and value.strip() in _ERRORS:
                self.problem(
                    place.cell(name, code, number),
                    f"the cell shows the error {value.strip()}; fix its formula",
                )
                continue
            shape = field_shape(section, name)
            converted = cell_value(value, "text" if shape == "texts" else shape, name)
            if converted is None:
                continue
            if shape == "texts":
                texts.setdefault(name, {})[code] = converted
            else:
                item[name] = converted
        for name, parts in texts.items():
            item[name] = self._texts(place, number, name, parts)
        return item

    def _texts(self, place: _Sheet, number: int, name: str, parts: dict[str | None, Any]) -> Any:
        """A translatable text: plain in the default language, or a mapping per language."""
        if set(parts) == {None}:
            return parts[None]
        texts: dict[str, Any] = {}
        if None in parts:
            texts[self.default_language] = parts[None]
        for code, text in parts.items():
            if code is None:
                continue
            if code in texts:
                self.problem(
                    place.cell(name, code, number),
                    f"the {code} text is already in column {name}; leave one of them empty",
                )
                continue
            texts[code] = text
        return texts

    def locate(self, at: Location) -> str | None:
        """The cell (or row, or sheet) a problem of the document is at."""
        place = self.sheets.get(at.section or "")
        if place is None:
            return SHEETS.get(at.section or "")
        if at.index is None or at.index >= len(place.rows):
            return place.title
        row = place.rows[at.index]
        if at.field is None:
            return f"{place.title}!A{row}"
        for column in ((at.field, at.part), (at.field, None)):
            if column in place.columns:
                return place.cell(*column, row)
        return f"{place.title} row {row} (no column {at.field})"


def read_workbook(data: bytes, source: str) -> ProgrammeDoc:
    """Validate a workbook's programme, raising ProgrammeError with every problem by cell."""
    book = _open(data, source)
    reader = _Reader(source)
    try:
        raw = reader.document(book)
    finally:
        book.close()
    doc = validate(raw, source, reader.locate, reader.problems)
    return doc


# ---- writing ----

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="305496")
_WIDTHS = {"text": 24, "texts": 36, "list": 20, "date": 12, "datetime": 17, "time": 8, "number": 11}
_FORMATS = {"date": DATE_FORMAT, "datetime": DATETIME_FORMAT, "time": TIME_FORMAT}


def _translations(
    doc: ProgrammeDoc | None, section: str, name: str, languages: list[str]
) -> list[str]:
    """Languages given a column of their own for a text: the programme's, then any used."""
    default = languages[0]
    codes = list(languages[1:])
    for record in _records(doc, section):
        for code in record.get(name, {}):
            if code != default and code not in codes:
                codes.append(code)
    return codes


def _records(doc: ProgrammeDoc | None, section: str) -> list[dict[str, Any]]:
    if doc is None:
        return []
    if section == "programme":
        return [doc.programme] if doc.programme else []
    records: list[dict[str, Any]] = getattr(doc, section)
    return records


def _layout(
    doc: ProgrammeDoc | None, section: str, languages: list[str]
) -> list[tuple[str, str | None]]:
    """The columns of a section's sheet: each field, each text followed by its translations."""
    columns: list[tuple[str, str | None]] = []
    for name, rule in SCHEMA[section].items():
        columns.append((name, None))
        if rule.translatable:
            columns.extend((name, code) for code in _translations(doc, section, name, languages))
    return columns


def _cell_out(
    section: str, record: dict[str, Any], name: str, code: str | None, default: str
) -> Any:
    value = record.get(name)
    if value is None:
        return None
    shape = field_shape(section, name)
    if shape == "texts":
        return value.get(code or default)
    if code is not None:
        return None
    if shape == "list":
        if name == "aliases":
            joiner = "\n" if any(";" in alias for alias in value) else "; "
            return joiner.join(value)
        return ", ".join(value)
    if shape == "time":
        hours, minutes = str(value).split(":")
        return time(int(hours), int(minutes))
    return value


def _write_sheet(
    sheet: Worksheet, section: str, doc: ProgrammeDoc | None, languages: list[str]
) -> list[tuple[str, str | None]]:
    columns = _layout(doc, section, languages)
    default = languages[0]
    notes = NOTES[section]
    for index, (name, code) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=name if code is None else f"{name}_{code}")
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        note = notes[name] if code is None else f"{name.capitalize()} in {code}."
        cell.comment = Comment(note, "programme assistant", width=260, height=90)
        shape = field_shape(section, name)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _WIDTHS.get(shape, 20)
        if shape in _FORMATS:
            sheet.column_dimensions[letter].number_format = _FORMATS[shape]
    for row, record in enumerate(_records(doc, section), start=2):
        for index, (name, code) in enumerate(columns, start=1):
            value = _cell_out(section, record, name, code, default)
            if value is None:
                continue
            cell = sheet.cell(row=row, column=index, value=value)
            shape = field_shape(section, name)
            if shape in _FORMATS:
                cell.number_format = _FORMATS[shape]
            elif isinstance(value, str) and value.startswith("="):
                # Text, not a formula: a title may begin with "=".
                cell.data_type = "s"
            if isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    return columns


def _lists(book: Workbook, languages: list[str]) -> dict[str, str]:
    """A hidden sheet of the choices data validation offers; return each list's range."""
    sheet = book.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    lists = {
        "kind": list(EVENT_KINDS),
        "status": list(EVENT_STATUSES),
        "language": languages,
        "timezone": sorted(timezones()),
    }
    ranges = {}
    for index, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=name)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=index, value=value)
        end = len(values) + 1
        ranges[name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${end}"
    return ranges


def _keys_range(section: str, rows: int) -> str:
    # Key columns come first; the range reaches past today's rows for the ones staff add.
    return f"{quote_sheetname(SHEETS[section])}!$A$2:$A${rows + _SPARE_ROWS}"


# Which columns offer a list, and where its choices are.
_CHOICES = {
    ("programme", "default_language"): "language",
    ("programme", "timezone"): "timezone",
    ("places", "timezone"): "timezone",
    ("legs", "hotel"): "places",
    ("participants", "language"): "language",
    ("participants", "group"): "groups",
    ("events", "place"): "places",
    ("events", "timezone"): "timezone",
    ("events", "kind"): "kind",
    ("events", "contact"): "contacts",
    ("events", "status"): "status",
}


def _validations(
    sheet: Worksheet,
    section: str,
    columns: list[tuple[str, str | None]],
    ranges: dict[str, str],
    rows: int,
) -> None:
    last = 2 if section == "programme" else rows + _SPARE_ROWS
    for index, (name, code) in enumerate(columns, start=1):
        choice = _CHOICES.get((section, name))
        if choice is None or code is not None:
            continue
        source = ranges[choice]
        # A warning, not a stop: a key may be typed before its row exists elsewhere; the
        # import checks every reference anyway.
        rule = DataValidation(
            type="list",
            formula1=f"={source}",
            allow_blank=True,
            errorStyle="warning",
            showErrorMessage=True,
            error="Not in the list; the import will check it.",
        )
        letter = get_column_letter(index)
        rule.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(rule)


def write_workbook(doc: ProgrammeDoc | None, languages: Sequence[str] = ()) -> bytes:
    """Lay out a programme (or an empty template in ``languages``) as an .xlsx workbook."""
    if doc is not None:
        head = doc.programme
        languages = [head["default_language"]] + [
            code for code in head["languages"] if code != head["default_language"]
        ]
    languages = list(languages) or ["en"]
    if doc is None:
        # The template: what every programme states the same way is filled in already.
        head = {
            "default_language": languages[0],
            "languages": languages,
            "daily_agenda_time": "07:00",
        }
        doc = ProgrammeDoc(programme=head)
    book = Workbook()
    book.remove(book.active)
    sheets = {section: book.create_sheet(title) for section, title in SHEETS.items()}
    ranges = _lists(book, languages)
    counts = {section: len(_records(doc, section)) for section in SHEETS}
    for section in ("groups", "places", "contacts"):
        ranges[section] = _keys_range(section, counts[section])
    for section, sheet in sheets.items():
        columns = _write_sheet(sheet, section, doc, languages)
        _validations(sheet, section, columns, ranges, counts[section])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
