"""F9–F11 (reliability.md §2.3): the database connection lost while a batch settles, duplicate
wake-ups and two workers on one team, updates arriving while older pushes are in flight. After a
full drain every record is in Salesforce once, with its latest values (R16, R17)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from random import Random
from typing import Any

import pytest
import sqlalchemy as sa
from engine_helpers import change
from processes import finish, start_worker
from reliability_helpers import Team, assert_contract, people

from pushforce.app.drain import drain_team
from pushforce.store import write_transaction


def _written(team: Team) -> int:
    return int(team.lf.control.counters()["records_written"])


def _assert_once_each(team: Team, count: int) -> None:
    rows = team.sf_records("Contact")
    assert len(rows) == count
    assert len({row["Pushforce_Id__c"] for row in rows}) == count


def _after_each_call(team: Team, action: Callable[[int], None]) -> None:
    """Run ``action(call_number)`` right after each collection call returns (before settle)."""
    sf = team.gateway_for(team.team_id)
    assert sf is not None
    original, calls = sf.run_collection, [0]

    def wrapped(call: Any) -> Any:
        results = original(call)
        calls[0] += 1
        action(calls[0])
        return results

    sf.run_collection = wrapped  # type: ignore[method-assign]


@pytest.mark.postgres
def test_F9_the_postgres_connection_killed_during_settle(pg_team: Team, seed: int) -> None:
    team = pg_team
    count = Random(seed).randint(20, 60)
    team.create_many("contact", people(count))
    armed = threading.Event()
    _after_each_call(team, lambda n: armed.set() if n == 1 else None)
    killed: list[int] = []

    @sa.event.listens_for(team.engine, "before_cursor_execute")
    def terminate(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if (
            armed.is_set()
            and not killed
            and statement.lstrip().upper().startswith(("INSERT", "UPDATE"))
        ):
            pid = conn.connection.dbapi_connection.info.backend_pid
            killed.append(pid)
            with team.engine.connect() as admin:  # another pooled connection does the killing
                admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    try:
        with pytest.raises(sa.exc.OperationalError):
            team.drain()
    finally:
        sa.event.remove(team.engine, "before_cursor_execute", terminate)
    assert killed and len(team.sf_records("Contact")) == count  # Salesforce has them, we don't know
    assert team.links() == {}
    team.clock.advance(minutes=3)  # the lost settle left the jobs running under the old lease
    team.drain_fully()
    _assert_once_each(team, count)
    assert_contract(team.check(), seed)


def test_F10_duplicate_wake_ups_coalesce_into_one_push_per_record(team: Team, seed: int) -> None:
    ids = team.create_many("contact", people(30))
    rng = Random(seed)
    with write_transaction(team.engine) as conn:
        for record_id in ids:
            for version in range(rng.randint(1, 5)):
                change(conn, team.team_id, "contact", record_id, title=f"v{version}")
    assert len(team.jobs()) == 30
    for _ in range(3):  # three wake-ups for the same work
        team.drain()
    assert _written(team) == 30
    _assert_once_each(team, 30)
    assert_contract(team.check(), seed)


def test_F10_two_worker_processes_on_one_team_push_each_record_once(team: Team, seed: int) -> None:
    count = Random(seed).randint(250, 400)
    team.create_many("contact", people(count))
    workers = [start_worker(team, batch_size=50) for _ in range(2)]
    results = [finish(worker) for worker in workers]
    assert [code for code, _ in results] == [0, 0], results
    team.drain_fully()  # whatever a worker that lost the race left behind
    assert _written(team) == count  # the fenced lease let exactly one push each record
    _assert_once_each(team, count)
    assert_contract(team.check(), seed)


def test_F10_two_drainers_racing_in_threads(team: Team, seed: int) -> None:
    count = Random(seed).randint(150, 300)
    team.create_many("contact", people(count))
    errors: list[BaseException] = []

    def drain_as(owner: str) -> None:
        try:
            for _ in range(20):
                drain_team(replace(team.drainer(owner), batch_size=50), team.team_id)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=drain_as, args=(f"drainer-{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    team.drain_fully()
    assert _written(team) == count
    assert_contract(team.check(), seed)


def test_F11_updates_while_older_pushes_are_in_flight_end_at_the_latest(
    team: Team, seed: int
) -> None:
    rng = Random(seed)
    ids = team.create_many("contact", people(40))
    latest: dict[int, str] = {}

    def newer_versions(call_number: int) -> None:
        if call_number > 2:
            return
        with write_transaction(team.engine) as conn:
            for record_id in rng.sample(ids, 20):
                latest[record_id] = f"v{call_number}-{rng.randint(0, 999)}"
                change(conn, team.team_id, "contact", record_id, title=latest[record_id])

    _after_each_call(team, newer_versions)
    team.drain_fully()
    titles = {row["Pushforce_Id__c"]: row.get("Title") for row in team.sf_records("Contact")}
    for record_id, title in latest.items():
        assert titles[team.external_id("contact", record_id)] == title
    assert_contract(team.check(), seed)
