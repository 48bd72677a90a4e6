"""The SOQL grammar: each construct of the reference §5 subset, and each syntax error."""

from __future__ import annotations

import pytest

from localforce.soql_ast import And, Compare, Count, FieldRef, InList, Like, Not, Or, SoqlError
from localforce.soql_filter import like_regex
from localforce.soql_parser import parse, unescape


def where(condition: str):  # type: ignore[no-untyped-def]
    return parse(f"SELECT Id FROM Contact WHERE {condition}").where


def malformed(text: str) -> SoqlError:
    with pytest.raises(SoqlError) as caught:
        parse(text)
    assert caught.value.error_code == "MALFORMED_QUERY"
    return caught.value


def test_field_list_with_parent_paths_and_positions() -> None:
    query = parse("SELECT Id, Account.Name, Who.Name FROM Task")
    assert query.items == (
        FieldRef(("Id",), query.items[0].pos),
        FieldRef(("Account", "Name"), query.items[1].pos),
        FieldRef(("Who", "Name"), query.items[2].pos),
    )
    assert (query.items[1].pos.row, query.items[1].pos.column) == (1, 12)
    assert query.sobject == "Task"
    assert (query.where, query.order, query.limit, query.offset) == (None, (), None, None)


def test_keywords_are_case_insensitive() -> None:
    query = parse("select id from contact where email = 'a' order by id desc limit 3 offset 1")
    assert query.sobject == "contact"
    assert query.limit == 3 and query.offset == 1
    assert query.order[0].descending


@pytest.mark.parametrize("op", ["=", "!=", "<", ">", "<=", ">="])
def test_comparison_operators(op: str) -> None:
    condition = where(f"Amount {op} 5")
    assert isinstance(condition, Compare)
    assert condition.op == op and condition.value.value == 5


def test_not_equal_alias_is_normalised() -> None:
    assert where("Name <> 'x'").op == "!="


@pytest.mark.parametrize(
    ("literal", "kind", "value"),
    [
        ("'O\\'Brien'", "string", "O'Brien"),
        ("-12.5", "number", -12.5),
        ("42", "number", 42),
        ("true", "boolean", True),
        ("FALSE", "boolean", False),
        ("null", "null", None),
        ("2024-01-31", "date", "2024-01-31"),
        ("2024-01-31T10:00:00Z", "datetime", "2024-01-31T10:00:00.000+0000"),
        ("2024-01-31T10:00:00+02:00", "datetime", "2024-01-31T08:00:00.000+0000"),
        ("2024-01-31T10:00:00.250-05:00", "datetime", "2024-01-31T15:00:00.250+0000"),
        ("TODAY", "date_literal", ("TODAY", None)),
        ("last_n_days:30", "date_literal", ("LAST_N_DAYS", 30)),
    ],
)
def test_literals(literal: str, kind: str, value: object) -> None:
    condition = where(f"X = {literal}")
    assert (condition.value.kind, condition.value.value) == (kind, value)


def test_in_and_not_in_lists() -> None:
    positive = where("Email IN ('a@x.com', 'b@x.com')")
    negative = where("Email NOT IN ('a@x.com')")
    assert isinstance(positive, InList) and not positive.negated
    assert [v.value for v in positive.values] == ["a@x.com", "b@x.com"]
    assert isinstance(negative, InList) and negative.negated


def test_like() -> None:
    condition = where("Name LIKE 'Ac%'")
    assert isinstance(condition, Like) and condition.value.value == "Ac%"


def test_and_or_not_with_parentheses() -> None:
    condition = where("A = 1 AND (B = 2 OR NOT C = 3) AND D = 4")
    assert isinstance(condition, And) and len(condition.items) == 3
    middle = condition.items[1]
    assert isinstance(middle, Or)
    assert isinstance(middle.items[1], Not)


def test_mixing_and_with_or_needs_parentheses() -> None:
    error = malformed("SELECT Id FROM Contact WHERE A = 1 AND B = 2 OR C = 3")
    assert error.message.endswith("unexpected token: 'OR'")


def test_order_by_directions_and_nulls_defaults() -> None:
    order = parse(
        "SELECT Id FROM Contact ORDER BY Name, Email DESC, Phone ASC NULLS LAST, "
        "Title DESC NULLS FIRST"
    ).order
    assert [(o.field.text, o.descending, o.nulls_first) for o in order] == [
        ("Name", False, True),
        ("Email", True, False),
        ("Phone", False, False),
        ("Title", True, True),
    ]


