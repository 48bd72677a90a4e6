"""Single-record REST through simple-salesforce, unmodified, over HTTPS (reference §2, §8)."""

from __future__ import annotations

import http.client
import ssl
from typing import Any
from urllib.parse import urlsplit

import pytest
from simple_salesforce.exceptions import (
    SalesforceMalformedRequest,
    SalesforceMoreThanOneRecord,
    SalesforceResourceNotFound,
)

from localforce.testing import ControlClient, RunningServer


def test_create_returns_201_body_and_stores_system_fields(sf: Any, control: ControlClient) -> None:
    result = sf.Contact.create({"lastname": "Doe", "EMAIL": "doe@example.com"})
    assert result == {"id": result["id"], "success": True, "errors": []}
    assert result["id"].startswith("003") and len(result["id"]) == 18
    stored = control.record(result["id"])
    assert stored and stored["LastName"] == "Doe" and stored["Email"] == "doe@example.com"
    for field in ("CreatedDate", "LastModifiedDate", "SystemModstamp", "CreatedById", "OwnerId"):
        assert stored[field]


def test_get_returns_attributes_every_field_and_canonical_names(sf: Any) -> None:
    record_id = sf.Contact.create({"LastName": "Doe"})["id"]
    record = sf.Contact.get(record_id[:15])
    assert record["attributes"] == {
        "type": "Contact",
        "url": f"/services/data/v60.0/sobjects/Contact/{record_id}",
    }
    assert record["Id"] == record_id and record["IsDeleted"] is False
    assert record["Email"] is None and record["LastName"] == "Doe"
    assert set(sf.Contact.describe()["fields"][i]["name"] for i in range(5)) <= set(record)
    only = sf.Contact.get(record_id, params={"fields": "lastname,Id"})
    assert list(only) == ["attributes", "LastName", "Id"]


def test_update_returns_204_and_changes_state(sf: Any, control: ControlClient) -> None:
    record_id = sf.Account.create({"Name": "Acme"})["id"]
    assert sf.Account.update(record_id, {"website": "acme.com"}) == 204
    stored = control.record(record_id)
    assert stored and stored["Website"] == "acme.com" and stored["Name"] == "Acme"


ENTITY_IS_DELETED = [
    {"message": "entity is deleted", "errorCode": "ENTITY_IS_DELETED", "fields": []}
]


def test_deleted_record_is_entity_is_deleted_on_get_update_and_delete(sf: Any) -> None:
    """A record in the recycle bin answers 404 ENTITY_IS_DELETED, not NOT_FOUND (§8, §11.3)."""
    record_id = sf.Lead.create({"LastName": "L", "Company": "C"})["id"]
    assert sf.Lead.delete(record_id) == 204
    for call in (
        lambda: sf.Lead.get(record_id),
        lambda: sf.Lead.get(record_id[:15], params={"fields": "Id"}),
        lambda: sf.Lead.update(record_id, {"Company": "D"}),
        lambda: sf.Lead.delete(record_id),
    ):
        with pytest.raises(SalesforceResourceNotFound) as caught:
            call()
        assert caught.value.status == 404 and caught.value.content == ENTITY_IS_DELETED


def test_deleted_record_as_a_reference_or_in_collections_is_entity_is_deleted(
    sf: Any, control: ControlClient
) -> None:
    account = sf.Account.create({"Name": "Gone"})["id"]
    contact = sf.Contact.create({"LastName": "Gone"})["id"]
    sf.Account.delete(account)
    sf.Contact.delete(contact)
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Contact.create({"LastName": "New", "AccountId": account})
    assert caught.value.status == 400 and caught.value.content == ENTITY_IS_DELETED
    records = [{"attributes": {"type": "Contact"}, "Id": contact, "Title": "CTO"}]
    [updated] = sf.restful("composite/sobjects", method="PATCH", json={"records": records})
    assert updated["errors"] == [
        {"statusCode": "ENTITY_IS_DELETED", "message": "entity is deleted", "fields": []}
    ]
    retrieved = sf.restful("composite/sobjects/Contact", params={"ids": contact, "fields": "Id"})
    assert retrieved == [None]
    assert [c["LastName"] for c in control.records("Contact", include_deleted=True)] == ["Gone"]


