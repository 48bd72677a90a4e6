"""Any CSV Pushforce writes is safe from formula injection (reliability §3.7, ASVS 5.0 1.2.10)."""

import csv
import io

import pytest

from pushforce import csv_safe


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r", "\0", "|", "%"])
def test_every_trigger_character_gets_a_quote_prefix(trigger: str) -> None:
    value = f'{trigger}HYPERLINK("http://evil")'
    assert csv_safe.safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Ada", "Ada"), ("a=b", "a=b"), ("", ""), (None, ""), (42, "42"), (-5, "'-5"), ("'x", "'x")],
)
def test_harmless_cells_are_unchanged(value: object, expected: str) -> None:
    assert csv_safe.safe_cell(value) == expected


def test_written_file_round_trips_with_rfc4180_quoting() -> None:
    out = io.StringIO()
    csv_safe.write_rows(out, ["name", "note"], [["=1+2", 'He said "hi",\nthen left'], ["Bo", "@x"]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["name", "note"], ["'=1+2", 'He said "hi",\nthen left'], ["Bo", "'@x"]]
    assert out.getvalue().startswith("name,note\r\n")
