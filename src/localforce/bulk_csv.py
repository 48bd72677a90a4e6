"""Bulk API 2.0 CSV: job data in (delimiters, line endings, ``#N/A``, relationship columns) and
result files out (``sf__Id``, ``sf__Created``, ``sf__Error`` columns) — reference §6.1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from localforce.errors import SalesforceError

DELIMITERS = {
    "BACKQUOTE": "`",
    "CARET": "^",
    "COMMA": ",",
    "PIPE": "|",
    "SEMICOLON": ";",
    "TAB": "\t",
}
LINE_ENDINGS = {"LF": "\n", "CRLF": "\r\n"}
NULL_MARKER = "#N/A"


class CsvProblem(Exception):
    """The whole upload is unusable; the job fails with this ``errorMessage``."""


def check_line_ending(data: str, line_ending: str) -> None:
    first_break = data.find("\n")
    if first_break < 0:
        return
    has_cr = first_break > 0 and data[first_break - 1] == "\r"
    if has_cr != (line_ending == "CRLF"):
        raise CsvProblem(
            "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting"
            f" is {line_ending}"
        )


def read_rows(data: str, column_delimiter: str) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows (blank lines dropped)."""
    reader = csv.reader(io.StringIO(data, newline=""), delimiter=DELIMITERS[column_delimiter])
    rows = [row for row in reader if row and any(cell != "" for cell in row)]
    if not rows:
        return [], []
    return rows[0], rows[1:]


def row_body(header: Sequence[str], row: Sequence[str]) -> dict[str, Any]:
    """A row as an sObject body: empty cells are left out, ``#N/A`` clears a field, and a
    ``Account.Ext__c`` column becomes the relationship ``{"Account": {"Ext__c": value}}``."""
    body: dict[str, Any] = {}
    for name, cell in zip(header, row, strict=False):
        if cell == "":
            continue
        value = None if cell == NULL_MARKER else cell
        relationship, dot, field = name.partition(".")
        if dot:
            body[relationship] = {field: value}
        else:
            body[name] = value
    return body


def error_text(error: SalesforceError) -> str:
    """``STATUS_CODE:message:fields --`` as in a failedResults file."""
    fields = ",".join(error.fields or ())
    return f"{error.code}:{error.message}:{fields + ' ' if fields else ''}--"


def write_csv(
    header: Iterable[str], rows: Iterable[Sequence[str]], line_ending: str, delimiter: str = ","
) -> str:
    out = io.StringIO()
    writer = csv.writer(
        out, quoting=csv.QUOTE_ALL, lineterminator=LINE_ENDINGS[line_ending], delimiter=delimiter
    )
    writer.writerow(list(header))
    writer.writerows(rows)
    return out.getvalue()


def pad(row: Sequence[str], width: int) -> list[str]:
    return list(row[:width]) + [""] * (width - len(row))
