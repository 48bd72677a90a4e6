"""Team isolation on EVERY route of the app (reliability §3.3, ASVS 8.2.2/8.4.1; R1 teams).

The routes are enumerated from the app itself and each must be classified in ``ROUTES`` below:
a newly added route fails ``test_every_route_is_classified`` until someone decides how it is
protected. Every route that takes a record, run or version id is then called by team B with
team A's id: the answer is a 404 (or 403) and no row of the database changes.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from record_samples import CHANGES
from security_helpers import SecTeam, app_routes, fingerprint
from sqlalchemy.engine import Engine
from ui_helpers import sign_in

PUBLIC, API, UI = "public", "api", "ui"
_RECORD_PLURALS = (
    "accounts",
    "contacts",
    "deals",
    "emails",
    "notes",
    "tasks",
    "calls",
    "meetings",
    "conversations",
)
_UI_KINDS = {"people": "contact", "companies": "account", "deals": "deal"}

ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/redoc"): PUBLIC,
    ("MOUNT", "/static"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,  # CSRF-checked, see test_csrf_every_form
    **{(m, f"/api/v1/{p}"): API for p in _RECORD_PLURALS for m in ("GET", "POST")},
    **{
        (m, f"/api/v1/{p}/{{record_id}}"): API
        for p in _RECORD_PLURALS
        for m in ("GET", "PATCH", "DELETE")
    },
    ("GET", "/api/v1/stages"): API,
    ("GET", "/api/v1/salesforce/connection"): API,
    ("PUT", "/api/v1/salesforce/connection"): API,
    ("DELETE", "/api/v1/salesforce/connection"): API,
    ("POST", "/api/v1/contacts/import"): API,
    ("POST", "/api/v1/accounts/import"): API,
    ("GET", "/api/v1/salesforce/log"): API,
    ("POST", "/api/v1/salesforce/retry"): API,
    ("POST", "/api/v1/{plural}/{record_id}/salesforce/push"): API,
    ("POST", "/api/v1/salesforce/push-all"): API,
    ("GET", "/api/v1/salesforce/push-all/{run_id}"): API,
    ("POST", "/api/v1/salesforce/push-all/{run_id}/cancel"): API,
    ("GET", "/api/v1/salesforce/settings"): API,
    ("PUT", "/api/v1/salesforce/settings"): API,
    ("GET", "/api/v1/salesforce/settings/versions"): API,
    ("GET", "/api/v1/salesforce/settings/versions/{version}"): API,
    ("POST", "/api/v1/salesforce/settings/versions/{version}/restore"): API,
    ("POST", "/api/v1/salesforce/settings/preview-template"): API,
    ("GET", "/api/v1/salesforce/status"): API,
    ("GET", "/"): UI,
    ("POST", "/logout"): UI,
    ("GET", "/settings/integrations/salesforce"): UI,
    ("POST", "/settings/integrations/salesforce"): UI,
    ("POST", "/settings/integrations/salesforce/preview-template"): UI,
    ("POST", "/settings/integrations/salesforce/enabled"): UI,
    ("GET", "/settings/integrations/salesforce/history"): UI,
    ("POST", "/settings/integrations/salesforce/versions/{version}/restore"): UI,
    **{("GET", f"/{p}"): UI for p in _UI_KINDS},
    **{("GET", f"/{p}/{{record_id}}"): UI for p in _UI_KINDS},
    **{("GET", f"/{p}/{{record_id}}/history"): UI for p in _UI_KINDS},
    ("GET", "/import/{list_name}"): UI,
    ("POST", "/import/{list_name}"): UI,
    ("POST", "/push/{kind}/selected"): UI,
    ("POST", "/push/{kind}/{record_id}"): UI,
    ("GET", "/push-all/{kind}/preview"): UI,
    ("POST", "/push-all/{kind}"): UI,
    ("GET", "/push-all/runs/{run_id}"): UI,
    ("GET", "/push-all/runs/{run_id}/progress"): UI,
    ("POST", "/push-all/runs/{run_id}/cancel"): UI,
    ("GET", "/sync-log"): UI,
    ("POST", "/sync-log/retry"): UI,
    ("GET", "/status"): UI,
}
_ID = re.compile(r"\{(record_id|run_id|version)\}")
ID_ROUTES = sorted(key for key in ROUTES if _ID.search(key[1]) and key[0] != "MOUNT")


def test_every_route_is_classified(client: TestClient) -> None:
    """Adding a route forces a decision: classify it here (and it is then tested below)."""
    found = app_routes(client.app)
    assert found - ROUTES.keys() == set(), "unclassified routes: add them to ROUTES"
    assert ROUTES.keys() - found == set(), "ROUTES lists routes the app no longer has"


def _kind_of(path: str) -> str:
    if "/push/{kind}/" in path or "{plural}" in path:
        return "contact"
    segment = path.split("/")[3 if path.startswith("/api/") else 1]
    return _UI_KINDS.get(segment) or segment.removesuffix("s")


def fill(path: str, owner: SecTeam) -> str:
    """The path with the owner's ids (and a kind the route accepts)."""
    kind = _kind_of(path) if "{record_id}" in path else "contact"
    values = {
        "record_id": owner.records[kind],
        "run_id": owner.run_id,
        "version": owner.version,
        "plural": "contacts",
        "kind": "contact",
        "list_name": "people",
    }
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def _body(method: str, path: str) -> dict[str, object]:
    if method == "PATCH":
        field, sent, _ = CHANGES[_kind_of(path)]
        return {"json": {field: sent}}
    return {}


