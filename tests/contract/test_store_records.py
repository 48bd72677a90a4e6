"""The one record write path, on both databases: round trips, updates, deletes, the write hook."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from record_samples import CHANGES, KINDS, sample
from sqlalchemy.engine import Engine
from store_helpers import count, create_values, insert, new_team, patch_values, read

from pushforce.store import (
    RecordChange,
    add_write_listener,
    delete_record,
    get_record,
    update_record,
    write_transaction,
)


@pytest.fixture
def changes(engine: Engine) -> list[RecordChange]:
    seen: list[RecordChange] = []
    remove = add_write_listener(engine, lambda _conn, change: seen.append(change))
    yield seen
    remove()


@pytest.mark.parametrize("kind", KINDS)
def test_insert_then_get_returns_every_field(engine: Engine, team, kind: str) -> None:
    team_id, refs = team
    values = create_values(kind, refs)
    created = insert(engine, team_id, kind, values)
    stored = read(engine, team_id, kind, created["id"])
    assert stored == created
    assert {k: stored[k] for k in values} == values
    assert stored["team_id"] == team_id
    assert stored["created_at"].tzinfo is UTC and stored["created_at"] == stored["updated_at"]


@pytest.mark.parametrize("kind", KINDS)
def test_update_writes_only_changes_and_tells_the_hook(
    engine: Engine, team, kind: str, changes: list[RecordChange]
) -> None:
    team_id, refs = team
    created = insert(engine, team_id, kind, create_values(kind, refs))
    field, sent, expected = CHANGES[kind]
    with write_transaction(engine) as conn:
        updated = update_record(
            conn, team_id, kind, created["id"], patch_values(kind, {field: sent})
        )
    assert str(updated[field]) == str(expected)
    assert read(engine, team_id, kind, created["id"]) == updated
    assert updated["updated_at"] > created["updated_at"]
    assert changes[-1] == RecordChange(team_id, kind, created["id"], "update", frozenset({field}))


@pytest.mark.parametrize("kind", KINDS)
def test_an_update_that_changes_nothing_writes_nothing(
    engine: Engine, team, kind: str, changes: list[RecordChange]
) -> None:
    """R15: an unchanged record costs nothing — no write, no hook call."""
    team_id, refs = team
    values = sample(kind, refs)
    created = insert(engine, team_id, kind, create_values(kind, refs))
    hooks_before = len(changes)
    with write_transaction(engine) as conn:
        again = update_record(conn, team_id, kind, created["id"], patch_values(kind, values))
    assert again == created
    assert len(changes) == hooks_before


@pytest.mark.parametrize("kind", KINDS)
def test_delete_removes_the_row_once(
    engine: Engine, team, kind: str, changes: list[RecordChange]
) -> None:
    team_id, refs = team
    created = insert(engine, team_id, kind, create_values(kind, refs))
    with write_transaction(engine) as conn:
        assert delete_record(conn, team_id, kind, created["id"]) is True
        assert delete_record(conn, team_id, kind, created["id"]) is False
    assert read(engine, team_id, kind, created["id"]) is None
    assert changes[-1] == RecordChange(team_id, kind, created["id"], "delete", frozenset())


def test_every_insert_calls_the_hook_inside_the_transaction(
    engine: Engine, team, changes: list[RecordChange]
) -> None:
    team_id, refs = team
    visible: list[bool] = []

    def check(conn, change: RecordChange) -> None:
        visible.append(get_record(conn, change.team_id, change.kind, change.record_id) is not None)

    remove = add_write_listener(engine, check)
    try:
        created = insert(engine, team_id, "account", create_values("account", refs))
    finally:
        remove()
    assert visible == [True]
    assert changes[-1].operation == "insert" and changes[-1].record_id == created["id"]
    assert "name" in changes[-1].fields


def test_a_failing_listener_rolls_the_record_back(engine: Engine, team) -> None:
    team_id, refs = team
    before = count(engine, "note")

    def explode(_conn, _change) -> None:
        raise RuntimeError("outbox unavailable")

    remove = add_write_listener(engine, explode)
    try:
        with pytest.raises(RuntimeError):
            insert(engine, team_id, "note", create_values("note", refs))
    finally:
        remove()
    assert count(engine, "note") == before


def test_timestamps_keep_their_instant_in_utc(engine: Engine, team) -> None:
    team_id, refs = team
    created = insert(
        engine, team_id, "call", create_values("call", refs, started_at="2025-03-02T23:30:00-05:00")
    )
    stored = read(engine, team_id, "call", created["id"])
    assert stored["started_at"] == datetime(2025, 3, 3, 4, 30, tzinfo=UTC)


def test_amounts_are_exact(engine: Engine, team) -> None:
    team_id, refs = team
    created = insert(
        engine,
        team_id,
        "deal",
        create_values("deal", refs, amount="9999999999999999.99", contacts=[]),
    )
    assert read(engine, team_id, "deal", created["id"])["amount"] == Decimal("9999999999999999.99")


def test_deal_contacts_are_replaced_by_an_update(engine: Engine, team) -> None:
    team_id, refs = team
    deal = insert(engine, team_id, "deal", create_values("deal", refs))
    second = insert(engine, team_id, "contact", create_values("contact", refs, email="b@x.com"))
    new_contacts = [
        {"contact_id": second["id"], "role": "Evaluator"},
        {"contact_id": refs.contact_id, "role": None},
    ]
    with write_transaction(engine) as conn:
        update_record(
            conn, team_id, "deal", deal["id"], patch_values("deal", {"contacts": new_contacts})
        )
    stored = read(engine, team_id, "deal", deal["id"])["contacts"]
    assert sorted(stored, key=lambda c: c["contact_id"]) == sorted(
        new_contacts, key=lambda c: c["contact_id"]
    )


def test_deleting_a_contact_removes_it_from_deals_and_unlinks_activities(
    engine: Engine, team
) -> None:
    team_id, refs = team
    contact = insert(engine, team_id, "contact", create_values("contact", refs, email="c@x.com"))
    deal = insert(
        engine,
        team_id,
        "deal",
        create_values("deal", refs, contacts=[{"contact_id": contact["id"], "role": "Influencer"}]),
    )
    call = insert(engine, team_id, "call", create_values("call", refs, contact_id=contact["id"]))
    with write_transaction(engine) as conn:
        delete_record(conn, team_id, "contact", contact["id"])
    assert read(engine, team_id, "deal", deal["id"])["contacts"] == []
    assert read(engine, team_id, "call", call["id"])["contact_id"] is None


def test_an_account_domain_comes_from_its_website(engine: Engine, team) -> None:
    team_id, refs = team
    created = insert(
        engine,
        team_id,
        "account",
        create_values("account", refs, website="HTTPS://WWW.Initech.example.org/about"),
    )
    assert created["domain"] == "initech.example.org"


def test_deals_without_a_stage_start_at_the_first_deal_stage(engine: Engine, team) -> None:
    team_id, refs = team
    created = insert(engine, team_id, "deal", create_values("deal", refs, stage=None))
    assert created["stage"] == "Prospecting"


def test_other_teams_records_are_invisible_to_the_store(engine: Engine, team) -> None:
    team_id, _refs = team
    other_id, other_refs = new_team(engine, "Team B")
    with write_transaction(engine) as conn:
        assert get_record(conn, team_id, "account", other_refs.account_id) is None
        assert update_record(conn, team_id, "account", other_refs.account_id, {"name": "X"}) is None
        assert delete_record(conn, team_id, "account", other_refs.account_id) is False
    assert read(engine, other_id, "account", other_refs.account_id)["name"] == "Globex Corporation"
