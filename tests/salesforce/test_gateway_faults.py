"""Whole-call failures are classified for every write of the call — never raised (R16, R18, R19)."""

from __future__ import annotations

from typing import Any

import pytest
from sf_helpers import collection, contact_create, contact_update, gateway_on

from localforce.testing import RunningServer
from pushforce.core.batching import WriteOp
from pushforce.core.outcomes import Outcome, OutcomeKind, Success

COLLECTIONS = "composite/sobjects"


def _create_two(lf: RunningServer, fault: dict[str, Any], **options: Any) -> list[Any]:
    gateway = gateway_on(lf, **options)
    gateway.describe("Contact")  # so the fault hits the write, not the describe
    lf.control.add_fault({"path": COLLECTIONS, "count": 1, **fault})
    call = collection("Contact", WriteOp.CREATE, contact_create(1), contact_create(2))
    return gateway.run_collection(call)


@pytest.mark.parametrize(
    ("kind", "code", "outcome"),
    [
        ("500", None, OutcomeKind.AMBIGUOUS),  # HTML page: was the upsert applied? (R16)
        ("503", None, OutcomeKind.AMBIGUOUS),
        ("502", None, OutcomeKind.AMBIGUOUS),
        ("UNKNOWN_EXCEPTION", "UNKNOWN_EXCEPTION", OutcomeKind.AMBIGUOUS),
        ("UNABLE_TO_LOCK_ROW", "UNABLE_TO_LOCK_ROW", OutcomeKind.TRANSIENT),
    ],
)
def test_R18_server_errors_classify_every_write(
    lf: RunningServer, kind: str, code: str | None, outcome: OutcomeKind
) -> None:
    results = _create_two(lf, {"kind": kind})
    assert len(results) == 2 and results[0] == results[1]
    assert isinstance(results[0], Outcome) and results[0].kind is outcome
    if code:
        assert results[0].code == code
    else:
        assert results[0].code.startswith("HTTP_5") and "HTML" in results[0].message


def test_R19_daily_limit_exceeded_pauses_and_concurrent_limit_retries(lf: RunningServer) -> None:
    daily = _create_two(lf, {"kind": "REQUEST_LIMIT_EXCEEDED"})
    assert daily[0].kind is OutcomeKind.LIMIT_EXCEEDED and daily[0].code == "REQUEST_LIMIT_EXCEEDED"
    concurrent = _create_two(lf, {"kind": "REQUEST_LIMIT_EXCEEDED", "concurrent": True})
    assert concurrent[0].kind is OutcomeKind.TRANSIENT
    assert lf.control.records("Contact") == []


def test_R16_a_hang_times_out_as_ambiguous_and_the_retry_upserts_once(lf: RunningServer) -> None:
    results = _create_two(lf, {"kind": "hang", "seconds": 5}, timeout=(5.0, 0.5))
    assert results[0].kind is OutcomeKind.AMBIGUOUS and results[0].code == "TIMEOUT"
    again = gateway_on(lf).run_collection(
        collection("Contact", WriteOp.CREATE, contact_create(1), contact_create(2))
    )
    assert all(isinstance(r, Success) for r in again)
    assert sorted(c["Pushforce_Id__c"] for c in lf.control.records("Contact")) == [
        "pf-7-contact-1",
        "pf-7-contact-2",
    ]


def test_R16_commit_then_fail_is_ambiguous_and_the_upsert_retry_finds_the_records(
    lf: RunningServer,
) -> None:
    results = _create_two(lf, {"kind": "commit_then_fail"})
    assert results[0].kind is OutcomeKind.AMBIGUOUS
    again = gateway_on(lf).run_collection(
        collection("Contact", WriteOp.CREATE, contact_create(1), contact_create(2))
    )
    assert [r.created for r in again if isinstance(r, Success)] == [False, False]
    assert len(lf.control.records("Contact")) == 2


def test_R18_a_per_record_lock_is_transient_for_that_record_only(lf: RunningServer) -> None:
    gateway = gateway_on(lf)
    first = gateway.run_collection(collection("Contact", WriteOp.CREATE, contact_create(1)))[0]
    assert isinstance(first, Success)
    lf.control.add_fault(
        {"kind": "UNABLE_TO_LOCK_ROW", "path": COLLECTIONS, "per_record": True, "count": 1}
    )
    results = gateway.run_collection(
        collection("Contact", WriteOp.UPDATE, contact_update(1, first.sf_id, Title="VP"))
    )
    assert isinstance(results[0], Outcome)
    assert (results[0].kind, results[0].code) == (OutcomeKind.TRANSIENT, "UNABLE_TO_LOCK_ROW")


def test_a_connection_refused_is_classified_not_raised(lf: RunningServer) -> None:
    from sf_helpers import ALLOWED, client_credentials

    from pushforce.salesforce.factory import build_gateway
    from pushforce.salesforce.secret import Secret
    from pushforce.salesforce.tokens import MemoryTokenStore, TokenState

    state = TokenState(client_credentials(lf), Secret("x"), "https://127.0.0.1:9", "00Dnowhere")
    gateway = build_gateway(MemoryTokenStore(state), key="nowhere", allowed=ALLOWED)
    results = gateway.run_collection(collection("Contact", WriteOp.CREATE, contact_create(1)))
    assert results[0].kind is OutcomeKind.TRANSIENT  # the describe failed: nothing was sent
