"""The SOQL evaluator against an in-memory org: Salesforce semantics and error bodies (§5)."""

from __future__ import annotations

from typing import Any

import pytest
from soql_fixtures import FakeOrg

from localforce.soql import execute
from localforce.soql_ast import SoqlError


@pytest.fixture
def org() -> FakeOrg:
    org = FakeOrg()
    acme = org.add("Account", Name="Acme", Website="acme.com", AnnualRevenue=5000.0)
    org.add("Account", Name="Globex", AnnualRevenue=None)
    org.add(
        "Contact",
        FirstName="Ada",
        LastName="Lovelace",
        Email="Ada@Example.com",
        AccountId=acme["Id"],
        Birthdate="1990-05-01",
        CreatedDate="2024-03-14T09:00:00.000+0000",
    )
    org.add(
        "Contact",
        FirstName="alan",
        LastName="Turing",
        Email="alan@example.com",
        Birthdate="1985-01-01",
        CreatedDate="2024-03-13T09:00:00.000+0000",
    )
    org.add("Contact", LastName="Nobody", Email=None, CreatedDate="2023-01-01T00:00:00.000+0000")
    return org


def names(org: FakeOrg, soql: str, **kwargs: Any) -> list[str]:
    result = execute(org, soql, **kwargs)
    return [row["LastName"] for row in result.rows]


def refused(org: FakeOrg, soql: str, code: str) -> str:
    with pytest.raises(SoqlError) as caught:
        execute(org, soql)
    assert caught.value.error_code == code
    return caught.value.message


def test_text_equality_and_in_are_case_insensitive(org: FakeOrg) -> None:
    assert names(org, "SELECT LastName FROM Contact WHERE Email = 'ADA@example.COM'") == [
        "Lovelace"
    ]
    assert names(org, "SELECT LastName FROM contact WHERE email IN ('ALAN@EXAMPLE.COM')") == [
        "Turing"
    ]


def test_like_wildcards_are_case_insensitive(org: FakeOrg) -> None:
    assert names(
        org, "SELECT LastName FROM Contact WHERE FirstName LIKE 'A%' ORDER BY LastName"
    ) == [
        "Lovelace",
        "Turing",
    ]
    assert names(org, "SELECT LastName FROM Contact WHERE LastName LIKE 'tur_ng'") == ["Turing"]


def test_null_is_a_value_for_equality_but_not_ordering(org: FakeOrg) -> None:
    assert names(org, "SELECT LastName FROM Contact WHERE Email = null") == ["Nobody"]
    assert len(names(org, "SELECT LastName FROM Contact WHERE Email != null")) == 2
    assert "Nobody" in names(org, "SELECT LastName FROM Contact WHERE Email != 'x@y.com'")
    assert "Nobody" in names(org, "SELECT LastName FROM Contact WHERE Email NOT IN ('x@y.com')")
    assert names(
        org, "SELECT LastName FROM Contact WHERE Birthdate < 2000-01-01 ORDER BY LastName"
    ) == [
        "Lovelace",
        "Turing",
    ]


def test_numbers_booleans_and_datetimes(org: FakeOrg) -> None:
    result = execute(org, "SELECT Name FROM Account WHERE AnnualRevenue >= 5000")
    assert [r["Name"] for r in result.rows] == ["Acme"]
    assert len(names(org, "SELECT LastName FROM Contact WHERE IsDeleted = false")) == 3
    assert names(
        org, "SELECT LastName FROM Contact WHERE CreatedDate > 2024-03-14T08:30:00+00:00"
    ) == ["Lovelace"]
    assert names(
        org,
        "SELECT LastName FROM Contact WHERE CreatedDate < 2024-03-14T05:00:00+05:00 "
        "AND CreatedDate > 2024-01-01T00:00:00Z",
    ) == ["Turing"]


def test_date_literals_use_the_org_clock(org: FakeOrg) -> None:
    assert names(org, "SELECT LastName FROM Contact WHERE CreatedDate = TODAY") == ["Lovelace"]
    assert names(org, "SELECT LastName FROM Contact WHERE CreatedDate = YESTERDAY") == ["Turing"]
    assert names(org, "SELECT LastName FROM Contact WHERE CreatedDate < THIS_MONTH") == ["Nobody"]
    assert len(names(org, "SELECT LastName FROM Contact WHERE CreatedDate = LAST_N_DAYS:1")) == 2
    assert names(org, "SELECT LastName FROM Contact WHERE CreatedDate > YESTERDAY") == ["Lovelace"]
    assert len(names(org, "SELECT LastName FROM Contact WHERE CreatedDate = THIS_WEEK")) == 2


