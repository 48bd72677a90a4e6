"""Org-level validation with Salesforce's codes, messages and fields (reference §8, §9.2)."""

from __future__ import annotations

from typing import Any

import pytest

from localforce.duplicates import DuplicateRule
from localforce.errors import OrgError
from localforce.org import MultipleMatches, Org
from localforce.schema import build_schema


@pytest.fixture
def org() -> Org:
    rules = [
        DuplicateRule.from_config({"object": "Lead", "fields": ["Email"], "action": "alert"}, "r")
    ]
    custom = {"Contact": [{"name": "Legacy_Id__c", "type": "string", "external_id": True}]}
    return Org(build_schema(custom), rules)


def error_of(call: Any, *args: Any, **kwargs: Any) -> OrgError:
    with pytest.raises(OrgError) as caught:
        call(*args, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("sobject", "body", "code", "message", "fields"),
    [
        (
            "Contact",
            {"FirstName": "Ann"},
            "REQUIRED_FIELD_MISSING",
            "Required fields are missing: [LastName]",
            ["LastName"],
        ),
        (
            "Lead",
            {"Email": "a@b.co"},
            "REQUIRED_FIELD_MISSING",
            "Required fields are missing: [LastName, Company]",
            ["LastName", "Company"],
        ),
        (
            "Opportunity",
            {"Name": "Deal"},
            "REQUIRED_FIELD_MISSING",
            "Required fields are missing: [StageName, CloseDate]",
            ["StageName", "CloseDate"],
        ),
        (
            "Contact",
            {"LastName": "x" * 81},
            "STRING_TOO_LONG",
            f"Last Name: data value too large: {'x' * 81} (max length=80)",
            ["LastName"],
        ),
        (
            "Contact",
            {"LastName": "Doe", "Email": "lela05diaz@gmail"},
            "INVALID_EMAIL_ADDRESS",
            "Email: invalid email address: lela05diaz@gmail",
            ["Email"],
        ),
        (
            "Task",
            {"TaskSubtype": "Webinar"},
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            "Task Subtype: bad value for restricted picklist field: Webinar",
            ["TaskSubtype"],
        ),
        (
            "Contact",
            {"LastName": "Doe", "Name": "Full"},
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            "Unable to create/update fields: Name. Please check the security settings of this "
            "field and verify that it is read/write for your profile or permission set.",
            ["Name"],
        ),
        (
            "Contact",
            {"LastName": "Doe", "AccountId": "not-an-id"},
            "MALFORMED_ID",
            "Account ID: id value of incorrect type: not-an-id",
            ["AccountId"],
        ),
        (
            "Contact",
            {"LastName": "Doe", "AccountId": "001000000000000AAA"},
            "INVALID_CROSS_REFERENCE_KEY",
            "invalid cross reference id",
            [],
        ),
    ],
)
def test_validation_errors(
    org: Org, sobject: str, body: dict[str, Any], code: str, message: str, fields: list[str]
) -> None:
    error = error_of(org.insert, sobject, body).first
    assert (error.code, error.message, list(error.fields or [])) == (code, message, fields)
    assert org.count(sobject) == 0


def test_unknown_field_and_type_mismatch(org: Org) -> None:
    unknown = error_of(org.insert, "Contact", {"LastName": "Doe", "Foo__c": 1}).first
    assert (unknown.code, unknown.message) == (
        "INVALID_FIELD",
        "No such column 'Foo__c' on sobject of type Contact",
    )
    mismatch = error_of(org.insert, "Account", {"Name": "A", "NumberOfEmployees": "many"}).first
    assert mismatch.code == "JSON_PARSER_ERROR"
    assert "Cannot deserialize instance of int from VALUE_STRING value many" in mismatch.message


def test_field_names_are_case_insensitive_and_stored_canonically(org: Org) -> None:
    record_id = org.insert("contact", {"lastname": "Doe", "EMAIL": "d@x.com", "firstNAME": "Jo"})
    record = org.get(record_id)
    assert record is not None
    assert (record["LastName"], record["Email"], record["Name"]) == ("Doe", "d@x.com", "Jo Doe")
    assert record["OwnerId"] == org.user_id and record["IsDeleted"] is False
    assert (
        record["CreatedDate"].endswith("+0000")
        and record["SystemModstamp"] == record["CreatedDate"]
    )


