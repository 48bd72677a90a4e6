"""Any text sent as SOQL gets a result or a Salesforce error body, never an internal error."""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from soql_fixtures import FakeOrg

from localforce.soql import execute
from localforce.soql_ast import SoqlError

TOKENS = [
    "SELECT",
    "FROM",
    "WHERE",
    "AND",
    "OR",
    "NOT",
    "IN",
    "LIKE",
    "ORDER BY",
    "ASC",
    "DESC",
    "NULLS FIRST",
    "NULLS LAST",
    "LIMIT",
    "OFFSET",
    "COUNT()",
    "COUNT(Id)",
    "Id",
    "Name",
    "Email",
    "Account.Name",
    "Who.Name",
    "Who.Type",
    "IsDeleted",
    "CreatedDate",
    "Birthdate",
    "AnnualRevenue",
    "Contact",
    "Account",
    "Task",
    "Lead",
    "Widget",
    "Foo",
    "=",
    "!=",
    "<>",
    "<",
    "<=",
    ">",
    ">=",
    "(",
    ")",
    ",",
    "'a'",
    "'A%'",
    "'x\\'y'",
    "null",
    "true",
    "false",
    "5",
    "-1.5",
    "2024-01-31",
    "2024-01-31T10:00:00Z",
    "TODAY",
    "LAST_N_DAYS:3",
    "NEXT_WEEK",
    "'003000000000000AAA'",
    "c",
    ".",
    "'",
    "\\",
    "\n",
    "$",
]
VALID_PREFIXES = ["", "SELECT Id FROM Contact WHERE ", "SELECT Name FROM Account ", "SELECT "]

soql_text = st.builds(
    lambda prefix, parts: prefix + " ".join(parts),
    st.sampled_from(VALID_PREFIXES),
    st.lists(st.sampled_from(TOKENS), max_size=14),
)


def org_with_rows() -> FakeOrg:
    org = FakeOrg()
    account = org.add("Account", Name="Acme", AnnualRevenue=10.0)
    contact = org.add("Contact", LastName="Doe", Email="a@x.com", AccountId=account["Id"])
    org.add("Task", Subject="Call", WhoId=contact["Id"], WhatId=account["Id"])
    return org


ORG = org_with_rows()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(soql_text)
def test_any_text_yields_rows_or_a_soql_error(text: str) -> None:
    try:
        result = execute(ORG, text)
    except SoqlError as error:
        assert error.error_code.isupper() and error.message
        return
    for row in result.rows:
        result.render(row, "60.0")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_unicode_after_select(text: str) -> None:
    with contextlib.suppress(SoqlError):
        execute(ORG, "SELECT Id FROM Contact WHERE " + text)


FIELDS = [
    "Id",
    "Name",
    "Email",
    "Account.Name",
    "AccountId",
    "IsDeleted",
    "CreatedDate",
    "Birthdate",
    "Account.AnnualRevenue",
    "Owner.Name",
    "Foo",
    "Account.Bogus",
]
OPERATORS = ["=", "!=", "<", "<=", ">", ">=", "LIKE", "IN", "NOT IN"]
VALUES = [
    "'a@x.com'",
    "'%oe'",
    "null",
    "true",
    "5",
    "-2.5",
    "2024-01-31",
    "2024-01-31T10:00:00Z",
    "TODAY",
    "LAST_N_DAYS:2",
    "'003000000000000AAA'",
    "'bad id'",
    "('a@x.com', 'B@X.COM')",
    "(5, 6)",
    "(null)",
]
comparison = st.builds(
    lambda f, o, v: f"{f} {o} {v}",
    st.sampled_from(FIELDS),
    st.sampled_from(OPERATORS),
    st.sampled_from(VALUES),
)
where = st.builds(
    lambda first, joiner, rest: " ".join([first, *[f"{joiner} {r}" for r in rest]]),
    comparison,
    st.sampled_from(["AND", "OR"]),
    st.lists(comparison, max_size=3),
)


@settings(max_examples=400, deadline=None)
@given(where, st.sampled_from(FIELDS), st.booleans())
def test_well_formed_conditions_of_every_type(condition: str, order: str, deleted: bool) -> None:
    text = f"SELECT Id, Name, Account.Name FROM Contact WHERE {condition} ORDER BY {order} LIMIT 5"
    try:
        result = execute(ORG, text, include_deleted=deleted)
    except SoqlError as error:
        assert error.error_code in {
            "INVALID_FIELD",
            "MALFORMED_QUERY",
            "INVALID_QUERY_FILTER_OPERATOR",
        }, error.message
        return
    assert result.total_size <= 5
    for row in result.rows:
        result.render(row, "60.0")


class ScanOnlyOrg(FakeOrg):
    """The same org without indexes: every query scans."""

    def lookup(self, sobject: str, field: str, values: Any, include_deleted: bool = False) -> None:
        return None


def people(org: FakeOrg) -> FakeOrg:
    for i in range(40):
        email = None if i % 7 == 0 else f"P{i % 13}@Example.com"
        org.add("Contact", LastName=f"L{i % 5}", Email=email, IsDeleted=i % 11 == 0)
    return org


INDEXED, SCANNED = people(FakeOrg()), people(ScanOnlyOrg())
emails = st.lists(st.integers(0, 15).map(lambda i: f"'p{i}@EXAMPLE.com'"), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(
    emails,
    st.sampled_from(["", " AND LastName != 'L1'", " AND (LastName = 'L2' OR Id != null)"]),
    st.booleans(),
)
def test_index_look_up_returns_what_a_full_scan_returns(
    values: list[str], rest: str, deleted: bool
) -> None:
    text = f"SELECT Id FROM Contact WHERE Email IN ({', '.join(values)}){rest} ORDER BY Id"
    by_index = execute(INDEXED, text, include_deleted=deleted)
    by_scan = execute(SCANNED, text, include_deleted=deleted)
    assert [r["Id"] for r in by_index.rows] == [r["Id"] for r in by_scan.rows]
