"""The embedded runner: a record write reaches Salesforce by itself (wake-up after commit),
retries fall due through the sweep, and stopping leaves no lease held."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from engine_helpers import change, create
from harness import Org

from pushforce.runners.local import LocalRunner
from pushforce.store import leases, read_connection, write_transaction


def wait_for(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    """Poll until `condition` holds (a deadline, not a sleep for ordering)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met before the deadline")
        time.sleep(0.02)


@pytest.fixture
def runner(org: Org) -> Iterator[LocalRunner]:
    running = LocalRunner(org.drainer("embedded"), workers=2, sweep_seconds=0.05)
    running.start()
    yield running
    running.stop()


def test_a_saved_record_is_pushed_by_the_embedded_runner(org: Org, runner: LocalRunner) -> None:
    with write_transaction(org.engine) as conn:
        contact_id = create(conn, org.team_id, "contact", last_name="Live", email="l@example.com")
    wait_for(lambda: len(org.sf_records("Contact")) == 1 and not org.jobs())
    with write_transaction(org.engine) as conn:
        change(conn, org.team_id, "contact", contact_id, title="Updated live")
    sf_id = org.link("contact", contact_id)["sf_id"]
    wait_for(lambda: org.sf_record(sf_id).get("Title") == "Updated live")


def test_a_retry_is_picked_up_by_the_sweep_when_it_falls_due(org: Org, runner: LocalRunner) -> None:
    org.lf.control.add_fault({"kind": "503", "path": "composite/sobjects", "count": 1})
    with write_transaction(org.engine) as conn:
        create(conn, org.team_id, "contact", last_name="Later", email="later@example.com")
    wait_for(lambda: any(e["outcome"] == "retry" for e in org.log()))
    assert org.sf_records("Contact") == []
    org.clock.advance(minutes=1)
    wait_for(lambda: len(org.sf_records("Contact")) == 1 and not org.jobs())


def test_stopping_the_runner_releases_every_lease(org: Org) -> None:
    running = LocalRunner(org.drainer("embedded"), workers=2, sweep_seconds=0.05)
    running.start()
    with write_transaction(org.engine) as conn:
        create(conn, org.team_id, "contact", last_name="Stop", email="stop@example.com")
    wait_for(lambda: not org.jobs())
    running.stop()
    with read_connection(org.engine) as conn:
        assert leases.reap_expired(conn, org.clock.now()) == []
