"""sObject Collections and Composite through simple-salesforce's `restful` (reference §3, §4)."""

from __future__ import annotations

from typing import Any

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

from localforce.testing import ControlClient

ROLLED_BACK = {
    "statusCode": "ALL_OR_NONE_OPERATION_ROLLED_BACK",
    "message": "Record rolled back because not all records were valid and the request was using "
    "AllOrNone header",
    "fields": [],
}


def contacts(*names: str | None) -> list[dict[str, Any]]:
    return [{"attributes": {"type": "Contact"}, **({"LastName": n} if n else {})} for n in names]


def test_collections_create_reports_each_record_in_order(sf: Any, control: ControlClient) -> None:
    results = sf.restful(
        "composite/sobjects",
        method="POST",
        json={"allOrNone": False, "records": contacts("A", None, "C")},
    )
    assert [r["success"] for r in results] == [True, False, True]
    assert results[1] == {
        "success": False,
        "errors": [
            {
                "statusCode": "REQUIRED_FIELD_MISSING",
                "message": "Required fields are missing: [LastName]",
                "fields": ["LastName"],
            }
        ],
    }
    assert sorted(r["LastName"] for r in control.records("Contact")) == ["A", "C"]


def test_collections_all_or_none_rolls_everything_back(sf: Any, control: ControlClient) -> None:
    results = sf.restful(
        "composite/sobjects",
        method="POST",
        json={"allOrNone": True, "records": contacts("A", None, "C")},
    )
    assert results[0] == {"success": False, "errors": [ROLLED_BACK]}
    assert results[1]["errors"][0]["statusCode"] == "REQUIRED_FIELD_MISSING"
    assert results[2] == {"success": False, "errors": [ROLLED_BACK]}
    assert control.records("Contact") == []


def test_collections_over_200_records_is_exceeded_id_limit(sf: Any, control: ControlClient) -> None:
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.restful("composite/sobjects", method="POST", json={"records": contacts(*["x"] * 201)})
    assert caught.value.content[0]["errorCode"] == "EXCEEDED_ID_LIMIT"
    assert caught.value.content[0]["message"] == (
        "record limit reached. cannot submit more than 200 records into this call"
    )
    assert control.records("Contact") == []


def test_collections_update_delete_and_retrieve(sf: Any, control: ControlClient) -> None:
    created = sf.restful("composite/sobjects", method="POST", json={"records": contacts("A", "B")})
    first, second = (r["id"] for r in created)
    updates = [
        {"attributes": {"type": "Contact"}, "id": first, "Title": "CEO"},
        {"attributes": {"type": "Contact"}, "id": "003000000000000AAA", "Title": "CTO"},
    ]
    results = sf.restful("composite/sobjects", method="PATCH", json={"records": updates})
    assert results[0] == {"id": first, "success": True, "errors": []}
    assert results[1]["success"] is False and results[1]["id"] == "003000000000000AAA"
    retrieved = sf.restful(
        "composite/sobjects/Contact",
        params={"ids": f"{first},{second[:15]},003000000000000AAA", "fields": "Id,Title"},
    )
    assert [r and r["Title"] for r in retrieved] == ["CEO", None, None]
    deleted = sf.restful("composite/sobjects", method="DELETE", params={"ids": f"{first},{second}"})
    assert [d["success"] for d in deleted] == [True, True]
    assert control.records("Contact") == []


def test_collections_upsert_by_external_id_reports_created(sf: Any, control: ControlClient) -> None:
    records = [
        {"attributes": {"type": "Account"}, "Name": "A", "Pushforce_Id__c": "pf-a"},
        {"attributes": {"type": "Account"}, "Name": "B", "Pushforce_Id__c": "pf-b"},
    ]
    first = sf.restful(
        "composite/sobjects/Account/Pushforce_Id__c",
        method="PATCH",
        json={"allOrNone": False, "records": records},
    )
    assert [r["created"] for r in first] == [True, True]
    records[0]["Name"] = "A2"
    second = sf.restful(
        "composite/sobjects/Account/Pushforce_Id__c", method="PATCH", json={"records": records}
    )
    assert [r["created"] for r in second] == [False, False]
    assert [r["id"] for r in second] == [r["id"] for r in first]
    assert sorted(r["Name"] for r in control.records("Account")) == ["A2", "B"]


