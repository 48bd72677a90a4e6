"""Every validation error issue 3 lists, through simple-salesforce over HTTPS, with Salesforce's
exact code, message and fields (reference §8): on create and on update, in the single-record
array form and in the collections/bulk ``statusCode`` form; and DUPLICATE_EXTERNAL_ID where a
several-match upsert cannot answer 300."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

from localforce.testing import ControlClient

POLL = 0.05
READ_ONLY = (
    "Please check the security settings of this field and verify that it is read/write for "
    "your profile or permission set."
)

CREATE_ERRORS = [
    (
        "Contact",
        {"FirstName": "A"},
        "REQUIRED_FIELD_MISSING",
        "Required fields are missing: [LastName]",
        ["LastName"],
    ),
    (
        "Contact",
        {"LastName": "x" * 81},
        "STRING_TOO_LONG",
        f"Last Name: data value too large: {'x' * 81} (max length=80)",
        ["LastName"],
    ),
    (
        "Lead",
        {"LastName": "L", "Company": "C", "Email": "nope@"},
        "INVALID_EMAIL_ADDRESS",
        "Email: invalid email address: nope@",
        ["Email"],
    ),
    (
        "Task",
        {"TaskSubtype": "Fax"},
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
        "Task Subtype: bad value for restricted picklist field: Fax",
        ["TaskSubtype"],
    ),
    (
        "Contact",
        {"LastName": "D", "IsDeleted": True},
        "INVALID_FIELD_FOR_INSERT_UPDATE",
        f"Unable to create/update fields: IsDeleted. {READ_ONLY}",
        ["IsDeleted"],
    ),
    (
        "Contact",
        {"LastName": "D", "AccountId": "xyz"},
        "MALFORMED_ID",
        "Account ID: id value of incorrect type: xyz",
        ["AccountId"],
    ),
    (
        "Contact",
        {"LastName": "D", "AccountId": "001000000000000"},
        "INVALID_CROSS_REFERENCE_KEY",
        "invalid cross reference id",
        [],
    ),
    (
        "Task",
        {"WhoId": "001000000000000AAA"},
        "FIELD_INTEGRITY_EXCEPTION",
        "Name ID: id value of incorrect type: 001000000000000AAA",
        ["WhoId"],
    ),
]


@pytest.mark.parametrize(("sobject", "body", "code", "message", "fields"), CREATE_ERRORS)
def test_create_errors_carry_salesforce_code_message_and_fields(
    sf: Any,
    control: ControlClient,
    sobject: str,
    body: dict[str, Any],
    code: str,
    message: str,
    fields: list[str],
) -> None:
    with pytest.raises(SalesforceMalformedRequest) as caught:
        getattr(sf, sobject).create(body)
    assert caught.value.status == 400
    assert caught.value.content == [{"message": message, "errorCode": code, "fields": fields}]
    assert control.records(sobject) == []


@pytest.mark.parametrize(("sobject", "body", "code", "message", "fields"), CREATE_ERRORS)
def test_collections_report_the_same_error_as_status_code(
    sf: Any, sobject: str, body: dict[str, Any], code: str, message: str, fields: list[str]
) -> None:
    records = [{"attributes": {"type": sobject}, **body}]
    [result] = sf.restful("composite/sobjects", method="POST", json={"records": records})
    assert result == {
        "success": False,
        "errors": [{"statusCode": code, "message": message, "fields": fields}],
    }


@pytest.mark.parametrize(
    ("change", "code", "message", "fields"),
    [
        (
            {"LastName": None},
            "REQUIRED_FIELD_MISSING",
            "Required fields are missing: [LastName]",
            ["LastName"],
        ),
        (
            {"Title": "t" * 129},
            "STRING_TOO_LONG",
            f"Title: data value too large: {'t' * 129} (max length=128)",
            ["Title"],
        ),
        (
            {"Email": "a@b@c"},
            "INVALID_EMAIL_ADDRESS",
            "Email: invalid email address: a@b@c",
            ["Email"],
        ),
        (
            {"CreatedDate": "2024-01-01T00:00:00Z"},
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            f"Unable to create/update fields: CreatedDate. {READ_ONLY}",
            ["CreatedDate"],
        ),
        (
            {"AccountId": "001000000000000AAA"},
            "INVALID_CROSS_REFERENCE_KEY",
            "invalid cross reference id",
            [],
        ),
    ],
)
def test_update_errors_leave_the_record_unchanged(
    sf: Any,
    control: ControlClient,
    change: dict[str, Any],
    code: str,
    message: str,
    fields: list[str],
) -> None:
    record_id = sf.Contact.create({"LastName": "Doe", "Email": "doe@x.com"})["id"]
    before = control.record(record_id)
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Contact.update(record_id, change)
    assert caught.value.content == [{"message": message, "errorCode": code, "fields": fields}]
    assert control.record(record_id) == before


def test_create_only_field_is_refused_on_update(sf: Any, control: ControlClient) -> None:
    """Opportunity.ContactId can be set on create only (it makes the primary contact role)."""
    contact = sf.Contact.create({"LastName": "Doe"})["id"]
    deal = sf.Opportunity.create(
        {"Name": "D", "StageName": "Prospecting", "CloseDate": "2024-06-30", "ContactId": contact}
    )["id"]
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Opportunity.update(deal, {"ContactId": contact})
    assert caught.value.content == [
        {
            "message": f"Unable to create/update fields: ContactId. {READ_ONLY}",
            "errorCode": "INVALID_FIELD_FOR_INSERT_UPDATE",
            "fields": ["ContactId"],
        }
    ]


def test_duplicate_value_names_the_field_and_the_15_character_id(sf: Any) -> None:
    first = sf.Contact.create({"LastName": "A", "Pushforce_Id__c": "pf-1"})["id"]
    other = sf.Contact.create({"LastName": "B"})["id"]
    expected = [
        {
            "message": "duplicate value found: Pushforce_Id__c duplicates value on record with "
            f"id: {first[:15]}",
            "errorCode": "DUPLICATE_VALUE",
            "fields": [],
        }
    ]
    with pytest.raises(SalesforceMalformedRequest) as on_create:
        sf.Contact.create({"LastName": "C", "Pushforce_Id__c": "PF-1"})
    assert on_create.value.content == expected
    with pytest.raises(SalesforceMalformedRequest) as on_update:
        sf.Contact.update(other, {"Pushforce_Id__c": "Pf-1"})
    assert on_update.value.content == expected


def test_task_on_a_lead_with_a_what_is_field_integrity_exception(
    sf: Any, control: ControlClient
) -> None:
    lead = sf.Lead.create({"LastName": "L", "Company": "C"})["id"]
    account = sf.Account.create({"Name": "A"})["id"]
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Task.create({"WhoId": lead, "WhatId": account, "Subject": "Call"})
    [error] = caught.value.content
    assert (error["errorCode"], error["fields"]) == ("FIELD_INTEGRITY_EXCEPTION", ["WhatId"])
    task = sf.Task.create({"WhoId": lead, "Subject": "Call"})["id"]
    with pytest.raises(SalesforceMalformedRequest):
        sf.Task.update(task, {"WhatId": account})
    stored = control.record(task)
    assert stored and stored.get("WhatId") is None


def test_json_parser_error_for_a_type_mismatch_and_for_bad_json(sf: Any) -> None:
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Account.create({"Name": "A", "NumberOfEmployees": "many"})
    assert caught.value.content == [
        {
            "message": "Cannot deserialize instance of int from VALUE_STRING value many or "
            "request may be missing a required field",
            "errorCode": "JSON_PARSER_ERROR",
        }
    ]
    with pytest.raises(SalesforceMalformedRequest) as not_json:
        sf.restful("sobjects/Account", method="POST", data="{bad json")
    assert not_json.value.content[0]["errorCode"] == "JSON_PARSER_ERROR"


def test_several_external_id_matches_are_duplicate_external_id_in_batches(
    sf: Any, control: ControlClient
) -> None:
    """Single-record upsert answers 300; collections and bulk report DUPLICATE_EXTERNAL_ID."""
    control.seed(
        {
            "Contact": [
                {"LastName": "X", "Legacy_Id__c": "L1"},
                {"LastName": "Y", "Legacy_Id__c": "L1"},
            ]
        }
    )
    records = [{"attributes": {"type": "Contact"}, "LastName": "Z", "Legacy_Id__c": "l1"}]
    [result] = sf.restful(
        "composite/sobjects/Contact/Legacy_Id__c", method="PATCH", json={"records": records}
    )
    assert result["errors"] == [
        {
            "statusCode": "DUPLICATE_EXTERNAL_ID",
            "message": "A user-specified external ID matches more than one record during an "
            "upsert.",
            "fields": [],
        }
    ]
    [job] = sf.bulk2.Contact.upsert(
        records=[{"LastName": "Z", "Legacy_Id__c": "L1"}],
        external_id_field="Legacy_Id__c",
        wait=POLL,
    )
    [failed] = list(csv.DictReader(io.StringIO(sf.bulk2.Contact.get_failed_records(job["job_id"]))))
    assert failed["sf__Error"].startswith("DUPLICATE_EXTERNAL_ID:")
    assert sorted(r["LastName"] for r in control.records("Contact")) == ["X", "Y"]
