"""The import pipeline: read → recognise columns → validate each row → write in chunks.

Nothing here holds more than one chunk of rows, so memory stays bounded whatever the file size.
Writing is delegated to a :class:`ChunkWriter` (the store-backed one is
``pushforce.importing.writing``), which gets valid rows only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import BinaryIO, Protocol

from pushforce.importing.headers import Columns, Kind, resolve_columns
from pushforce.importing.reading import RawRow, ReadNotes, read_rows
from pushforce.importing.report import ImportReport, RowError
from pushforce.importing.rows import PreparedRow, RejectedRow, prepare

DEFAULT_CHUNK_ROWS = 1000
MAX_COLUMNS = 200

_REQUIRED = {
    "contacts": (("last_name", "full_name"), "a Last Name (or Name) column"),
    "accounts": (("name",), "a Company / Name column"),
}


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (no header, no usable columns, bad column map)."""


class ChunkWriter(Protocol):
    def write(self, kind: Kind, rows: list[PreparedRow], report: ImportReport) -> None:
        """Write valid rows (each row all or nothing) and count them into ``report``."""


def _header(rows: Iterator[RawRow]) -> RawRow:
    for raw in rows:
        if raw.error:
            raise ImportFileError(f"row {raw.number} (the header): {raw.error}")
        if any(cell.strip() for cell in raw.cells):
            return raw
    raise ImportFileError("the file is empty: expected a header row and data rows")


def _columns(kind: Kind, header: RawRow, column_map: Mapping[str, str]) -> Columns:
    if len(header.cells) > MAX_COLUMNS:
        raise ImportFileError(f"the file has {len(header.cells)} columns; at most {MAX_COLUMNS}")
    try:
        columns = resolve_columns(kind, header.cells, column_map)
    except ValueError as exc:
        raise ImportFileError(str(exc)) from exc
    targets, needed = _REQUIRED[kind]
    if not columns.has(*targets):
        raise ImportFileError(
            f"no column was recognised as {needed}; found: {', '.join(columns.headers)}. "
            "Pass a column map such as 'Surname=last_name'"
        )
    return columns


def _ragged_error(raw: RawRow, width: int) -> RowError | None:
    extra = raw.cells[width:]
    if any(cell.strip() for cell in extra):
        return RowError(
            raw.number, None, f"the row has {len(raw.cells)} cells but the header has {width}"
        )
    return None


def _check(kind: Kind, columns: Columns, raw: RawRow) -> PreparedRow | RejectedRow:
    if raw.error:
        return RejectedRow(raw.number, [RowError(raw.number, None, raw.error)])
    ragged = _ragged_error(raw, len(columns.headers))
    if ragged:
        return RejectedRow(raw.number, [ragged])
    return prepare(kind, columns, raw.number, raw.cells)


def run_import(
    kind: Kind,
    stream: BinaryIO,
    writer: ChunkWriter,
    column_map: Mapping[str, str] | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    on_progress: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import every good row of a CSV stream; the report says what happened to the others.

    ``on_progress`` is called with the report so far after every chunk written.
    """
    notes = ReadNotes()
    rows = read_rows(stream, notes)
    columns = _columns(kind, _header(rows), column_map or {})
    report = ImportReport(kind=kind)
    chunk: list[PreparedRow] = []
    for raw in rows:
        if not raw.error and not any(cell.strip() for cell in raw.cells):
            continue
        report.rows += 1
        checked = _check(kind, columns, raw)
        if isinstance(checked, RejectedRow):
            report.add_errors(checked.errors)
            continue
        chunk.append(checked)
        if len(chunk) >= chunk_rows:
            writer.write(kind, chunk, report)
            chunk = []
            if on_progress is not None:
                on_progress(report)
    if chunk:
        writer.write(kind, chunk, report)
    report.notes = notes.messages() + _ignored_note(columns)
    report.errors.sort(key=lambda error: error.row)
    return report


def _ignored_note(columns: Columns) -> list[str]:
    if not columns.ignored:
        return []
    return [f"column(s) not imported (not recognised): {', '.join(columns.ignored)}"]
