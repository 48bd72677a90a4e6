"""Bad rows are reported as {row, column, reason} with the file's header and row number; the good
rows of the same file are imported (reliability §3.7, §4)."""

import pytest
from import_helpers import rows

from pushforce.importing.pipeline import MAX_COLUMNS, ImportFileError
from pushforce.importing.reading import MAX_CELL_CHARS

HEADER = "First Name,Last Name,E-mail,Email Status,Company,Website,# Employees,Stage,Phone\n"
GOOD = "Ada,Lovelace,ada@x.com,,,,,,\n"


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        ("Bo,,bo@x.com,,,,,,", "Last Name", "a value is required"),
        ("Bo,B,not-an-email,,,,,,", "E-mail", "not a valid email address"),
        ("Bo,B,bo@x.com,sure,,,,,", "Email Status", "'verified', 'guessed' or 'unavailable'"),
        ("Bo,B,,guessed,,,,,", "Email Status", "needs an email"),
        ("Bo,B,bo@x.com,unavailable,,,,,", "Email Status", "means the contact has no email"),
        ("Bo," + "B" * 81 + ",,,,,,,", "Last Name", "at most 80 characters"),
        ("Bo,B,,,Acme,not a website,,,", "Website", "must be a web address"),
        ("Bo,B,,,Acme,,lots,,", "# Employees", "valid integer"),
        ("Bo,B,,,,acme.com,,,", "Website", "a company needs a name"),
        ("Bo,B,,,,,,Nope,", "Stage", "no contact stage 'Nope'"),
        ("Bo,B,,,,,,," + "1" * 41, "Phone", "at most 40 characters"),
        ("Bo,B,,,,,,,,surprise", None, "the row has 10 cells but the header has 9"),
    ],
)
def test_each_bad_row_is_reported_and_the_good_rows_import(
    engine, team_id, run, line: str, column: str | None, reason: str
) -> None:
    report = run(HEADER + GOOD + line + "\n" + GOOD.replace("ada", "eve"))
    assert (report.rows, report.created, report.failed) == (3, 2, 1)
    (error,) = report.errors
    assert (error.row, error.column) == (3, column)
    assert reason in error.reason
    emails = rows(engine, "SELECT email FROM contacts WHERE team_id=:t ORDER BY id", t=team_id)
    assert emails == [{"email": "ada@x.com"}, {"email": "eve@x.com"}]
    assert rows(engine, "SELECT id FROM accounts WHERE team_id=:t", t=team_id) == []


def test_a_row_with_a_huge_cell_is_reported_and_skipped(run) -> None:
    huge = "x" * (MAX_CELL_CHARS + 10)
    report = run(HEADER + f"Bo,B,,,,,,,{huge}\n" + GOOD)
    assert (report.created, report.failed) == (1, 1)
    assert report.errors[0].row == 2 and "longer than" in report.errors[0].reason


def test_blank_lines_are_skipped_but_keep_row_numbers(run) -> None:
    report = run(HEADER + "\n\n,,,,,,,,\n" + "Bo,,,,,,,,\n" + GOOD)
    assert report.rows == 2 and report.errors[0].row == 5


def test_same_email_twice_in_a_file_reports_the_later_row(run) -> None:
    report = run(HEADER + GOOD + GOOD.replace("Ada", "Eve"))
    assert (report.created, report.failed) == (1, 1)
    assert report.errors[0].reason == "the same email as row 2"


def test_cp1252_file_imports_with_a_note(engine, team_id, run) -> None:
    report = run(("Last Name,Email\nRenée,renee@x.com\n").encode("cp1252"))
    assert report.created == 1 and "Windows-1252" in report.notes[0]
    assert rows(engine, "SELECT last_name FROM contacts WHERE team_id=:t", t=team_id) == [
        {"last_name": "Renée"}
    ]


def test_unrecognised_columns_are_listed_in_the_notes(run) -> None:
    report = run("Last Name,Favourite Colour\nLovelace,green\n")
    assert report.notes == ["column(s) not imported (not recognised): Favourite Colour"]


@pytest.mark.parametrize(
    ("data", "options", "message"),
    [
        ("", {}, "the file is empty"),
        ("\n\n", {}, "the file is empty"),
        ("Email,Phone\nx@y.com,1\n", {}, "no column was recognised as a Last Name"),
        ("Last Name\nX\n", {"column_map": {"Last Name": "shoe"}}, "unknown field 'shoe'"),
        ("Last Name\nX\n", {"column_map": {"Surname": "last_name"}}, "not in the file: Surname"),
        (",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)) + "\n", {}, "at most 200"),
    ],
)
def test_a_file_that_cannot_be_imported_says_why_and_writes_nothing(
    engine, team_id, run, data: str, options: dict, message: str
) -> None:
    with pytest.raises(ImportFileError, match=message):
        run(data, **options)
    assert rows(engine, "SELECT id FROM contacts WHERE team_id=:t", t=team_id) == []


def test_accounts_import_reports_bad_rows(engine, team_id, run) -> None:
    data = "Company,Website,Employees,Stage\nAcme,acme.com,1,200,Customer\nInitech,,-3,\n,x.com,,\n"
    report = run(data, kind="accounts")
    assert report.created == 0 and report.failed == 3
    assert [(e.row, e.column) for e in report.errors] == [
        (2, None),
        (3, "Employees"),
        (4, "Company"),
    ]
