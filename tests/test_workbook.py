"""The programme as a spreadsheet: template, import, export, round trips and located errors."""

from __future__ import annotations

import asyncio
import io
import re
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from bot.cli import main
from bot.programme.schema import EVENT_KINDS, ProgrammeDoc, ProgrammeError, load_file
from bot.programme.workbook import SHEETS, read_workbook
from tests.conftest import DATA, FIXTURE
from tests.store_dump import dump

WEST = DATA / "programme-west-2025.yaml"


@pytest.fixture
def env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the command line at the test database, with the YAML fixture imported."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BOT_NOW", raising=False)
    assert main(["import", str(FIXTURE)]) == 0
    return database_url


def _headers(sheet: Worksheet) -> list[str]:
    return [str(cell.value) for cell in sheet[1] if cell.value is not None]


def _typed(record: dict[str, Any], header: str, default: str) -> Any:
    """What a person puts in the cell under ``header``: dates as dates, lists as text."""
    name, _, code = header.rpartition("_")
    if name and isinstance(record.get(name), dict):
        return record[name].get(code)
    value = record.get(header)
    if isinstance(value, dict):
        return value.get(default)
    if isinstance(value, list):
        return ("; " if header == "aliases" else ", ").join(value)
    if header == "daily_agenda_time":
        return time(*map(int, value.split(":")))
    return value


def _fill(template: Path, doc: ProgrammeDoc, out: Path) -> None:
    """Fill the template's sheets with a programme, cell by cell, as staff would."""
    book = load_workbook(template)
    default = doc.programme["default_language"]
    for section, title in SHEETS.items():
        sheet = book[title]
        records = [doc.programme] if section == "programme" else getattr(doc, section)
        headers = _headers(sheet)
        for row, record in enumerate(records, start=2):
            for column, header in enumerate(headers, start=1):
                value = _typed(record, header, default)
                if value is not None:
                    sheet.cell(row=row, column=column, value=value)
    book.save(out)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template, written by the command, filled with the sample programme (read only)."""
    tmp_path = tmp_path_factory.mktemp("filled")
    template = tmp_path / "template.xlsx"
    assert main(["template", str(template), "--languages", "en,es,fr,ar,ru,pt"]) == 0
    out = tmp_path / "filled.xlsx"
    _fill(template, load_file(FIXTURE), out)
    return out


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(path, read_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    finally:
        book.close()


def test_template_has_a_sheet_per_section_with_notes_lists_and_formats(tmp_path: Path) -> None:
    """Header rows with notes, lists to choose from, date cells, translation columns."""
    path = tmp_path / "template.xlsx"
    assert main(["template", str(path), "--languages", "es,en,fr"]) == 0
    book = load_workbook(path)
    assert [t for t in book.sheetnames if not t.startswith("#")] == list(SHEETS.values())
    events = book["Events"]
    headers = _headers(events)
    assert headers[:4] == ["key", "title", "title_en", "title_fr"]
    assert all(events.cell(row=1, column=i).comment for i in range(1, len(headers) + 1))
    lists = {
        headers[column_index(rule)]: rule.formula1
        for rule in events.data_validations.dataValidation
    }
    assert lists["place"].replace("'", "").startswith("=Places!$A$2")
    assert lists["contact"].replace("'", "").startswith("=Contacts!$A$2")
    kinds = book["#Lists"]
    kind_range = lists["kind"].split("!")[1].replace("$", "").split(":")
    assert [row[0].value for row in kinds[kind_range[0] : kind_range[1]]] == list(EVENT_KINDS)
    assert "timezone" in lists and "status" in lists
    participants = book["Participants"]
    p_headers = _headers(participants)
    p_lists = {
        p_headers[column_index(rule)]: rule.formula1
        for rule in participants.data_validations.dataValidation
    }
    assert p_lists["group"].replace("'", "").startswith("=Groups!$A$2") and "language" in p_lists
    start = headers.index("start") + 1
    assert events.column_dimensions[events.cell(row=1, column=start).column_letter].number_format
    programme = book["Programme"]
    values = dict(zip(_headers(programme), [c.value for c in programme[2]], strict=False))
    assert values["default_language"] == "es" and values["languages"] == "es, en, fr"


def column_index(rule: Any) -> int:
    """The zero-based column a data validation rule covers."""
    first = str(rule.sqref).split(":")[0]
    letters = re.match(r"[A-Z]+", first)
    assert letters is not None
    number = 0
    for letter in letters.group():
        number = number * 26 + ord(letter) - 64
    return number - 1


def test_filled_template_imports_as_the_yaml_file_does(
    env: str, filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The workbook holding the YAML file's programme changes nothing over it."""
    before = asyncio.run(dump(env))
    capsys.readouterr()
    assert main(["import", str(filled)]) == 0
    assert "No changes" in capsys.readouterr().out
    assert asyncio.run(dump(env)) == before


