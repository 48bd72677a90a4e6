"""R21 from the command line without a server: ``pushforce settings`` on the configured database
(``PUSHFORCE_DATABASE_URL``), the team chosen by ``--team`` and the author by ``--user``."""

from __future__ import annotations

import pytest
from settings_fixtures import Team, new_team, stored_versions
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from pushforce.cli_settings import settings_app

runner = CliRunner()


@pytest.fixture
def local(engine: Engine, team: Team):  # type: ignore[no-untyped-def]
    database_url = engine.url.render_as_string(hide_password=False)

    def run(*args: str, team_name: str | None = team.name, user: str | None = None):  # type: ignore[no-untyped-def]
        options = ["--team", team_name] if team_name else []
        options += ["--user", user] if user else []
        env = {"PUSHFORCE_DATABASE_URL": database_url, "PUSHFORCE_API_KEY": "", "COLUMNS": "300"}
        return runner.invoke(settings_app, [*options, *args], env=env)

    return run


def test_R21_local_set_records_the_named_user_as_author(local, engine: Engine, team: Team) -> None:  # type: ignore[no-untyped-def]
    result = local("set", "enabled=true", "matching.account_tiebreak=review", user=team.user_email)
    assert result.exit_code == 0, result.output
    assert f"version 1 saved by {team.user_name}" in result.stdout
    ((version, author, document),) = stored_versions(engine, team.id)
    assert (version, author) == (1, team.user_id)
    assert document["enabled"] is True
    assert document["matching"]["account_tiebreak"] == "review"
    shown = local("show", "matching.account_tiebreak")
    assert shown.stdout.strip() == '"review"' and "# version 1" in shown.stderr


def test_R21_local_save_without_a_user_has_no_author(local, engine: Engine, team: Team) -> None:  # type: ignore[no-untyped-def]
    assert local("set", "deals.push_new=false").exit_code == 0
    assert stored_versions(engine, team.id)[0][1] is None
    assert "version 1 by unknown" in local("history").stdout


def test_R21_local_invalid_values_name_their_paths_and_save_nothing(  # type: ignore[no-untyped-def]
    local, engine: Engine, team: Team
) -> None:
    result = local("set", 'accounts.stage_filter=["Nope"]', "limits.api_budget_percent=101")
    assert result.exit_code == 1
    assert "error: accounts.stage_filter[0]: no account stage named 'Nope'" in result.stderr
    assert "error: limits.api_budget_percent: must be less than or equal to 100" in result.stderr
    assert stored_versions(engine, team.id) == []


def test_R21_local_history_and_restore(local, engine: Engine, team: Team) -> None:  # type: ignore[no-untyped-def]
    local("set", "enabled=true")
    local("set", "enabled=false")
    result = local("restore", "1")
    assert result.exit_code == 0, result.output
    assert "(restores version 1)" in result.stdout
    stored = stored_versions(engine, team.id)
    assert [v[0] for v in stored] == [1, 2, 3] and stored[2][2] == stored[0][2]
    missing = local("restore", "9")
    assert missing.exit_code == 1
    assert "error: the team has no settings version 9" in missing.stderr
    assert len(stored_versions(engine, team.id)) == 3


def test_R21_local_unknown_team_or_user_is_explained(local, engine: Engine, team: Team) -> None:  # type: ignore[no-untyped-def]
    no_team = local("show", team_name="no-such-team")
    assert no_team.exit_code == 1 and "no team named 'no-such-team'" in no_team.output
    other = new_team(engine)
    stranger = local("set", "enabled=true", user=other.user_email)
    assert stranger.exit_code == 1
    assert f"the team has no user with email '{other.user_email}'" in stranger.stderr
    assert stored_versions(engine, team.id) == []


def test_R21_local_save_refuses_to_overwrite_a_newer_version(engine: Engine, team: Team) -> None:
    from pushforce.cli_settings_backends import BackendError, LocalBackend

    backend = LocalBackend(engine, team.id, team.user_id)
    document, read = backend.current()
    backend.save({**document, "enabled": True}, read)
    with pytest.raises(BackendError, match="changed meanwhile"):
        backend.save({**document, "enabled": False}, read)
    assert [v[0] for v in stored_versions(engine, team.id)] == [1]


def test_R21_pushforce_settings_is_mounted_on_the_main_command(engine: Engine, team: Team) -> None:
    from pushforce.cli import app

    env = {
        "PUSHFORCE_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "PUSHFORCE_API_KEY": "",
    }
    args = ["settings", "--team", team.name, "--user", team.user_email, "set", "enabled=true"]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    assert stored_versions(engine, team.id)[0][:2] == (1, team.user_id)