def test_reference_of_the_wrong_type_is_a_field_integrity_exception(org: Org) -> None:
    contact = org.insert("Contact", {"LastName": "Doe"})
    error = error_of(org.insert, "Task", {"WhoId": org.insert("Account", {"Name": "A"})}).first
    assert error.code == "FIELD_INTEGRITY_EXCEPTION" and error.fields == ("WhoId",)
    assert error.message.startswith("Name ID: id value of incorrect type: 001")
    assert org.insert("Task", {"WhoId": contact[:15], "Subject": "ok"})


def test_task_with_lead_who_cannot_have_a_what(org: Org) -> None:
    lead = org.insert("Lead", {"LastName": "L", "Company": "C"})
    account = org.insert("Account", {"Name": "A"})
    error = error_of(org.insert, "Task", {"WhoId": lead, "WhatId": account}).first
    assert error.code == "FIELD_INTEGRITY_EXCEPTION"
    event = error_of(
        org.insert,
        "Event",
        {
            "WhoId": lead,
            "WhatId": account,
            "StartDateTime": "2024-01-01T10:00:00Z",
            "DurationInMinutes": 30,
        },
    )
    assert event.first.code == "FIELD_INTEGRITY_EXCEPTION"


def test_task_account_is_derived_from_what_or_who_contact(org: Org) -> None:
    account = org.insert("Account", {"Name": "A"})
    other = org.insert("Account", {"Name": "B"})
    contact = org.insert("Contact", {"LastName": "Doe", "AccountId": account})
    opportunity = org.insert(
        "Opportunity",
        {"Name": "O", "StageName": "Prospecting", "CloseDate": "2024-12-31", "AccountId": other},
    )
    by_who = org.get(org.insert("Task", {"WhoId": contact, "Status": "Completed"}))
    by_what = org.get(org.insert("Task", {"WhoId": contact, "WhatId": opportunity}))
    assert by_who and by_who["AccountId"] == account and by_who["IsClosed"] is True
    assert by_what and by_what["AccountId"] == other and by_what["IsClosed"] is False
    assert by_what["Status"] == "Not Started" and by_what["Priority"] == "Normal"


def test_opportunity_stage_derives_closed_won_and_probability(org: Org) -> None:
    opp = org.insert(
        "Opportunity",
        {"Name": "O", "StageName": "Closed Won", "CloseDate": "2024-12-31", "Amount": 1000},
    )
    record = org.get(opp)
    assert record and (record["IsClosed"], record["IsWon"], record["Probability"]) == (
        True,
        True,
        100,
    )
    org.update(opp, {"StageName": "Negotiation/Review"})
    record = org.get(opp)
    assert record and (record["IsClosed"], record["IsWon"], record["Probability"]) == (
        False,
        False,
        90,
    )
    assert record["ExpectedRevenue"] == 900


def test_event_needs_a_duration_or_end_and_derives_the_other(org: Org) -> None:
    error = error_of(org.insert, "Event", {"StartDateTime": "2024-01-01T10:00:00Z"}).first
    assert (error.code, error.fields) == ("REQUIRED_FIELD_MISSING", ("DurationInMinutes",))
    event = org.get(
        org.insert(
            "Event",
            {
                "StartDateTime": "2024-01-01T10:00:00+01:00",
                "EndDateTime": "2024-01-01T10:45:00+01:00",
            },
        )
    )
    assert event and event["DurationInMinutes"] == 45
    assert (
        event["StartDateTime"] == "2024-01-01T09:00:00.000+0000"
        and event["ActivityDate"] == "2024-01-01"
    )


def test_unique_external_id_is_case_insensitive(org: Org) -> None:
    first = org.insert("Account", {"Name": "A", "Pushforce_Id__c": "pf-1-account-1"})
    error = error_of(
        org.insert, "Account", {"Name": "B", "Pushforce_Id__c": "PF-1-ACCOUNT-1"}
    ).first
    assert error.code == "DUPLICATE_VALUE"
    assert error.message == (
        f"duplicate value found: Pushforce_Id__c duplicates value on record with id: {first[:15]}"
    )


