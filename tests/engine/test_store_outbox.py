"""Contract of the outbox, leases, links and sync log on SQLite and PostgreSQL (DESIGN.md §4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from engine_helpers import change, create
from sqlalchemy.engine import Engine

from pushforce.store import (
    leases,
    links,
    outbox,
    synclog,
    write_transaction,
)
from pushforce.store.push_schema import push_jobs

T0 = datetime.now(UTC)  # jobs are enqueued at the real time of the write
TTL = timedelta(seconds=30)


def _jobs(engine: Engine, team_id: int) -> list[dict]:
    with write_transaction(engine) as conn:
        return outbox.jobs_of(conn, team_id)


def _account(engine: Engine, team_id: int, name: str = "Acme") -> int:
    with write_transaction(engine) as conn:
        return create(conn, team_id, "account", name=name)


def _contact(engine: Engine, team_id: int, account_id: int | None = None) -> int:
    with write_transaction(engine) as conn:
        return create(conn, team_id, "contact", last_name="Lovelace", account_id=account_id)


def _lease(engine: Engine, team_id: int, owner: str = "w1", now: datetime = T0) -> int | None:
    with write_transaction(engine) as conn:
        return leases.acquire(conn, team_id, owner, now, TTL)


def _claim(engine: Engine, team_id: int, epoch: int, now: datetime) -> list[outbox.Job]:
    with write_transaction(engine) as conn:
        return outbox.claim(conn, team_id, epoch, now, 100)


def test_R17_a_record_write_enqueues_one_pending_job_and_changes_coalesce(
    engine: Engine, team_id: int
) -> None:
    account_id = _account(engine, team_id)
    for name in ("Acme 2", "Acme 3", "Acme 4"):
        with write_transaction(engine) as conn:
            change(conn, team_id, "account", account_id, name=name)
    jobs = _jobs(engine, team_id)
    assert [(j["kind"], j["record_id"], j["state"]) for j in jobs] == [
        ("account", account_id, "pending")
    ]
    assert jobs[0]["trigger"] == "created"  # the create is not weakened by later updates


def test_a_rolled_back_write_leaves_no_job(engine: Engine, team_id: int) -> None:
    with pytest.raises(RuntimeError), write_transaction(engine) as conn:
        create(conn, team_id, "account", name="Ghost")
        raise RuntimeError("caller's transaction fails")
    assert _jobs(engine, team_id) == []


def test_jobs_carry_their_parent_and_children_wait_for_it(engine: Engine, team_id: int) -> None:
    account_id = _account(engine, team_id)
    contact_id = _contact(engine, team_id, account_id)
    epoch = _lease(engine, team_id)
    assert epoch is not None
    first = _claim(engine, team_id, epoch, T0 + timedelta(days=1))
    assert [(j.kind, j.record_id) for j in first] == [("account", account_id)]
    assert _claim(engine, team_id, epoch, T0 + timedelta(days=1)) == []  # parent still running
    with write_transaction(engine) as conn:
        outbox.settle_done(conn, first[0])
    second = _claim(engine, team_id, epoch, T0 + timedelta(days=1))
    assert [(j.kind, j.record_id) for j in second] == [("contact", contact_id)]


def test_lease_is_exclusive_until_it_expires_and_each_holder_gets_a_new_epoch(
    engine: Engine, team_id: int
) -> None:
    first = _lease(engine, team_id, "w1", T0)
    assert first is not None
    assert _lease(engine, team_id, "w2", T0 + timedelta(seconds=10)) is None
    second = _lease(engine, team_id, "w2", T0 + timedelta(seconds=31))
    assert second == first + 1


def test_a_stale_epoch_cannot_settle(engine: Engine, team_id: int) -> None:
    _account(engine, team_id)
    epoch = _lease(engine, team_id, "w1", T0)
    assert epoch is not None
    [job] = _claim(engine, team_id, epoch, T0 + timedelta(days=1))
    later = T0 + timedelta(minutes=5)
    new_epoch = _lease(engine, team_id, "w2", later)
    assert new_epoch is not None and new_epoch > epoch
    with pytest.raises(outbox.LeaseLost), write_transaction(engine) as conn:
        outbox.settle_done(conn, job)
    with write_transaction(engine) as conn:
        assert outbox.recover_stale(conn, team_id, new_epoch, later) == 1
    [row] = _jobs(engine, team_id)
    assert row["state"] == "pending"
    [again] = _claim(engine, team_id, new_epoch, later)
    with write_transaction(engine) as conn:
        outbox.settle_done(conn, again)
    assert _jobs(engine, team_id) == []


def test_an_expired_job_merges_into_a_newer_pending_job(engine: Engine, team_id: int) -> None:
    account_id = _account(engine, team_id)
    epoch = _lease(engine, team_id, "w1", T0)
    assert epoch is not None
    _claim(engine, team_id, epoch, T0 + timedelta(days=1))
    with write_transaction(engine) as conn:  # changed while it was running
        change(conn, team_id, "account", account_id, name="Acme Corp")
    assert sorted(j["state"] for j in _jobs(engine, team_id)) == ["pending", "running"]
    later = T0 + timedelta(days=1, minutes=5)
    new_epoch = _lease(engine, team_id, "w2", later)
    with write_transaction(engine) as conn:
        outbox.recover_stale(conn, team_id, new_epoch or 0, later)
    assert [j["state"] for j in _jobs(engine, team_id)] == ["pending"]


def test_a_failure_with_a_newer_pending_job_merges_into_it(engine: Engine, team_id: int) -> None:
    account_id = _account(engine, team_id)
    epoch = _lease(engine, team_id) or 0
    [job] = _claim(engine, team_id, epoch, T0 + timedelta(days=1))
    with write_transaction(engine) as conn:
        change(conn, team_id, "account", account_id, name="Fixed name")
    with write_transaction(engine) as conn:
        outbox.settle_stopped(conn, job, "failed", T0, code="X", message="m", hint="h")
    assert [j["state"] for j in _jobs(engine, team_id)] == ["pending"]


def test_R18_a_failed_job_is_retried_when_the_record_changes(engine: Engine, team_id: int) -> None:
    account_id = _account(engine, team_id)
    epoch = _lease(engine, team_id) or 0
    [job] = _claim(engine, team_id, epoch, T0 + timedelta(days=1))
    with write_transaction(engine) as conn:
        outbox.settle_stopped(conn, job, "failed", T0, code="REQUIRED_FIELD_MISSING", hint="h")
    [failed] = _jobs(engine, team_id)
    assert (failed["state"], failed["error_code"]) == ("failed", "REQUIRED_FIELD_MISSING")
    with write_transaction(engine) as conn:
        change(conn, team_id, "account", account_id, name="Fixed")
    assert [(j["state"], j["trigger"]) for j in _jobs(engine, team_id)] == [("pending", "updated")]


def test_retry_goes_back_to_pending_at_its_time_and_counts_the_attempt(
    engine: Engine, team_id: int
) -> None:
    _account(engine, team_id)
    now = T0 + timedelta(days=1)
    epoch = _lease(engine, team_id, now=now) or 0
    [job] = _claim(engine, team_id, epoch, now)
    with write_transaction(engine) as conn:
        outbox.settle_retry(conn, job, now + timedelta(seconds=40), now)
    assert _claim(engine, team_id, epoch, now + timedelta(seconds=39)) == []
    [again] = _claim(engine, team_id, epoch, now + timedelta(seconds=40))
    assert again.attempts == 1


def test_a_manual_push_and_a_drain_never_hold_one_record_at_once(
    engine: Engine, team_id: int
) -> None:
    account_id = _account(engine, team_id)
    with write_transaction(engine) as conn:
        slot = outbox.take_running_slot(conn, team_id, "account", account_id, "ada", T0)
    assert slot is not None and slot.epoch is None
    epoch = _lease(engine, team_id) or 0
    assert _claim(engine, team_id, epoch, T0 + timedelta(days=1)) == []
    with write_transaction(engine) as conn:
        assert outbox.take_running_slot(conn, team_id, "account", account_id, "bo", T0) is None
        outbox.settle_done(conn, slot)
    assert len(_claim(engine, team_id, epoch, T0 + timedelta(days=1))) == 1


def test_two_running_rows_of_one_record_are_refused_by_the_index(
    engine: Engine, team_id: int
) -> None:
    account_id = _account(engine, team_id)
    row = {"team_id": team_id, "kind": "account", "record_id": account_id, "tier": 0}
    row |= {"state": "running", "trigger": "manual", "due_at": T0, "created_at": T0}
    row |= {"updated_at": T0}
    with pytest.raises(sa.exc.IntegrityError), write_transaction(engine) as conn:
        conn.execute(sa.insert(push_jobs), [row, row])


def test_deleting_a_record_drops_its_pending_job(engine: Engine, team_id: int) -> None:
    from pushforce.store import delete_record

    account_id = _account(engine, team_id)
    with write_transaction(engine) as conn:
        delete_record(conn, team_id, "account", account_id)
    assert _jobs(engine, team_id) == []


def test_pause_hides_the_team_from_the_sweep_until_resumed(engine: Engine, team_id: int) -> None:
    _account(engine, team_id)
    later = T0 + timedelta(days=1)
    with write_transaction(engine) as conn:
        assert team_id in outbox.due_teams(conn, later)
        leases.pause(conn, team_id, "INVALID_SESSION_ID", "reconnect", T0)
        assert team_id not in outbox.due_teams(conn, later)
        assert leases.pause_of(conn, team_id).reason == "INVALID_SESSION_ID"
        leases.resume(conn, team_id)
        assert team_id in outbox.due_teams(conn, later)


def test_reaper_frees_expired_leases(engine: Engine, team_id: int) -> None:
    _lease(engine, team_id, "w1", T0)
    with write_transaction(engine) as conn:
        assert team_id in leases.reap_expired(conn, T0 + timedelta(minutes=1))
        assert team_id not in leases.reap_expired(conn, T0 + timedelta(minutes=2))


def test_links_remember_pushed_values_and_follow_R14(engine: Engine, team_id: int) -> None:
    key = f"pf-{team_id}-contact-7"
    with write_transaction(engine) as conn:
        links.save_link(
            conn, team_id, ("contact", 7), key, ("Lead", "00Q" + "1" * 15), {"A": 1}, T0
        )
        links.save_link(
            conn, team_id, ("contact", 7), key, ("Lead", "00Q" + "1" * 15), {"B": 2}, T0
        )
        [link] = links.links_of(conn, team_id, [("contact", 7)])[("contact", 7)].values()
        assert dict(link.pushed_values) == {"A": 1, "B": 2}
        links.move_link(conn, team_id, key, "converted", "003" + "2" * 15, "001" + "3" * 15, T0)
        [moved] = links.links_of(conn, team_id, [("contact", 7)])[("contact", 7)].values()
        assert moved.current == ("Contact", "003" + "2" * 15)
        links.mark_deleted(conn, team_id, key, T0)
        [gone] = links.links_of(conn, team_id, [("contact", 7)])[("contact", 7)].values()
        assert not gone.is_live


def test_sync_log_keeps_every_attempt_newest_first(engine: Engine, team_id: int) -> None:
    entries = [
        synclog.LogEntry(T0, "updated", None, "account", 1, "update", "retry", error_code="X"),
        synclog.LogEntry(T0, "manual", "ada", "account", 1, "update", "updated", sf_id="001"),
    ]
    with write_transaction(engine) as conn:
        synclog.append(conn, team_id, entries)
        rows = synclog.entries_of(conn, team_id, kind="account", record_id=1)
    assert [(r["outcome"], r["actor"]) for r in rows] == [("updated", "ada"), ("retry", None)]


def test_wake_ups_are_announced_after_commit_and_never_for_a_rollback(
    engine: Engine, team_id: int
) -> None:
    from pushforce.store.push_hook import add_wake_listener

    woken: list[set[int]] = []
    remove = add_wake_listener(engine, woken.append)
    try:
        with write_transaction(engine) as conn:
            create(conn, team_id, "account", name="Wake")
            assert woken == []  # not while the transaction is open
        assert woken == [{team_id}]
        with pytest.raises(RuntimeError), write_transaction(engine) as conn:
            create(conn, team_id, "account", name="Never")
            raise RuntimeError("rolled back")
        assert woken == [{team_id}]
    finally:
        remove()


def test_a_bulk_insert_enqueues_every_record_with_its_parent_in_one_go(
    engine: Engine, team_id: int
) -> None:
    from pushforce.inputs import KIND_MODELS
    from pushforce.store import insert_records

    account_id = _account(engine, team_id)
    model = KIND_MODELS["contact"][0]
    rows = [
        model.model_validate(
            {"last_name": f"P{i}", "account_id": account_id, "origin": "imported"}
        ).model_dump()
        for i in range(3)
    ]
    with write_transaction(engine) as conn:
        ids = insert_records(conn, team_id, "contact", rows)
    jobs = {j["record_id"]: j for j in _jobs(engine, team_id) if j["kind"] == "contact"}
    assert sorted(jobs) == sorted(ids)
    assert {(j["parent_kind"], j["parent_id"], j["trigger"]) for j in jobs.values()} == {
        ("account", account_id, "imported")
    }