def _refused(path: str, answer: Response) -> bool:
    if answer.status_code in {403, 404}:
        return True
    # The one-record push button answers an htmx fragment (htmx swaps only 2xx answers): it
    # says "not found" just as for a missing record, and pushes nothing (fingerprint below).
    return path == "/push/{kind}/{record_id}" and 'data-push-status="not_found"' in answer.text


@pytest.mark.parametrize(("method", "path"), ID_ROUTES, ids=[" ".join(k) for k in ID_ROUTES])
def test_another_teams_id_is_not_found_and_nothing_changes(
    client: TestClient, engine: Engine, team_a: SecTeam, team_b: SecTeam, method: str, path: str
) -> None:
    url = fill(path, team_a)
    if ROUTES[(method, path)] == API:
        kw = {"headers": team_b.headers, **_body(method, path)}
    else:
        token = sign_in(client, team_b.ui)
        kw = {"data": {"csrf_token": token}} if method == "POST" else {}
    before = fingerprint(engine)
    answer = client.request(method, url, follow_redirects=False, **kw)
    assert _refused(path, answer), (url, answer.status_code, answer.text[:300])
    assert fingerprint(engine) == before


@pytest.mark.parametrize(
    ("method", "path"),
    sorted(k for k, v in ROUTES.items() if v == API),
    ids=lambda v: v,
)
def test_every_api_route_needs_a_key(
    client: TestClient, engine: Engine, team_a: SecTeam, method: str, path: str
) -> None:
    before = fingerprint(engine)
    answer = client.request(method, fill(path, team_a), json={})
    assert answer.status_code == 401, answer.text
    assert fingerprint(engine) == before


@pytest.mark.parametrize(
    ("method", "path"),
    sorted(k for k, v in ROUTES.items() if v == UI),
    ids=lambda v: v,
)
def test_every_ui_route_needs_a_session(
    client: TestClient, engine: Engine, team_a: SecTeam, method: str, path: str
) -> None:
    before = fingerprint(engine)
    answer = client.request(method, fill(path, team_a), follow_redirects=False)
    assert answer.status_code in {303, 401, 403}, answer.text[:300]
    if answer.status_code == 303:
        assert answer.headers["location"].startswith("/login")
    assert fingerprint(engine) == before


@pytest.mark.parametrize("plural", _RECORD_PLURALS)
def test_an_api_list_never_shows_another_teams_rows(
    client: TestClient, team_a: SecTeam, team_b: SecTeam, plural: str
) -> None:
    kind = plural.removesuffix("s")
    answer = client.get(f"/api/v1/{plural}?limit=500", headers=team_b.headers)
    ids = {item["id"] for item in answer.json()["items"]}
    assert team_b.records[kind] in ids and team_a.records[kind] not in ids


@pytest.mark.parametrize("page", sorted(_UI_KINDS))
def test_a_ui_list_never_shows_another_teams_rows(
    client: TestClient, team_a: SecTeam, team_b: SecTeam, page: str
) -> None:
    sign_in(client, team_b.ui)
    html = client.get(f"/{page}").text
    kind = _UI_KINDS[page]
    assert f'/{page}/{team_b.records[kind]}"' in html
    assert f'/{page}/{team_a.records[kind]}"' not in html


def test_settings_history_never_shows_another_teams_versions(
    client: TestClient, team_a: SecTeam, team_b: SecTeam
) -> None:
    versions = client.get("/api/v1/salesforce/settings/versions", headers=team_b.headers).json()
    assert [v["version"] for v in versions] == [1]  # B saved one; A's three are not there
    assert {v["author_user_id"] for v in versions} == {team_b.ui.user_id}


def test_ids_in_a_body_are_refused_too(
    client: TestClient, engine: Engine, team_a: SecTeam, team_b: SecTeam
) -> None:
    """The routes that take ids in their body, not their path: push-selected and retry."""
    contact = team_a.records["contact"]
    before = fingerprint(engine)
    retry = "/api/v1/salesforce/retry"
    theirs = client.post(retry, json={"record": f"contact:{contact}"}, headers=team_b.headers)
    missing = client.post(retry, json={"record": "contact:999999999"}, headers=team_b.headers)
    assert theirs.json() == missing.json() == {"retried": 0}  # as if it did not exist
    token = sign_in(client, team_b.ui)
    form = {"csrf_token": token, "ids": [str(contact)]}
    answer = client.post("/push/contact/selected", data=form)
    assert 'data-push-status="pushed"' not in answer.text
    assert "Pushed 0 of 1" in answer.text and f"no contact {contact}" in answer.text
    assert fingerprint(engine) == before
