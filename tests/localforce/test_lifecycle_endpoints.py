"""Lead conversion and merge through the control API, observed through simple-salesforce (R14)."""

from __future__ import annotations

from typing import Any

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest, SalesforceResourceNotFound

from localforce.testing import RunningServer


def control(lf: RunningServer, path: str, body: dict[str, Any]) -> tuple[int, Any]:
    response = lf.session().post(
        f"{lf.base_url}/__localforce__/{path}",
        json=body,
        headers={"Authorization": f"Bearer {lf.token}"},
    )
    return response.status_code, response.json()


def test_convert_lead_then_updates_are_refused(lf: RunningServer, sf: Any) -> None:
    lead = sf.Lead.create({"FirstName": "Grace", "LastName": "Hopper", "Company": "Navy"})["id"]
    status, result = control(lf, "convert-lead", {"leadId": lead, "doNotCreateOpportunity": True})
    assert status == 200 and result["success"] is True and result["opportunityId"] is None
    row = sf.query(
        "SELECT IsConverted, ConvertedContactId, ConvertedAccountId, ConvertedContact.Name "
        f"FROM Lead WHERE Id = '{lead}'"
    )["records"][0]
    assert row["IsConverted"] is True
    assert (row["ConvertedContactId"], row["ConvertedAccountId"]) == (
        result["contactId"],
        result["accountId"],
    )
    assert row["ConvertedContact"]["Name"] == "Grace Hopper"
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Lead.update(lead, {"Title": "Rear Admiral"})
    assert caught.value.content[0]["errorCode"] == "CANNOT_UPDATE_CONVERTED_LEAD"
    assert sf.Contact.get(result["contactId"])["AccountId"] == result["accountId"]


def test_convert_lead_refusals(lf: RunningServer, sf: Any) -> None:
    assert control(lf, "convert-lead", {})[0] == 400
    status, body = control(lf, "convert-lead", {"leadId": "00Q000000000000AAA"})
    assert (status, body[0]["errorCode"]) == (400, "INVALID_CROSS_REFERENCE_KEY")


def test_merge_deletes_losers_visible_in_query_all(lf: RunningServer, sf: Any) -> None:
    master = sf.Account.create({"Name": "Acme"})["id"]
    loser = sf.Account.create({"Name": "Acme Inc"})["id"]
    contact = sf.Contact.create({"LastName": "Doe", "AccountId": loser})["id"]
    status, result = control(lf, "merge", {"masterRecordId": master, "recordToMergeIds": [loser]})
    assert status == 200 and result["mergedRecordIds"] == [loser]
    assert result["updatedRelatedIds"] == [contact]
    with pytest.raises(SalesforceResourceNotFound) as fetched:
        sf.Account.get(loser)
    assert fetched.value.content == [
        {"message": "entity is deleted", "errorCode": "ENTITY_IS_DELETED", "fields": []}
    ]
    with pytest.raises(SalesforceResourceNotFound) as caught:
        sf.Account.update(loser, {"Name": "Still here?"})
    assert caught.value.content[0]["errorCode"] == "ENTITY_IS_DELETED"
    every = sf.query_all(
        f"SELECT IsDeleted, MasterRecordId FROM Account WHERE Id = '{loser}'", include_deleted=True
    )["records"]
    assert [(r["IsDeleted"], r["MasterRecordId"]) for r in every] == [(True, master)]
    assert sf.query(f"SELECT Id FROM Account WHERE Id = '{loser}'")["totalSize"] == 0
    assert sf.Contact.get(contact)["AccountId"] == master