def test_template_fill_import_export_import_changes_nothing(
    database_url: str,
    filled: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """template → fill → import → export → import: no changes; exports are identical."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    assert main(["import", str(filled)]) == 0
    before = asyncio.run(dump(database_url))
    exported, again = tmp_path / "exported.xlsx", tmp_path / "again.xlsx"
    assert main(["export", str(exported)]) == 0
    capsys.readouterr()
    assert main(["import", str(exported)]) == 0
    assert "No changes" in capsys.readouterr().out
    assert asyncio.run(dump(database_url)) == before
    assert main(["export", str(again)]) == 0
    assert _cells(again) == _cells(exported)
    # The export is a workbook like the template: typed dates, the same columns.
    events = load_workbook(exported)["Events"]
    start = _headers(events).index("start") + 1
    assert isinstance(events.cell(row=2, column=start).value, datetime)
    # And YAML round trips the workbook's import as well.
    yaml_export = tmp_path / "exported.yaml"
    assert main(["export", str(yaml_export)]) == 0
    capsys.readouterr()
    assert main(["import", str(yaml_export)]) == 0
    assert "No changes" in capsys.readouterr().out


def test_template_from_a_file_keeps_everything(tmp_path: Path) -> None:
    """`template --from` a YAML file, then a workbook: the same validated programme."""
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    assert main(["template", str(first), "--from", str(WEST)]) == 0
    assert main(["template", str(second), "--from", str(first)]) == 0
    expected = load_file(WEST)
    for path in (first, second):
        got = read_workbook(path.read_bytes(), str(path))
        for section in ("programme", "groups", "places", "legs", "contacts", "events", "faq"):
            assert _plain(getattr(got, section)) == _plain(getattr(expected, section)), section
        assert _plain(got.participants) == _plain(expected.participants)


def _plain(records: Any) -> Any:
    if isinstance(records, dict):
        return {k: v for k, v in records.items() if k != "_label"}
    return [_plain(r) for r in records]


# ---- located errors ----


def _sheet_row(book: Any, title: str, key: str) -> tuple[Worksheet, int]:
    sheet = book[title]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == key:
            return sheet, row
    raise AssertionError(key)


def _set(title: str, key: str, header: str, value: Any) -> Callable[[Any], str]:
    """A breaker that sets one cell; returns the cell's name."""

    def breaker(book: Any) -> str:
        sheet, row = _sheet_row(book, title, key)
        column = _headers(sheet).index(header) + 1
        cell = sheet.cell(row=row, column=column)
        cell.value = value
        if isinstance(value, str) and value.startswith("#"):
            cell.data_type = "e"
        return f"{title}!{cell.column_letter}{row} ({header})"

    return breaker


def _set_row(title: str, row: int, header: str, value: Any) -> Callable[[Any], str]:
    """A breaker that sets one cell of a sheet without keys (legs), by row."""

    def breaker(book: Any) -> str:
        sheet = book[title]
        column = _headers(sheet).index(header) + 1
        sheet.cell(row=row, column=column).value = value
        return f"{title}!{sheet.cell(row=row, column=column).column_letter}{row} ({header})"

    return breaker


def _unknown_column(book: Any) -> str:
    sheet = book["Events"]
    column = sheet.max_column + 1
    sheet.cell(row=1, column=column, value="room")
    sheet.cell(row=2, column=column, value="B-12")
    return f"Events!{sheet.cell(row=1, column=column).column_letter}1"


def _unknown_sheet(book: Any) -> str:
    book.create_sheet("Event")
    return "sheet 'Event'"


def _duplicate_row(book: Any) -> str:
    sheet, row = _sheet_row(book, "Events", "fbi-tcos")
    last = sheet.max_row + 1
    for column in range(1, sheet.max_column + 1):
        sheet.cell(row=last, column=column, value=sheet.cell(row=row, column=column).value)
    return f"Events!A{last} (key)"


ERROR_CASES: list[tuple[str, Callable[[Any], str], str]] = [
    (
        "end_before_start",
        _set("Events", "fbi-tcos", "end", datetime(2024, 5, 2, 9)),
        "before start",
    ),
    ("missing_required", _set("Events", "fbi-tcos", "title", None), "missing required field"),
    ("reference", _set("Events", "fbi-tcos", "place", "nowhere"), "does not exist"),
    ("timezone", _set("Places", "doj", "timezone", "America/Gotham"), "unknown timezone"),
    ("language", _set("Participants", "P02", "language", "de"), "not one of the programme's"),
    ("invite_code", _set("Participants", "P03", "invite_code", "Z3PW 9FJA"), "cannot carry"),
    ("text_date", _set_row("Legs", 3, "to", "2024-02-30"), "not a date on the calendar"),
    ("outside", _set("Events", "fbi-tcos", "start", datetime(2024, 6, 2, 10)), "outside"),
    ("number_range", _set("Places", "doj", "lat", 123.4), "between -90 and 90"),
    ("bad_translation", _set("Events", "fbi-tcos", "title_es", True), "expected text"),
    ("formula_error", _set("Events", "fbi-tcos", "dress", "#REF!"), "error #REF!"),
    ("unknown_column", _unknown_column, "unknown column 'room'"),
    ("unknown_sheet", _unknown_sheet, "unknown sheet"),
    ("duplicate_key", _duplicate_row, "duplicate key"),
]


@pytest.mark.parametrize(
    ("name", "breaker", "expected"), ERROR_CASES, ids=[c[0] for c in ERROR_CASES]
)
def test_each_kind_of_error_is_located_by_cell(
    env: str,
    filled: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    breaker: Callable[[Any], str],
    expected: str,
) -> None:
    """Each error names its sheet, row and column; the store is left as it was."""
    book = load_workbook(filled)
    where = breaker(book)
    book["FAQ"].cell(row=2, column=3).value = "Changed, and not applied"
    path = tmp_path / "broken.xlsx"
    book.save(path)
    before = asyncio.run(dump(env))
    capsys.readouterr()
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"broken.xlsx: {where}: " in err, err
    line = next(line for line in err.splitlines() if where in line)
    assert expected in line, err
    assert asyncio.run(dump(env)) == before


def test_every_problem_is_listed_at_once(filled: Path, tmp_path: Path) -> None:
    """Problems on several sheets come back together, each with its cell."""
    book = load_workbook(filled)
    wheres = [breaker(book) for _, breaker, _ in ERROR_CASES]
    path = tmp_path / "broken.xlsx"
    book.save(path)
    with pytest.raises(ProgrammeError) as caught:
        read_workbook(path.read_bytes(), "broken.xlsx")
    text = "\n".join(caught.value.problems)
    for where in wheres:
        assert where in text, (where, text)


def test_not_a_workbook_is_refused_plainly(tmp_path: Path) -> None:
    """A damaged or old-format file is one clear problem, never a traceback."""
    for content, words in (
        (b"PK\x03\x04garbage", "not an .xlsx workbook"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "97-2003"),
        (b"version: 1\n", "not an .xlsx workbook"),
    ):
        with pytest.raises(ProgrammeError) as caught:
            read_workbook(content, "odd.xlsx")
        assert words in caught.value.problems[0]


# ---- cell types: Excel's dates and times, text dates, numbers ----


def test_excel_date_cells_text_dates_and_numbers_all_read(filled: Path, tmp_path: Path) -> None:
    """Date cells, text dates, a date-time a hair off the minute, numbers in text columns."""
    book = load_workbook(filled)
    programme = book["Programme"]
    heads = _headers(programme)
    programme.cell(row=2, column=heads.index("start") + 1, value="2024-04-29")
    programme.cell(row=2, column=heads.index("end") + 1, value=datetime(2024, 5, 17))
    programme.cell(row=2, column=heads.index("daily_agenda_time") + 1, value="07:30")
    events, row = _sheet_row(book, "Events", "fbi-tcos")
    heads = _headers(events)
    events.cell(row=row, column=heads.index("start") + 1, value="2024-05-02 10:00:00")
    # A date-time cell holds a fraction of a day: 11:30 can read back a hair before it.
    events.cell(row=row, column=heads.index("end") + 1, value=datetime(2024, 5, 2, 11, 29, 59, 999))
    events.cell(row=row, column=heads.index("dress") + 1, value=1984)
    contacts, row = _sheet_row(book, "Contacts", "emergency")
    contacts.cell(row=row, column=_headers(contacts).index("phone") + 1, value=911)
    path = tmp_path / "typed.xlsx"
    book.save(path)
    doc = read_workbook(path.read_bytes(), "typed.xlsx")
    assert doc.programme["start"] == date(2024, 4, 29) and doc.programme["end"] == date(2024, 5, 17)
    assert doc.programme["daily_agenda_time"] == "07:30"
    event = next(e for e in doc.events if e["key"] == "fbi-tcos")
    assert (event["start"], event["end"]) == (
        datetime(2024, 5, 2, 10),
        datetime(2024, 5, 2, 11, 30),
    )
    assert event["dress"] == "1984"
    assert next(c for c in doc.contacts if c["key"] == "emergency")["phone"] == "911"


# ---- a workbook saved by a spreadsheet application ----


def _computed(path: Path, sheet_index: int, values: dict[str, Any]) -> None:
    """Store formula results in the file, as Excel and Google Sheets do when they save."""
    name = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = parts[name].decode()
    for ref, value in values.items():
        kind = ' t="str"' if isinstance(value, str) else ""
        xml, count = re.subn(
            rf'(<c r="{ref}")([^>]*)><f>(.*?)</f><v ?/>',
            rf"\1\2{kind}><f>\3</f><v>{value}</v>",
            xml,
        )
        assert count == 1, ref
    parts[name] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for filename, content in parts.items():
            archive.writestr(filename, content)


def _application_book(doc: ProgrammeDoc) -> Workbook:
    """A workbook made by hand in an application: own column order, styles, helper columns."""
    book = Workbook()
    first = book.active
    first.title = "Programme"
    head = doc.programme
    first.append(
        [
            "Key",
            "Title",
            "Title_ES",
            "Default_Language",
            "Languages",
            "Timezone",
            "Start",
            "End",
            "# comment",
        ]
    )
    first.append(
        [
            head["key"],
            head["title"]["en"],
            head["title"]["es"],
            "en",
            "en, es, fr, ar, ru, pt",
            head["timezone"],
            head["start"],
            head["end"],
            '="drafted "&TEXT(G2,"yyyy")',
        ]
    )
    first["G2"].number_format = "m/d/yyyy"  # a locale's date format, not ISO
    first["H2"].number_format = "d mmm yyyy"
    for cell in first[1]:
        cell.font = Font(bold=True, italic=True)
        cell.fill = PatternFill("solid", fgColor="FFFF00")
    groups = book.create_sheet("groups")
    groups.append(["key", "name"])
    for group in doc.groups:
        groups.append([group["key"], group["name"]])
    places = book.create_sheet("Places")
    places.append(["name", "key", "timezone", "city"])
    for place in doc.places:
        places.append([place["name"], place["key"], place.get("timezone"), place.get("city")])
    events = book.create_sheet("Events")
    events.append(["key", "title", "start", "# hours", "end", "place", "groups", "status"])
    for row, event in enumerate(doc.events[:5], start=2):
        events.append(
            [
                event["key"],
                event["title"]["en"],
                event["start"],
                f"=(E{row}-C{row})*24",
                f"=C{row}+TIME(1,0,0)" if row == 2 else event["end"],
                event.get("place"),
                ", ".join(event.get("groups", [])),
                event.get("status"),
            ]
        )
        events.cell(row=row, column=3).number_format = "yyyy-mm-dd h:mm AM/PM"
        events.cell(row=row, column=5).number_format = "yyyy-mm-dd h:mm AM/PM"
    # Formatted, empty rows below the data, as applications leave them.
    for row in range(8, 12):
        events.cell(row=row, column=2).fill = PatternFill("solid", fgColor="DDDDDD")
    scratch = book.create_sheet("#scratch")
    scratch["A1"] = "=COUNTA(Events!A:A)"
    return book


def test_a_workbook_saved_by_a_spreadsheet_application_imports(tmp_path: Path) -> None:
    """Formulas (their saved results), styles, locale formats, helper columns and sheets."""
    doc = load_file(FIXTURE)
    path = tmp_path / "saved.xlsx"
    _application_book(doc).save(path)
    start = doc.events[0]["start"]
    serial = (start - datetime(1899, 12, 30)).total_seconds() / 86400 + 1 / 24
    _computed(path, 1, {"I2": "drafted 2024"})
    _computed(path, 4, {"D2": 1, "E2": serial})
    got = read_workbook(path.read_bytes(), "saved.xlsx")
    assert got.programme["start"] == doc.programme["start"]
    assert got.programme["title"] == {
        "en": doc.programme["title"]["en"],
        "es": doc.programme["title"]["es"],
    }
    assert [e["key"] for e in got.events] == [e["key"] for e in doc.events[:5]]
    first = got.events[0]
    assert first["end"] == start.replace(hour=start.hour + 1)
    assert [p["key"] for p in got.places] == [p["key"] for p in doc.places]


def test_a_formula_without_a_saved_result_is_located(tmp_path: Path) -> None:
    """A file written by a program, never opened in an application, has no formula results."""
    path = tmp_path / "unsaved.xlsx"
    _application_book(load_file(FIXTURE)).save(path)
    with pytest.raises(ProgrammeError) as caught:
        read_workbook(path.read_bytes(), "unsaved.xlsx")
    assert any("Events!E2 (end): missing required field" in p for p in caught.value.problems)


def test_text_that_looks_like_a_formula_stays_text(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A question starting with '=' is text in the export and comes back unchanged."""
    path = tmp_path / "programme.xlsx"
    assert main(["template", str(path), "--from", str(FIXTURE)]) == 0
    book = load_workbook(path)
    cell = book["FAQ"].cell(row=2, column=_headers(book["FAQ"]).index("question") + 1)
    cell.value, cell.data_type = "=what is the Wi-Fi password?", "s"
    book.save(path)
    assert main(["import", str(path)]) == 0
    out = tmp_path / "out.xlsx"
    assert main(["export", str(out)]) == 0
    exported = load_workbook(io.BytesIO(out.read_bytes()))["FAQ"]
    assert exported.cell(row=2, column=cell.column).value == "=what is the Wi-Fi password?"
    capsys.readouterr()
    assert main(["import", str(out)]) == 0
    assert "No changes" in capsys.readouterr().out
