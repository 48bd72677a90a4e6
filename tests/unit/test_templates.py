"""Title templates: `{{name}}` only, never evaluated (PRODUCT.md §3, reliability §3.6)."""

from __future__ import annotations

import pytest

from pushforce.core.templates import (
    SUBJECT_MAX,
    TEMPLATE_MAX,
    VARIABLES,
    TemplateError,
    Var,
    compiled,
    one_line,
    parse,
    render,
)


def test_parse_splits_literals_and_variables() -> None:
    template = parse("Email: {{ subject }} from {{sender_name}}")
    assert template.segments == ("Email: ", Var("subject"), " from ", Var("sender_name"))
    assert template.names == {"subject", "sender_name"}


def test_every_documented_variable_is_accepted() -> None:
    source = " ".join(f"{{{{{name}}}}}" for name in sorted(VARIABLES))
    assert parse(source).names == VARIABLES
    assert len(VARIABLES) == 16


@pytest.mark.parametrize(
    ("source", "complaint"),
    [
        ("{{nope}}", "unknown variable 'nope'"),
        ("{{subject|upper}}", "not a plain placeholder"),
        ("{{ subject.__class__ }}", "not a plain placeholder"),
        ("{{ 7*7 }}", "not a plain placeholder"),
        ("{{ }}", "not a plain placeholder"),
        ("{% for x in y %}", "'{%' is not allowed"),
        ("{# comment #}", "'{#' is not allowed"),
        ("Email: {{subject", "'{{' is not allowed"),
        ("Email: subject}}", "'}}' is not allowed"),
        ("x" * (TEMPLATE_MAX + 1), f"at most {TEMPLATE_MAX} characters"),
    ],
)
def test_anything_but_text_and_names_is_rejected(source: str, complaint: str) -> None:
    with pytest.raises(TemplateError) as error:
        parse(source)
    assert any(complaint in problem for problem in error.value.problems)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(TemplateError) as error:
        parse("{{a}} {{b}} {%")
    assert len(error.value.problems) == 3


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("Email: {{subject}}", {"subject": "Hello"}, "Email: Hello"),
        ("Email: {{subject}}", {}, "Email: "),
        ("Email: {{subject}}", {"subject": None}, "Email: "),
        ("{{duration}}", {"duration": 42}, "42"),
        ("{{subject}}", {"subject": "a\nb\r\nc\u2028d"}, "a b c d"),
        ("{{subject}}", {"subject": "{{owner_name}}"}, "{{owner_name}}"),  # values are data
        ("plain", {}, "plain"),
        ("", {}, ""),
    ],
)
def test_render(source: str, values: dict[str, object], expected: str) -> None:
    assert render(parse(source), values) == expected


def test_render_cuts_to_the_subject_length() -> None:
    assert len(render(parse("{{subject}}"), {"subject": "x" * 1000})) == SUBJECT_MAX


def test_one_line_and_cache() -> None:
    assert one_line("") == ""
    assert one_line("a\n") == "a"
    assert compiled("{{date}}") is compiled("{{date}}")
