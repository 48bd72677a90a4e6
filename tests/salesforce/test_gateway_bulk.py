"""Bulk API 2.0 ingest: every result row reconciled to its write, in order."""

from __future__ import annotations

from pathlib import Path

from sf_helpers import contact_create, contact_update, gateway_on

from localforce.testing import RunningServer, running_server
from pushforce.core.batching import BulkJob, WriteOp
from pushforce.core.decisions import Create
from pushforce.core.outcomes import Outcome, OutcomeKind, Success
from pushforce.salesforce.bulk import Polling, parse_bulk_error

FAST = Polling(first=0.02, growth=1.5, longest=0.5, deadline=60)


def _nameless(number: int) -> Create:
    write = contact_create(number)
    return Create(
        write.record, "Contact", {"LastName": "", "Email": "x@example.com"}, write.external_id
    )


def test_upsert_job_reconciles_successes_and_failed_rows(lf: RunningServer) -> None:
    writes = [contact_create(n) for n in range(1, 41)]
    writes[7], writes[30] = _nameless(8), _nameless(31)
    results = gateway_on(lf, polling=FAST).run_bulk(
        BulkJob("Contact", WriteOp.CREATE, tuple(writes))
    )
    assert len(results) == 40
    failed = {i for i, r in enumerate(results) if isinstance(r, Outcome)}
    assert failed == {7, 30}
    assert all(
        r.code == "REQUIRED_FIELD_MISSING" and r.kind is OutcomeKind.PERMANENT
        for r in results
        if isinstance(r, Outcome)
    )
    stored = {c["Pushforce_Id__c"]: c["Id"] for c in lf.control.records("Contact")}
    for write, result in zip(writes, results, strict=True):
        if isinstance(result, Success):
            assert stored[write.external_id] == result.sf_id and result.created
    assert len(stored) == 38


def test_update_job_maps_a_deleted_record_to_its_write(lf: RunningServer) -> None:
    ids = lf.control.seed({"Contact": [{"LastName": f"P{n}"} for n in range(5)]}, validate=True)[
        "Contact"
    ]
    lf.simple_salesforce().Contact.delete(ids[2])
    writes = tuple(contact_update(n, sf_id, Title=f"T{n}") for n, sf_id in enumerate(ids))
    results = gateway_on(lf, polling=FAST).run_bulk(BulkJob("Contact", WriteOp.UPDATE, writes))
    assert [isinstance(r, Success) for r in results] == [True, True, False, True, True]
    assert isinstance(results[2], Outcome) and results[2].kind is OutcomeKind.DELETED
    assert (lf.control.record(ids[4]) or {})["Title"] == "T4"


def test_an_org_without_the_field_gets_insert_jobs_matched_by_row(tmp_path: Path) -> None:
    with running_server(tmp_path, config={"pushforce_id_fields": False}) as server:
        writes = tuple(contact_create(n) for n in range(1, 11))
        results = gateway_on(server, polling=FAST).run_bulk(
            BulkJob("Contact", WriteOp.UPSERT, writes)
        )
        by_email = {c["Email"]: c["Id"] for c in server.control.records("Contact")}
        assert [r.sf_id for r in results if isinstance(r, Success)] == [
            by_email[f"p{n}@example.com"] for n in range(1, 11)
        ]


def test_a_failed_job_fails_every_row_with_its_message(lf: RunningServer) -> None:
    write = contact_create(1, Bogus__c="x")
    results = gateway_on(lf, polling=FAST).run_bulk(BulkJob("Contact", WriteOp.CREATE, (write,)))
    assert isinstance(results[0], Outcome) and results[0].kind is OutcomeKind.PERMANENT
    assert "Bogus__c" in results[0].message
    assert lf.control.records("Contact") == []


def test_bulk_error_text_is_split_into_code_message_and_fields() -> None:
    assert parse_bulk_error(
        "REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --"
    ) == ("REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]", ("LastName",))
    assert parse_bulk_error("INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--") == (
        "INVALID_CROSS_REFERENCE_KEY",
        "invalid cross reference id",
        (),
    )


def test_R16_a_job_that_outlives_the_deadline_is_ambiguous_and_aborted(lf: RunningServer) -> None:
    lf.control._call("PUT", "/bulk/rate", json={"recordsPerSecond": 1, "parallelBatches": 1})
    try:
        impatient = Polling(first=0.02, growth=1.0, longest=0.02, deadline=0.2)
        writes = tuple(contact_create(n) for n in range(1, 30))
        results = gateway_on(lf, polling=impatient).run_bulk(
            BulkJob("Contact", WriteOp.CREATE, writes)
        )
    finally:
        lf.control._call("PUT", "/bulk/rate", json={"recordsPerSecond": None})
    assert {r.kind for r in results if isinstance(r, Outcome)} == {OutcomeKind.AMBIGUOUS}
    patches = [
        e for e in lf.control.log() if e["method"] == "PATCH" and "/jobs/ingest/" in e["path"]
    ]
    assert len(patches) == 2  # UploadComplete, then Aborted
    # Rows of a batch already processed stay written; retrying the upserts duplicates nothing.
    again = gateway_on(lf, polling=FAST).run_bulk(BulkJob("Contact", WriteOp.CREATE, writes))
    assert all(isinstance(r, Success) for r in again)
    assert len(lf.control.records("Contact")) == 29
