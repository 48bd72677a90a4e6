"""Streaming CSV reading: bytes in, numbered rows out, in bounded memory.

The file is read one physical line at a time (each line capped in length), every line is decoded
on its own as UTF-8 — falling back to Windows-1252 for that line, which is reported, never silent —
and the csv module parses the decoded lines. A byte-order mark is dropped; NUL bytes are removed
and reported; a cell over :data:`MAX_CELL_CHARS` makes that row an error instead of stopping the
import.

Row numbers are the ones a spreadsheet shows: the header is row 1 and blank lines count.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

MAX_CELL_CHARS = 128 * 1024
MAX_LINE_BYTES = 4 * MAX_CELL_CHARS
_FALLBACK_ENCODING = "cp1252"

csv.field_size_limit(MAX_CELL_CHARS)


@dataclass
class ReadNotes:
    """What the reader had to do to the file, for the import report."""

    fallback_lines: int = 0
    first_fallback_line: int | None = None
    nul_lines: int = 0
    cut_lines: int = 0

    def messages(self) -> list[str]:
        notes = []
        if self.fallback_lines:
            notes.append(
                f"{self.fallback_lines} line(s) were not valid UTF-8 (first: line "
                f"{self.first_fallback_line}) and were read as Windows-1252; save the file as "
                "UTF-8 if their accents look wrong"
            )
        if self.nul_lines:
            notes.append(f"NUL bytes were removed from {self.nul_lines} line(s)")
        if self.cut_lines:
            notes.append(f"{self.cut_lines} line(s) longer than {MAX_LINE_BYTES} bytes were cut")
        return notes


@dataclass
class RawRow:
    """One record of the file: its row number and cells, or why it could not be parsed."""

    number: int
    cells: list[str] = field(default_factory=list)
    error: str | None = None


def _decode(raw: bytes, line_number: int, notes: ReadNotes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        notes.fallback_lines += 1
        if notes.first_fallback_line is None:
            notes.first_fallback_line = line_number
        # cp1252 leaves five bytes undefined; "replace" keeps the line instead of failing it.
        return raw.decode(_FALLBACK_ENCODING, errors="replace")


def _physical_lines(stream: BinaryIO, notes: ReadNotes) -> Iterator[bytes]:
    """Lines of at most MAX_LINE_BYTES; the rest of an overlong line is skipped."""
    while raw := stream.readline(MAX_LINE_BYTES):
        if len(raw) == MAX_LINE_BYTES and not raw.endswith(b"\n"):
            notes.cut_lines += 1
            while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            raw += b"\n"
        yield raw


def decoded_lines(stream: BinaryIO, notes: ReadNotes) -> Iterator[str]:
    """Text lines of a binary stream (BOM dropped, NULs removed, per-line encoding fallback)."""
    for number, raw in enumerate(_physical_lines(stream, notes), start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if b"\0" in raw:
            notes.nul_lines += 1
            raw = raw.replace(b"\0", b"")
        yield _decode(raw, number, notes)


def read_rows(stream: BinaryIO, notes: ReadNotes) -> Iterator[RawRow]:
    """Every record of the CSV, numbered from 1 (the header), parse errors included."""
    reader = csv.reader(decoded_lines(stream, notes), strict=False)
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RawRow(number, error=_csv_error_reason(exc))
            continue
        yield RawRow(number, cells)


def _csv_error_reason(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return f"a cell is longer than {MAX_CELL_CHARS} characters; the row was skipped"
    return f"the row is not valid CSV ({exc})"
