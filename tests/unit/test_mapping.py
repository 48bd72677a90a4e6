"""Record values → Salesforce values (R7, R15): types, blanks, the compiled field-map cache."""

from __future__ import annotations

import base64
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from pushforce.core.decisions import Writes
from pushforce.core.mapping import (
    _COMPILED,
    changed_fields,
    clip,
    compiled_map,
    create_and_match,
    email_to_write,
    is_blank,
    note_content,
    salesforce_value,
)
from pushforce.core.records import Contact, Link
from pushforce.core.settings import PushSettings


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("text", "text"),
        (5, 5),
        (1.5, 1.5),
        (True, True),
        (None, None),
        (date(2026, 1, 2), "2026-01-02"),
        (datetime(2026, 1, 2, 3, 4, 5), "2026-01-02T03:04:05.000+0000"),
        (
            datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2))),
            "2026-01-02T01:04:05.000+0000",
        ),
        (Decimal("12.00"), 12),
        (Decimal("12.34"), 12.34),
        (["a", "b"], ["a", "b"]),  # a custom value of another type passes through
    ],
)
def test_salesforce_values(value: object, expected: object) -> None:
    assert salesforce_value(value) == expected


@pytest.mark.parametrize(
    ("value", "blank"), [(None, True), ("", True), (" \n", True), ("x", False), (0, False)]
)
def test_blanks(value: object, blank: bool) -> None:
    assert is_blank(value) is blank


@pytest.mark.parametrize(
    ("status", "push_guessed", "expected"),
    [
        ("verified", False, "a@x.io"),
        ("guessed", False, None),
        ("guessed", True, "a@x.io"),
        ("unavailable", True, None),
    ],
)
def test_R7_email_to_write(status: str, push_guessed: bool, expected: str | None) -> None:
    contact = Contact(1, 1, email=" a@x.io ", email_status=status)  # type: ignore[arg-type]
    assert email_to_write(contact, push_guessed) == expected
    assert email_to_write(Contact(1, 1, email=None), True) is None


def test_R15_create_and_match_in_one_pass() -> None:
    field_map = PushSettings.model_validate(
        {
            "fields": {
                "account": [
                    {"field": "name", "salesforce_field": "Name"},
                    {"field": "website", "salesforce_field": "Website", "mode": "fill_if_empty"},
                    {"field": "phone", "salesforce_field": "Phone", "mode": "create_only"},
                    {"field": "industry", "salesforce_field": "Industry", "mode": "never"},
                ]
            }
        }
    ).fields.account
    sources = {"name": "Acme", "website": "acme.com", "phone": "1", "industry": "Tech"}
    payload, writes = create_and_match(sources, field_map)
    assert payload == {"Name": "Acme", "Website": "acme.com", "Phone": "1"}
    assert writes == Writes({"Name": "Acme"}, {"Website": "acme.com"})


def test_compiled_maps_are_cached_per_field_map_and_bounded() -> None:
    maps = [PushSettings().fields.contact for _ in range(300)]
    first = compiled_map(maps[0])
    assert compiled_map(maps[0]) is first
    for field_map in maps:
        compiled_map(field_map)
    assert len(_COMPILED) <= 257
    assert compiled_map(maps[0]) == first


def test_changed_fields_and_helpers() -> None:
    link = Link("Task", "00T000000000000001", {"Subject": "a", "Status": "Completed"})
    assert changed_fields({"Subject": "b", "Status": "Completed", "Description": ""}, link) == {
        "Subject": "b"
    }
    assert changed_fields({"Subject": "b"}, None) == {"Subject": "b"}
    assert clip(None) is None and clip("abc", 2) == "ab"
    assert base64.b64decode(note_content("a & b\r\nc")).decode() == "a &amp; b<br>c"
    assert note_content(None) == ""
