"""R21 over the REST API: GET/PUT the whole document, versions with diffs, restore, template
preview. Every test checks the settings_versions table, not only the answer."""

from __future__ import annotations

from fastapi.testclient import TestClient
from settings_fixtures import Team, new_team, stored_versions
from sqlalchemy.engine import Engine

from pushforce.core.settings import PushSettings

URL = "/api/v1/salesforce/settings"
DEFAULTS = PushSettings().model_dump(mode="json")


def document(**changes: object) -> dict:
    return {**DEFAULTS, **changes}


def test_R21_get_gives_a_new_team_the_whole_default_document(client: TestClient) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == DEFAULTS
    assert response.json()["enabled"] is False
    assert response.headers["ETag"] == '"settings-v0"'


def test_R21_settings_need_an_api_key(engine: Engine, team: Team) -> None:
    from pushforce.web.app import create_app

    with TestClient(create_app(engine)) as anonymous:
        response = anonymous.get(URL)
    assert response.status_code == 401
    assert response.json()["errors"][0]["path"] == "header.authorization"


def test_R21_put_saves_a_version_authored_by_the_keys_user(
    client: TestClient, engine: Engine, team: Team
) -> None:
    response = client.put(URL, json=document(enabled=True))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["version"], body["author_user_id"], body["author"]) == (
        1,
        team.user_id,
        team.user_name,
    )
    assert body["changes"] == [{"path": "enabled", "old": False, "new": True}]
    assert body["summary"] == ["enabled: False → True"]
    assert response.headers["ETag"] == '"settings-v1"'
    assert stored_versions(engine, team.id) == [(1, team.user_id, document(enabled=True))]
    assert client.get(URL).json()["enabled"] is True


def test_R21_put_fills_in_defaults_for_a_partial_document(
    client: TestClient, engine: Engine, team: Team
) -> None:
    assert client.put(URL, json={"limits": {"api_budget_percent": 25}}).status_code == 200
    (stored,) = stored_versions(engine, team.id)
    assert stored[2] == document(limits={"api_budget_percent": 25})


def test_R21_a_rejected_put_names_every_path_and_saves_nothing(
    client: TestClient, engine: Engine, team: Team
) -> None:
    client.put(URL, json=document(enabled=True))
    bad = document(
        enabled="sometimes",
        surprise=1,
        contacts={**DEFAULTS["contacts"], "stage_filter": ["Nope"], "create_as": "person"},
        activities={
            **DEFAULTS["activities"],
            "calls": {"push": True, "title_template": "Call {{ call.disposition }}"},
        },
    )
    response = client.put(URL, json=bad)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert sorted(error["path"] for error in errors) == [
        "body.activities.calls.title_template",
        "body.contacts.create_as",
        "body.contacts.stage_filter[0]",
        "body.enabled",
        "body.surprise",
    ]
    assert all(error["message"] for error in errors)
    stage_error = next(e for e in errors if e["path"] == "body.contacts.stage_filter[0]")
    assert "no contact stage named 'Nope'" in stage_error["message"]
    assert [v[0] for v in stored_versions(engine, team.id)] == [1]
    assert client.get(URL).json() == document(enabled=True)


