"""Sign-in, sessions and CSRF (reliability §3.4)."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from ui_helpers import PASSWORD, UiTeam, csrf_of, sign_in

from pushforce.store import read_connection
from pushforce.store.schema import users


def test_pages_redirect_to_sign_in_when_signed_out(client: TestClient) -> None:
    response = client.get("/people?q=ada", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fpeople%3Fq%3Dada"


def test_htmx_requests_are_told_to_redirect(client: TestClient) -> None:
    response = client.get("/people", headers={"HX-Request": "true"}, follow_redirects=False)
    assert response.headers["HX-Redirect"].startswith("/login")


def test_password_is_stored_as_an_argon2_hash(engine: Engine, team: UiTeam) -> None:
    with read_connection(engine) as conn:
        stored = conn.execute(sa.select(users.c.password_hash).where(users.c.id == team.user_id))
        value = stored.scalar_one()
    assert value.startswith("$argon2id$") and PASSWORD not in value


def test_sign_in_sets_a_hardened_session_cookie(client: TestClient, team: UiTeam) -> None:
    token = csrf_of(client.get("/login").text)
    data = {"email": team.email.upper(), "password": PASSWORD, "csrf_token": token}
    response = client.post("/login", data={**data, "next": "/companies"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/companies"
    cookies = response.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("pf_session="))
    assert "HttpOnly" in session and "SameSite=lax" in session and "Max-Age=43200" in session
    assert client.get("/companies").status_code == 200


def test_session_cookie_is_secure_and_host_prefixed_over_https(
    engine: Engine, team: UiTeam
) -> None:
    from pushforce.web.app import create_app

    with TestClient(create_app(engine), base_url="https://testserver") as secure:
        token = csrf_of(secure.get("/login").text)
        data = {"email": team.email, "password": PASSWORD, "csrf_token": token}
        response = secure.post("/login", data=data, follow_redirects=False)
    session = next(c for c in response.headers.get_list("set-cookie") if "pf_session=" in c)
    assert session.startswith("__Host-pf_session=") and "Secure" in session and "Path=/" in session


def test_wrong_password_is_refused_in_place(client: TestClient, team: UiTeam) -> None:
    token = csrf_of(client.get("/login").text)
    data = {"email": team.email, "password": "nope", "csrf_token": token}
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 401
    assert "do not match" in response.text and 'value="' + team.email + '"' in response.text
    assert client.get("/people", follow_redirects=False).status_code == 303


def test_next_never_leaves_the_site(client: TestClient, team: UiTeam) -> None:
    token = csrf_of(client.get("/login").text)
    data = {
        "email": team.email,
        "password": PASSWORD,
        "csrf_token": token,
        "next": "//evil.example.com/x",
    }
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.headers["location"] == "/people"


def test_sign_out_ends_the_session(client: TestClient, team: UiTeam) -> None:
    token = sign_in(client, team)
    copied = client.cookies["pf_session"]
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/people", follow_redirects=False).status_code == 303
    client.cookies.set("pf_session", copied)  # a copy of the signed-out cookie is refused too
    assert client.get("/people", follow_redirects=False).status_code == 303


def test_forged_session_cookie_is_ignored(client: TestClient, team: UiTeam) -> None:
    sign_in(client, team)
    user_id, issued, nonce, mac = client.cookies["pf_session"].split(".")
    client.cookies.set("pf_session", f"{user_id}.{issued}.{nonce}.{'0' * len(mac)}")
    assert client.get("/people", follow_redirects=False).status_code == 303


def test_post_without_csrf_token_is_refused(client: TestClient, team: UiTeam) -> None:
    sign_in(client, team)
    response = client.post("/logout", follow_redirects=False)
    assert response.status_code == 403 and "expired" in response.text
    assert client.get("/people", follow_redirects=False).status_code == 200  # still signed in


def test_csrf_token_of_another_session_is_refused(
    engine: Engine, client: TestClient, team: UiTeam
) -> None:
    from pushforce.web.app import create_app

    with TestClient(create_app(engine)) as attacker:
        foreign = sign_in(attacker, team)
    sign_in(client, team)
    response = client.post("/logout", data={"csrf_token": foreign}, follow_redirects=False)
    assert response.status_code == 403


def test_htmx_header_token_is_accepted(client: TestClient, team: UiTeam) -> None:
    token = sign_in(client, team)
    response = client.post("/logout", headers={"X-CSRF-Token": token}, follow_redirects=False)
    assert response.status_code == 303


def test_sign_in_itself_needs_the_token(client: TestClient, team: UiTeam) -> None:
    client.get("/login")
    data = {"email": team.email, "password": PASSWORD}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 403


def test_fresh_sign_in_of_the_demo_works_and_replaces_the_old_password(
    engine: Engine, client: TestClient, team: UiTeam
) -> None:
    from pushforce.web.ui.auth import fresh_sign_in

    email, password = fresh_sign_in(engine, team.team_id)
    assert email == team.email and len(password) >= 16
    token = csrf_of(client.get("/login").text)
    old = {"email": email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=old, follow_redirects=False).status_code == 401
    new = {"email": email, "password": password, "csrf_token": token}
    assert client.post("/login", data=new, follow_redirects=False).status_code == 303


def test_sessions_survive_a_restart_when_the_secret_key_is_set(
    engine: Engine, team: UiTeam, tmp_path
) -> None:
    from pushforce.config import Config
    from pushforce.web.app import create_app

    key = "q" * 43 + "="
    apps = [create_app(engine) for _ in range(2)]
    for app in apps:
        app.state.config = Config(data_dir=tmp_path, secret_key=key)
    with TestClient(apps[0]) as first:
        sign_in(first, team)
        cookie = first.cookies["pf_session"]
    with TestClient(apps[1], cookies={"pf_session": cookie}) as second:
        assert second.get("/people", follow_redirects=False).status_code == 200


def test_ui_pages_carry_security_headers_and_the_api_does_not(client: TestClient) -> None:
    page = client.get("/login")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in client.get("/api/v1/contacts").headers


def test_hsts_over_https(engine: Engine) -> None:
    from pushforce.web.app import create_app

    with TestClient(create_app(engine), base_url="https://testserver") as secure:
        assert secure.get("/login").headers["Strict-Transport-Security"].startswith("max-age=")


def test_login_throttle_counts_failures_per_email_in_a_window() -> None:
    from pushforce.web.ui.throttle import LoginThrottle

    throttle = LoginThrottle(limit=3, window=60.0)
    for at in (0.0, 1.0, 2.0):
        assert throttle.wait_seconds("A@x.example", now=at) == 0.0
        throttle.failed("a@x.example", now=at)
    assert throttle.wait_seconds("a@x.example", now=10.0) == 50.0
    assert throttle.wait_seconds("b@x.example", now=10.0) == 0.0
    assert throttle.wait_seconds("a@x.example", now=60.5) == 0.0  # the first left the window
    throttle.succeeded("a@x.example")
    assert throttle.wait_seconds("a@x.example", now=10.0) == 0.0


def test_repeated_wrong_passwords_lock_the_email_out(client: TestClient, team: UiTeam) -> None:
    token = csrf_of(client.get("/login").text)
    wrong = {"email": team.email, "password": "guess", "csrf_token": token}
    codes = [client.post("/login", data=wrong).status_code for _ in range(5)]
    assert codes == [401] * 5
    right = {**wrong, "password": PASSWORD}
    response = client.post("/login", data=right, follow_redirects=False)
    assert response.status_code == 429 and "Too many failed attempts" in response.text


def test_a_token_from_before_sign_in_is_refused_after_it(client: TestClient, team: UiTeam) -> None:
    """Signing in rotates the nonce and the token is bound to the session: old tokens die."""
    before = csrf_of(client.get("/login").text)
    sign_in(client, team)
    response = client.post("/logout", data={"csrf_token": before}, follow_redirects=False)
    assert response.status_code == 403