def test_and_or_not_with_parentheses(org: FakeOrg) -> None:
    soql = (
        "SELECT LastName FROM Contact WHERE (Email = null OR FirstName = 'ada') "
        "AND NOT LastName = 'Nobody'"
    )
    assert names(org, soql) == ["Lovelace"]


def test_parent_paths_filter_and_project_with_attributes(org: FakeOrg) -> None:
    result = execute(
        org, "SELECT Id, Account.Name, Account.Website FROM Contact WHERE Account.Name = 'acme'"
    )
    assert result.total_size == 1
    row = result.render(result.rows[0], "60.0")
    assert row["attributes"] == {
        "type": "Contact",
        "url": f"/services/data/v60.0/sobjects/Contact/{result.rows[0]['Id']}",
    }
    assert row["Account"]["attributes"]["type"] == "Account"
    assert (row["Account"]["Name"], row["Account"]["Website"]) == ("Acme", "acme.com")
    assert list(row) == ["attributes", "Id", "Account"]


def test_null_parent_renders_as_null(org: FakeOrg) -> None:
    result = execute(org, "SELECT Account.Name FROM Contact WHERE LastName = 'Turing'")
    assert result.render(result.rows[0], "60.0")["Account"] is None


def test_polymorphic_who_reads_the_name_object(org: FakeOrg) -> None:
    lead = org.add("Lead", FirstName="Grace", LastName="Hopper", Company="Navy")
    org.add("Task", Subject="Call", WhoId=lead["Id"])
    result = execute(org, "SELECT Who.Name, Who.Type FROM Task WHERE Who.Type = 'Lead'")
    who = result.render(result.rows[0], "60.0")["Who"]
    assert who == {
        "attributes": {"type": "Name", "url": f"/services/data/v60.0/sobjects/Lead/{lead['Id']}"},
        "Name": "Grace Hopper",
        "Type": "Lead",
    }


def test_ids_compare_in_15_and_18_character_forms(org: FakeOrg) -> None:
    ada = next(org.scan("Contact"))
    soql = f"SELECT LastName FROM Contact WHERE Id IN ('{ada['Id'][:15]}', '{ada['Id'].lower()}')"
    assert names(org, soql) == ["Lovelace"]


def test_order_by_is_case_insensitive_with_nulls_placement(org: FakeOrg) -> None:
    assert names(org, "SELECT LastName FROM Contact ORDER BY FirstName") == [
        "Nobody",
        "Lovelace",
        "Turing",
    ]
    assert names(org, "SELECT LastName FROM Contact ORDER BY FirstName DESC") == [
        "Turing",
        "Lovelace",
        "Nobody",
    ]
    assert names(org, "SELECT LastName FROM Contact ORDER BY FirstName ASC NULLS LAST") == [
        "Lovelace",
        "Turing",
        "Nobody",
    ]
    assert names(
        org, "SELECT LastName FROM Contact ORDER BY Account.Name DESC NULLS FIRST, LastName"
    ) == [
        "Nobody",
        "Turing",
        "Lovelace",
    ]


def test_limit_and_offset(org: FakeOrg) -> None:
    assert names(org, "SELECT LastName FROM Contact ORDER BY LastName LIMIT 2 OFFSET 1") == [
        "Nobody",
        "Turing",
    ]
    message = refused(org, "SELECT Id FROM Contact OFFSET 2001", "NUMBER_OUTSIDE_VALID_RANGE")
    assert message == "Maximum SOQL offset allowed is 2000"


def test_count_forms(org: FakeOrg) -> None:
    bare = execute(org, "SELECT COUNT() FROM Contact WHERE Email != null")
    assert (bare.total_size, bare.rows) == (2, [])
    aggregate = execute(org, "SELECT COUNT(Email) total FROM Contact")
    assert aggregate.rows == [{"attributes": {"type": "AggregateResult"}, "total": 2}]
    refused(org, "SELECT COUNT(), Id FROM Contact", "MALFORMED_QUERY")
    refused(org, "SELECT COUNT() FROM Contact ORDER BY Name", "MALFORMED_QUERY")
    message = refused(org, "SELECT Name, COUNT(Id) FROM Contact", "MALFORMED_QUERY")
    assert message.endswith("Field must be grouped or aggregated: Name")


