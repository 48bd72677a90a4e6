"""``insert_records``: the bulk twin of ``insert_record`` keeps every check and the hook."""

from __future__ import annotations

import pytest
from record_samples import KINDS
from sqlalchemy.engine import Engine
from store_helpers import count, create_values, new_team, read

from pushforce.store import (
    InvalidRecordInput,
    RecordChange,
    UnknownStage,
    add_write_listener,
    insert_records,
    write_transaction,
)

BULK_KINDS = [kind for kind in KINDS if kind != "deal"]


@pytest.mark.parametrize("kind", BULK_KINDS)
def test_bulk_inserted_records_read_back_like_single_ones(engine: Engine, team, kind) -> None:
    team_id, refs = team
    values = [create_values(kind, refs) for _ in range(3)]
    with write_transaction(engine) as conn:
        ids = insert_records(conn, team_id, kind, values)
    assert len(set(ids)) == 3
    for record_id, given in zip(ids, values, strict=True):
        stored = read(engine, team_id, kind, record_id)
        assert {key: stored[key] for key in given} == given


def test_every_bulk_record_reaches_the_hook_in_order(engine: Engine, team) -> None:
    team_id, refs = team
    seen: list[RecordChange] = []
    remove = add_write_listener(engine, lambda _conn, change: seen.append(change))
    try:
        with write_transaction(engine) as conn:
            names = [f"Bulk {i}" for i in range(5)]
            values = [create_values("account", refs, name=name) for name in names]
            ids = insert_records(conn, team_id, "account", values)
    finally:
        remove()
    assert [change.record_id for change in seen] == ids
    assert [read(engine, team_id, "account", i)["name"] for i in ids] == names


def test_deals_get_the_first_stage_in_bulk_too(engine: Engine, team) -> None:
    team_id, refs = team
    values = [create_values("deal", refs, stage=None, contacts=[]) for _ in range(2)]
    with write_transaction(engine) as conn:
        ids = insert_records(conn, team_id, "deal", values)
    assert {read(engine, team_id, "deal", i)["stage"] for i in ids} == {"Prospecting"}


def test_a_foreign_reference_names_its_record_and_nothing_is_written(engine: Engine, team) -> None:
    team_id, refs = team
    _other, other_refs = new_team(engine, "Team B")
    values = [create_values("contact", refs), create_values("contact", refs)]
    values[1]["account_id"] = other_refs.account_id
    before = count(engine, "contact")
    with pytest.raises(InvalidRecordInput) as refused, write_transaction(engine) as conn:
        insert_records(conn, team_id, "contact", values)
    assert refused.value.field == "1.account_id"
    assert count(engine, "contact") == before


def test_an_unknown_stage_names_its_record(engine: Engine, team) -> None:
    team_id, refs = team
    values = [create_values("account", refs, stage="Prospect"),
              create_values("account", refs, stage="Unicorn")]  # fmt: skip
    with pytest.raises(UnknownStage) as refused, write_transaction(engine) as conn:
        insert_records(conn, team_id, "account", values)
    assert refused.value.field == "1.stage"