def test_collections_duplicates_detected_uses_the_slim_form(sf: Any) -> None:
    sf.Lead.create({"LastName": "A", "Company": "C", "Email": "d@x.com"})
    leads = [{"attributes": {"type": "Lead"}, "LastName": "B", "Company": "C", "Email": "d@x.com"}]
    result = sf.restful("composite/sobjects", method="POST", json={"records": leads})[0]
    assert result["success"] is False
    assert result["errors"][0]["statusCode"] == "DUPLICATES_DETECTED"
    assert set(result["errors"][0]) == {"statusCode", "message", "fields"}


def test_composite_resolves_references_and_counts_one_call(sf: Any, control: ControlClient) -> None:
    before = control.counters()["api_usage"]
    body = {
        "allOrNone": True,
        "compositeRequest": [
            {
                "method": "POST",
                "url": "/services/data/v60.0/sobjects/Account",
                "referenceId": "acct",
                "body": {"Name": "Acme"},
            },
            {
                "method": "POST",
                "url": "/services/data/v60.0/sobjects/Contact",
                "referenceId": "con",
                "body": {"LastName": "Doe", "AccountId": "@{acct.id}"},
            },
            {
                "method": "GET",
                "url": "/services/data/v60.0/sobjects/Contact/@{con.id}?fields=AccountId",
                "referenceId": "read",
            },
        ],
    }
    response = sf.restful("composite", method="POST", json=body)["compositeResponse"]
    assert [r["httpStatusCode"] for r in response] == [201, 201, 200]
    account_id = response[0]["body"]["id"]
    assert response[0]["httpHeaders"]["Location"].endswith(account_id)
    assert response[2]["body"]["AccountId"] == account_id
    assert control.counters()["api_usage"] == before + 1


def test_composite_all_or_none_halts_and_rolls_back(sf: Any, control: ControlClient) -> None:
    body = {
        "allOrNone": True,
        "compositeRequest": [
            {
                "method": "POST",
                "url": "/services/data/v60.0/sobjects/Account",
                "referenceId": "ok",
                "body": {"Name": "Acme"},
            },
            {
                "method": "POST",
                "url": "/services/data/v60.0/sobjects/Contact",
                "referenceId": "bad",
                "body": {"FirstName": "No last name"},
            },
            {
                "method": "POST",
                "url": "/services/data/v60.0/sobjects/Account",
                "referenceId": "later",
                "body": {"Name": "Never"},
            },
        ],
    }
    response = sf.restful("composite", method="POST", json=body)["compositeResponse"]
    assert [r["httpStatusCode"] for r in response] == [400, 400, 400]
    assert response[0]["body"][0]["errorCode"] == "PROCESSING_HALTED"
    assert response[1]["body"][0]["errorCode"] == "REQUIRED_FIELD_MISSING"
    assert response[2]["body"][0]["errorCode"] == "PROCESSING_HALTED"
    assert control.records("Account") == []


def test_composite_without_all_or_none_halts_only_dependents(
    sf: Any, control: ControlClient
) -> None:
    body = {
        "allOrNone": False,
        "compositeRequest": [
            {
                "method": "POST",
                "url": "/services/data/v60.0/sobjects/Account",
                "referenceId": "bad",
                "body": {},
            },
            {
                "method": "POST",
                "url": "/services/data/v60.0/sobjects/Contact",
                "referenceId": "dep",
                "body": {"LastName": "D", "AccountId": "@{bad.id}"},
            },
            {
                "method": "POST",
                "url": "/services/data/v60.0/sobjects/Contact",
                "referenceId": "free",
                "body": {"LastName": "Free"},
            },
        ],
    }
    response = sf.restful("composite", method="POST", json=body)["compositeResponse"]
    assert [r["httpStatusCode"] for r in response] == [400, 400, 201]
    assert response[1]["body"][0]["errorCode"] == "PROCESSING_HALTED"
    assert [r["LastName"] for r in control.records("Contact")] == ["Free"]


def test_composite_over_25_subrequests_is_refused(sf: Any) -> None:
    subrequests = [
        {"method": "GET", "url": "/services/data/v60.0/limits", "referenceId": f"r{i}"}
        for i in range(26)
    ]
    with pytest.raises(SalesforceMalformedRequest):
        sf.restful("composite", method="POST", json={"compositeRequest": subrequests})


