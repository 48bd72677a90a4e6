"""Bulk API 2.0 query jobs through simple-salesforce's ``sf.bulk2.X.query``, unmodified (§6.2)."""

from __future__ import annotations

import csv
import io
import time
from typing import Any

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest, SalesforceResourceNotFound

from localforce.testing import RunningServer

POLL = 0.05


def parsed(pages: list[str]) -> list[dict[str, str]]:
    return [row for page in pages for row in csv.DictReader(io.StringIO(page))]


def test_query_pages_with_parent_columns_nulls_and_checkboxes(lf: RunningServer, sf: Any) -> None:
    account = sf.Account.create({"Name": "Acme, Inc"})["id"]
    for i in range(5):
        sf.Contact.create({"LastName": f"L{i}", "AccountId": account if i % 2 else None})
    pages = list(
        sf.bulk2.Contact.query(
            "SELECT Id, LastName, Account.Name, IsDeleted FROM Contact ORDER BY LastName",
            max_records=2,
            wait=POLL,
        )
    )
    assert len(pages) == 3
    assert pages[0].splitlines()[0] == '"Id","LastName","Account.Name","IsDeleted"'
    rows = parsed(pages)
    assert [(r["LastName"], r["Account.Name"], r["IsDeleted"]) for r in rows] == [
        ("L0", "", "false"),
        ("L1", "Acme, Inc", "false"),
        ("L2", "", "false"),
        ("L3", "Acme, Inc", "false"),
        ("L4", "", "false"),
    ]


def test_query_all_includes_deleted_rows(sf: Any) -> None:
    gone = sf.Contact.create({"LastName": "Gone"})["id"]
    sf.Contact.delete(gone)
    live = parsed(list(sf.bulk2.Contact.query("SELECT Id FROM Contact", wait=POLL)))
    every = parsed(list(sf.bulk2.Contact.query_all("SELECT Id, IsDeleted FROM Contact", wait=POLL)))
    assert live == []
    assert every == [{"Id": gone, "IsDeleted": "true"}]


def test_bad_query_is_refused_when_the_job_is_created(sf: Any) -> None:
    with pytest.raises(SalesforceMalformedRequest) as caught:
        list(sf.bulk2.Contact.query("SELECT Foo FROM Contact", wait=POLL))
    assert caught.value.content[0]["errorCode"] == "INVALID_FIELD"
    assert "No such column 'Foo' on entity 'Contact'" in caught.value.content[0]["message"]


def test_job_info_locator_headers_and_delete(lf: RunningServer, sf: Any) -> None:
    sf.Contact.create({"LastName": "Only"})
    job = sf.restful(
        "jobs/query", method="POST", json={"operation": "query", "query": "SELECT Id FROM Contact"}
    )
    assert (job["operation"], job["object"], job["id"][:3]) == ("query", "Contact", "750")
    session, headers = lf.session(), {"Authorization": f"Bearer {lf.token}"}
    url = f"{lf.base_url}/services/data/v60.0/jobs/query/{job['id']}"
    deadline = time.monotonic() + 10
    while (info := session.get(url, headers=headers).json())["state"] != "JobComplete":
        assert time.monotonic() < deadline, info
        time.sleep(0.01)
    assert (info["state"], info["jobType"], info["numberRecordsProcessed"]) == (
        "JobComplete",
        "V2Query",
        1,
    )
    results = session.get(f"{url}/results", headers=headers)
    assert results.headers["Sforce-Locator"] == "null"
    assert results.headers["Sforce-NumberOfRecords"] == "1"
    assert session.delete(url, headers=headers).status_code == 204
    with pytest.raises(SalesforceResourceNotFound):
        sf.restful(f"jobs/query/{job['id']}")


def test_query_jobs_can_only_be_aborted(sf: Any) -> None:
    job = sf.restful(
        "jobs/query", method="POST", json={"operation": "query", "query": "SELECT Id FROM Lead"}
    )
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.restful(f"jobs/query/{job['id']}", method="PATCH", json={"state": "UploadComplete"})
    assert caught.value.content == [
        {"errorCode": "INVALIDJOBSTATE", "message": "Invalid state: UploadComplete"}
    ]