def test_upsert_creates_then_updates_and_refuses_ambiguous_matches(org: Org) -> None:
    created = org.upsert("Contact", "Pushforce_Id__c", "pf-1", {"LastName": "A"})
    updated = org.upsert("Contact", "pushforce_id__c", "PF-1", {"LastName": "B"})
    assert created[1] is True and updated == (created[0], False)
    org.insert("Contact", {"LastName": "X", "Legacy_Id__c": "L1"})
    org.insert("Contact", {"LastName": "Y", "Legacy_Id__c": "l1"})
    with pytest.raises(MultipleMatches) as caught:
        org.upsert("Contact", "Legacy_Id__c", "L1", {"LastName": "Z"})
    assert caught.value.status == 300 and len(caught.value.record_ids) == 2


def test_converted_lead_cannot_be_updated_or_referenced(org: Org) -> None:
    lead = org.system_insert("Lead", {"LastName": "L", "Company": "C", "IsConverted": True})
    error = error_of(org.update, lead, {"Title": "CEO"}).first
    assert (error.code, error.message) == (
        "CANNOT_UPDATE_CONVERTED_LEAD",
        "cannot reference converted lead",
    )
    assert (
        error_of(org.insert, "Task", {"WhoId": lead}).first.code == "CANNOT_UPDATE_CONVERTED_LEAD"
    )


def test_deleted_records_answer_entity_is_deleted(org: Org) -> None:
    contact = org.insert("Contact", {"LastName": "Doe"})
    org.delete(contact)
    assert error_of(org.update, contact, {"LastName": "X"}).first.code == "ENTITY_IS_DELETED"
    assert error_of(org.insert, "Task", {"WhoId": contact}).first.code == "ENTITY_IS_DELETED"
    assert (
        list(org.scan("Contact")) == []
        and len(list(org.scan("Contact", include_deleted=True))) == 1
    )


def test_duplicate_rule_blocks_unless_alert_rule_allows_save(org: Org) -> None:
    org.insert("Lead", {"LastName": "A", "Company": "C", "Email": "dup@x.com"})
    error = error_of(org.insert, "Lead", {"LastName": "B", "Company": "C", "Email": "DUP@x.com"})
    result = error.first.rest()["duplicateResult"]
    assert error.first.code == "DUPLICATES_DETECTED" and result["allowSave"] is True
    assert result["matchResults"][0]["size"] == 1
    assert org.insert(
        "Lead", {"LastName": "B", "Company": "C", "Email": "dup@x.com"}, allow_save=True
    )


def test_transaction_rollback_restores_records_and_indexes(org: Org) -> None:
    kept = org.insert("Account", {"Name": "Kept", "Pushforce_Id__c": "k"})
    with org.transaction() as tx:
        org.update(kept, {"Name": "Changed", "Pushforce_Id__c": "k2"})
        org.insert("Account", {"Name": "New"})
        tx.rollback()
    assert [r["Name"] for r in org.scan("Account")] == ["Kept"]
    assert org.lookup("Account", "Pushforce_Id__c", ["k"]) == [org.get(kept)]
    assert org.lookup("Account", "Pushforce_Id__c", ["k2"]) == []


def test_indexed_lookups_by_email_name_and_website_domain(org: Org) -> None:
    account = org.insert("Account", {"Name": "Acme Inc", "Website": "https://www.Acme.com/about"})
    contact = org.insert("Contact", {"LastName": "Doe", "Email": "Jo@Acme.com"})
    assert [r["Id"] for r in org.lookup("Account", "Website", ["acme.com"]) or []] == [account]
    assert [r["Id"] for r in org.lookup("Account", "Name", ["ACME INC"]) or []] == [account]
    assert [r["Id"] for r in org.lookup("Contact", "Email", ["jo@acme.com"]) or []] == [contact]
    assert org.lookup("Contact", "Title", ["x"]) is None


def test_seeded_records_may_set_read_only_fields_and_their_id(org: Org) -> None:
    record_id = org.system_insert(
        "Lead",
        {
            "Id": "00Q8a0000000ZZZ",
            "LastName": "L",
            "Company": "C",
            "IsConverted": True,
            "CreatedDate": "2020-01-01T00:00:00Z",
        },
    )
    record = org.get(record_id)
    assert record_id == "00Q8a0000000ZZZEA2"  # 15-char input, 18-char id stored
    assert record and record["IsConverted"] is True
    assert record["CreatedDate"] == "2020-01-01T00:00:00.000+0000"
    assert (
        error_of(org.system_insert, "Lead", {"Id": "001000000000000"}).first.code == "MALFORMED_ID"
    )


