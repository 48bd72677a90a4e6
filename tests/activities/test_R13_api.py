"""Issue 6 item 10: activities written through the REST API enqueue like records, are pushed by
the drain (R13, R14) and the sync log of each shows its outcome."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from activity_helpers import sf_id_of
from fastapi.testclient import TestClient
from harness import Org

from pushforce.store import create_api_key, write_transaction
from pushforce.web.app import create_app


@pytest.fixture
def api(org: Org) -> Iterator[TestClient]:
    with write_transaction(org.engine) as conn:
        key = create_api_key(conn, org.team_id, None, "activities").secret
    app = create_app(org.engine)
    app.state.config = org.config
    with TestClient(app, raise_server_exceptions=False) as client:
        client.headers["Authorization"] = f"Bearer {key}"
        yield client


def _post(api: TestClient, path: str, body: dict[str, object]) -> int:
    response = api.post(f"/api/v1/{path}", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_R13_activities_written_through_the_api_are_pushed_and_logged(
    org: Org, api: TestClient
) -> None:
    account_id = _post(api, "accounts", {"name": "Navy", "website": "navy.mil"})
    contact_id = _post(
        api,
        "contacts",
        {"last_name": "Hopper", "email": "grace@navy.mil", "account_id": account_id},
    )
    org.drain()
    email_id = _post(
        api,
        "emails",
        {
            "direction": "outgoing",
            "sent_in_app": True,
            "from_address": "rep@pushforce.io",
            "to_addresses": ["grace@navy.mil"],
            "subject": "Hello",
            "body": "From the API",
            "sent_at": "2026-11-20T10:00:00Z",
        },
    )
    task_id = _post(
        api,
        "tasks",
        {
            "task_type": "other",
            "title": "Call back",
            "status": "open",
            "priority": "normal",
            "contact_id": contact_id,
        },
    )
    org.drain()
    by_subtype = {t["TaskSubtype"]: t for t in org.sf_records("Task")}
    assert by_subtype["Email"]["Subject"] == "Email: Hello"
    assert by_subtype["Email"]["WhoId"] == sf_id_of(org, "contact", contact_id)
    log = api.get("/api/v1/salesforce/log", params={"record": f"email:{email_id}"}).json()
    [entry] = log["items"]
    assert (entry["outcome"], entry["sf_id"]) == ("created", by_subtype["Email"]["Id"])

    response = api.patch(f"/api/v1/tasks/{task_id}", json={"status": "completed"})
    assert response.status_code == 200, response.text
    assert api.delete(f"/api/v1/emails/{email_id}").status_code == 204
    org.drain()
    tasks = {t["TaskSubtype"]: t for t in org.sf_records("Task")}
    assert tasks["Task"]["Status"] == "Completed"
    assert tasks["Email"]["Id"] == by_subtype["Email"]["Id"]  # R14: still in Salesforce
    log = api.get("/api/v1/salesforce/log", params={"record": f"task:{task_id}"}).json()
    assert [e["outcome"] for e in log["items"]] == ["updated", "created"]
