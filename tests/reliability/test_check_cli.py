"""`pushforce check` for operators: Rich summary, JSON lines, exit code 1 on a violation."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from reliability_helpers import Team, people
from typer.testing import CliRunner

from pushforce.cli import app
from pushforce.config import Config
from pushforce.store import read_connection
from pushforce.store.schema import teams


def _run(team: Team, config: Config, monkeypatch: pytest.MonkeyPatch, *args: str) -> object:
    monkeypatch.setenv("PUSHFORCE_DATA_DIR", str(config.data_dir))
    monkeypatch.setenv("PUSHFORCE_SECRET_KEY", config.secret_key)
    monkeypatch.setenv("PUSHFORCE_ALLOWED_SALESFORCE_HOSTS", "127.0.0.1,localhost")
    monkeypatch.delenv("PUSHFORCE_DATABASE_URL", raising=False)
    with read_connection(team.engine) as conn:
        name = conn.execute(sa.select(teams.c.name).where(teams.c.id == team.team_id)).scalar()
    return CliRunner().invoke(app, ["check", "--team", str(name), *args])


def test_check_passes_on_a_drained_team(
    team: Team, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    team.create_many("contact", people(3))
    team.drain_fully()
    result = _run(team, config, monkeypatch)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "OK" in result.output  # type: ignore[attr-defined]
    assert "3 records, 3 links" in result.output  # type: ignore[attr-defined]


def test_check_fails_with_json_findings_on_a_violation(
    team: Team, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    ghost = f"pf-{team.team_id}-contact-424242"
    team.lf.control.seed({"Contact": [{"LastName": "Ghost", "Pushforce_Id__c": ghost}]})
    result = _run(team, config, monkeypatch, "--json")
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.output.splitlines()]  # type: ignore[attr-defined]
    assert {"category": "unexpected", "external_id": ghost}.items() <= lines[0].items()
    assert lines[-1]["ok"] is False and lines[-1]["counts"]["unexpected"] == 1