def test_unknown_object_is_invalid_type(org: FakeOrg) -> None:
    message = refused(org, "SELECT Id FROM Widget", "INVALID_TYPE")
    assert message.startswith(
        "\nSELECT Id FROM Widget\n               ^\nERROR at Row:1:Column:16\n"
    )
    assert "sObject type 'Widget' is not supported." in message


def test_unknown_column_is_invalid_field_with_salesforce_wording(org: FakeOrg) -> None:
    message = refused(org, "SELECT Id, Foo FROM Contact", "INVALID_FIELD")
    assert message.startswith(
        "\nSELECT Id, Foo FROM Contact\n           ^\nERROR at Row:1:Column:12\n"
    )
    assert "No such column 'Foo' on entity 'Contact'." in message
    assert "No such column 'Bogus' on entity 'Account'" in refused(
        org, "SELECT Account.Bogus FROM Contact", "INVALID_FIELD"
    )
    assert "Didn't understand relationship 'Acct' in field path" in refused(
        org, "SELECT Acct.Name FROM Contact", "INVALID_FIELD"
    )
    assert "No such column 'Nope'" in refused(
        org, "SELECT Id FROM Contact WHERE Nope = 'x'", "INVALID_FIELD"
    )


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (
            "CreatedDate > '2024-01-01'",
            "must be of type dateTime and should not be enclosed in quotes",
        ),
        ("Birthdate = 2024-01-01T00:00:00Z", "must be of type date and should not be enclosed"),
        ("LastName = 5", "must be of type string and should be enclosed in quotes"),
        ("IsDeleted = 'false'", "must be of type boolean"),
    ],
)
def test_literal_of_the_wrong_type_is_invalid_field(
    org: FakeOrg, condition: str, expected: str
) -> None:
    message = refused(org, f"SELECT Id FROM Contact WHERE {condition}", "INVALID_FIELD")
    assert expected in message


def test_malformed_id_literal(org: FakeOrg) -> None:
    message = refused(
        org, "SELECT Id FROM Contact WHERE Id = 'abc'", "INVALID_QUERY_FILTER_OPERATOR"
    )
    assert message.endswith("invalid ID field: abc")


def test_indexed_conjunct_uses_lookup_not_scan(org: FakeOrg) -> None:
    soql = "SELECT Id FROM Contact WHERE LastName != 'x' AND Email IN ('ada@example.com', 'z@z.z')"
    assert execute(org, soql).total_size == 1
    assert org.lookups == [("Contact", "Email", ["ada@example.com", "z@z.z"])]


def test_disjunction_is_not_answered_by_an_index(org: FakeOrg) -> None:
    execute(org, "SELECT Id FROM Contact WHERE Email = 'a@b.c' OR LastName = 'Turing'")
    assert org.lookups == []


def test_query_all_includes_deleted_rows(org: FakeOrg) -> None:
    gone = org.add("Contact", LastName="Gone", Email="gone@example.com", IsDeleted=True)
    assert names(org, "SELECT LastName FROM Contact WHERE Email = 'gone@example.com'") == []
    everything = execute(
        org,
        "SELECT LastName, IsDeleted FROM Contact WHERE Id = '" + gone["Id"] + "'",
        include_deleted=True,
    )
    assert everything.render(everything.rows[0], "60.0")["IsDeleted"] is True


def test_checkbox_the_org_never_set_reads_false(org: FakeOrg) -> None:
    lead = org.add("Lead", LastName="Hopper", Company="Navy")
    del lead["IsConverted"]  # the real org stores records sparse
    result = execute(org, "SELECT IsConverted, Owner.IsActive FROM Lead WHERE IsConverted = false")
    assert result.total_size == 1
    assert result.render(result.rows[0], "60.0")["IsConverted"] is False
    assert result.render(result.rows[0], "60.0")["Owner"] is None


def test_object_alias_prefixes_paths(org: FakeOrg) -> None:
    soql = (
        "SELECT c.LastName, c.Account.Name FROM Contact c "
        "WHERE c.Email = 'ada@example.com' ORDER BY c.LastName"
    )
    result = execute(org, soql)
    row = result.render(result.rows[0], "60.0")
    assert (row["LastName"], row["Account"]["Name"]) == ("Lovelace", "Acme")
