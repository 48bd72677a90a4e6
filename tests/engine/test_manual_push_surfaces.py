"""R11 and R22 through the REST API and the CLI: push one record now, or preview it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from engine_helpers import create
from fastapi.testclient import TestClient
from harness import Org
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from pushforce.cli import app
from pushforce.store import create_api_key, create_user, read_connection, write_transaction
from pushforce.store.schema import teams
from pushforce.web.app import create_app


def _client(org: Org) -> tuple[TestClient, dict[str, str]]:
    with write_transaction(org.engine) as conn:
        user = create_user(conn, org.team_id, f"rep{org.team_id}@example.com", "Rep")
        key = create_api_key(conn, org.team_id, user["id"], "tests")
    app = create_app(org.engine)
    app.state.gateway_for = org.gateway_for
    return TestClient(app), {"Authorization": f"Bearer {key.secret}"}


def test_R11_the_api_pushes_a_filtered_contact_now_and_answers_its_id_and_url(org: Org) -> None:
    org.settings(enabled=False)
    with write_transaction(org.engine) as conn:
        contact_id = create(conn, org.team_id, "contact", last_name="Api", email="api@example.com")
    client, headers = _client(org)
    response = client.post(f"/api/v1/contacts/{contact_id}/salesforce/push", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    [sf_contact] = org.sf_records("Contact")
    assert body["status"] == "pushed" and body["operation"] == "created"
    assert body["sf_id"] == sf_contact["Id"] and body["url"].endswith(sf_contact["Id"])
    assert org.log(kind="contact")[0]["actor"].startswith("user:")


def test_R22_dry_run_previews_without_writing_or_calling(org: Org) -> None:
    with write_transaction(org.engine) as conn:
        account_id = create(conn, org.team_id, "account", name="Preview Co")
        contact_id = create(
            conn, org.team_id, "contact", last_name="Preview", account_id=account_id
        )
    client, headers = _client(org)
    calls = org.api_calls()
    response = client.post(
        f"/api/v1/contacts/{contact_id}/salesforce/push?dry_run=true", headers=headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["dry_run"] is True and body["api_calls"] >= 2
    # the account is looked up first (R5); a contact without an email is created directly
    assert [step["action"] for step in body["steps"]] == ["match_then_link_or_create", "create"]
    assert [step["sobject"] for step in body["steps"]] == ["Account", "Contact"]
    assert org.api_calls() == calls and org.sf_records("Contact") == []
    assert org.log() == []


def test_a_classified_error_is_answered_with_its_hint(strict_org: Org) -> None:
    org = strict_org
    with write_transaction(org.engine) as conn:
        account_id = create(conn, org.team_id, "account", name="Bad", industry="Alchemy")
    client, headers = _client(org)
    response = client.post(f"/api/v1/accounts/{account_id}/salesforce/push", headers=headers)
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == "failed"
    assert body["code"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST" and "Industry" in body["hint"]


def test_unknown_records_and_kinds_are_404(org: Org) -> None:
    client, headers = _client(org)
    assert (
        client.post("/api/v1/contacts/999999/salesforce/push", headers=headers).status_code == 404
    )
    assert client.post("/api/v1/emails/1/salesforce/push", headers=headers).status_code == 404


def _cli_env(org: Org, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PUSHFORCE_DATABASE_URL", org.engine.url.render_as_string(False))
    monkeypatch.setenv("PUSHFORCE_SECRET_KEY", org.config.secret_key)
    monkeypatch.setenv("PUSHFORCE_DATA_DIR", str(org.config.data_dir))
    monkeypatch.setenv("PUSHFORCE_ALLOWED_SALESFORCE_HOSTS", "127.0.0.1,localhost")
    with read_connection(org.engine) as conn:
        name = conn.execute(sa.select(teams.c.name).where(teams.c.id == org.team_id)).scalar_one()
    return str(name)


def test_R11_pushforce_push_contact_prints_the_id_and_url(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = _cli_env(org, monkeypatch)
    org.settings(enabled=False)
    with write_transaction(org.engine) as conn:
        contact_id = create(conn, org.team_id, "contact", last_name="Cli", email="cli@example.com")
    preview = CliRunner().invoke(
        app, ["push", "contact", str(contact_id), "--dry-run", "--team", team]
    )
    assert preview.exit_code == 0, preview.output
    assert '"api_calls"' in preview.output and org.sf_records("Contact") == []
    result = CliRunner().invoke(app, ["push", "contact", str(contact_id), "--team", team])
    assert result.exit_code == 0, result.output
    [sf_contact] = org.sf_records("Contact")
    assert sf_contact["Id"] in result.output and "created" in result.output
    assert org.log(kind="contact")[0]["actor"] == "cli"


def test_pushforce_worker_refuses_sqlite(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUSHFORCE_DATABASE_URL", sqlite_engine.url.render_as_string(False))
    result = CliRunner().invoke(app, ["worker"])
    assert result.exit_code == 1
    assert "needs PostgreSQL" in result.output and "pushforce serve" in result.output
