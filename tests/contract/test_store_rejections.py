"""Input the store refuses: other teams' references and unknown stages, with nothing written."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from record_samples import REFERENCES, sample
from sqlalchemy.engine import Engine
from store_helpers import count, create_values, new_team

from pushforce.store import (
    InvalidRecordInput,
    UnknownStage,
    insert_record,
    update_record,
    write_transaction,
)
from pushforce.store.schema import deal_contacts

CASES = [(kind, field) for kind, fields in REFERENCES.items() for field in fields]


@pytest.mark.parametrize(("kind", "field"), CASES)
def test_a_reference_to_another_teams_row_is_refused(engine: Engine, team, kind, field) -> None:
    team_id, refs = team
    _other_id, other_refs = new_team(engine, "Team B")
    foreign = getattr(other_refs, field if field != "author_id" else "user_id", None)
    foreign = foreign if foreign is not None else other_refs.user_id
    before = count(engine, kind)
    with pytest.raises(InvalidRecordInput) as refused, write_transaction(engine) as conn:
        insert_record(conn, team_id, kind, create_values(kind, refs, **{field: foreign}))
    assert refused.value.field == field
    assert count(engine, kind) == before


def test_an_update_to_another_teams_account_is_refused_and_nothing_changes(engine, team) -> None:
    team_id, refs = team
    _other, other_refs = new_team(engine, "Team B")
    with pytest.raises(InvalidRecordInput), write_transaction(engine) as conn:
        update_record(
            conn,
            team_id,
            "contact",
            refs.contact_id,
            {"first_name": "Changed", "account_id": other_refs.account_id},
        )
    with write_transaction(engine) as conn:
        row = conn.execute(
            sa.text("select first_name, account_id from contacts where id = :i"),
            {"i": refs.contact_id},
        ).one()
    assert tuple(row) == ("Hank", refs.account_id)


def test_a_deal_contact_of_another_team_is_refused_with_its_index(engine, team) -> None:
    team_id, refs = team
    _other, other_refs = new_team(engine, "Team B")
    contacts = [
        {"contact_id": refs.contact_id, "role": None},
        {"contact_id": other_refs.contact_id, "role": "Evaluator"},
    ]
    links_before = count_links(engine)
    with pytest.raises(InvalidRecordInput) as refused, write_transaction(engine) as conn:
        insert_record(conn, team_id, "deal", create_values("deal", refs, contacts=contacts))
    assert refused.value.field == "contacts.1.contact_id"
    assert count_links(engine) == links_before


def count_links(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(deal_contacts)).scalar()


@pytest.mark.parametrize("kind", ["account", "contact", "deal"])
def test_an_unknown_stage_is_refused_and_names_the_known_ones(engine, team, kind) -> None:
    team_id, refs = team
    before = count(engine, kind)
    with pytest.raises(UnknownStage) as refused, write_transaction(engine) as conn:
        insert_record(conn, team_id, kind, create_values(kind, refs, stage="Won Big"))
    assert refused.value.field == "stage"
    assert "Won Big" in refused.value.message
    assert count(engine, kind) == before


def test_stage_names_match_case_insensitively(engine, team) -> None:
    team_id, refs = team
    with write_transaction(engine) as conn:
        created = insert_record(
            conn, team_id, "contact", create_values("contact", refs, stage="  qualified ")
        )
    assert created["stage"] == "Qualified"


def test_a_failed_write_leaves_earlier_writes_of_the_transaction_out_too(engine, team) -> None:
    """No partial writes: the transaction is all or nothing."""
    team_id, refs = team
    before = count(engine, "account")
    with pytest.raises(UnknownStage), write_transaction(engine) as conn:
        insert_record(conn, team_id, "account", create_values("account", refs, stage=None))
        insert_record(conn, team_id, "account", create_values("account", refs, stage="Nope"))
    assert count(engine, "account") == before
    assert sample("account", refs)["name"]  # the sample itself is valid
