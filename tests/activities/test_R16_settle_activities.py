"""R16 rules of core.settle for activity writes (pure): what an ambiguous Task/Event create or
upsert is looked up by before any retry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pushforce.core.decisions import Create
from pushforce.core.outcomes import Operation, classify_timeout
from pushforce.core.policy import Backoff
from pushforce.core.records import RecordRef
from pushforce.core.settle import (
    CLOCK_SKEW,
    Attempt,
    RetryAt,
    VerifyLookup,
    VerifyThenRetry,
    settle,
)

SENT = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
EMAIL = RecordRef(7, "email", 3)
KEY = f"{EMAIL.external_id}-p9"
TASK = {"Subject": "Email: Hi", "WhoId": "003000000000009AAA", "ActivityDate": "2026-11-20"}


def _settle(write: Create, upsert: bool) -> object:
    attempt = Attempt(write, 1, SENT, SENT + timedelta(seconds=30), upsert, Backoff(2, 900, 10))
    operation = Operation.UPSERT if upsert else Operation.CREATE
    return settle(attempt, classify_timeout(operation), lambda: 0.5)


def test_R16_an_ambiguous_task_upsert_is_looked_up_on_its_external_id() -> None:
    result = _settle(Create(EMAIL, "Task", TASK, KEY), upsert=True)
    assert isinstance(result, VerifyThenRetry)
    assert result.verify == VerifyLookup("Task", {"Pushforce_Id__c": KEY}, SENT - CLOCK_SKEW)


def test_R16_an_ambiguous_contact_upsert_simply_retries() -> None:
    contact = RecordRef(7, "contact", 9)
    write = Create(contact, "Contact", {"LastName": "Hopper"}, contact.external_id)
    assert isinstance(_settle(write, upsert=True), RetryAt)


def test_R16_a_carried_plain_external_id_is_what_the_look_up_matches() -> None:
    write = Create(EMAIL, "Task", {**TASK, "Pushforce_Id__c": KEY}, KEY)
    result = _settle(write, upsert=False)
    assert isinstance(result, VerifyThenRetry)
    assert result.verify.match == {"Pushforce_Id__c": KEY}


def test_R16_without_an_external_id_subject_who_and_date_identify_the_task() -> None:
    result = _settle(Create(EMAIL, "Task", TASK, KEY), upsert=False)
    assert isinstance(result, VerifyThenRetry) and result.verify.match == TASK
