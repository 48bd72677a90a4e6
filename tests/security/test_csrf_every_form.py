"""CSRF on EVERY state-changing UI route (reliability §3.4, ASVS 3.5.1): enumerated from the app,
so a new form route without the check fails here. Without a token, or with the token of another
session, the answer is 403 and no row of the database changes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from security_helpers import SecTeam, app_routes, fingerprint
from sqlalchemy.engine import Engine
from test_route_isolation import fill
from ui_helpers import sign_in

from pushforce.store import make_engine
from pushforce.web.app import create_app

_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _ui_form_routes() -> list[tuple[str, str]]:
    app = create_app(make_engine("sqlite://"))
    routes = app_routes(app)
    return sorted((m, p) for m, p in routes if m in _UNSAFE and not p.startswith("/api/"))


FORM_ROUTES = _ui_form_routes()


def test_the_enumeration_finds_the_forms() -> None:
    assert ("POST", "/login") in FORM_ROUTES and ("POST", "/logout") in FORM_ROUTES
    assert len(FORM_ROUTES) >= 12


def _form(token: str | None) -> dict[str, str]:
    form = {"stage": "", "ids": "1", "all": "1", "template": "{{subject}}", "enabled": "0"}
    return form if token is None else {**form, "csrf_token": token}


@pytest.mark.parametrize(("method", "path"), FORM_ROUTES, ids=lambda v: v)
def test_a_form_without_a_csrf_token_is_refused(
    client: TestClient, engine: Engine, team_a: SecTeam, method: str, path: str
) -> None:
    sign_in(client, team_a.ui)
    before = fingerprint(engine)
    answer = client.request(method, fill(path, team_a), data=_form(None), follow_redirects=False)
    assert answer.status_code == 403, answer.text[:300]
    assert fingerprint(engine) == before


@pytest.mark.parametrize(("method", "path"), FORM_ROUTES, ids=lambda v: v)
def test_the_csrf_token_of_another_session_is_refused(
    engine: Engine, team_a: SecTeam, team_b: SecTeam, method: str, path: str
) -> None:
    app = create_app(engine)
    with TestClient(app) as theirs, TestClient(app, raise_server_exceptions=False) as mine:
        foreign = sign_in(theirs, team_b.ui)
        sign_in(mine, team_a.ui)
        before = fingerprint(engine)
        answer = mine.request(
            method, fill(path, team_a), data=_form(foreign), follow_redirects=False
        )
    assert answer.status_code == 403, answer.text[:300]
    assert fingerprint(engine) == before
