"""Sign-in and sign-out."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from pushforce.store import write_transaction
from pushforce.web.ui.auth import authenticate, end_session, password_hash_of, start_session
from pushforce.web.ui.deps import EngineDep, UserDep, ui_router
from pushforce.web.ui.render import render
from pushforce.web.ui.throttle import LoginThrottle

router = ui_router()
HOME = "/people"


def safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host, no ``//``) — never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return HOME
    parts = urlsplit(target)
    return HOME if parts.scheme or parts.netloc else target


def throttle_of(request: Request) -> LoginThrottle:
    state = request.app.state
    if getattr(state, "login_throttle", None) is None:
        state.login_throttle = LoginThrottle()
    throttle: LoginThrottle = state.login_throttle
    return throttle


@router.get("/")
def home(user: UserDep) -> Response:
    return RedirectResponse(HOME, status_code=303)


@router.get("/login")
def sign_in_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": safe_next(next), "email": ""})


@router.post("/login")
def sign_in(
    request: Request,
    engine: EngineDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = HOME,
) -> Response:
    throttle = throttle_of(request)
    wait = throttle.wait_seconds(email)
    if wait > 0:
        minutes = max(1, round(wait / 60))
        message = f"Too many failed attempts for this e-mail; try again in {minutes} minute(s)."
        return _refused(request, next, email, message, 429)
    with write_transaction(engine) as conn:
        user = authenticate(conn, email, password)
        stored_hash = password_hash_of(conn, user.id) if user is not None else ""
    if user is None:
        throttle.failed(email)
        return _refused(request, next, email, "That e-mail and password do not match a user.", 401)
    throttle.succeeded(email)
    response = RedirectResponse(safe_next(next), status_code=303)
    start_session(request, response, user.id, stored_hash)
    return response


def _refused(request: Request, next: str, email: str, message: str, status: int) -> Response:
    context = {"next": safe_next(next), "email": email, "error": message}
    return render(request, "login.html", context, status=status)


@router.post("/logout")
def sign_out(request: Request, user: UserDep) -> Response:
    response = RedirectResponse("/login", status_code=303)
    end_session(request, response)
    return response
