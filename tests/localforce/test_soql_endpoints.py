"""/query and /queryAll over HTTPS through simple-salesforce, unmodified (reference §5)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from simple_salesforce.exceptions import SalesforceError, SalesforceMalformedRequest

from localforce.testing import RunningServer

LOCATOR = re.compile(r"^/services/data/v60\.0/query/01g[0-9A-Za-z]{15}-(\d+)$")


def seed_contacts(lf: RunningServer, count: int, **extra: Any) -> list[str]:
    people = [
        {"LastName": f"Person {i:05d}", "Email": f"p{i}@example.com", **extra} for i in range(count)
    ]
    return lf.control.seed({"Contact": people})["Contact"]


def refusal(sf: Any, soql: str) -> dict[str, Any]:
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.query(soql)
    assert caught.value.status == 400
    return caught.value.content[0]  # type: ignore[no-any-return]


def test_query_returns_records_with_attributes_and_parent_objects(
    lf: RunningServer, sf: Any
) -> None:
    account = sf.Account.create({"Name": "Acme"})["id"]
    contact = sf.Contact.create(
        {"LastName": "Doe", "Email": "Doe@Example.com", "AccountId": account}
    )
    result = sf.query("SELECT Id, Email, Account.Name FROM Contact WHERE Email = 'doe@example.COM'")
    assert (result["totalSize"], result["done"]) == (1, True)
    assert "nextRecordsUrl" not in result
    record = result["records"][0]
    assert record["attributes"] == {
        "type": "Contact",
        "url": f"/services/data/v60.0/sobjects/Contact/{contact['id']}",
    }
    assert record["Account"] == {
        "attributes": {
            "type": "Account",
            "url": f"/services/data/v60.0/sobjects/Account/{account}",
        },
        "Name": "Acme",
    }


def test_pages_of_2000_with_next_records_url_paths(lf: RunningServer, sf: Any) -> None:
    seed_contacts(lf, 4500)
    first = sf.query("SELECT Id, LastName FROM Contact ORDER BY LastName")
    assert (first["totalSize"], first["done"], len(first["records"])) == (4500, False, 2000)
    match = LOCATOR.match(first["nextRecordsUrl"])
    assert match is not None and match.group(1) == "2000"
    second = sf.query_more(first["nextRecordsUrl"], identifier_is_url=True)
    assert (second["totalSize"], len(second["records"])) == (4500, 2000)
    assert second["records"][0]["LastName"] == "Person 02000"
    everything = sf.query_all("SELECT Id, LastName FROM Contact ORDER BY LastName")
    names = [r["LastName"] for r in everything["records"]]
    assert names == [f"Person {i:05d}" for i in range(4500)]


def test_batch_size_query_option(lf: RunningServer, sf: Any) -> None:
    seed_contacts(lf, 450)
    sf.headers["Sforce-Query-Options"] = "batchSize=200"
    page = sf.query("SELECT Id FROM Contact")
    assert (len(page["records"]), page["done"]) == (200, False)
    assert page["nextRecordsUrl"].endswith("-200")


def test_count_and_limit_offset(lf: RunningServer, sf: Any) -> None:
    seed_contacts(lf, 30)
    count = sf.query("SELECT COUNT() FROM Contact WHERE LastName LIKE 'person 0000%'")
    assert (count["totalSize"], count["records"]) == (10, [])
    page = sf.query("SELECT LastName FROM Contact ORDER BY LastName DESC LIMIT 3 OFFSET 2")
    assert [r["LastName"] for r in page["records"]] == [
        "Person 00027",
        "Person 00026",
        "Person 00025",
    ]


def test_two_hundred_value_email_in_query(lf: RunningServer, sf: Any) -> None:
    ids = seed_contacts(lf, 600)
    emails = ", ".join(f"'P{i}@EXAMPLE.com'" for i in range(0, 600, 3))
    result = sf.query_all(f"SELECT Id, Email FROM Contact WHERE Email IN ({emails})")
    assert result["totalSize"] == 200
    assert {r["Id"] for r in result["records"]} == {ids[i] for i in range(0, 600, 3)}


def test_query_all_includes_deleted_rows(lf: RunningServer, sf: Any) -> None:
    gone = sf.Contact.create({"LastName": "Gone"})["id"]
    sf.Contact.delete(gone)
    live = sf.query_all("SELECT Id FROM Contact WHERE LastName = 'Gone'")
    every = sf.query_all(
        "SELECT Id, IsDeleted FROM Contact WHERE LastName = 'Gone'", include_deleted=True
    )
    assert live["totalSize"] == 0
    assert [(r["Id"], r["IsDeleted"]) for r in every["records"]] == [(gone, True)]


def test_malformed_query(sf: Any) -> None:
    error = refusal(sf, "SELECT Id FROM Contact WHERE")
    assert error["errorCode"] == "MALFORMED_QUERY"
    assert error["message"].startswith("\nSELECT Id FROM Contact WHERE\n")


def test_invalid_field_and_invalid_type(sf: Any) -> None:
    field = refusal(sf, "SELECT Id, Foo FROM Contact")
    assert field["errorCode"] == "INVALID_FIELD"
    assert "No such column 'Foo' on entity 'Contact'" in field["message"]
    sobject = refusal(sf, "SELECT Id FROM Widget")
    assert sobject["errorCode"] == "INVALID_TYPE"
    assert "sObject type 'Widget' is not supported." in sobject["message"]


def test_missing_query_string(lf: RunningServer) -> None:
    response = lf.session().get(
        f"{lf.base_url}/services/data/v60.0/query/", headers={"Authorization": f"Bearer {lf.token}"}
    )
    assert response.status_code == 400
    assert response.json() == [
        {"message": "A query string has to be specified", "errorCode": "MALFORMED_QUERY"}
    ]


def test_unknown_locator_is_invalid_query_locator(sf: Any) -> None:
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.query_more("01g8a0000000999AAA-2000")
    assert caught.value.content[0]["errorCode"] == "INVALID_QUERY_LOCATOR"


def test_uri_over_16384_bytes_is_414(sf: Any) -> None:
    emails = ", ".join(f"'someone{i}@example.com'" for i in range(700))
    with pytest.raises(SalesforceError) as caught:
        sf.query(f"SELECT Id FROM Contact WHERE Email IN ({emails})")
    assert caught.value.status == 414


def test_no_auth_no_query(lf: RunningServer) -> None:
    response = lf.session().get(
        f"{lf.base_url}/services/data/v60.0/query/?q=SELECT+Id+FROM+Contact"
    )
    assert response.status_code == 401


def test_dedupe_query_on_unconverted_leads(lf: RunningServer, sf: Any) -> None:
    """The bread-and-butter look-up (reference §5): IsConverted = false AND Email IN (...)."""
    open_lead = sf.Lead.create({"LastName": "Open", "Company": "A", "Email": "open@example.com"})
    done = sf.Lead.create({"LastName": "Done", "Company": "B", "Email": "done@example.com"})
    lf.session().post(
        f"{lf.base_url}/__localforce__/convert-lead",
        json={"leadId": done["id"]},
        headers={"Authorization": f"Bearer {lf.token}"},
    ).raise_for_status()
    soql = (
        "SELECT Id, IsConverted FROM Lead WHERE IsConverted = false "
        "AND Email IN ('OPEN@example.com', 'done@example.com')"
    )
    records = sf.query(soql)["records"]
    assert [(r["Id"], r["IsConverted"]) for r in records] == [(open_lead["id"], False)]


def test_query_bulk_and_record_answers_share_salesforce_json_content_type(sf: Any) -> None:
    record_id = sf.Account.create({"Name": "A"})["id"]
    calls = [
        ("GET", f"sobjects/Account/{record_id}", None),
        ("GET", "query?q=SELECT+Id+FROM+Account", None),
        ("GET", "query?q=SELECT+Nope+FROM+Account", None),
        ("POST", "jobs/ingest", {"object": "Account", "operation": "insert"}),
        ("GET", "jobs/ingest", None),
    ]
    for method, path, body in calls:
        response = sf.session.request(method, f"{sf.base_url}{path}", headers=sf.headers, json=body)
        assert response.headers["Content-Type"] == "application/json;charset=UTF-8", path
