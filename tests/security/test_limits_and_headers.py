"""Request size limits (ASVS 5.2.1) and security headers on pages and API answers (§3.4)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from security_helpers import SecTeam, fingerprint
from sqlalchemy.engine import Engine
from ui_helpers import sign_in

from pushforce.config import Config
from pushforce.web.app import create_app


def test_an_oversized_json_body_is_413_and_nothing_is_written(
    client: TestClient, engine: Engine, team_a: SecTeam
) -> None:
    before = fingerprint(engine)
    body = json.dumps({"first_name": "x" * 2_000_000, "last_name": "Big"})
    answer = client.post(
        "/api/v1/contacts",
        content=body,
        headers={**team_a.headers, "content-type": "application/json"},
    )
    assert answer.status_code == 413
    assert answer.json()["errors"][0]["path"] == "body"
    assert fingerprint(engine) == before


def test_a_streamed_body_without_length_is_cut_off_at_the_cap(
    client: TestClient, team_a: SecTeam
) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(40):
            yield b" " * 65_536

    headers = {**team_a.headers, "content-type": "application/json"}
    answer = client.post("/api/v1/contacts", content=chunks(), headers=headers)
    assert answer.status_code == 413


def test_the_cap_is_configurable(engine: Engine, team_a: SecTeam, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = Config(data_dir=tmp_path, max_request_body_bytes=2048)
    app = create_app(config)  # its own engine: only the middleware is under test
    with TestClient(app) as client:
        answer = client.post(
            "/api/v1/contacts",
            content=b"{" + b" " * 4096 + b"}",
            headers={"content-type": "application/json"},
        )
    assert answer.status_code == 413
    assert "2048 bytes" in answer.json()["errors"][0]["message"]


def test_an_upload_over_the_import_cap_is_413(client: TestClient, team_a: SecTeam) -> None:
    big = b"first_name,last_name,email\n" + b"a,b,c@example.com\n" * 1_600_000  # ~27 MB
    answer = client.post(
        "/api/v1/contacts/import", files={"file": ("big.csv", big)}, headers=team_a.headers
    )
    assert answer.status_code == 413


def test_an_overlong_query_string_is_a_clear_4xx(client: TestClient, team_a: SecTeam) -> None:
    answer = client.get(f"/api/v1/contacts?q={'x' * 20_000}", headers=team_a.headers)
    assert 400 <= answer.status_code < 500
    assert answer.json()["errors"][0]["path"].startswith("query")


def test_deeply_nested_json_is_a_clear_4xx_not_a_500(client: TestClient, team_a: SecTeam) -> None:
    nested = "[" * 100_000 + "]" * 100_000
    for path in ("/api/v1/contacts", "/api/v1/salesforce/settings"):
        method = "PUT" if path.endswith("settings") else "POST"
        answer = client.request(
            method,
            path,
            content=nested,
            headers={**team_a.headers, "content-type": "application/json"},
        )
        assert 400 <= answer.status_code < 500, (path, answer.status_code)


PAGE_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


@pytest.mark.parametrize(
    "page",
    [
        "/login",
        "/people",
        "/companies",
        "/deals",
        "/status",
        "/sync-log",
        "/settings/integrations/salesforce",
    ],
)
def test_pages_carry_the_security_headers(client: TestClient, team_a: SecTeam, page: str) -> None:
    sign_in(client, team_a.ui)
    answer = client.get(page)
    assert answer.status_code == 200
    for name, value in PAGE_HEADERS.items():
        assert answer.headers[name] == value
    csp = answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "strict-transport-security" not in answer.headers  # plain HTTP: no HSTS


def test_hsts_over_https(engine: Engine) -> None:
    with TestClient(create_app(engine), base_url="https://testserver") as client:
        answer = client.get("/login")
    assert answer.headers["strict-transport-security"].startswith("max-age=")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/contacts",
        "/api/v1/salesforce/connection",
        "/api/v1/salesforce/settings",
        "/api/v1/nope",
    ],
)
def test_api_answers_are_nosniff_and_not_stored(
    client: TestClient, team_a: SecTeam, path: str
) -> None:
    for headers in (team_a.headers, {}):  # answered and refused alike
        answer = client.get(path, headers=headers)
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["cache-control"] == "no-store"


def test_an_oversized_form_is_413_with_a_page_not_json(
    client: TestClient, engine: Engine, team_a: SecTeam
) -> None:
    token = sign_in(client, team_a.ui)
    before = fingerprint(engine)
    form = {"csrf_token": token, "stage": "x" * 2_000_000}
    answer = client.post("/push-all/contact", data=form, follow_redirects=False)
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert fingerprint(engine) == before
