"""A permanent failure explained in place, fixed in the settings, then retried (R18)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from ui_helpers import UiTeam, sign_in

from localforce.testing import RunningServer
from pushforce.store import write_transaction
from pushforce.store.settings_repo import current_settings, save_settings


def map_title_to(engine: Engine, team: UiTeam, target: str) -> None:
    with write_transaction(engine) as conn:
        document = current_settings(conn, team.team_id)[0].model_dump(mode="json")
        for row in document["fields"]["contact"]:
            if row["field"] == "title":
                row["salesforce_field"] = target
        save_settings(conn, team.team_id, document, None)


def test_failed_push_then_fix_then_retry(
    connected: TestClient, engine: Engine, team: UiTeam, lf: RunningServer
) -> None:
    token = sign_in(connected, team)
    headers = {"X-CSRF-Token": token}
    map_title_to(engine, team, "Nonexistent__c")
    response = connected.post(f"/push/contact/{team.contact_id}", headers=headers)
    assert 'data-push-status="failed"' in response.text
    assert "INVALID_FIELD" in response.text and "Push settings › Fields" in response.text
    listed = connected.get("/people").text
    assert ">failed</span>" in listed and "No such column" in listed
    record = connected.get(f"/people/{team.contact_id}").text
    assert "Retry push" in record and "Fix: A mapped Salesforce field" in record
    log = connected.get("/sync-log?outcome=failed").text
    assert f"contact {team.contact_id}" in log and "INVALID_FIELD" in log
    map_title_to(engine, team, "Title")
    response = connected.post(f"/push/contact/{team.contact_id}", headers=headers)
    assert 'data-push-status="pushed"' in response.text
    assert [c["Title"] for c in lf.control.records("Contact")] == ["VP Sales"]
    assert ">Contact</span>" in connected.get("/people").text  # the failure is gone
