"""Bulk API 2.0 ingest against a real org, below HTTP: states, CSV rules, result files (§6)."""

from __future__ import annotations

import csv
import io

import pytest

from localforce.bulk import BulkIngest, RateModel
from localforce.bulk_jobs import BulkError
from localforce.org import Org
from localforce.schema import build_schema


@pytest.fixture
def org() -> Org:
    return Org(build_schema())


@pytest.fixture
def bulk(org: Org) -> BulkIngest:
    return BulkIngest(lambda: org)


def run(bulk: BulkIngest, data: str, **spec: str) -> str:
    job = bulk.create({"object": "Contact", "operation": "insert", **spec}, "60.0")
    bulk.upload(job.id, data)
    bulk.set_state(job.id, "UploadComplete")
    assert bulk.wait_idle(30)
    return job.id


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_insert_writes_records_and_reports_them_in_successful_results(
    bulk: BulkIngest, org: Org
) -> None:
    job_id = run(bulk, "FirstName,LastName,Email\nAda,Lovelace,ada@example.com\n,Turing,\n")
    info = bulk.job(job_id).info()
    assert (info["state"], info["numberRecordsProcessed"], info["numberRecordsFailed"]) == (
        "JobComplete",
        2,
        0,
    )
    done = rows(bulk.successful_results(job_id))
    assert [r["sf__Created"] for r in done] == ["true", "true"]
    ada = org.get(done[0]["sf__Id"])
    assert ada is not None and ada["Email"] == "ada@example.com" and ada["LastName"] == "Lovelace"
    assert done[0]["FirstName"] == "Ada"
    assert org.get(done[1]["sf__Id"]).get("FirstName") is None  # type: ignore[union-attr]


def test_failed_rows_carry_salesforce_error_text(bulk: BulkIngest, org: Org) -> None:
    job_id = run(bulk, "LastName,Email\nDoe,not-an-email\n,ok@example.com\nFine,fine@example.com\n")
    info = bulk.job(job_id).info()
    assert (info["numberRecordsProcessed"], info["numberRecordsFailed"]) == (3, 2)
    failed = rows(bulk.failed_results(job_id))
    assert [r["sf__Error"] for r in failed] == [
        "INVALID_EMAIL_ADDRESS:Email: invalid email address: not-an-email:Email --",
        "REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --",
    ]
    assert [r["sf__Id"] for r in failed] == ["", ""]
    assert failed[0]["Email"] == "not-an-email"
    assert org.count("Contact") == 1


def test_upsert_by_external_id_creates_then_updates(bulk: BulkIngest, org: Org) -> None:
    spec = {"operation": "upsert", "externalIdFieldName": "Pushforce_Id__c"}
    first = run(bulk, "Pushforce_Id__c,LastName\npf-1,Doe\n", **spec)
    second = run(bulk, "Pushforce_Id__c,LastName\nPF-1,Dough\npf-2,Roe\n", **spec)
    created = rows(bulk.successful_results(first))[0]
    again = rows(bulk.successful_results(second))
    assert created["sf__Created"] == "true"
    assert [(r["sf__Id"] == created["sf__Id"], r["sf__Created"]) for r in again] == [
        (True, "false"),
        (False, "true"),
    ]
    assert org.get(created["sf__Id"])["LastName"] == "Dough"  # type: ignore[index]


def test_update_empty_cell_keeps_value_and_na_clears_it(bulk: BulkIngest, org: Org) -> None:
    record_id = org.insert("Contact", {"LastName": "Doe", "Title": "CTO", "Phone": "123"})
    job_id = run(bulk, f"Id,Title,Phone\n{record_id[:15]},,#N/A\n", operation="update")
    assert rows(bulk.successful_results(job_id))[0]["sf__Created"] == "false"
    stored = org.get(record_id)
    assert stored is not None and stored["Title"] == "CTO" and stored.get("Phone") is None


def test_update_without_id_and_with_unknown_id_fail(bulk: BulkIngest) -> None:
    job_id = run(bulk, "Id,Title\n,CTO\n003000000000000AAA,CEO\n", operation="update")
    errors = [r["sf__Error"] for r in rows(bulk.failed_results(job_id))]
    assert errors[0] == "MISSING_ARGUMENT:Id not specified in an update call:--"
    assert errors[1].startswith("INVALID_CROSS_REFERENCE_KEY:")


def test_relationship_column_resolves_parent_by_external_id(bulk: BulkIngest, org: Org) -> None:
    account_id = org.insert("Account", {"Name": "Acme", "Pushforce_Id__c": "acct-1"})
    job_id = run(bulk, "LastName,Account.Pushforce_Id__c\nDoe,acct-1\nRoe,missing\n")
    done, failed = rows(bulk.successful_results(job_id)), rows(bulk.failed_results(job_id))
    assert org.get(done[0]["sf__Id"])["AccountId"] == account_id  # type: ignore[index]
    assert failed[0]["sf__Error"].startswith("INVALID_FIELD:Foreign key external ID: missing")


