"""Rendering pages and fragments with Jinja2 (autoescaped), with the user and CSRF token in
every template's context."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from pushforce.web.ui.auth import CSRF_FIELD, CSRF_HEADER, csrf_token, ensure_csrf_cookie

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True

NAV = (
    ("people", "/people", "People"),
    ("companies", "/companies", "Companies"),
    ("deals", "/deals", "Deals"),
    ("sync-log", "/sync-log", "Sync log"),
    ("status", "/status", "Status"),
    ("settings", "/settings/integrations/salesforce", "Settings"),
)


def render(
    request: Request, template: str, context: Mapping[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """A whole page or an htmx fragment: ``template`` decides which (pages extend base.html)."""
    token = csrf_token(request)
    full = {
        "request": request,
        "user": getattr(request.state, "ui_user", None),
        "csrf_token": token,
        "csrf_field": CSRF_FIELD,
        "hx_headers": json.dumps({CSRF_HEADER: token}),
        "nav": NAV,
        **(context or {}),
    }
    response = templates.TemplateResponse(request, template, full, status_code=status)
    ensure_csrf_cookie(request, response)
    return response


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"
