"""Bulk API 2.0 ingest over HTTPS through simple-salesforce's ``sf.bulk2``, unmodified (§6)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from simple_salesforce.exceptions import SalesforceOperationError, SalesforceResourceNotFound

from localforce.testing import RunningServer

POLL = 0.05  # simple-salesforce sleeps this long before each poll of the job


def parsed(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_insert_with_results_files(lf: RunningServer, sf: Any) -> None:
    records = [
        {"LastName": "Lovelace", "Email": "ada@example.com"},
        {"LastName": "Turing", "Email": "not an email"},
    ]
    [summary] = sf.bulk2.Contact.insert(records=records, wait=POLL)
    assert (summary["numberRecordsProcessed"], summary["numberRecordsFailed"]) == (2, 1)
    done = parsed(sf.bulk2.Contact.get_successful_records(summary["job_id"]))
    failed = parsed(sf.bulk2.Contact.get_failed_records(summary["job_id"]))
    assert [(r["sf__Created"], r["LastName"]) for r in done] == [("true", "Lovelace")]
    assert failed[0]["sf__Error"].startswith("INVALID_EMAIL_ADDRESS:Email: invalid email address")
    stored = lf.control.record(done[0]["sf__Id"])
    assert stored is not None and stored["Email"] == "ada@example.com"
    unprocessed = sf.bulk2.Contact.get_unprocessed_records(summary["job_id"])
    # header only: nothing was left unprocessed (simple-salesforce orders `records=` columns freely)
    assert unprocessed.strip() in ('"LastName","Email"', '"Email","LastName"')


def test_upsert_update_and_delete_jobs(lf: RunningServer, sf: Any) -> None:
    first = [{"Pushforce_Id__c": "pf-1", "LastName": "Doe"}]
    sf.bulk2.Contact.upsert(records=first, external_id_field="Pushforce_Id__c", wait=POLL)
    [again] = sf.bulk2.Contact.upsert(
        records=[{"Pushforce_Id__c": "PF-1", "LastName": "Dough"}],
        external_id_field="Pushforce_Id__c",
        wait=POLL,
    )
    [row] = parsed(sf.bulk2.Contact.get_successful_records(again["job_id"]))
    assert row["sf__Created"] == "false"
    record_id = row["sf__Id"]
    sf.bulk2.Contact.update(records=[{"Id": record_id, "Title": "CTO"}], wait=POLL)
    assert sf.Contact.get(record_id)["Title"] == "CTO"
    assert sf.Contact.get(record_id)["LastName"] == "Dough"
    sf.bulk2.Contact.delete(records=[{"Id": record_id}], wait=POLL)
    deleted = sf.query_all(
        f"SELECT IsDeleted FROM Contact WHERE Id = '{record_id}'", include_deleted=True
    )
    assert deleted["records"][0]["IsDeleted"] is True


def test_unknown_column_fails_the_job(sf: Any) -> None:
    with pytest.raises(SalesforceOperationError) as caught:
        sf.bulk2.Contact.insert(records=[{"LastName": "Doe", "Industryy": "x"}], wait=POLL)
    assert "InvalidBatch : Field name not found : Industryy" in str(caught.value)


def test_job_lifecycle_through_raw_requests(lf: RunningServer, sf: Any) -> None:
    job = sf.restful(
        "jobs/ingest",
        method="POST",
        json={"object": "Contact", "operation": "insert", "contentType": "CSV"},
    )
    assert (job["state"], job["apiVersion"], job["id"][:3]) == ("Open", 60.0, "750")
    assert job["contentUrl"] == f"services/data/v60.0/jobs/ingest/{job['id']}/batches"
    upload = lf.session().put(
        f"{lf.base_url}/services/data/v60.0/jobs/ingest/{job['id']}/batches",
        data="LastName\nDoe\n",
        headers={"Authorization": f"Bearer {lf.token}", "Content-Type": "text/csv"},
    )
    assert (upload.status_code, upload.content) == (201, b"")
    aborted = sf.restful(f"jobs/ingest/{job['id']}", method="PATCH", json={"state": "Aborted"})
    assert aborted["state"] == "Aborted"
    info = sf.restful(f"jobs/ingest/{job['id']}")
    assert (info["state"], info["jobType"], info["numberRecordsProcessed"]) == (
        "Aborted",
        "V2Ingest",
        0,
    )
    listed = sf.restful("jobs/ingest")
    assert job["id"] in [j["id"] for j in listed["records"]]
    sf.restful(f"jobs/ingest/{job['id']}", method="DELETE")
    with pytest.raises(SalesforceResourceNotFound):
        sf.restful(f"jobs/ingest/{job['id']}")


def test_unsupported_object(sf: Any) -> None:
    with pytest.raises(Exception) as caught:
        sf.restful("jobs/ingest", method="POST", json={"object": "Widget", "operation": "insert"})
    assert caught.value.content == [  # type: ignore[attr-defined]
        {
            "errorCode": "INVALIDENTITY",
            "message": "Entity 'Widget' is not supported by the Bulk API.",
        }
    ]


def test_converted_lead_updates_fail_per_row(lf: RunningServer, sf: Any) -> None:
    lead = sf.Lead.create({"LastName": "Hopper", "Company": "Navy"})["id"]
    converted = lf.session().post(
        f"{lf.base_url}/__localforce__/convert-lead",
        json={"leadId": lead},
        headers={"Authorization": f"Bearer {lf.token}"},
    )
    assert converted.status_code == 200
    [summary] = sf.bulk2.Lead.update(records=[{"Id": lead, "Title": "Admiral"}], wait=POLL)
    [failed] = parsed(sf.bulk2.Lead.get_failed_records(summary["job_id"]))
    assert failed["sf__Error"].startswith("CANNOT_UPDATE_CONVERTED_LEAD:")
    assert failed["sf__Id"] == lead


def test_rate_model_keeps_a_job_in_progress_while_it_runs(lf: RunningServer, sf: Any) -> None:
    """With the processing-rate model on, a job passes through InProgress like a real one."""
    session, headers = lf.session(), {"Authorization": f"Bearer {lf.token}"}
    rate_url = f"{lf.base_url}/__localforce__/bulk/rate"
    rate = {"recordsPerSecond": 2000, "parallelBatches": 2, "batchSize": 500}
    assert session.put(rate_url, json=rate, headers=headers).json() == rate
    try:
        rows = [{"LastName": f"Rate {i}"} for i in range(2000)]
        [summary] = sf.bulk2.Contact.insert(records=rows, wait=POLL)
        assert summary["numberRecordsProcessed"] == 2000
        info = sf.restful(f"jobs/ingest/{summary['job_id']}")
        # 2,000 rows in 500-row batches at 2,000 rows/s, two at a time: at least 0.5 s of work
        assert info["totalProcessingTime"] >= 450
    finally:
        session.put(rate_url, json={"recordsPerSecond": None}, headers=headers)
    assert session.get(rate_url, headers=headers).json()["recordsPerSecond"] is None
