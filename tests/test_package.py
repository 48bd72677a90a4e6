"""The public Python API (PRODUCT.md §7): record writes that enqueue pushes in the caller's
own transaction (R17)."""

from pathlib import Path

import pydantic
import pytest
import sqlalchemy as sa

import pushforce
from pushforce.store.push_schema import push_jobs
from pushforce.store.teams import create_team


def test_public_api_is_explicit() -> None:
    assert sorted(pushforce.__all__) == [
        "__version__",
        "create_record",
        "delete_record",
        "get_record",
        "make_engine",
        "migrate",
        "read_connection",
        "update_record",
        "write_transaction",
    ]
    for name in pushforce.__all__:
        assert hasattr(pushforce, name)


@pytest.fixture
def engine(tmp_path: Path) -> sa.Engine:
    engine = pushforce.make_engine(f"sqlite:///{tmp_path / 'api.db'}")
    pushforce.migrate(engine)
    return engine


def _jobs(engine: sa.Engine) -> list[tuple[str, int]]:
    with pushforce.read_connection(engine) as conn:
        rows = conn.execute(sa.select(push_jobs.c.kind, push_jobs.c.record_id)).all()
    return [(row.kind, row.record_id) for row in rows]


def test_a_write_enqueues_its_push_in_the_callers_transaction(engine: sa.Engine) -> None:
    with pushforce.write_transaction(engine) as conn:
        team = create_team(conn, "Acme")["id"]
        contact = pushforce.create_record(
            conn, team, "contact", {"last_name": "Lovelace", "email": "ADA@example.com"}
        )
    assert contact["email"] == "ada@example.com"
    assert _jobs(engine) == [("contact", contact["id"])]


def test_a_rollback_leaves_neither_record_nor_push(engine: sa.Engine) -> None:
    with pushforce.write_transaction(engine) as conn:
        team = create_team(conn, "Acme")["id"]

    class CallerFailed(Exception):
        pass

    with pytest.raises(CallerFailed), pushforce.write_transaction(engine) as conn:
        pushforce.create_record(conn, team, "account", {"name": "Initech"})
        raise CallerFailed
    assert _jobs(engine) == []
    with pushforce.read_connection(engine) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM accounts")).scalar_one() == 0


def test_bad_input_names_the_field_and_writes_nothing(engine: sa.Engine) -> None:
    with pushforce.write_transaction(engine) as conn:
        team = create_team(conn, "Acme")["id"]
    with (
        pytest.raises(pydantic.ValidationError) as error,
        pushforce.write_transaction(engine) as conn,
    ):
        pushforce.create_record(conn, team, "contact", {"last_name": "X", "email": "not-an-email"})
    assert error.value.errors()[0]["loc"] == ("email",)
    assert _jobs(engine) == []


def test_update_and_delete_of_another_teams_record_touch_nothing(engine: sa.Engine) -> None:
    with pushforce.write_transaction(engine) as conn:
        ours = create_team(conn, "Ours")["id"]
        theirs = create_team(conn, "Theirs")["id"]
        account = pushforce.create_record(conn, theirs, "account", {"name": "Initech"})
    with pushforce.write_transaction(engine) as conn:
        assert pushforce.update_record(conn, ours, "account", account["id"], {"name": "X"}) is None
        assert pushforce.delete_record(conn, ours, "account", account["id"]) is False
    with pushforce.read_connection(engine) as conn:
        assert pushforce.get_record(conn, theirs, "account", account["id"])["name"] == "Initech"