def test_config_can_restrict_a_standard_picklist() -> None:
    org = Org(build_schema(restricted_picklists=["Lead.LeadSource"]))
    error = error_of(
        org.insert, "Lead", {"LastName": "L", "Company": "C", "LeadSource": "Webinar"}
    ).first
    assert (error.code, error.message, error.fields) == (
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
        "Lead Source: bad value for restricted picklist field: Webinar",
        ("LeadSource",),
    )
    assert org.insert("Lead", {"LastName": "L", "Company": "C", "LeadSource": "Web"})


def test_deleting_an_account_cascades_like_salesforce(org: Org) -> None:
    account = org.insert("Account", {"Name": "A"})
    contact = org.insert("Contact", {"LastName": "C", "AccountId": account})
    opportunity = org.insert(
        "Opportunity",
        {"Name": "O", "StageName": "Prospecting", "CloseDate": "2024-12-31", "AccountId": account},
    )
    role = org.insert(
        "OpportunityContactRole", {"OpportunityId": opportunity, "ContactId": contact}
    )
    task = org.insert("Task", {"WhoId": contact, "WhatId": account})
    other = org.insert("Contact", {"LastName": "Elsewhere"})
    with org.transaction() as tx:
        org.delete(account)
        gone = [r["Id"] for r in org.scan("Contact", True) if r["IsDeleted"]]
        assert gone == [contact]
        assert all(org.get(i)["IsDeleted"] for i in (opportunity, role, task))  # type: ignore[index]
        tx.rollback()
    assert not any(org.get(i)["IsDeleted"] for i in (account, contact, opportunity, role, task))  # type: ignore[index]
    org.delete(contact)
    assert org.get(task)["IsDeleted"] and org.get(role)["IsDeleted"]  # type: ignore[index]
    assert not org.get(other)["IsDeleted"] and not org.get(account)["IsDeleted"]  # type: ignore[index]


def test_reference_fields_are_indexed_with_15_char_ids(org: Org) -> None:
    account = org.insert("Account", {"Name": "A"})
    contact = org.insert("Contact", {"LastName": "C", "AccountId": account})
    assert [r["Id"] for r in org.lookup("Contact", "AccountId", [account[:15]]) or []] == [contact]
    org.update(contact, {"AccountId": None})
    assert org.lookup("Contact", "AccountId", [account]) == []


def test_opportunity_contact_becomes_the_primary_role_and_primaries_stay_single(org: Org) -> None:
    first = org.insert("Contact", {"LastName": "First"})
    second = org.insert("Contact", {"LastName": "Second"})
    opp = org.insert(
        "Opportunity",
        {"Name": "O", "StageName": "Prospecting", "CloseDate": "2024-12-31", "ContactId": first},
    )
    [role] = org.lookup("OpportunityContactRole", "OpportunityId", [opp]) or []
    assert (role["ContactId"], role["IsPrimary"]) == (first, True)
    new_role = org.insert(
        "OpportunityContactRole",
        {"OpportunityId": opp, "ContactId": second, "IsPrimary": True, "Role": "Decision Maker"},
    )
    assert org.get(role["Id"])["IsPrimary"] is False  # type: ignore[index]
    assert org.get(new_role)["IsPrimary"] is True  # type: ignore[index]
    assert org.get(opp)["ContactId"] == second  # type: ignore[index]
    refused = error_of(org.update, opp, {"ContactId": first}).first
    assert refused.code == "INVALID_FIELD_FOR_INSERT_UPDATE"


def test_all_day_event_spans_its_date(org: Org) -> None:
    event = org.get(
        org.insert(
            "Event", {"IsAllDayEvent": True, "ActivityDate": "2024-03-01", "Subject": "Offsite"}
        )
    )
    assert event and (event["DurationInMinutes"], event["StartDateTime"]) == (
        1440,
        "2024-03-01T00:00:00.000+0000",
    )
    assert (
        error_of(org.insert, "Event", {"IsAllDayEvent": True}).first.code
        == "REQUIRED_FIELD_MISSING"
    )
