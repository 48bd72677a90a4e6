"""Header recognition and explicit column maps."""

import pytest

from pushforce.importing.headers import (
    ColumnMapError,
    normalise,
    parse_map_option,
    resolve_columns,
    resolve_target,
)


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("First Name", "first_name"),
        ("first_name", "first_name"),
        ("FIRST-NAME", "first_name"),
        (" Last  Name ", "last_name"),
        ("Surname", "last_name"),
        ("E-mail Address", "email"),
        ("Email Status", "email_status"),
        ("Company", "account.name"),
        ("Company Name", "account.name"),
        ("Account", "account.name"),
        ("Website", "account.website"),
        ("Job Title", "title"),
        ("Phone", "phone"),
        ("Mobile", "mobile_phone"),
        ("Stage", "stage"),
        ("Industry", "account.industry"),
        ("# Employees", "account.employees"),
        ("Domain", "account.domain"),
        ("Name", "full_name"),
    ],
)
def test_contact_headers_are_recognised_ignoring_case_space_and_punctuation(
    header: str, target: str
) -> None:
    columns = resolve_columns("contacts", [header], {})
    assert columns.targets == {0: target}


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("Company", "name"),
        ("Account Name", "name"),
        ("Website", "website"),
        ("# Employees", "employees"),
    ],
)
def test_account_headers_are_recognised(header: str, target: str) -> None:
    assert resolve_columns("accounts", [header], {}).targets == {0: target}


def test_unknown_and_repeated_headers_are_ignored_and_listed() -> None:
    columns = resolve_columns("contacts", ["Email", "Favourite colour", "E-mail"], {})
    assert columns.targets == {0: "email"}
    assert columns.ignored == ["Favourite colour", "E-mail"]


def test_column_map_overrides_recognition() -> None:
    columns = resolve_columns(
        "contacts",
        ["Name", "Org", "Status", "Shoe size"],
        {"Name": "last_name", "org": "company", "Status": "-", "Shoe Size": "custom.shoe_size"},
    )
    assert columns.targets == {0: "last_name", 1: "account.name", 3: "custom.shoe_size"}
    assert columns.ignored == ["Status"]


def test_column_map_with_unknown_field_names_the_field() -> None:
    with pytest.raises(ColumnMapError, match="unknown field 'shoe'"):
        resolve_target("contacts", "shoe")


def test_column_map_naming_a_missing_header_is_an_error() -> None:
    with pytest.raises(ColumnMapError, match="not in the file: Nope"):
        resolve_columns("contacts", ["Email"], {"Nope": "email"})


def test_map_option_parses_header_field_pairs() -> None:
    assert parse_map_option("Surname=last_name, Org = company,") == {
        "Surname": "last_name",
        "Org": "company",
    }
    with pytest.raises(ColumnMapError, match="Header=field"):
        parse_map_option("Surname")


def test_normalise_keeps_hash_for_employee_counts() -> None:
    assert normalise("# Employees") == "#employees"
