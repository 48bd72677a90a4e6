"""F1/F2 (reliability.md §2.3): a real worker process SIGKILLed at each point of a batch, and
stopped with SIGTERM mid-batch. After the next holder's full drain the checker finds nothing
lost and nothing duplicated (R16, R17; DESIGN.md §4)."""

from __future__ import annotations

import signal
from random import Random

import pytest
import sqlalchemy as sa
from processes import finish, start_worker, wait_for
from reliability_helpers import Team, assert_contract, people

from pushforce.store import read_connection
from pushforce.store.push_schema import team_leases

LEASE_EXPIRED = 3  # minutes: past the worker's two-minute lease


def _contacts(team: Team, seed: int) -> int:
    count = Random(seed).randint(20, 60)
    team.create_many("contact", people(count))
    return count


def _assert_once_each(team: Team, count: int) -> None:
    rows = team.sf_records("Contact")
    assert len(rows) == count
    assert len({row["Pushforce_Id__c"] for row in rows}) == count


@pytest.mark.parametrize("point", ["after_claim", "after_response"])
def test_F1_sigkill_at_a_failpoint_then_the_next_holder_finishes(
    team: Team, seed: int, point: str
) -> None:
    count = _contacts(team, seed)
    code, output = finish(start_worker(team, failpoint=point))
    assert code == -signal.SIGKILL, output
    assert {job["state"] for job in team.jobs()} == {"running"}  # stuck until the lease expires
    written = len(team.sf_records("Contact"))
    assert written == (0 if point == "after_claim" else count)
    team.drain()  # the dead worker's lease still holds: nobody else may push
    assert {job["state"] for job in team.jobs()} == {"running"}
    team.clock.advance(minutes=LEASE_EXPIRED)
    team.drain_fully()
    _assert_once_each(team, count)  # after_response: the repeat was an upsert, not a create
    assert_contract(team.check(), seed)


def test_F1_sigkill_after_the_request_was_sent_and_applied(team: Team, seed: int) -> None:
    count = _contacts(team, seed)
    # Salesforce commits the collection, then holds the answer: the worker dies waiting for it
    team.lf.control.add_fault(
        {"kind": "commit_then_fail", "path": "composite/sobjects", "count": 1, "seconds": 60}
    )
    worker = start_worker(team)
    wait_for(lambda: len(team.sf_records("Contact")) == count, "the write to be applied")
    worker.kill()
    assert finish(worker)[0] == -signal.SIGKILL
    team.lf.control.clear_faults()
    team.clock.advance(minutes=LEASE_EXPIRED)
    team.drain_fully()
    _assert_once_each(team, count)
    assert_contract(team.check(), seed)


def test_F2_sigterm_mid_batch_releases_the_lease_and_loses_nothing(team: Team, seed: int) -> None:
    count = _contacts(team, seed)
    team.lf.control.add_fault(
        {"kind": "hang", "path": "composite/sobjects", "count": 1, "seconds": 60}
    )
    worker = start_worker(team)
    wait_for(lambda: any(job["state"] == "running" for job in team.jobs()), "a claimed batch")
    wait_for(lambda: _faults_fired(team) == 1, "the call to hang in Salesforce")
    worker.send_signal(signal.SIGTERM)
    code, output = finish(worker)
    assert code == 143, output
    with read_connection(team.engine) as conn:
        lease = conn.execute(
            sa.select(team_leases).where(team_leases.c.team_id == team.team_id)
        ).one()
    assert lease.owner is None  # released on the way out: no waiting for it to expire
    team.lf.control.clear_faults()
    team.drain_fully()  # the clock is not moved: the next drainer takes over at once
    _assert_once_each(team, count)
    assert_contract(team.check(), seed)


def _faults_fired(team: Team) -> int:
    return int(team.lf.control.counters()["faults_fired"])
