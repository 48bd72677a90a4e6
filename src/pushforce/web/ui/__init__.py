"""The web UI: server-rendered pages (Jinja2 + a vendored htmx), mounted by ``install_ui(app)``.

Pages live at the root (``/login``, ``/people``, ``/companies``, ``/settings/integrations/
salesforce``, ``/sync-log``, ``/status`` …) beside ``/api/v1``; ``/static/`` serves the CSS and
``htmx.min.js`` (htmx 2.0.11, 0BSD licence, copied from the npm package ``htmx.org``).
Every page but sign-in needs a session; every state-changing request needs the CSRF token.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from pushforce.web.ui.auth import Signer
from pushforce.web.ui.headers import install_security_headers
from pushforce.web.ui.pages import install_handlers, ui_routers

STATIC_DIR = Path(__file__).parent / "static"


def install_ui(app: FastAPI, signing_key: bytes | None = None) -> None:
    """Add the UI to ``app``. Without ``signing_key`` the key comes from the app's Config on
    first use (``auth.signer_of``)."""
    app.state.ui_signer = Signer(signing_key) if signing_key else None
    install_handlers(app)
    install_security_headers(app)
    for router in ui_routers():
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
