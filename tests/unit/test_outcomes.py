"""R18: every Salesforce error the reference lists is classified, and every permanent one
carries a fix hint an admin can act on. Bodies are the ones in reference/salesforce-api.md §7–§8."""

from __future__ import annotations

import pytest

from pushforce.core.error_catalog import PERMANENT_HINTS
from pushforce.core.outcomes import (
    Operation,
    OutcomeKind,
    Successor,
    classify,
    classify_timeout,
    converted,
    merged,
)

K = OutcomeKind

# (status, errorCode, message, fields) → kind, for a create unless the row says otherwise.
PERMANENT_ROWS = [
    (400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]", ["LastName"]),
    (400, "INVALID_EMAIL_ADDRESS", "Email: invalid email address: foo@bar", ["Email"]),
    (400, "STRING_TOO_LONG", "Last Name: data value too large: x (max length=80)", ["LastName"]),
    (400, "DUPLICATES_DETECTED", "Use one of these records?", []),
    (
        400,
        "DUPLICATE_VALUE",
        "duplicate value found: Ext__c duplicates value on record with id: 003S800000jyTwT",
        [],
    ),
    (
        400,
        "DUPLICATE_EXTERNAL_ID",
        "A user-specified external ID matches more than one record during an upsert.",
        [],
    ),
    (400, "INVALID_FIELD", "No such column 'Foo__c' on sobject of type Contact", []),
    (
        400,
        "INVALID_FIELD_FOR_INSERT_UPDATE",
        "Unable to create/update fields: Name. Please check the security settings of this field",
        ["Name"],
    ),
    (400, "INVALID_TYPE", "sObject type 'Widget' is not supported.", []),
    (400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", []),
    (
        400,
        "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY",
        "insufficient access rights on cross-reference id: 001D000000IRFma",
        [],
    ),
    (400, "INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object id", []),
    (400, "ENTITY_IS_LOCKED", "the entity is locked for editing", []),
    (400, "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Phone must have 10 digits", ["Phone"]),
    (400, "FIELD_INTEGRITY_EXCEPTION", "Name ID: id value of incorrect type: 001", ["WhoId"]),
    (
        400,
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
        "Lead Source: bad value for restricted picklist field: Webinar",
        ["LeadSource"],
    ),
    (
        400,
        "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY",
        "MyTrigger: execution of AfterInsert caused by: first error: FIELD_CUSTOM_VALIDATION_"
        "EXCEPTION, nope",
        [],
    ),
    (400, "MALFORMED_ID", "Related To ID: id value of incorrect type: 006B000002nBrQ", ["WhatId"]),
    (404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: X", []),
    (400, "JSON_PARSER_ERROR", "Unexpected character ('x') at [line:1, column:18]", []),
    (400, "STORAGE_LIMIT_EXCEEDED", "storage limit exceeded", []),
    (400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records", []),
    (400, "MALFORMED_QUERY", "unexpected token: FROMM", []),
    (400, "INVALIDENTITY", "Entity 'CaseStatus' is not supported by the Bulk API.", []),
]


@pytest.mark.parametrize(("status", "code", "message", "fields"), PERMANENT_ROWS)
def test_R18_permanent_codes_carry_salesforce_message_and_a_fix_hint(
    status: int, code: str, message: str, fields: list[str]
) -> None:
    outcome = classify(status, code, message, fields=fields, operation=Operation.CREATE)
    assert outcome.kind is K.PERMANENT
    assert outcome.code == code
    assert outcome.message == message
    assert outcome.hint == outcome.hint.strip() and outcome.hint.endswith(".")
    assert "{" not in outcome.hint, "every placeholder is filled"
    assert code in PERMANENT_HINTS


def test_R18_every_catalogued_permanent_code_is_tested() -> None:
    tested = {row[1] for row in PERMANENT_ROWS}
    synthetic = {
        "DUPLICATE_EXTERNAL_ID_MULTIPLE_CHOICES",
        "URI_TOO_LONG",
        "API_VERSION_RETIRED",
        "METHOD_NOT_ALLOWED",
        "RETRIES_EXHAUSTED",
    }
    assert set(PERMANENT_HINTS) - synthetic == tested


def test_R18_hint_names_the_fields_salesforce_named() -> None:
    outcome = classify(400, "REQUIRED_FIELD_MISSING", "missing", fields=["LastName", "Company"])
    assert "LastName, Company" in outcome.hint
    assert outcome.fields == ("LastName", "Company")


def test_R18_validation_rule_hint_quotes_the_admins_message() -> None:
    outcome = classify(400, "FIELD_CUSTOM_VALIDATION_EXCEPTION", " Phone needs 10 digits ")
    assert "“Phone needs 10 digits”" in outcome.hint


def test_R18_unknown_permanent_code_gets_a_generic_hint_with_code_and_message() -> None:
    outcome = classify(400, "SOMETHING_NEW", "Brand new failure")
    assert outcome.kind is K.PERMANENT
    assert "SOMETHING_NEW" in outcome.hint and "Brand new failure" in outcome.hint


def test_R16_duplicate_value_reports_the_record_it_collided_with() -> None:
    outcome = classify(
        400,
        "DUPLICATE_VALUE",
        "duplicate value found: Pushforce_Id__c duplicates value on record with id: "
        "003S800000jyTwT",
    )
    assert outcome.existing_id == "003S800000jyTwT"
    assert classify(400, "DUPLICATE_VALUE", "duplicate value found").existing_id is None


@pytest.mark.parametrize(
    ("status", "code", "expected_code"),
    [
        (300, None, "DUPLICATE_EXTERNAL_ID_MULTIPLE_CHOICES"),
        (405, "METHOD_NOT_ALLOWED", "METHOD_NOT_ALLOWED"),
        (410, None, "API_VERSION_RETIRED"),
        (414, None, "URI_TOO_LONG"),
        (431, None, "URI_TOO_LONG"),
        (400, None, "HTTP_400"),
    ],
)
def test_R18_status_without_a_code_is_named_after_the_status(
    status: int, code: str | None, expected_code: str
) -> None:
    outcome = classify(status, code, operation=Operation.UPSERT)
    assert (outcome.kind, outcome.code) == (K.PERMANENT, expected_code)
    assert outcome.hint


TRANSIENT_ROWS = [
    (400, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records"),
    (200, "ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records"),
    (400, "PROCESSING_HALTED", "The transaction was rolled back"),
    (400, "QUERY_TIMEOUT", "Your query request was running for too long."),
    (400, "INVALID_QUERY_LOCATOR", "invalid query locator"),
    (403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded."),
    (429, "HTTP_429", "Too many requests"),
    (
        400,
        "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY",
        "MyTrigger: execution of AfterInsert caused by: System.DmlException: first error: "
        "UNABLE_TO_LOCK_ROW, unable to obtain exclusive access",
    ),
]


@pytest.mark.parametrize(("status", "code", "message"), TRANSIENT_ROWS)
@pytest.mark.parametrize("operation", list(Operation))
def test_R18_transient_codes_are_retried_for_every_operation(
    status: int, code: str, message: str, operation: Operation
) -> None:
    outcome = classify(status, code, message, operation=operation)
    assert outcome.kind is K.TRANSIENT
    assert outcome.hint


@pytest.mark.parametrize(
    ("status", "code"),
    [(500, "UNKNOWN_EXCEPTION"), (503, "SERVER_UNAVAILABLE"), (502, None), (504, None)],
)
def test_R18_server_errors_on_reads_are_transient(status: int, code: str | None) -> None:
    for operation in (Operation.QUERY, Operation.READ):
        assert classify(status, code, "<html>busy</html>", operation=operation).kind is K.TRANSIENT


@pytest.mark.parametrize(
    ("status", "code"),
    [(500, "UNKNOWN_EXCEPTION"), (503, "SERVER_UNAVAILABLE"), (502, None), (504, None)],
)
@pytest.mark.parametrize(
    "operation", [Operation.CREATE, Operation.UPSERT, Operation.UPDATE, Operation.DELETE]
)
def test_R16_server_errors_on_writes_are_ambiguous(
    status: int, code: str | None, operation: Operation
) -> None:
    outcome = classify(status, code, operation=operation)
    assert outcome.kind is K.AMBIGUOUS
    assert "checks before retrying" in outcome.hint


def test_R16_lock_error_on_a_500_is_a_definite_rollback_not_ambiguous() -> None:
    outcome = classify(500, "UNABLE_TO_LOCK_ROW", "unable to obtain", operation=Operation.CREATE)
    assert outcome.kind is K.TRANSIENT


def test_R16_timeouts_are_ambiguous_for_writes_and_transient_for_reads() -> None:
    assert classify_timeout(Operation.CREATE).kind is K.AMBIGUOUS
    assert classify_timeout(Operation.QUERY).kind is K.TRANSIENT
    assert classify_timeout(Operation.CREATE).code == "TIMEOUT"
    assert classify(None, None).code == "TIMEOUT"


def test_R16_per_record_errors_inside_a_collection_are_never_ambiguous() -> None:
    outcome = classify(200, "UNKNOWN_EXCEPTION", "An unexpected error", operation=Operation.CREATE)
    assert outcome.kind is K.TRANSIENT


def test_R18_retry_after_is_kept() -> None:
    outcome = classify(503, None, operation=Operation.QUERY, retry_after_seconds=30.0)
    assert outcome.retry_after_seconds == 30.0


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (401, "INVALID_SESSION_ID"),
        (401, "INVALID_AUTH_HEADER"),
        (401, None),
        (400, "invalid_grant"),
        (400, "invalid_client"),
        (400, "invalid_client_id"),
        (403, "API_DISABLED_FOR_ORG"),
        (403, "API_CURRENTLY_DISABLED"),
    ],
)
def test_R18_auth_failures_pause_the_team(status: int, code: str | None) -> None:
    outcome = classify(status, code, "Session expired or invalid", operation=Operation.UPDATE)
    assert outcome.kind is K.AUTH
    assert "connect" in outcome.hint.lower()


def test_R19_daily_limit_exhaustion_is_limit_exceeded() -> None:
    outcome = classify(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
    assert outcome.kind is K.LIMIT_EXCEEDED
    assert "resume by themselves" in outcome.hint


@pytest.mark.parametrize(
    ("status", "code", "operation"),
    [
        (400, "ENTITY_IS_DELETED", Operation.UPDATE),
        (200, "ENTITY_IS_DELETED", Operation.UPSERT),
        (404, "INVALID_CROSS_REFERENCE_KEY", Operation.UPDATE),
        (404, "NOT_FOUND", Operation.DELETE),
    ],
)
def test_R14_deleted_linked_records_are_recognised(
    status: int, code: str, operation: Operation
) -> None:
    outcome = classify(status, code, "entity is deleted", operation=operation)
    assert outcome.kind is K.DELETED
    assert "Push the record by hand" in outcome.hint


def test_R14_a_404_on_a_create_is_not_a_deletion() -> None:
    outcome = classify(404, "NOT_FOUND", "Provided external ID field", operation=Operation.UPSERT)
    assert outcome.kind is K.PERMANENT


def test_R14_converted_lead_is_recognised_and_refined_with_its_contact() -> None:
    outcome = classify(400, "CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead")
    assert outcome.kind is K.CONVERTED and outcome.successor is None
    contact = Successor("Contact", "0038M0000016Wv8QAE", account_id="001D000000IRFmaIAH")
    refined = converted(outcome, contact)
    assert refined.kind is K.CONVERTED
    assert refined.successor == contact
    assert refined.code == "CANNOT_UPDATE_CONVERTED_LEAD"


def test_R14_a_deleted_record_with_a_master_was_merged() -> None:
    deleted = classify(400, "ENTITY_IS_DELETED", "entity is deleted", operation=Operation.UPDATE)
    master = Successor("Account", "001D000000IRFmaIAH")
    outcome = merged(deleted, master)
    assert outcome.kind is K.MERGED
    assert outcome.successor == master
    assert "surviving" in outcome.hint


def test_operation_knows_which_calls_write() -> None:
    assert {op for op in Operation if op.writes} == {
        Operation.CREATE,
        Operation.UPSERT,
        Operation.UPDATE,
        Operation.DELETE,
    }
