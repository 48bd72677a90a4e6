"""settle: one write's answer from Salesforce → what the engine does next (R14, R16, R18, R19)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pushforce.core.decisions import (
    AccountLookup,
    Create,
    MatchThenLinkOrCreate,
    Relink,
    Update,
    Writes,
)
from pushforce.core.outcomes import (
    Operation,
    Outcome,
    Success,
    Successor,
    classify,
    classify_timeout,
    converted,
    merged,
)
from pushforce.core.policy import Backoff
from pushforce.core.records import RecordRef
from pushforce.core.settle import (
    RETRY_TRIGGERS,
    Attempt,
    Done,
    Failed,
    Held,
    LinkRemoved,
    PauseTeam,
    Relinked,
    RetryAt,
    VerifyLookup,
    VerifyThenRetry,
    settle,
    settle_job,
    settle_verification,
)

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
SENT = NOW - timedelta(seconds=30)
SINCE = SENT - timedelta(minutes=5)  # clock skew between us and Salesforce
CONTACT = RecordRef(7, "contact", 42)
CONTACT_ID = "0038M0000016Wv8QAE"
ACCOUNT_ID = "001D000000IRFmaIAH"


def half() -> float:
    return 0.5


CREATE = Create(
    CONTACT,
    "Contact",
    {"LastName": "Doe", "FirstName": "Jane", "Email": "jane@acme.com", "LeadSource": "Pushforce"},
    CONTACT.external_id,
)
MATCH = MatchThenLinkOrCreate(
    RecordRef(7, "account", 3),
    "Account",
    AccountLookup("acme.com", "Acme", "oldest"),
    {"Name": "Acme", "Website": "https://acme.com"},
    "pf-7-account-3",
)
UPDATE = Update(CONTACT, "Contact", CONTACT_ID, Writes({"Title": "CEO"}), CONTACT.external_id)
TASK = Create(
    RecordRef(7, "email", 9),
    "Task",
    {"Subject": "Email: hi", "WhoId": CONTACT_ID, "ActivityDate": date(2026, 1, 5).isoformat()},
    "pf-7-email-9-p42",
)


def attempt(write=CREATE, number=1, upsert=False, backoff=None):  # type: ignore[no-untyped-def]
    return Attempt(write, number, SENT, NOW, upsert, backoff or Backoff(2, 900, 10))


def test_success_is_done_with_the_link_to_write() -> None:
    result = settle(attempt(), Success("Contact", CONTACT_ID, created=True), half)
    assert result == Done("Contact", CONTACT_ID, created=True)


def test_R18_transient_errors_retry_with_jittered_backoff() -> None:
    outcome = classify(400, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access")
    result = settle(attempt(number=3), outcome, half)
    assert isinstance(result, RetryAt)
    assert result.at == NOW + timedelta(seconds=4)  # 0.5 × min(900, 2 · 2²)
    assert result.counts_as_attempt and result.outcome == outcome
    assert "UNABLE_TO_LOCK_ROW" in result.reason


def test_R18_retry_after_header_is_honoured() -> None:
    outcome = classify(503, None, operation=Operation.QUERY, retry_after_seconds=120)
    result = settle(attempt(UPDATE), outcome, half)
    assert isinstance(result, RetryAt) and result.at == NOW + timedelta(seconds=120)


def test_R18_transient_errors_fail_once_attempts_run_out() -> None:
    outcome = classify(400, "UNABLE_TO_LOCK_ROW", "locked")
    result = settle(attempt(number=10), outcome, half)
    assert isinstance(result, Failed)
    assert result.code == "RETRIES_EXHAUSTED"
    assert "after 10 attempts" in result.message and "UNABLE_TO_LOCK_ROW" in result.message
    assert "retry the record" in result.hint


def test_R18_permanent_errors_fail_with_message_and_hint_and_retry_on_change() -> None:
    outcome = classify(
        400,
        "REQUIRED_FIELD_MISSING",
        "Required fields are missing: [LastName]",
        fields=["LastName"],
    )
    result = settle(attempt(), outcome, half)
    assert result == Failed("REQUIRED_FIELD_MISSING", outcome.message, outcome.hint)
    assert result.retry_on == RETRY_TRIGGERS == {"record_changed", "settings_changed", "requested"}


def test_R18_auth_failure_pauses_the_team() -> None:
    outcome = classify(401, "INVALID_SESSION_ID", "Session expired or invalid")
    result = settle(attempt(UPDATE), outcome, half)
    assert result == PauseTeam("INVALID_SESSION_ID: Session expired or invalid", outcome.hint)


def test_R19_daily_limit_waits_for_the_budget_without_spending_an_attempt() -> None:
    outcome = classify(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
    result = settle(attempt(number=9), outcome, half)
    assert isinstance(result, RetryAt)
    assert result.at == NOW + timedelta(minutes=5)
    assert not result.counts_as_attempt


def test_R16_ambiguous_create_without_upsert_is_verified_before_retry() -> None:
    outcome = classify_timeout(Operation.CREATE)
    result = settle(attempt(CREATE, upsert=False), outcome, half)
    assert result == VerifyThenRetry(
        VerifyLookup(
            "Contact", {"Email": "jane@acme.com", "LastName": "Doe", "FirstName": "Jane"}, SINCE
        ),
        outcome,
    )


def test_R16_ambiguous_activity_create_is_verified_by_subject_who_and_date() -> None:
    result = settle(attempt(TASK), classify(502, None, operation=Operation.CREATE), half)
    assert isinstance(result, VerifyThenRetry)
    assert result.verify.match == {
        "Subject": "Email: hi",
        "WhoId": CONTACT_ID,
        "ActivityDate": "2026-01-05",
    }


def test_R16_ambiguous_create_carrying_a_plain_pushforce_id_is_verified_by_it_alone() -> None:
    carried = Create(
        TASK.record, "Task", {**TASK.payload, "Pushforce_Id__c": TASK.external_id}, TASK.external_id
    )
    result = settle(attempt(carried), classify_timeout(Operation.CREATE), half)
    assert isinstance(result, VerifyThenRetry)
    assert result.verify.match == {"Pushforce_Id__c": "pf-7-email-9-p42"}


def test_R16_ambiguous_match_then_create_is_verified_by_name() -> None:
    result = settle(attempt(MATCH), classify_timeout(Operation.CREATE), half)
    assert isinstance(result, VerifyThenRetry)
    assert result.verify == VerifyLookup("Account", {"Name": "Acme"}, SINCE)


def test_R16_unknown_object_is_verified_by_creation_time_only() -> None:
    write = Create(CONTACT, "Custom__c", {"Name__c": "x"}, CONTACT.external_id)
    result = settle(attempt(write), classify_timeout(Operation.CREATE), half)
    assert isinstance(result, VerifyThenRetry) and result.verify.match == {}


@pytest.mark.parametrize(("write", "upsert"), [(CREATE, True), (UPDATE, False), (UPDATE, True)])
def test_R16_ambiguous_idempotent_writes_simply_retry(write: object, upsert: bool) -> None:
    result = settle(attempt(write, upsert=upsert), classify_timeout(Operation.UPSERT), half)
    assert isinstance(result, RetryAt) and result.counts_as_attempt


def test_R16_verification_that_finds_the_record_links_it_instead_of_creating_again() -> None:
    outcome = classify_timeout(Operation.CREATE)
    found = settle_verification(attempt(), [CONTACT_ID, "003000000000002AAA"], outcome, half)
    assert found == Done("Contact", CONTACT_ID, created=True)


def test_R16_verification_that_finds_nothing_retries_the_create_with_backoff() -> None:
    outcome = classify_timeout(Operation.CREATE)
    result = settle_verification(attempt(number=2), [], outcome, half)
    assert isinstance(result, RetryAt) and result.outcome == outcome
    assert result.at == NOW + timedelta(seconds=2) and result.counts_as_attempt
    exhausted = settle_verification(attempt(number=10), [], outcome, half)
    assert isinstance(exhausted, Failed) and exhausted.code == "RETRIES_EXHAUSTED"


def test_R14_deleted_linked_record_removes_the_link() -> None:
    outcome = classify(400, "ENTITY_IS_DELETED", "entity is deleted", operation=Operation.UPDATE)
    result = settle(attempt(UPDATE), outcome, half)
    assert isinstance(result, LinkRemoved)
    assert result.reason == "ENTITY_IS_DELETED: entity is deleted"
    assert "Push the record by hand" in result.hint


def test_R14_deleted_reference_on_a_create_fails_the_create() -> None:
    outcome = classify(400, "ENTITY_IS_DELETED", "entity is deleted", operation=Operation.CREATE)
    result = settle(attempt(CREATE), outcome, half)
    assert isinstance(result, Failed) and "related Salesforce record" in result.hint


def test_R14_merged_record_relinks_to_the_master_and_writes_again() -> None:
    deleted = classify(400, "ENTITY_IS_DELETED", "entity is deleted", operation=Operation.UPDATE)
    outcome = merged(deleted, Successor("Contact", "003000000000009AAA"))
    result = settle(attempt(UPDATE), outcome, half)
    assert isinstance(result, Relinked)
    assert result.relink == Relink("merged", "Contact", "003000000000009AAA")
    assert result.retry.at == NOW and not result.retry.counts_as_attempt


def test_R14_converted_lead_relinks_to_its_contact_and_account() -> None:
    lead_update = Update(CONTACT, "Lead", "00Q000000000001AAA", Writes({"Title": "X"}), "k")
    outcome = converted(
        classify(400, "CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead"),
        Successor("Contact", CONTACT_ID, ACCOUNT_ID),
    )
    result = settle(attempt(lead_update), outcome, half)
    assert isinstance(result, Relinked)
    assert result.relink == Relink("converted", "Contact", CONTACT_ID, ACCOUNT_ID)


def test_R14_a_move_without_a_successor_fails_with_a_hint() -> None:
    outcome = classify(400, "CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead")
    result = settle(attempt(UPDATE), outcome, half)
    assert isinstance(result, Failed) and "Push the record by hand" in result.hint


def test_job_settlement_takes_the_most_urgent_write() -> None:
    done = Done("Contact", CONTACT_ID, True)
    failed = Failed("X", "m", "h")
    soon = RetryAt(NOW + timedelta(seconds=5), "a")
    later = RetryAt(NOW + timedelta(seconds=50), "b")
    pause = PauseTeam("auth", "reconnect")
    held = Held("review", ("1", "2"))
    removed = LinkRemoved("deleted", "h")
    assert settle_job([done]) == done
    assert settle_job([done, removed]) == removed
    assert settle_job([done, failed, removed]) == failed
    assert settle_job([failed, held]) == held
    assert settle_job([done, later, soon, failed]) == soon
    assert settle_job([soon, pause, done]) == pause
    with pytest.raises(ValueError, match="at least one write"):
        settle_job([])


OUTCOME_KINDS = st.sampled_from(
    [
        classify(400, "UNABLE_TO_LOCK_ROW", "x"),
        classify_timeout(Operation.CREATE),
        classify(400, "STRING_TOO_LONG", "x"),
        classify(401, "INVALID_SESSION_ID", "x"),
        classify(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."),
        classify(404, "NOT_FOUND", "x", operation=Operation.UPDATE),
    ]
)


@given(
    outcome=OUTCOME_KINDS,
    number=st.integers(min_value=1, max_value=20),
    upsert=st.booleans(),
    write=st.sampled_from([CREATE, MATCH, UPDATE, TASK]),
    draw=st.floats(min_value=0, max_value=1, exclude_max=True),
)
def test_R16_property_a_failed_create_is_never_blindly_retried_without_upsert(
    outcome: Outcome, number: int, upsert: bool, write: object, draw: float
) -> None:
    result = settle(attempt(write, number, upsert), outcome, lambda: draw)
    if outcome.kind == "ambiguous" and not upsert and write in (CREATE, MATCH, TASK):
        assert isinstance(result, VerifyThenRetry)
    if isinstance(result, RetryAt):
        assert NOW <= result.at <= NOW + timedelta(seconds=900)
