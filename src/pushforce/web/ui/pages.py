"""The UI's routers and the handlers that turn "not signed in" and "bad CSRF token" into pages."""

from __future__ import annotations

import importlib
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pushforce.web.ui.auth import CsrfRejected
from pushforce.web.ui.deps import NeedsSignIn
from pushforce.web.ui.render import is_htmx, render

# Each module defines ``router``.
MODULES = (
    "login",
    "settings_page",
    "settings_history",
    "lists",
    "record_pages",
    "imports",
    "push",
    "push_all",
    "sync_log",
    "status",
)


def ui_routers() -> list[APIRouter]:
    return [importlib.import_module(f"{__package__}.{name}").router for name in MODULES]


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(NeedsSignIn, _to_sign_in)
    app.add_exception_handler(CsrfRejected, _csrf_rejected)


async def _to_sign_in(request: Request, _: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = f"/login?next={quote(target, safe='')}"
    if is_htmx(request):
        return HTMLResponse("", headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


async def _csrf_rejected(request: Request, _: Exception) -> Response:
    context = {
        "title": "Refused",
        "message": "This form has expired or did not come from "
        "Pushforce. Reload the page and try again.",
    }
    return render(request, "error.html", context, status=403)