def test_delete_marks_records_deleted(bulk: BulkIngest, org: Org) -> None:
    record_id = org.insert("Contact", {"LastName": "Doe"})
    job_id = run(bulk, f"Id\n{record_id}\n", operation="delete")
    assert rows(bulk.successful_results(job_id))[0]["sf__Id"] == record_id
    assert org.get(record_id)["IsDeleted"] is True  # type: ignore[index]


def test_delete_job_with_other_columns_fails(bulk: BulkIngest) -> None:
    job_id = run(bulk, "Id,LastName\n003000000000000AAA,x\n", operation="delete")
    job = bulk.job(job_id)
    assert job.state == "Failed"
    assert job.error_message == "InvalidBatch : The 'delete' batch must contain only 'Id'"


def test_unknown_column_fails_the_job_and_leaves_rows_unprocessed(bulk: BulkIngest) -> None:
    job_id = run(bulk, "LastName,Industryy,Bogus\nDoe,x,y\n")
    info = bulk.job(job_id).info()
    assert info["state"] == "Failed"
    assert info["errorMessage"] == "InvalidBatch : Field name not found : Industryy"
    assert info["numberRecordsProcessed"] == 0
    assert rows(bulk.unprocessed_records(job_id)) == [
        {"LastName": "Doe", "Industryy": "x", "Bogus": "y"}
    ]


def test_utf8_bom_breaks_the_first_header(bulk: BulkIngest) -> None:
    job_id = run(bulk, "\ufeffLastName\nDoe\n")
    assert bulk.job(job_id).error_message == "InvalidBatch : Field name not found : \ufeffLastName"


def test_line_ending_must_match_the_job(bulk: BulkIngest, org: Org) -> None:
    failed = run(bulk, "LastName\r\nDoe\r\n")
    assert bulk.job(failed).state == "Failed"
    assert "LineEnding is invalid on user data" in (bulk.job(failed).error_message or "")
    ok = run(bulk, 'LastName\tTitle\r\nDoe\t"A\tB"\r\n', lineEnding="CRLF", columnDelimiter="TAB")
    assert bulk.job(ok).state == "JobComplete"
    assert bulk.successful_results(ok).endswith("\r\n")
    title = rows(bulk.successful_results(ok).replace("\r\n", "\n"))[0]["Title"]
    assert title == "A\tB"


def test_state_machine_refusals(bulk: BulkIngest) -> None:
    job = bulk.create({"object": "Contact", "operation": "insert"}, "60.0")
    bulk.set_state(job.id, "Aborted")
    with pytest.raises(BulkError) as upload:
        bulk.upload(job.id, "LastName\nDoe\n")
    assert upload.value.status == 409
    with pytest.raises(BulkError):
        bulk.set_state(job.id, "UploadComplete")
    with pytest.raises(BulkError) as unknown:
        bulk.job("750000000000000AAA")
    assert (unknown.value.status, unknown.value.code) == (404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("spec", "code", "message"),
    [
        (
            {"object": "Widget", "operation": "insert"},
            "INVALIDENTITY",
            "Entity 'Widget' is not supported by the Bulk API.",
        ),
        (
            {"object": "Contact", "operation": "upsert"},
            "INVALIDJOB",
            "External ID was blank for Contact. An External ID must be specified for upsert.",
        ),
        ({"object": "Contact", "operation": "merge"}, "INVALIDJOB", "Invalid operation: merge"),
        (
            {"object": "Contact", "operation": "insert", "columnDelimiter": "STAR"},
            "INVALIDJOB",
            "Invalid columnDelimiter: STAR",
        ),
    ],
)
def test_create_job_errors(bulk: BulkIngest, spec: dict[str, str], code: str, message: str) -> None:
    with pytest.raises(BulkError) as caught:
        bulk.create(spec, "60.0")
    assert (caught.value.status, caught.value.code, caught.value.message) == (400, code, message)


def test_rate_model_runs_internal_batches_in_parallel_with_same_results(org: Org) -> None:
    bulk = BulkIngest(
        lambda: org, RateModel(records_per_second=1e6, parallel_batches=3, batch_size=2)
    )
    data = "LastName\n" + "".join(f"L{i}\n" for i in range(7))
    job_id = run(bulk, data)
    assert bulk.job(job_id).info()["numberRecordsProcessed"] == 7
    assert org.count("Contact") == 7
