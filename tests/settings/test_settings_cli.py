"""R21 from the command line: ``pushforce settings show | set KEY=VALUE | history | restore N``,
through the real REST API (in-process) and checked in the settings_versions table."""

from __future__ import annotations

import json

import httpx
import pytest
import typer
from fastapi.testclient import TestClient
from settings_fixtures import Team, stored_versions
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from pushforce import cli_settings_backends
from pushforce.cli_settings import parse_path, parse_value, settings_app
from pushforce.web.app import create_app

runner = CliRunner()


@pytest.fixture
def cli(engine: Engine, team: Team, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    app = create_app(engine)
    seen: list[tuple[str, str]] = []

    def in_process(url: str, api_key: str) -> httpx.Client:
        seen.append((url, api_key))
        return TestClient(app, headers={"Authorization": f"Bearer {api_key}"})

    monkeypatch.setattr(cli_settings_backends, "client_factory", in_process)

    def run(*args: str, api_key: str | None = None) -> object:
        env = {"PUSHFORCE_API_KEY": team.api_key if api_key is None else api_key, "COLUMNS": "300"}
        return runner.invoke(settings_app, list(args), env=env)

    run.seen = seen  # type: ignore[attr-defined]
    return run


def test_R21_show_prints_the_whole_document_or_one_setting(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("show")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["limits"] == {"api_budget_percent": 50}
    assert "# version 0" in result.stderr
    one = cli("show", "activities.emails.title_template")
    assert json.loads(one.stdout) == "Email: {{subject}}"
    first_field = cli("show", "fields.contact[0]")
    assert json.loads(first_field.stdout)["salesforce_field"] == "FirstName"
    assert cli.seen[0] == ("http://127.0.0.1:8000", cli.seen[0][1])


def test_R21_set_parses_values_by_type_and_saves_one_version(  # type: ignore[no-untyped-def]
    cli, engine: Engine, team: Team
) -> None:
    result = cli(
        "set",
        "enabled=true",
        "limits.api_budget_percent=30",
        'contacts.stage_filter=["Contacted", "Qualified"]',
        "contacts.source_value=123",
        "fields.contact[2].mode=fill_if_empty",
    )
    assert result.exit_code == 0, result.output
    assert "version 1 saved by Riley Admin" in result.stdout
    assert "  enabled: False → True" in result.stdout
    ((version, author, document),) = stored_versions(engine, team.id)
    assert (version, author) == (1, team.user_id)
    assert document["enabled"] is True
    assert document["limits"]["api_budget_percent"] == 30
    assert document["contacts"]["stage_filter"] == ["Contacted", "Qualified"]
    assert document["contacts"]["source_value"] == "123"  # a text setting keeps the text
    assert document["fields"]["contact"][2] == {
        "field": "title",
        "salesforce_field": "Title",
        "mode": "fill_if_empty",
    }


def test_R21_set_reports_every_bad_path_and_saves_nothing(  # type: ignore[no-untyped-def]
    cli, engine: Engine, team: Team
) -> None:
    result = cli("set", 'contacts.stage_filter=["Nope"]', "colour=red", "enabled=maybe")
    assert result.exit_code == 1
    assert "error: contacts.stage_filter[0]: no contact stage named 'Nope'" in result.stderr
    assert "error: colour: unknown setting" in result.stderr
    assert "error: enabled: must be true or false" in result.stderr
    assert stored_versions(engine, team.id) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["set", "enabled"], "is not KEY=VALUE"),
        (["set", "contacts..x=1"], "is not a dotted settings path"),
        (["set", "fields.contact[99].mode=never"], "no setting at 'fields.contact[99]'"),
        (["set", "enabled.deeper=1"], "'enabled' holds no named settings"),
        (["set", "limits.api_budget_percent=[1,"], "is not valid JSON"),
        (["show", "nope.nothing"], "no setting at 'nope.nothing'"),
    ],
)
def test_R21_bad_command_lines_are_explained(  # type: ignore[no-untyped-def]
    cli, engine: Engine, team: Team, args: list[str], message: str
) -> None:
    result = cli(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert stored_versions(engine, team.id) == []


def test_R21_history_and_restore(cli, engine: Engine, team: Team) -> None:  # type: ignore[no-untyped-def]
    assert "no saved versions" in cli("history").stdout
    cli("set", "enabled=true")
    cli("set", "deals.push_new=false")
    restored = cli("restore", "1")
    assert restored.exit_code == 0, restored.output
    assert "version 3 restored by Riley Admin" in restored.stdout
    assert "(restores version 1)" in restored.stdout
    assert "  deals.push_new: False → True" in restored.stdout
    versions = stored_versions(engine, team.id)
    assert [v[0] for v in versions] == [1, 2, 3]
    assert versions[2][2] == versions[0][2]
    listed = cli("history").stdout
    heads = [line.split(" by ")[0] for line in listed.splitlines() if line.startswith("version")]
    assert heads == ["version 3", "version 2", "version 1"]
    assert "enabled: False → True" in listed


def test_R21_restore_of_a_missing_version_fails_cleanly(cli, engine: Engine, team: Team) -> None:  # type: ignore[no-untyped-def]
    result = cli("restore", "4")
    assert result.exit_code == 1
    assert "error: path.version: the team has no settings version 4" in result.stderr
    assert stored_versions(engine, team.id) == []


def test_R21_with_a_wrong_api_key_nothing_happens(cli) -> None:  # type: ignore[no-untyped-def]
    wrong = cli("show", api_key="pf_nope_nope")
    assert wrong.exit_code == 1
    assert "header.authorization" in wrong.stderr


def test_typed_values_and_paths() -> None:
    assert parse_path("fields.contact[2].mode") == ["fields", "contact", 2, "mode"]
    assert parse_value("true", False) is True
    assert parse_value("null", None) is None
    assert parse_value("-5", 1) == -5
    assert parse_value('{"a": 1}', None) == {"a": 1}
    assert parse_value("plain words", None) == "plain words"
    assert parse_value("true", "text") == "true"
    with pytest.raises(typer.BadParameter):
        parse_value("[1", [])


def test_an_unreachable_server_is_reported_not_raised() -> None:
    result = runner.invoke(
        settings_app,
        ["--url", "http://127.0.0.1:9", "show"],
        env={"PUSHFORCE_API_KEY": "pf_x", "COLUMNS": "300"},
    )
    assert result.exit_code == 1
    assert "cannot reach Pushforce at http://127.0.0.1:9" in result.stderr
