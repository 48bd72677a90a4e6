"""store.links.save_links: a batch's links in one statement for new ones, merged one by one for
existing ones (R15 remembers what was pushed), on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from pushforce.store import create_team, links, read_connection, write_transaction


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    name = "activity_engine" if request.param == "sqlite" else "activity_postgres_engine"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


def test_save_links_inserts_new_links_and_merges_existing_ones(engine: Engine) -> None:
    now = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
    with write_transaction(engine) as conn:
        team = int(create_team(conn, f"team-{uuid.uuid4().hex[:8]}")["id"])
        links.save_link(
            conn, team, ("email", 1), "pf-email-1-p1", ("Task", "00T1"), {"Subject": "A"}, now
        )
        links.save_links(
            conn,
            team,
            [
                (("email", 1), "pf-email-1-p1", ("Task", "00T1"), {"Status": "Completed"}),
                (("email", 2), "pf-email-2-p1", ("Task", "00T2"), {"Subject": "B"}),
                (("note", 3), "pf-note-3", ("ContentNote", "0691"), {"Title": "N"}),
            ],
            now,
        )
    with read_connection(engine) as conn:
        stored = {row["external_id"]: row for row in links.all_links(conn, team)}
    assert stored["pf-email-1-p1"]["pushed_values"] == {"Subject": "A", "Status": "Completed"}
    assert (stored["pf-email-2-p1"]["sf_id"], stored["pf-email-2-p1"]["state"]) == (
        "00T2",
        "active",
    )
    assert stored["pf-note-3"]["kind"] == "note" and stored["pf-note-3"]["record_id"] == 3