def test_count_forms() -> None:
    bare = parse("SELECT COUNT() FROM Lead").items[0]
    field = parse("SELECT COUNT(Id) total FROM Lead").items[0]
    assert isinstance(bare, Count) and bare.field is None
    assert isinstance(field, Count) and field.field.text == "Id" and field.alias == "total"


def test_error_message_has_salesforce_caret_shape() -> None:
    error = malformed("SELECT Id, FROM")
    assert error.message == (
        "\nSELECT Id, FROM\n               ^\nERROR at Row:1:Column:16\nunexpected token: '<EOF>'"
    )


@pytest.mark.parametrize(
    "text",
    [
        "SELECT FROM Contact",
        "SELECT Id Contact",
        "SELECT Id FROM Contact WHERE",
        "SELECT Id FROM Contact WHERE Name = ",
        "SELECT Id FROM Contact WHERE Name = 'unterminated",
        "SELECT Id FROM Contact WHERE Email IN ()",
        "SELECT Id FROM Contact LIMIT x",
        "SELECT Id FROM Contact ORDER Name",
        "SELECT Id FROM Contact WHERE (Name = 'a'",
        "SELECT Id FROM Contact WHERE Name = 'a' extra",
        "SELECT Id FROM Contact WHERE CreatedDate > 2024-13-45",
        "DELETE FROM Contact",
        "",
    ],
)
def test_malformed_queries(text: str) -> None:
    error = malformed(text)
    assert "ERROR at Row:" in error.message and "unexpected token" in error.message


def test_multi_line_query_reports_row_and_column() -> None:
    error = malformed("SELECT Id\nFROM Contact\nWHERE Name == 'a'")
    assert "ERROR at Row:3:Column:" in error.message
    assert error.message.startswith("\nWHERE Name == 'a'\n")


def test_query_longer_than_100000_characters_is_refused() -> None:
    error = malformed("SELECT Id FROM Contact WHERE Name IN (" + ",".join(["'x'"] * 30000) + ")")
    assert "100,000 characters" in error.message


def test_string_escapes() -> None:
    assert unescape(r"'a\'b\\c\nd'") == "a'b\\c\nd"


def test_like_escapes_keep_percent_and_underscore_literal() -> None:
    assert like_regex(r"50\%_off%").pattern == r"50%.off.*"


def test_two_hundred_value_in_list_parses() -> None:
    values = ", ".join(f"'user{i}@example.com'" for i in range(200))
    condition = where(f"Email IN ({values})")
    assert len(condition.values) == 200


def test_object_alias_is_optional_and_keywords_are_not_aliases() -> None:
    assert parse("SELECT c.Id FROM Contact c WHERE c.Name = 'x'").alias == "c"
    assert parse("SELECT Id FROM Contact WHERE Name = 'x'").alias is None
    assert parse("SELECT Id FROM Contact ORDER BY Name LIMIT 1").alias is None


def test_long_in_lists_keep_every_value_and_position() -> None:
    values = ", ".join(f"'user{i}@example.com'" for i in range(20))
    text = f"SELECT Id FROM Contact WHERE Email IN ({values}) AND Name = 'x'"
    condition = parse(text).where
    in_list, name = condition.items
    assert [v.value for v in in_list.values] == [f"user{i}@example.com" for i in range(20)]
    third = in_list.values[2]
    assert text[third.pos.column - 1 :].startswith("'user2@example.com'")
    assert text[name.value.pos.column - 1 :] == "'x'"


def test_error_after_a_long_in_list_points_at_the_right_column() -> None:
    values = ", ".join(f"'v{i}'" for i in range(20))
    text = f"SELECT Id FROM Contact WHERE Email IN ({values}) AND Name == 'x'"
    error = malformed(text)
    assert f"Column:{text.index('==') + 2}\n" in error.message


def test_in_list_text_inside_a_string_literal_stays_text() -> None:
    inner = ", ".join(f"\\'v{i}\\'" for i in range(10))
    condition = where(f"Description = 'see IN ({inner})'")
    assert condition.value.value == "see IN (" + ", ".join(f"'v{i}'" for i in range(10)) + ")"


def test_escaped_values_in_long_lists() -> None:
    values = ", ".join(["'O\\'Brien'"] * 10)
    condition = where(f"LastName IN ({values})")
    assert {v.value for v in condition.values} == {"O'Brien"}
