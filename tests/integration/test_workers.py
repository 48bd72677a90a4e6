"""Scale-out on PostgreSQL: several ``pushforce worker`` processes drain teams concurrently —
nothing duplicated, nothing lost, the per-org cap held — and a worker SIGKILLed mid-batch
costs nothing once another takes over (DESIGN.md §3, §4; reliability §2.1, §2.4)."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from pg_workers import Workers, connected_team, wait_for
from sqlalchemy.engine import Engine

from localforce.testing import RunningServer
from pushforce.config import Config
from pushforce.inputs import KIND_MODELS
from pushforce.store import insert_records, links, outbox, read_connection, write_transaction

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _seed(engine: Engine, team_id: int, accounts: int, contacts: int) -> None:
    account_model, contact_model = KIND_MODELS["account"][0], KIND_MODELS["contact"][0]
    with write_transaction(engine) as conn:
        rows = [
            account_model.model_validate({"name": f"T{team_id} Co {i}"}).model_dump()
            for i in range(accounts)
        ]
        account_ids = insert_records(conn, team_id, "account", rows)
        people = [
            contact_model.model_validate(
                {
                    "last_name": f"Person {i}",
                    "email": f"p{i}@t{team_id}.example",
                    "account_id": account_ids[i % accounts],
                }
            ).model_dump()
            for i in range(contacts)
        ]
        insert_records(conn, team_id, "contact", people)


def _pending(engine: Engine, teams: list[int]) -> int:
    with read_connection(engine) as conn:
        return sum(len(outbox.jobs_of(conn, team)) for team in teams)


def reconcile(engine: Engine, lf: RunningServer, teams: list[int]) -> None:
    """Every record linked exactly once, to a live Salesforce record carrying its external id;
    no Salesforce record without a Pushforce record (reliability §2.4)."""
    sf = {sobject: lf.control.records(sobject) for sobject in ("Account", "Contact")}
    by_external = Counter(r.get("Pushforce_Id__c") for rows in sf.values() for r in rows)
    duplicated = [key for key, count in by_external.items() if count > 1]
    assert duplicated == []
    ids = {r["Id"]: r for rows in sf.values() for r in rows}
    linked = 0
    with read_connection(engine) as conn:
        for team in teams:
            for link in links.all_links(conn, team):
                record = ids.get(link["sf_id"])
                assert record is not None, f"{link['external_id']} links a missing record"
                assert record["Pushforce_Id__c"] == link["external_id"]
                linked += 1
    assert linked == len(ids), "Salesforce holds records no link accounts for"


@contextmanager
def peak_in_flight(lf: RunningServer) -> Iterator[list[int]]:
    """Sample localforce's requests in flight (its long-request tracker) every millisecond."""
    peak = [0]
    stop = threading.Event()
    tracker = lf.state.long_requests

    def sample() -> None:
        while not stop.is_set():
            with tracker._lock:
                peak[0] = max(peak[0], len(tracker._started))
            stop.wait(0.001)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join()


def test_three_workers_drain_three_teams_without_duplicates_within_the_cap(
    pg_engine: Engine, three_orgs: list[RunningServer], config: Config, workers: Workers
) -> None:
    """Each team has its own org; 1,000 contacts make 5 collection calls per stage, which the
    drain sends in parallel — never more than 4 in flight per org (R20)."""
    teams = [connected_team(pg_engine, lf, config) for lf in three_orgs]
    for team in teams:
        _seed(pg_engine, team, accounts=20, contacts=1000)
    for lf in three_orgs:
        lf.control.set_limits(per_request_ms=100)  # calls overlap long enough to be counted
    with contextlib.ExitStack() as stack:
        peaks = [stack.enter_context(peak_in_flight(lf)) for lf in three_orgs]
        for _ in range(3):
            workers.start()
        wait_for(lambda: _pending(pg_engine, teams) == 0, 120, "the queue to drain", workers.logs)
    for team, lf, peak in zip(teams, three_orgs, peaks, strict=True):
        assert len(lf.control.records("Contact")) == 1000
        assert len(lf.control.records("Account")) == 20
        reconcile(pg_engine, lf, [team])
        assert 2 <= peak[0] <= 4, f"org of team {team}: {peak[0]} calls in flight at once"


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(
    pg_engine: Engine, localforce: RunningServer, config: Config, workers: Workers
) -> None:
    team = connected_team(pg_engine, localforce, config)
    _seed(pg_engine, team, accounts=20, contacts=800)
    # The first contacts call is committed in Salesforce, then its answer hangs: the worker is
    # killed exactly there, after the request was sent and before anything was settled.
    hang = {"kind": "commit_then_fail", "path": "composite/sobjects/Contact", "count": 1}
    localforce.control.add_fault({**hang, "seconds": 15})
    first = workers.start()
    wait_for(lambda: len(localforce.control.records("Contact")) > 0, 60, "the first contacts")
    first.send_signal(signal.SIGKILL)
    first.wait()
    localforce.control.clear_faults()
    assert _pending(pg_engine, [team]) > 0
    workers.start()  # takes the team over once the dead worker's lease expires
    wait_for(lambda: _pending(pg_engine, [team]) == 0, 120, "the queue to drain", workers.logs)
    assert len(localforce.control.records("Contact")) == 800
    assert len(localforce.control.records("Account")) == 20
    reconcile(pg_engine, localforce, [team])
