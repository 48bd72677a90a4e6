"""Streaming CSV reading: BOM, encodings, NULs, huge cells and lines, blank lines, numbering."""

import io

from pushforce.importing.reading import (
    MAX_CELL_CHARS,
    MAX_LINE_BYTES,
    ReadNotes,
    read_rows,
)


def _read(data: bytes) -> tuple[list[tuple[int, list[str], str | None]], ReadNotes]:
    notes = ReadNotes()
    rows = [(row.number, row.cells, row.error) for row in read_rows(io.BytesIO(data), notes)]
    return rows, notes


def test_rows_are_numbered_like_a_spreadsheet_header_first_blank_lines_counted() -> None:
    rows, _ = _read(b"Email,Last Name\r\na@x.com,A\r\n\r\nb@x.com,B\r\n")
    assert rows == [
        (1, ["Email", "Last Name"], None),
        (2, ["a@x.com", "A"], None),
        (3, [], None),
        (4, ["b@x.com", "B"], None),
    ]


def test_byte_order_mark_is_dropped() -> None:
    rows, notes = _read("\ufeffEmail\nä@x.com\n".encode())
    assert rows[0][1] == ["Email"]
    assert rows[1][1] == ["ä@x.com"]
    assert notes.messages() == []


def test_windows_1252_lines_are_decoded_and_reported() -> None:
    rows, notes = _read("Name\nJosé\n".encode() + "Renée\n".encode("cp1252"))
    assert [row[1] for row in rows] == [["Name"], ["José"], ["Renée"]]
    assert notes.fallback_lines == 1
    assert "line 3" in notes.messages()[0] and "Windows-1252" in notes.messages()[0]


def test_nul_bytes_are_removed_and_reported() -> None:
    rows, notes = _read(b"Name\nAd\0a\n")
    assert rows[1][1] == ["Ada"]
    assert "NUL" in notes.messages()[0]


def test_oversized_cell_fails_only_its_row() -> None:
    huge = b"x" * (MAX_CELL_CHARS + 1)
    rows, _ = _read(b"Name,Note\nA," + huge + b"\nB,ok\n")
    assert rows[1][0] == 2 and "longer than" in (rows[1][2] or "")
    assert rows[2] == (3, ["B", "ok"], None)


def test_overlong_line_is_cut_and_the_next_line_still_read() -> None:
    rows, notes = _read(b"Name\n" + b"y" * (MAX_LINE_BYTES * 2 + 5) + b"\nNext\n")
    assert rows[-1][1] == ["Next"]
    assert notes.cut_lines == 1


def test_quoted_cells_may_span_lines() -> None:
    rows, _ = _read(b'Name,Note\nA,"two\nlines"\nB,x\n')
    assert rows[1] == (2, ["A", "two\nlines"], None)
    assert rows[2][1] == ["B", "x"]
