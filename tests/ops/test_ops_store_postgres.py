"""Push-all runs, status reads and retry on both databases (the store's SQL, no Salesforce)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from pushforce.inputs import KIND_MODELS
from pushforce.store import (
    create_team,
    insert_records,
    push_status,
    read_connection,
    write_transaction,
)
from pushforce.store import push_all_runs as runs
from pushforce.store.push_all_runs import RecordFilter
from pushforce.store.push_schema import push_jobs
from store_engines import postgres_store


@pytest.fixture(scope="module")
def pg_engine() -> Iterator[Engine]:
    with postgres_store("pushforce_ops") as engine:
        yield engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, ops_engine: Engine) -> Engine:
    return ops_engine if request.param == "sqlite" else request.getfixturevalue("pg_engine")


def _team_with_contacts(engine: Engine, n: int) -> tuple[int, list[int]]:
    model = KIND_MODELS["contact"][0]
    rows = [model.model_validate({"last_name": f"L{i}"}).model_dump() for i in range(n)]
    with write_transaction(engine) as conn:
        team = int(create_team(conn, f"t-{uuid.uuid4().hex[:8]}")["id"])
        return team, insert_records(conn, team, "contact", rows)


def test_R12_enqueue_pages_coalesce_with_pending_jobs_and_cancel_drops_them(store: Engine) -> None:
    team, ids = _team_with_contacts(store, 7)
    now = datetime.now(UTC)
    flt = RecordFilter(team, "contact")
    with write_transaction(store) as conn:
        run = runs.create_run(conn, flt, "ada", runs.count_matching(conn, flt), now)
        assert runs.lock_run(conn, run) == "starting"
        first = runs.page_of_ids(conn, flt, 0, 4)
        second = runs.page_of_ids(conn, flt, first[-1], 4)
        assert first + second == ids
        for page in (first, second):
            runs.enqueue_page(conn, team, "contact", page, now)
    with read_connection(store) as conn:
        jobs = [j for j in push_status.failed_jobs(conn, team)]
        assert jobs == [] and runs.remaining(conn, team, "contact") == 7
        depth = push_status.queue_depth(conn, team)
    assert depth == {"contact": {"pending": 7}}  # one job per record: the writes' jobs coalesced
    with write_transaction(store) as conn:
        assert runs.set_state(conn, run, "cancelled", finished_at=now)
        assert runs.cancel_pending(conn, team, "contact") == 7
        assert not runs.set_state(conn, run, "running")  # a cancelled run stays cancelled


def test_R18_retry_by_class_requeues_failed_jobs_once(store: Engine) -> None:
    team, ids = _team_with_contacts(store, 3)
    now = datetime.now(UTC)
    with write_transaction(store) as conn:
        conn.execute(
            push_jobs.update()
            .where(push_jobs.c.team_id == team)
            .values(state="failed", error_code="DUPLICATES_DETECTED")
        )
        assert push_status.failures_by_class(conn, team) == {"DUPLICATES_DETECTED": 3}
        selection = push_status.RetrySelection(error_code="DUPLICATES_DETECTED")
        assert push_status.retry_stopped(conn, team, selection, now) == 3
        assert push_status.retry_stopped(conn, team, selection, now) == 0
        assert push_status.queue_depth(conn, team) == {"contact": {"pending": 3}}
        assert push_status.oldest_pending(conn, team) is not None
    assert len(ids) == 3
