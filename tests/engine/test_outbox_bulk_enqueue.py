"""R17: a bulk insert enqueues exactly the jobs that one insert per record would, on SQLite and
PostgreSQL — the set-based path (``hooks.records_written`` → ``outbox.enqueue_new``) coalesces
like the per-record one (``outbox.enqueue``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from engine_helpers import create
from sqlalchemy.engine import Connection, Engine

from pushforce.inputs import KIND_MODELS
from pushforce.store import create_team, insert_record, insert_records, outbox, write_transaction
from pushforce.store.push_schema import push_jobs

COMPARED = ("kind", "state", "trigger", "actor", "tier", "attempts", "error_code")
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _team(engine: Engine, name: str) -> int:
    with write_transaction(engine) as conn:
        return int(create_team(conn, name)["id"])


def _dump(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    return KIND_MODELS[kind][0].model_validate(values).model_dump()


def _batches(account_id: int, contact_id: int) -> list[tuple[str, list[dict[str, Any]]]]:
    """Records of several kinds, with and without parents, created and imported."""
    return [
        ("account", [_dump("account", {"name": f"Co {i}"}) for i in range(3)]),
        (
            "contact",
            [
                _dump(
                    "contact",
                    {"last_name": f"P{i}", "account_id": account_id if i % 2 else None}
                    | ({"origin": "imported"} if i < 2 else {}),
                )
                for i in range(4)
            ],
        ),
        (
            "task",
            [
                _dump("task", {"title": "Call back", "contact_id": contact_id}),
                _dump("task", {"title": "Send deck", "account_id": account_id}),
                _dump("task", {"title": "Loose end"}),
            ],
        ),
    ]


def _write_all(engine: Engine, team_id: int, bulk: bool) -> list[tuple[str, int]]:
    """Writes the sample batches; returns (kind, record id) in write order with the anchors
    (an account and a contact) first, so both teams' ids line up by position."""
    with write_transaction(engine) as conn:
        account_id = create(conn, team_id, "account", name="Anchor")
        contact_id = create(conn, team_id, "contact", last_name="Anchor", account_id=account_id)
    written = [("account", account_id), ("contact", contact_id)]
    for kind, records in _batches(account_id, contact_id):
        with write_transaction(engine) as conn:
            if bulk:
                ids = insert_records(conn, team_id, kind, records)
            else:
                ids = [int(insert_record(conn, team_id, kind, r)["id"]) for r in records]
        written += [(kind, record_id) for record_id in ids]
    return written


def _normalised_jobs(engine: Engine, team_id: int, written: list[tuple[str, int]]) -> list[Any]:
    """The team's jobs with record and parent ids replaced by their write position."""
    position = {key: index for index, key in enumerate(written)}
    with write_transaction(engine) as conn:
        jobs = outbox.jobs_of(conn, team_id)
    return sorted(
        (
            position[(job["kind"], job["record_id"])],
            tuple(job[name] for name in COMPARED),
            job["parent_id"] and position[(job["parent_kind"], job["parent_id"])],
        )
        for job in jobs
    )


def test_R17_a_bulk_insert_yields_exactly_the_jobs_of_single_inserts(engine: Engine) -> None:
    single_team, bulk_team = _team(engine, "Single"), _team(engine, "Bulk")
    single = _normalised_jobs(engine, single_team, _write_all(engine, single_team, bulk=False))
    bulk = _normalised_jobs(engine, bulk_team, _write_all(engine, bulk_team, bulk=True))
    assert len(bulk) == 2 + 3 + 4 + 3  # one pending job per record
    assert bulk == single
    assert {job[1][1] for job in bulk} == {"pending"}
    assert {job[1][2] for job in bulk} == {"api", "created", "imported"}
    assert sum(job[2] is not None for job in bulk) == 1 + 2 + 2  # anchor contact, 2 + 2 children


# ---- coalescing against jobs that already exist (an id reused after a delete) ---------------

EXISTING = {  # record id → the job row it already has
    1: {"state": "failed", "trigger": "created", "error_code": "FIELD_INTEGRITY_EXCEPTION"},
    2: {"state": "held", "trigger": "created"},
    3: {"state": "pending", "trigger": "created"},
    4: {"state": "pending", "trigger": "manual", "actor": "ada@example.com"},
    5: {"state": "running", "trigger": "push_all", "epoch": 7},
}
NEW_ITEMS = [  # (record id, trigger, parent) as the hook computes them
    (1, "imported", None),
    (2, "imported", ("account", 90)),
    (3, "push_all", ("account", 91)),
    (4, "imported", None),
    (5, "imported", None),
    (6, "created", ("account", 92)),
]


def _seed_existing(conn: Connection, team_id: int) -> None:
    for record_id, values in EXISTING.items():
        due = T0 + timedelta(hours=1)  # later than now: a coalesced job becomes due now
        row = {"team_id": team_id, "kind": "contact", "record_id": record_id, "tier": 1}
        row |= {"due_at": due, "attempts": 1, "created_at": T0, "updated_at": T0, **values}
        conn.execute(sa.insert(push_jobs).values(row))


def _after(engine: Engine, enqueue: Callable[[Connection, int], None]) -> list[Any]:
    team_id = _team(engine, f"Coalesce {enqueue.__name__}")
    with write_transaction(engine) as conn:
        _seed_existing(conn, team_id)
        enqueue(conn, team_id)
        rows = outbox.jobs_of(conn, team_id)
    names = (*COMPARED, "record_id", "parent_kind", "parent_id", "due_at", "epoch")
    return sorted(tuple(str(row[name]) for name in names) for row in rows)


def _one_by_one(conn: Connection, team_id: int) -> None:
    for record_id, trigger, parent in NEW_ITEMS:
        outbox.enqueue(conn, team_id, "contact", record_id, trigger=trigger, now=T0, parent=parent)


def _set_based(conn: Connection, team_id: int) -> None:
    outbox.enqueue_new(conn, team_id, "contact", NEW_ITEMS, T0)


def test_R17_R18_set_based_enqueue_coalesces_like_one_by_one(engine: Engine) -> None:
    one_by_one, set_based = _after(engine, _one_by_one), _after(engine, _set_based)
    assert set_based == one_by_one
    states = sorted((row[7], row[1]) for row in set_based)  # (record id, state)
    # failed and held rows go (R18), pending ones coalesce, a running one gets a pending twin
    assert states == [
        ("1", "pending"),
        ("2", "pending"),
        ("3", "pending"),
        ("4", "pending"),
        ("5", "pending"),
        ("5", "running"),
        ("6", "pending"),
    ]