def test_deleted_id_under_another_object_is_still_not_found(sf: Any) -> None:
    record_id = sf.Lead.create({"LastName": "L", "Company": "C"})["id"]
    sf.Lead.delete(record_id)
    with pytest.raises(SalesforceResourceNotFound) as caught:
        sf.Contact.get(record_id)
    assert caught.value.content[0]["errorCode"] == "NOT_FOUND"


def test_missing_and_malformed_ids(sf: Any) -> None:
    missing = "003000000000000AAA"
    with pytest.raises(SalesforceResourceNotFound) as get_error:
        sf.Contact.get(missing)
    assert get_error.value.content == [
        {"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}
    ]
    with pytest.raises(SalesforceResourceNotFound) as patch_error:
        sf.Contact.update(missing, {"LastName": "X"})
    assert patch_error.value.content[0]["errorCode"] == "INVALID_CROSS_REFERENCE_KEY"
    with pytest.raises(SalesforceResourceNotFound) as delete_error:
        sf.Contact.delete(missing)
    assert delete_error.value.content[0]["errorCode"] == "INVALID_CROSS_REFERENCE_KEY"
    with pytest.raises(SalesforceResourceNotFound) as malformed:
        sf.Contact.get("001i000000xxxxxx")
    assert malformed.value.content[0]["message"] == (
        "Provided external ID field does not exist or is not accessible: 001i000000xxxxxx"
    )


def test_upsert_by_external_id_201_then_200_with_created_flag(sf: Any, lf: RunningServer) -> None:
    created = sf.Contact.upsert(
        "Pushforce_Id__c/pf-1-contact-7", {"LastName": "A"}, raw_response=True
    )
    assert created.status_code == 201 and created.json()["created"] is True
    updated = sf.Contact.upsert(
        "Pushforce_Id__c/PF-1-CONTACT-7", {"LastName": "B"}, raw_response=True
    )
    assert updated.status_code == 200
    assert updated.json() == {
        "id": created.json()["id"],
        "success": True,
        "errors": [],
        "created": False,
    }
    assert sf.Contact.get_by_custom_id("Pushforce_Id__c", "pf-1-contact-7")["LastName"] == "B"


def test_upsert_before_v46_answers_204_on_update(lf: RunningServer) -> None:
    old = lf.simple_salesforce(version="45.0")
    assert old.Account.upsert("Pushforce_Id__c/a1", {"Name": "A"}) == 201
    assert old.Account.upsert("Pushforce_Id__c/a1", {"Name": "B"}) == 204


def test_upsert_with_several_matches_is_300(sf: Any, control: ControlClient) -> None:
    control.seed(
        {
            "Contact": [
                {"LastName": "X", "Legacy_Id__c": "L1"},
                {"LastName": "Y", "Legacy_Id__c": "L1"},
            ]
        }
    )
    with pytest.raises(SalesforceMoreThanOneRecord) as caught:
        sf.Contact.upsert("Legacy_Id__c/L1", {"LastName": "Z"})
    assert caught.value.status == 300 and len(caught.value.content) == 2
    assert all(
        url.startswith("/services/data/v60.0/sobjects/Contact/003") for url in caught.value.content
    )


def test_upsert_on_unknown_field_is_404(sf: Any) -> None:
    with pytest.raises(SalesforceResourceNotFound) as caught:
        sf.Contact.upsert("Nope__c/1", {"LastName": "Z"})
    assert caught.value.content[0]["message"] == (
        "Provided external ID field does not exist or is not accessible: Nope__c"
    )


def test_invalid_field_and_json_parser_error(sf: Any, lf: RunningServer) -> None:
    with pytest.raises(SalesforceMalformedRequest) as unknown:
        sf.Contact.create({"LastName": "D", "Bogus__c": 1})
    assert unknown.value.content[0] == {
        "message": "No such column 'Bogus__c' on sobject of type Contact",
        "errorCode": "INVALID_FIELD",
    }
    response = lf.session().post(
        f"{lf.base_url}/services/data/v60.0/sobjects/Contact",
        data="{bad json",
        headers={"Authorization": f"Bearer {lf.token}"},
    )
    assert response.status_code == 400 and response.json()[0]["errorCode"] == "JSON_PARSER_ERROR"


def test_duplicate_value_and_duplicates_detected(sf: Any, control: ControlClient) -> None:
    first = sf.Account.create({"Name": "A", "Pushforce_Id__c": "pf-9"})["id"]
    with pytest.raises(SalesforceMalformedRequest) as duplicate_value:
        sf.Account.create({"Name": "B", "Pushforce_Id__c": "PF-9"})
    assert duplicate_value.value.content[0]["errorCode"] == "DUPLICATE_VALUE"
    assert duplicate_value.value.content[0]["message"].endswith(first[:15])
    sf.Lead.create({"LastName": "A", "Company": "C", "Email": "same@x.com"})
    with pytest.raises(SalesforceMalformedRequest) as blocked:
        sf.Lead.create(
            {"LastName": "B", "Company": "C", "Email": "same@x.com"},
            headers={"Sforce-Duplicate-Rule-Header": "allowSave=true"},
        )
    body = blocked.value.content[0]
    assert (
        body["errorCode"] == "DUPLICATES_DETECTED" and body["duplicateResult"]["allowSave"] is False
    )
    match = body["duplicateResult"]["matchResults"][0]["matchRecords"][0]["record"]
    assert match["attributes"]["type"] == "Lead" and match["Id"].startswith("00Q")
    assert len(control.records("Lead")) == 1


def test_alert_duplicate_rule_honours_allow_save_header(sf: Any, control: ControlClient) -> None:
    sf.Contact.create({"LastName": "A", "Email": "same@x.com"})
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Contact.create({"LastName": "B", "Email": "SAME@x.com"})
    assert caught.value.content[0]["duplicateResult"]["allowSave"] is True
    sf.Contact.create(
        {"LastName": "B", "Email": "same@x.com"},
        headers={"Sforce-Duplicate-Rule-Header": "allowSave=true"},
    )
    assert len(control.records("Contact")) == 2


def test_converted_lead_update_is_refused(sf: Any, control: ControlClient) -> None:
    lead = control.seed({"Lead": [{"LastName": "L", "Company": "C", "IsConverted": True}]})["Lead"][
        0
    ]
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Lead.update(lead, {"Title": "x"})
    assert caught.value.content == [
        {
            "message": "cannot reference converted lead",
            "errorCode": "CANNOT_UPDATE_CONVERTED_LEAD",
            "fields": [],
        }
    ]


def test_lead_who_with_what_is_field_integrity_exception(sf: Any) -> None:
    lead = sf.Lead.create({"LastName": "L", "Company": "C"})["id"]
    account = sf.Account.create({"Name": "A"})["id"]
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Task.create({"WhoId": lead, "WhatId": account, "Subject": "Call"})
    assert caught.value.content[0]["errorCode"] == "FIELD_INTEGRITY_EXCEPTION"


def test_derived_task_account_and_is_closed(sf: Any) -> None:
    account = sf.Account.create({"Name": "A"})["id"]
    contact = sf.Contact.create({"LastName": "D", "AccountId": account})["id"]
    task = sf.Task.create(
        {
            "WhoId": contact,
            "Subject": "Email: hi",
            "Status": "Completed",
            "TaskSubtype": "Email",
            "ActivityDate": "2024-05-01",
        }
    )["id"]
    record = sf.Task.get(task)
    assert (record["AccountId"], record["IsClosed"], record["ActivityDate"]) == (
        account,
        True,
        "2024-05-01",
    )


def test_content_note_and_link(sf: Any) -> None:
    import base64

    account = sf.Account.create({"Name": "A"})["id"]
    note = sf.ContentNote.create(
        {"Title": "Call summary", "Content": base64.b64encode(b"<p>Went well</p>").decode()}
    )["id"]
    assert note.startswith("069")
    link = sf.ContentDocumentLink.create({"ContentDocumentId": note, "LinkedEntityId": account})
    assert link["id"].startswith("06A")
    stored = sf.ContentNote.get(note)
    assert stored["TextPreview"] == "Went well" and stored["FileType"] == "SNOTE"


def test_type_mismatch_is_json_parser_error(sf: Any, control: ControlClient) -> None:
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Opportunity.create({"Name": "O", "StageName": "Prospecting", "CloseDate": "tomorrow"})
    assert caught.value.content[0]["errorCode"] == "JSON_PARSER_ERROR"
    assert (
        "Cannot deserialize instance of date from VALUE_STRING value tomorrow"
        in (caught.value.content[0]["message"])
    )
    assert control.records("Opportunity") == []


def test_opportunity_is_closed_won_through_the_api(sf: Any) -> None:
    opp = sf.Opportunity.create(
        {"Name": "O", "StageName": "Closed Won", "CloseDate": "2024-06-30", "Amount": 1234.567}
    )["id"]
    record = sf.Opportunity.get(opp)
    assert (record["IsClosed"], record["IsWon"], record["Amount"]) == (True, True, 1234.57)


def test_create_via_post_on_the_id_field(sf: Any, control: ControlClient) -> None:
    result = sf.restful("sobjects/Account/Id", method="POST", json={"Name": "Via Id"})
    assert result["success"] is True
    assert control.record(result["id"])["Name"] == "Via Id"  # type: ignore[index]


def test_updated_and_deleted_replication_calls(sf: Any) -> None:
    from datetime import UTC, datetime, timedelta

    start = datetime.now(UTC) - timedelta(minutes=1)
    kept = sf.Account.create({"Name": "Kept"})["id"]
    gone = sf.Account.create({"Name": "Gone"})["id"]
    sf.Account.delete(gone)
    end = datetime.now(UTC) + timedelta(minutes=1)
    assert sf.Account.updated(start, end)["ids"] == [kept]
    assert [d["id"] for d in sf.Account.deleted(start, end)["deletedRecords"]] == [gone]


def test_patch_on_the_id_field_is_405(lf: RunningServer) -> None:
    response = lf.session().patch(
        f"{lf.base_url}/services/data/v60.0/sobjects/Account/Id",
        json={"Name": "x"},
        headers={"Authorization": f"Bearer {lf.token}"},
    )
    assert response.status_code == 405
    assert (
        response.json()[0]["message"]
        == "HTTP Method 'PATCH' not allowed. Allowed are GET,HEAD,POST"
    )


def test_unknown_object_is_not_found_and_invalid_type_in_collections(sf: Any) -> None:
    with pytest.raises(SalesforceResourceNotFound):
        sf.Widget__c.create({"Name": "x"})
    result = sf.restful(
        "composite/sobjects",
        method="POST",
        json={"records": [{"attributes": {"type": "Widget__c"}, "Name": "x"}]},
    )
    assert result[0]["errors"][0]["statusCode"] == "INVALID_TYPE"


def test_chunked_request_bodies_are_read(lf: RunningServer, control: ControlClient) -> None:
    def chunks() -> Any:
        yield b'{"LastName": '
        yield b'"Chunked"}'

    response = lf.session().post(
        f"{lf.base_url}/services/data/v60.0/sobjects/Contact",
        data=chunks(),
        headers={"Authorization": f"Bearer {lf.token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 201
    assert response.request.headers.get("Transfer-Encoding") == "chunked"
    assert [r["LastName"] for r in control.records("Contact")] == ["Chunked"]


def test_organization_and_running_user_are_queryable(sf: Any) -> None:
    organization = sf.query("SELECT Id, Name, IsSandbox FROM Organization")["records"][0]
    assert organization["Id"].startswith("00D") and organization["IsSandbox"] is False
    user = sf.query("SELECT Id, Username FROM User")["records"][0]
    assert user["Username"] == "integration@localforce.test"


def test_unknown_field_in_the_fields_parameter(sf: Any) -> None:
    record_id = sf.Account.create({"Name": "A"})["id"]
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Account.get(record_id, params={"fields": "Name,Nope"})
    assert caught.value.content[0]["errorCode"] == "INVALID_FIELD"
    assert caught.value.content[0]["message"].startswith(
        "No such column 'Nope' on entity 'Account'"
    )


def test_keep_alive_serves_several_requests_on_one_connection(lf: RunningServer) -> None:
    url = urlsplit(lf.base_url)
    context = ssl.create_default_context(cafile=str(lf.ca_path))
    connection = http.client.HTTPSConnection(url.hostname or "", url.port, context=context)
    headers = {"Authorization": f"Bearer {lf.token}"}
    sockets = []
    for _ in range(3):
        connection.request("GET", "/services/data/v60.0/limits", headers=headers)
        response = connection.getresponse()
        assert response.status == 200 and not response.will_close
        response.read()
        sockets.append(connection.sock)
    connection.close()
    assert sockets[0] is not None and sockets.count(sockets[0]) == 3
