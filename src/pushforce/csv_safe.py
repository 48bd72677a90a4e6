"""CSV writing that is safe to open in a spreadsheet (no formula injection).

Every CSV Pushforce writes goes through :func:`writer` or :func:`write_rows`. A cell that a
spreadsheet could read as a formula or a DDE call gets a leading single quote, as OWASP ASVS 5.0
1.2.10 asks; the quoting itself is the csv module's RFC 4180 quoting. The triggers are ASVS's
``= + - @ TAB NUL`` plus carriage return (Symfony CVE-2021-41270) and ``|`` / ``%`` which
defusedcsv also treats as dangerous (DDE and macro expansion in some spreadsheet programs).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_TRIGGERS = frozenset("=+-@\t\r\0|%")


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


def safe_cell(value: object) -> str:
    """The text of one cell, with a ``'`` prefix when it would start a formula."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text and text[0] in FORMULA_TRIGGERS:
        return "'" + text
    return text


class SafeWriter:
    """A ``csv.writer`` look-alike whose every cell passes through :func:`safe_cell`."""

    def __init__(self, out: _Writable) -> None:
        self._writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: _Writable) -> SafeWriter:
    return SafeWriter(out)


def write_rows(out: _Writable, header: Iterable[str], rows: Iterable[Iterable[object]]) -> None:
    """Write a header and rows to ``out`` safely."""
    safe = SafeWriter(out)
    safe.writerow(header)
    safe.writerows(rows)
