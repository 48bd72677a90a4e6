"""R11 and R22 through the REST API and the CLI: push one record now, or preview it."""

from __future__ import annotations

from engine_helpers import create
from fastapi.testclient import TestClient
from harness import Org

from pushforce.store import create_api_key, create_user, write_transaction
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
