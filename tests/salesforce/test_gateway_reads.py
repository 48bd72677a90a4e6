"""Look-ups with every page, API usage from Sforce-Limit-Info and /limits (R19), and the
per-org concurrency cap (R20)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sf_helpers import gateway_on, memory_store

from localforce.testing import RunningServer
from pushforce.core.lookups import LookupBy, LookupQuery
from pushforce.core.outcomes import Operation, OutcomeKind
from pushforce.salesforce.errors import CallFailure


def test_R20_a_lookup_returns_every_page(lf: RunningServer) -> None:
    rows = [{"LastName": f"P{n}", "Email": f"p{n}@example.com"} for n in range(2300)]
    lf.control.seed({"Contact": rows})
    query = LookupQuery("Contact", LookupBy.EMAIL, "SELECT Id, Email FROM Contact", (), True, 2)
    found = gateway_on(lf).run_lookup(query)
    assert len(found) == 2300 and "attributes" not in found[0]
    assert {row["Email"] for row in found} == {row["Email"] for row in rows}
    pages = [e for e in lf.control.log() if e["path"].startswith("/services/data/v59.0/query")]
    assert len(pages) == 2


def test_a_bad_query_raises_a_classified_failure(lf: RunningServer) -> None:
    with pytest.raises(CallFailure) as failed:
        gateway_on(lf).query("SELECT Nope__c FROM Contact")
    outcome = failed.value.outcome(Operation.QUERY)
    assert (outcome.kind, outcome.code) == (OutcomeKind.PERMANENT, "INVALID_FIELD")


def test_R19_usage_is_read_from_every_response_and_shared_by_the_orgs_gateways(
    lf: RunningServer,
) -> None:
    lf.control.set_limits(daily_api_requests=5000, used=1200)
    first, second = gateway_on(lf, key="a"), gateway_on(lf, key="b")
    assert first.api_usage() is None
    first.query("SELECT Id FROM Organization")
    usage = second.api_usage()
    assert usage is not None and usage.limit == 5000
    assert usage.used == 1201  # the one query counted on top of the 1,200 already used


def test_R19_refresh_limits_reads_daily_api_requests(lf: RunningServer) -> None:
    lf.control.set_limits(daily_api_requests=9000, used=4500)
    usage = gateway_on(lf).refresh_limits()
    assert usage.limit == 9000 and 4500 <= usage.used <= 4502


def test_R20_at_most_four_calls_in_flight_per_org_across_gateways(lf: RunningServer) -> None:
    tracker = lf.state.long_requests
    peak, lock = [0], threading.Lock()
    begin, end = tracker.begin, tracker.end

    def counting_begin() -> int:
        ticket = begin()
        with lock:
            peak[0] = max(peak[0], len(tracker._started))
        return ticket

    tracker.begin = counting_begin  # type: ignore[method-assign]
    lf.control.set_limits(per_request_ms=60)
    try:
        store = memory_store(lf)
        gateways = [gateway_on(lf, store, key=f"g{n}") for n in range(3)]
        with ThreadPoolExecutor(max_workers=12) as pool:
            jobs = [
                pool.submit(gateways[n % 3].query, "SELECT Id FROM Organization") for n in range(24)
            ]
            assert all(len(job.result(timeout=60)) == 1 for job in jobs)
    finally:
        tracker.begin, tracker.end = begin, end  # type: ignore[method-assign]
        lf.control.set_limits(per_request_ms=0)
    assert 2 <= peak[0] <= 4  # seen by localforce: never more than the cap
    assert gateways[0].org.slots.peak == 4  # the cap was reached, and held


def test_R20_a_concurrent_limit_refusal_halves_the_cap_then_it_grows_back(
    lf: RunningServer,
) -> None:
    gateway = gateway_on(lf)
    slots = gateway.org.slots
    lf.control.add_fault({"kind": "REQUEST_LIMIT_EXCEEDED", "concurrent": True, "count": 1})
    with pytest.raises(CallFailure):
        gateway.query("SELECT Id FROM Organization")
    assert slots.limit == 2
    slots.REGROW_AFTER = 2  # type: ignore[misc]
    for _ in range(4):
        gateway.query("SELECT Id FROM Organization")
    assert slots.limit == 4


def test_a_query_over_the_uri_limit_is_a_permanent_uri_too_long(lf: RunningServer) -> None:
    emails = ", ".join(f"'person{n}@example.com'" for n in range(800))
    with pytest.raises(CallFailure) as failed:
        gateway_on(lf).query(f"SELECT Id FROM Contact WHERE Email IN ({emails})")
    outcome = failed.value.outcome(Operation.QUERY)
    assert (failed.value.status, outcome.code, outcome.kind) == (
        414,
        "URI_TOO_LONG",
        OutcomeKind.PERMANENT,
    )
