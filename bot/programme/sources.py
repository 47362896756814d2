"""Programme files of either kind, YAML or spreadsheet, told apart by name and content."""

from __future__ import annotations

from pathlib import Path

from bot.programme.schema import ProgrammeDoc, decode_text, load_text, read_bytes
from bot.programme.workbook import MAX_WORKBOOK_BYTES, is_workbook, read_workbook

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def is_workbook_name(name: str) -> bool:
    """Whether a file name says it is a spreadsheet workbook."""
    return name.lower().endswith(WORKBOOK_SUFFIXES)


def load_programme(path: Path) -> ProgrammeDoc:
    """Read and validate a programme file, YAML or .xlsx; ProgrammeError lists every problem."""
    if is_workbook_name(path.name):
        return read_workbook(read_bytes(path, MAX_WORKBOOK_BYTES), str(path))
    return load_content(read_bytes(path), str(path))


def load_content(data: bytes, source: str) -> ProgrammeDoc:
    """Validate a programme file's content (an upload, say), named ``source`` in errors."""
    if is_workbook_name(source) or is_workbook(data):
        return read_workbook(data, source)
    return load_text(decode_text(data, source), source)
