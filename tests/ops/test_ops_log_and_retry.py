"""The sync log's time window and cursor, and retry selections, on the store (PRODUCT.md §6)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from harness import Org
from ops_helpers import accounts_and_contacts

from pushforce.app.retry import RetryError, RetryRequest, parse_record, retry_failed
from pushforce.store import read_connection
from pushforce.store.push_status import LogFilter, log_page


def test_log_since_and_until_bound_the_window(org: Org) -> None:
    accounts_and_contacts(org, accounts=1, contacts=2)
    org.drain()  # skipped: automatic pushing is off
    [first, *_] = org.log()
    window = LogFilter(since=first["at"], until=first["at"] + timedelta(microseconds=1))
    later = LogFilter(since=first["at"] + timedelta(seconds=1))
    with read_connection(org.engine) as conn:
        inside, _ = log_page(conn, org.team_id, window, before_id=None, limit=50)
        after, _ = log_page(conn, org.team_id, later, before_id=None, limit=50)
    assert {e["id"] for e in inside} == {e["id"] for e in org.log() if e["at"] == first["at"]}
    assert after == []


def test_retry_requests_name_exactly_one_selection() -> None:
    assert parse_record("contact:42") == ("contact", 42)
    for text in ("contact", "widget:1", "contact:x"):
        with pytest.raises(RetryError):
            parse_record(text)
    for request in (RetryRequest(), RetryRequest(all=True, error_class="X")):
        with pytest.raises(RetryError):
            request.selection()


def test_retry_of_nothing_failed_wakes_no_one(org: Org) -> None:
    woken: list[int] = []
    count = retry_failed(
        org.engine, org.team_id, RetryRequest(all=True), org.clock.now(), woken.append
    )
    assert count == 0 and woken == []