def test_composite_batch_counts_each_subrequest(sf: Any, control: ControlClient) -> None:
    before = control.counters()["api_usage"]
    body = {
        "haltOnError": True,
        "batchRequests": [
            {"method": "POST", "url": "v60.0/sobjects/Account", "richInput": {"Name": "A"}},
            {"method": "POST", "url": "v60.0/sobjects/Account", "richInput": {}},
            {"method": "POST", "url": "v60.0/sobjects/Account", "richInput": {"Name": "C"}},
        ],
    }
    result = sf.restful("composite/batch", method="POST", json=body)
    assert result["hasErrors"] is True
    assert [r["statusCode"] for r in result["results"]] == [201, 400, 412]
    assert control.counters()["api_usage"] == before + 3
    assert [r["Name"] for r in control.records("Account")] == ["A"]


def test_composite_allows_at_most_five_query_or_collections_subrequests(sf: Any) -> None:
    queries = [
        {
            "method": "GET",
            "url": "/services/data/v60.0/query?q=SELECT+Id+FROM+Account",
            "referenceId": f"q{i}",
        }
        for i in range(6)
    ]
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.restful("composite", method="POST", json={"compositeRequest": queries})
    assert caught.value.content[0]["errorCode"] == "LIMIT_EXCEEDED"
    response = sf.restful("composite", method="POST", json={"compositeRequest": queries[:5]})
    assert [r["httpStatusCode"] for r in response["compositeResponse"]] == [200] * 5


def test_collections_retrieve_by_post_and_upsert_without_the_external_id(sf: Any) -> None:
    created = sf.Account.create({"Name": "A"})["id"]
    retrieved = sf.restful(
        "composite/sobjects/Account", method="POST", json={"ids": [created], "fields": ["Name"]}
    )
    assert retrieved[0]["Name"] == "A"
    results = sf.restful(
        "composite/sobjects/Account/Pushforce_Id__c",
        method="PATCH",
        json={"records": [{"attributes": {"type": "Account"}, "Name": "B"}]},
    )
    assert results[0]["success"] is False
    assert results[0]["errors"][0]["statusCode"] == "MISSING_ARGUMENT"


def test_uri_over_16384_bytes_is_414(sf: Any, lf: Any) -> None:
    ids = ",".join(["003000000000000AAA"] * 1000)
    response = lf.session().get(
        f"{lf.base_url}/services/data/v60.0/composite/sobjects/Contact",
        params={"ids": ids, "fields": "Id"},
        headers={"Authorization": f"Bearer {lf.token}"},
    )
    assert response.status_code == 414 and response.headers["content-type"].startswith("text/html")


def test_composite_graph_commits_each_graph_on_its_own(sf: Any, control: ControlClient) -> None:
    good = {
        "graphId": "g1",
        "compositeRequest": [
            {
                "method": "POST",
                "url": "/services/data/v60.0/sobjects/Account",
                "referenceId": "a",
                "body": {"Name": "Graph Co"},
            },
            {
                "method": "POST",
                "url": "/services/data/v60.0/sobjects/Contact",
                "referenceId": "c",
                "body": {"LastName": "G", "AccountId": "@{a.id}"},
            },
        ],
    }
    bad = {
        "graphId": "g2",
        "compositeRequest": [
            {
                "method": "POST",
                "url": "/services/data/v60.0/sobjects/Account",
                "referenceId": "a",
                "body": {"Name": "Rolled back"},
            },
            {
                "method": "POST",
                "url": "/services/data/v60.0/sobjects/Contact",
                "referenceId": "c",
                "body": {"FirstName": "no last name"},
            },
        ],
    }
    graphs = sf.restful("composite/graph", method="POST", json={"graphs": [good, bad]})["graphs"]
    assert [(g["graphId"], g["isSuccessful"]) for g in graphs] == [("g1", True), ("g2", False)]
    halted = graphs[1]["graphResponse"]["compositeResponse"][0]["body"][0]["errorCode"]
    assert halted == "PROCESSING_HALTED"
    assert [r["Name"] for r in control.records("Account")] == ["Graph Co"]
    assert [r["LastName"] for r in control.records("Contact")] == ["G"]


def test_collections_delete_all_or_none_keeps_everything(sf: Any, control: ControlClient) -> None:
    kept = sf.Account.create({"Name": "Kept"})["id"]
    results = sf.restful(
        "composite/sobjects",
        method="DELETE",
        params={"ids": f"{kept},001000000000000AAA", "allOrNone": "true"},
    )
    assert results[0]["errors"][0]["statusCode"] == "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    assert results[1]["errors"][0]["statusCode"] == "INVALID_CROSS_REFERENCE_KEY"
    assert [r["Name"] for r in control.records("Account")] == ["Kept"]
