"""Natural-key look-ups (CSV re-import), teams, users, API keys and stages — on both databases."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from store_helpers import create_values

from pushforce.store import (
    DEFAULT_STAGES,
    DuplicateRecord,
    create_api_key,
    create_user,
    find_accounts_by_domains,
    find_accounts_by_names,
    find_contacts_by_emails,
    insert_record,
    list_stages,
    read_connection,
    resolve_stage,
    revoke_api_key,
    team_for_api_key,
    write_transaction,
)
from pushforce.store.records import utcnow
from pushforce.store.schema import api_keys, settings_versions


def test_contacts_are_found_by_email_case_insensitively(engine: Engine, team, other_team) -> None:
    team_id, refs = team
    with read_connection(engine) as conn:
        found = find_contacts_by_emails(conn, team_id, ["HANK.SCORPIO@globex.example.com", "x@y.z"])
    assert list(found) == ["hank.scorpio@globex.example.com"]
    assert found["hank.scorpio@globex.example.com"]["id"] == refs.contact_id


def test_the_oldest_match_wins(engine: Engine, team) -> None:
    team_id, refs = team
    with write_transaction(engine) as conn:
        insert_record(conn, team_id, "account", create_values("account", refs))  # same domain
        by_domain = find_accounts_by_domains(conn, team_id, ["globex.example.com"])
        by_name = find_accounts_by_names(conn, team_id, ["  globex CORPORATION "])
    assert by_domain["globex.example.com"]["id"] == refs.account_id
    assert by_name["globex corporation"]["id"] == refs.account_id


def test_look_ups_stay_in_the_team(engine: Engine, team, other_team) -> None:
    team_id, refs = team
    _other_id, other_refs = other_team
    with read_connection(engine) as conn:
        found = find_accounts_by_domains(conn, team_id, ["globex.example.com"])
    assert found["globex.example.com"]["id"] == refs.account_id != other_refs.account_id


def test_look_ups_handle_thousands_of_keys(engine: Engine, team) -> None:
    team_id, _refs = team
    emails = [f"nobody{i}@example.com" for i in range(2500)] + ["hank.scorpio@globex.example.com"]
    with read_connection(engine) as conn:
        assert len(find_contacts_by_emails(conn, team_id, emails)) == 1


def test_an_api_key_is_stored_only_as_its_sha256(engine: Engine, team) -> None:
    team_id, refs = team
    with write_transaction(engine) as conn:
        key = create_api_key(conn, team_id, refs.user_id, "ci")
        stored = conn.execute(sa.select(api_keys).where(api_keys.c.id == key.id)).mappings().one()
    assert key.secret.startswith(f"pf_{key.prefix}_")
    assert stored["key_hash"] == hashlib.sha256(key.secret.encode()).hexdigest()
    assert key.secret not in {str(value) for value in stored.values()}


def test_a_key_finds_its_team_until_revoked(engine: Engine, team) -> None:
    team_id, refs = team
    with write_transaction(engine) as conn:
        key = create_api_key(conn, team_id, refs.user_id)
        owner = team_for_api_key(conn, key.secret)
        assert (owner.team_id, owner.user_id) == (team_id, refs.user_id)
        assert team_for_api_key(conn, key.secret + "x") is None
        assert revoke_api_key(conn, team_id, key.id) is True
        assert team_for_api_key(conn, key.secret) is None


def test_user_emails_are_unique_ignoring_case(engine: Engine, team) -> None:
    team_id, _refs = team
    with write_transaction(engine) as conn:
        create_user(conn, team_id, "Unique.Person@example.com")
    with pytest.raises(DuplicateRecord), write_transaction(engine) as conn:
        create_user(conn, team_id, "unique.person@EXAMPLE.com")


def test_a_new_team_gets_the_default_stages_with_salesforce_values(engine: Engine, team) -> None:
    team_id, _refs = team
    with read_connection(engine) as conn:
        stages = list_stages(conn, team_id)
        deal_stage = resolve_stage(conn, team_id, "deal", "closed won")
    by_object = {
        obj: [(s["name"], s["salesforce_value"]) for s in stages if s["object"] == obj]
        for obj in DEFAULT_STAGES
    }
    assert by_object == DEFAULT_STAGES
    assert ("Proposal", "Proposal/Price Quote") in by_object["deal"]
    assert deal_stage is not None


def test_settings_versions_are_unique_per_team_and_version(engine: Engine, team) -> None:
    team_id, refs = team
    row = {
        "team_id": team_id,
        "version": 1,
        "document": {"enabled": False, "nested": {"a": [1]}},
        "author_user_id": refs.user_id,
        "created_at": utcnow(),
        "diff": None,
    }
    with write_transaction(engine) as conn:
        conn.execute(sa.insert(settings_versions), row)
        stored = conn.execute(
            sa.select(settings_versions.c.document).where(settings_versions.c.team_id == team_id)
        ).scalar_one()
    assert stored == {"enabled": False, "nested": {"a": [1]}}
    with pytest.raises(sa.exc.IntegrityError), write_transaction(engine) as conn:
        conn.execute(sa.insert(settings_versions), row)