def test_R21_a_body_that_is_not_an_object_is_rejected(
    client: TestClient, engine: Engine, team: Team
) -> None:
    response = client.put(URL, json=["enabled"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "body"
    assert stored_versions(engine, team.id) == []


def test_R21_if_match_refuses_a_save_over_a_newer_version(
    client: TestClient, engine: Engine, team: Team
) -> None:
    tag = client.get(URL).headers["ETag"]
    assert client.put(URL, json=document(), headers={"If-Match": tag}).status_code == 200
    stale = client.put(URL, json=document(enabled=True), headers={"If-Match": tag})
    assert stale.status_code == 412
    assert stale.json()["errors"][0]["path"] == "header.if-match"
    assert [v[0] for v in stored_versions(engine, team.id)] == [1]
    fresh = client.get(URL).headers["ETag"]
    ok = client.put(URL, json=document(enabled=True), headers={"If-Match": f"W/{fresh}"})
    assert ok.status_code == 200 and ok.json()["version"] == 2


def test_R21_versions_list_newest_first_with_readable_diffs(client: TestClient) -> None:
    client.put(URL, json=document(enabled=True))
    client.put(
        URL,
        json=document(
            enabled=True, matching={**DEFAULTS["matching"], "account_tiebreak": "review"}
        ),
    )
    listed = client.get(f"{URL}/versions").json()
    assert [v["version"] for v in listed] == [2, 1]
    assert listed[0]["summary"] == ["matching.account_tiebreak: 'oldest' → 'review'"]
    assert listed[1]["changes"] == [{"path": "enabled", "old": False, "new": True}]
    assert all(v["created_at"] and v["restored_from"] is None for v in listed)
    one = client.get(f"{URL}/versions/1").json()
    assert one["settings"] == document(enabled=True)
    assert client.get(f"{URL}/versions/7").status_code == 404


def test_R21_restore_is_a_new_version_with_the_old_document(
    client: TestClient, engine: Engine, team: Team
) -> None:
    client.put(URL, json=document(enabled=True))
    client.put(URL, json=document(enabled=False, deals={"push_new": False}))
    response = client.post(f"{URL}/versions/1/restore")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["version"], body["restored_from"]) == (3, 1)
    assert body["settings"] == document(enabled=True)
    stored = stored_versions(engine, team.id)
    assert [v[0] for v in stored] == [1, 2, 3]
    assert stored[2][2] == stored[0][2] and stored[2][1] == team.user_id
    assert client.get(URL).json() == document(enabled=True)
    assert client.get(f"{URL}/versions").json()[0]["restored_from"] == 1


def test_R21_restoring_a_missing_version_is_404_and_saves_nothing(
    client: TestClient, engine: Engine, team: Team
) -> None:
    response = client.post(f"{URL}/versions/5/restore")
    assert response.status_code == 404
    assert response.json()["errors"][0]["path"] == "path.version"
    assert stored_versions(engine, team.id) == []


def test_R21_teams_never_see_each_others_settings(
    client: TestClient, engine: Engine, team: Team
) -> None:
    client.put(URL, json=document(enabled=True))
    other = new_team(engine)
    headers = {"Authorization": f"Bearer {other.api_key}"}
    assert client.get(URL, headers=headers).json() == DEFAULTS
    assert client.get(f"{URL}/versions", headers=headers).json() == []
    assert client.post(f"{URL}/versions/1/restore", headers=headers).status_code == 404
    assert stored_versions(engine, other.id) == []


def test_R21_template_preview_renders_with_sample_or_given_values(client: TestClient) -> None:
    sample = client.post(f"{URL}/preview-template", json={"template": "Email: {{subject}}"})
    assert sample.status_code == 200
    assert sample.json() == {"text": "Email: Quarterly review", "variables": ["subject"]}
    given = client.post(
        f"{URL}/preview-template",
        json={
            "template": "{{task_type}}: {{task_title}} {{owner_name}}",
            "values": {"task_type": "Call", "task_title": "line one\nline two"},
        },
    )
    assert given.json()["text"] == "Call: line one line two "
    long = client.post(f"{URL}/preview-template", json={"template": "x" * 300, "values": {}})
    assert len(long.json()["text"]) == 255


def test_R21_template_preview_reports_bad_templates_and_unknown_values(
    client: TestClient,
) -> None:
    bad = client.post(f"{URL}/preview-template", json={"template": "{{ subject | upper }}"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["path"] == "body.template"
    assert "only {{name}} is allowed" in bad.json()["errors"][0]["message"]
    unknown = client.post(
        f"{URL}/preview-template", json={"template": "{{subject}}", "values": {"subjekt": "x"}}
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["path"] == "body.values.subjekt"
