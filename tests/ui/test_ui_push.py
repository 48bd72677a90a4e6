"""Salesforce actions › Push to Salesforce from the People list and record pages, answered in
place (R11), against localforce over HTTPS; the status column and the record's sync history."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from ui_helpers import UiTeam, add_record, sign_in

from localforce.testing import RunningServer


def test_push_from_the_people_list_shows_the_id_in_place(
    connected: TestClient, team: UiTeam, lf: RunningServer
) -> None:
    token = sign_in(connected, team)
    html = connected.get("/people?saved=1").text
    assert f'hx-post="/push/contact/{team.contact_id}"' in html
    assert ">pending<" in html  # saved, queued for the drain
    response = connected.post(
        f"/push/contact/{team.contact_id}", headers={"X-CSRF-Token": token, "HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'data-push-status="pushed"' in response.text
    contacts = lf.control.records("Contact")
    assert [c["Email"] for c in contacts] == ["ada@globex.example.com"]
    sf_id = contacts[0]["Id"]
    assert f'data-sf-id="{sf_id}"' in response.text
    assert f'<span id="status-contact-{team.contact_id}" hx-swap-oob="true"' in response.text
    listed = connected.get("/people").text
    assert f'data-sf-id="{sf_id}"' in listed and ">Contact</span>" in listed
    page = connected.get(f"/people/{team.contact_id}").text
    assert "manual" in page and sf_id in page  # the record's sync history


def test_a_transient_failure_is_explained_in_place_and_a_retry_pushes(
    connected: TestClient, team: UiTeam, lf: RunningServer
) -> None:
    token = sign_in(connected, team)
    lf.control.add_fault({"kind": "UNABLE_TO_LOCK_ROW", "path": "composite/sobjects", "count": 1})
    headers = {"X-CSRF-Token": token}
    response = connected.post(f"/push/contact/{team.contact_id}", headers=headers)
    assert 'data-push-status="retrying"' in response.text
    assert "Will retry" in response.text and "Next try:" in response.text
    assert lf.control.records("Contact") == []
    response = connected.post(f"/push/contact/{team.contact_id}", headers=headers)
    assert 'data-push-status="pushed"' in response.text
    assert len(lf.control.records("Contact")) == 1


def test_push_selected_pushes_each(
    connected: TestClient, engine: Engine, team: UiTeam, lf: RunningServer
) -> None:
    token = sign_in(connected, team)
    second = add_record(
        engine,
        team.team_id,
        "contact",
        first_name="Grace",
        last_name="Hopper",
        email="grace@globex.example.com",
    )
    data = {"ids": [str(team.contact_id), str(second)], "csrf_token": token}
    response = connected.post("/push/contact/selected", data=data)
    assert "Pushed 2 of 2" in response.text
    assert len(lf.control.records("Contact")) == 2


def test_without_a_connection_the_push_says_so(client: TestClient, team: UiTeam) -> None:
    token = sign_in(client, team)
    response = client.post(f"/push/contact/{team.contact_id}", headers={"X-CSRF-Token": token})
    assert 'data-push-status="no_connection"' in response.text and "Connect" in response.text


def test_pushing_another_teams_record_finds_nothing(
    client: TestClient, team: UiTeam, other_team: UiTeam
) -> None:
    token = sign_in(client, team)
    response = client.post(
        f"/push/contact/{other_team.contact_id}", headers={"X-CSRF-Token": token}
    )
    assert 'data-push-status="not_found"' in response.text


def test_sync_log_filters_and_status_numbers(
    connected: TestClient, team: UiTeam, lf: RunningServer
) -> None:
    token = sign_in(connected, team)
    connected.post(f"/push/contact/{team.contact_id}", headers={"X-CSRF-Token": token})
    log = connected.get("/sync-log?kind=contact").text
    assert f'href="/people/{team.contact_id}"' in log and "manual" in log
    assert '<div class="small muted">Riley Rep</div>' in log  # the acting user by name
    assert "No push attempts yet." in connected.get("/sync-log?outcome=failed").text
    status = connected.get("/status").text
    assert 'id="queue-depth">' in status and "connected" in status
    notice = connected.post("/sync-log/retry", data={"all": "yes", "csrf_token": token}).text
    assert "queued again" in notice


def test_sync_log_shows_only_the_teams_entries(
    connected: TestClient, team: UiTeam, other_team: UiTeam
) -> None:
    token = sign_in(connected, team)
    connected.post(f"/push/contact/{team.contact_id}", headers={"X-CSRF-Token": token})
    other = TestClient(connected.app)
    sign_in(other, other_team)
    assert "No push attempts yet." in other.get("/sync-log").text
    assert other.get(f"/people/{team.contact_id}").status_code == 404
    assert "Ada" not in other.get("/people").text


def test_sync_log_time_filters(connected: TestClient, team: UiTeam) -> None:
    from datetime import UTC, datetime, timedelta

    token = sign_in(connected, team)
    connected.post(f"/push/contact/{team.contact_id}", headers={"X-CSRF-Token": token})
    today = datetime.now(UTC).date()
    day = timedelta(days=1)  # margins of a day: the test may straddle midnight
    row = f'href="/people/{team.contact_id}"'
    assert row in connected.get("/sync-log?period=1h").text
    assert row in connected.get(f"/sync-log?since={today - day}&until={today + day}").text
    assert row not in connected.get(f"/sync-log?until={today - 2 * day}").text
    assert row not in connected.get(f"/sync-log?since={today + 2 * day}").text


def test_sync_log_ignores_empty_or_bad_days(client: TestClient, signed_in: str) -> None:
    assert client.get("/sync-log?since=&until=").status_code == 200
    assert client.get("/sync-log?since=not-a-day").status_code == 200
