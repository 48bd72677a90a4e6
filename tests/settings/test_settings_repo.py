"""R21: every save is a new version with author, time and diff; restore is a new version;
nothing is saved when the document is invalid. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from settings_fixtures import Team, new_team
from sqlalchemy.engine import Engine

from pushforce.core.settings import PushSettings, SettingsError
from pushforce.store import read_connection, write_transaction
from pushforce.store.schema import settings_versions
from pushforce.store.settings_repo import (
    UnknownVersion,
    current_settings,
    get_version,
    list_versions,
    restore_version,
    save_settings,
    settings_context,
)

T1 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def rows(engine: Engine, team_id: int) -> list[sa.Row]:  # type: ignore[type-arg]
    with read_connection(engine) as conn:
        statement = (
            sa.select(settings_versions)
            .where(settings_versions.c.team_id == team_id)
            .order_by(settings_versions.c.version)
        )
        return list(conn.execute(statement))


def save(engine: Engine, team: Team, document: dict, **kw: object):  # type: ignore[no-untyped-def]
    with write_transaction(engine) as conn:
        return save_settings(conn, team.id, document, team.user_id, **kw)  # type: ignore[arg-type]


def test_R21_a_new_team_has_the_defaults_and_no_history(engine: Engine, team: Team) -> None:
    with read_connection(engine) as conn:
        assert current_settings(conn, team.id) == (PushSettings(), None)
        assert list_versions(conn, team.id) == []
    assert rows(engine, team.id) == []


def test_R21_a_save_stores_the_whole_document_author_time_and_diff(
    engine: Engine, team: Team
) -> None:
    saved = save(engine, team, {"enabled": True, "contacts": {"create_as": "lead"}}, now=T1)
    (row,) = rows(engine, team.id)
    assert (row.version, row.author_user_id, row.created_at) == (1, team.user_id, T1)
    assert row.document == {
        **PushSettings().model_dump(mode="json"),
        "enabled": True,
        "contacts": {**PushSettings().contacts.model_dump(mode="json"), "create_as": "lead"},
    }
    assert row.diff == {
        "changes": [
            {"path": "contacts.create_as", "old": "contact", "new": "lead"},
            {"path": "enabled", "old": False, "new": True},
        ],
        "restored_from": None,
    }
    assert saved.summary == ["contacts.create_as: 'contact' → 'lead'", "enabled: False → True"]
    assert saved.author == team.user_name


def test_R21_each_save_is_the_next_version_diffed_against_the_one_before(
    engine: Engine, team: Team
) -> None:
    save(engine, team, {"enabled": True})
    second = save(engine, team, {"enabled": True, "limits": {"api_budget_percent": 20}})
    assert second.version == 2
    assert second.changes == [{"path": "limits.api_budget_percent", "old": 50, "new": 20}]
    with read_connection(engine) as conn:
        settings, version = current_settings(conn, team.id)
        assert (settings.limits.api_budget_percent, settings.enabled, version) == (20, True, 2)
        assert [v.version for v in list_versions(conn, team.id)] == [2, 1]


def test_R21_saving_the_same_document_is_a_version_with_an_empty_diff(
    engine: Engine, team: Team
) -> None:
    save(engine, team, {})
    assert save(engine, team, {}).changes == []
    assert [row.version for row in rows(engine, team.id)] == [1, 2]


def test_R21_an_invalid_document_names_every_path_and_saves_nothing(
    engine: Engine, team: Team
) -> None:
    save(engine, team, {"enabled": True})
    bad = {
        "enabled": "maybe",
        "colour": "red",
        "contacts": {"stage_filter": ["Contacted", "Nope"]},
        "activities": {"emails": {"title_template": "{{subjekt}}"}},
        "limits": {"api_budget_percent": 0},
    }
    with pytest.raises(SettingsError) as raised:
        save(engine, team, bad)
    paths = sorted(problem.path for problem in raised.value.problems)
    assert paths == [
        "activities.emails.title_template",
        "colour",
        "contacts.stage_filter[1]",
        "enabled",
        "limits.api_budget_percent",
    ]
    assert [row.version for row in rows(engine, team.id)] == [1]


def test_R21_stage_names_are_checked_against_this_teams_stages(engine: Engine) -> None:
    team = new_team(engine)
    with read_connection(engine) as conn:
        context = settings_context(conn, team.id)
    assert context.stages is not None and "Contacted" in context.stages["contact"]
    assert "Closed Won" in context.stages["deal"]
    save(engine, team, {"accounts": {"stage_filter": ["Customer"]}, "stages": {"deal": {}}})
    with pytest.raises(SettingsError, match="no deal stage named 'Won'"):
        save(engine, team, {"stages": {"deal": {"Won": "Closed Won"}}})


def test_R21_restore_saves_the_old_document_as_a_new_version(engine: Engine, team: Team) -> None:
    save(engine, team, {"enabled": True})
    save(engine, team, {"enabled": False, "deals": {"push_new": False}})
    with write_transaction(engine) as conn:
        restored = restore_version(conn, team.id, 1, team.user_id)
    assert (restored.version, restored.restored_from) == (3, 1)
    assert restored.changes == [
        {"path": "deals.push_new", "old": False, "new": True},
        {"path": "enabled", "old": False, "new": True},
    ]
    third = rows(engine, team.id)[-1]
    assert third.document == rows(engine, team.id)[0].document
    assert third.diff["restored_from"] == 1


def test_R21_restoring_an_unknown_version_writes_nothing(engine: Engine, team: Team) -> None:
    save(engine, team, {})
    with (
        pytest.raises(UnknownVersion, match="no settings version 9"),
        write_transaction(engine) as conn,
    ):
        restore_version(conn, team.id, 9, team.user_id)
    assert len(rows(engine, team.id)) == 1


def test_R21_versions_belong_to_one_team(engine: Engine, team: Team) -> None:
    other = new_team(engine, "Other Admin")
    save(engine, team, {"enabled": True})
    with read_connection(engine) as conn:
        assert current_settings(conn, other.id) == (PushSettings(), None)
        assert get_version(conn, other.id, 1) is None
        assert get_version(conn, team.id, 1) is not None


def _wait_for_blocked_writer(engine: Engine, deadline_s: float = 10.0) -> None:
    """PostgreSQL: wait (with a deadline) until another session waits on a lock."""
    import time

    if engine.dialect.name != "postgresql":
        return
    stop = time.monotonic() + deadline_s
    while time.monotonic() < stop:
        with engine.connect() as conn:
            waiting = conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
            if waiting.scalar_one() > 0:
                return
    raise AssertionError("the second save never reached the database")


def test_R21_two_concurrent_saves_never_share_a_version(engine: Engine, team: Team) -> None:
    import threading

    outcome: list[object] = []

    def second_save() -> None:
        try:
            outcome.append(save(engine, team, {"deals": {"push_new": False}}).version)
        except sa.exc.IntegrityError as error:  # the API answers 409 "retry"
            outcome.append(error)

    with write_transaction(engine) as first:
        save_settings(first, team.id, {"enabled": True}, team.user_id)
        writer = threading.Thread(target=second_save)
        writer.start()
        _wait_for_blocked_writer(engine)
    writer.join(timeout=30)
    assert not writer.is_alive()
    stored = [row.version for row in rows(engine, team.id)]
    if engine.dialect.name == "postgresql":
        # the loser read version 0, then waited on the unique index and lost: nothing saved
        assert isinstance(outcome[0], sa.exc.IntegrityError) and stored == [1]
    else:
        assert outcome == [2] and stored == [1, 2]  # SQLite: BEGIN IMMEDIATE serialised them


def test_R21_field_names_are_checked_when_the_orgs_describe_is_known(
    engine: Engine, team: Team
) -> None:
    describe = {"Account": frozenset({"Name", "AccountSource", "Website"})}
    document = {"accounts": {"source_field": "Lead_Origin__c"}}
    with pytest.raises(SettingsError) as raised:
        save(engine, team, document, describe=describe)
    assert [p.path for p in raised.value.problems] == ["accounts.source_field"]
    assert "Account has no field 'Lead_Origin__c'" in raised.value.problems[0].message
    assert rows(engine, team.id) == []
    save(engine, team, document)  # without a describe the name is only checked for shape
    assert len(rows(engine, team.id)) == 1
