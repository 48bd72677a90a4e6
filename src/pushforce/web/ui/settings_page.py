"""Settings › Integrations › Salesforce: the connection card, the four tabs and Save.

Save validates the whole document with the store (``save_settings``); on any problem the page
comes back with each message beside its control and nothing is saved. ``enabled`` has its own
form with a go-live confirmation (turning it off needs none).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Connection

from pushforce.core.settings import Problem, SettingsError
from pushforce.core.templates import TemplateError, parse
from pushforce.core.templates import render as render_template
from pushforce.salesforce.connections import connection_info
from pushforce.store import read_connection, write_transaction
from pushforce.store.settings_repo import current_settings, save_settings
from pushforce.store.stages import list_stages, stage_names
from pushforce.web.api.settings import SAMPLE_VALUES
from pushforce.web.ui.deps import EngineDep, UserDep, ui_router
from pushforce.web.ui.render import render
from pushforce.web.ui.settings_form import (
    document_from_form,
    errors_by_setting,
    tabs_with_errors,
    value_at,
)
from pushforce.web.ui.settings_tabs import BUDGET, CAREFUL, TABS, WRITE_MODES

router = ui_router()
PAGE = "/settings/integrations/salesforce"
STAGE_OBJECTS = ("contact", "account", "deal")
FIXED_CONTEXT = {
    "section": "settings",
    "title": "Salesforce settings",
    "tabs": TABS,
    "budget": BUDGET,
    "careful": CAREFUL,
    "write_modes": WRITE_MODES,
    "value_at": value_at,
}


def team_stages(conn: Connection, team_id: int) -> dict[str, list[str]]:
    return {obj: stage_names(conn, team_id, obj) for obj in STAGE_OBJECTS}


def stage_defaults(conn: Connection, team_id: int) -> dict[str, dict[str, str | None]]:
    """What each stage writes to Salesforce when the settings map it to nothing."""
    found: dict[str, dict[str, str | None]] = {obj: {} for obj in STAGE_OBJECTS}
    for stage in list_stages(conn, team_id):
        found[stage["object"]][stage["name"]] = stage["salesforce_value"]
    return found


def _page(
    request: Request,
    engine: Any,
    user: Any,
    *,
    document: dict[str, Any] | None = None,
    problems: list[Problem] | None = None,
    tab: str = "contacts",
    notice: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    with read_connection(engine) as conn:
        settings, version = current_settings(conn, user.team_id)
        stages = team_stages(conn, user.team_id)
        defaults = stage_defaults(conn, user.team_id)
    saved = settings.model_dump(mode="json")
    errors, general = errors_by_setting(problems or [])
    error_tabs = tabs_with_errors(errors)
    context = {
        **FIXED_CONTEXT,
        "doc": document or saved,
        "enabled": saved["enabled"],
        "version": version,
        "stages": stages,
        "stage_defaults": defaults,
        "errors": errors,
        "general_errors": general,
        "error_tabs": error_tabs,
        "active_tab": next((t.key for t in TABS if t.key in error_tabs), tab),
        "notice": notice,
        "connection": connection_info(engine, user.team_id),
        "budget_percent": saved["limits"]["api_budget_percent"],
    }
    return render(request, "settings.html", context, status=status)


@router.get(PAGE)
def settings_page(
    request: Request, engine: EngineDep, user: UserDep, tab: str = "contacts", saved: int = 0
) -> Response:
    notice = f"Saved as version {saved}." if saved else None
    known = {t.key for t in TABS}
    return _page(request, engine, user, tab=tab if tab in known else "contacts", notice=notice)


@router.post(PAGE)
async def save(request: Request, engine: EngineDep, user: UserDep) -> Response:
    form = await request.form()
    tab = str(form.get("tab", "contacts"))
    with write_transaction(engine) as conn:
        current, _ = current_settings(conn, user.team_id)
        submitted = document_from_form(
            form, current.model_dump(mode="json"), team_stages(conn, user.team_id)
        )
        problems = list(submitted.problems)
        if not problems:
            try:
                saved = save_settings(conn, user.team_id, submitted.document, user.id)
            except SettingsError as error:
                problems = error.problems
    if problems:
        return _page(
            request,
            engine,
            user,
            document=submitted.document,
            problems=problems,
            tab=tab,
            status=422,
        )
    return RedirectResponse(f"{PAGE}?tab={tab}&saved={saved.version}", status_code=303)


@router.post(f"{PAGE}/preview-template")
async def preview_template(request: Request, user: UserDep) -> Response:
    form = await request.form()
    path = str(form.get("field", ""))
    source = str(form.get(path, "")) if path.endswith("title_template") else ""
    try:
        text, error = render_template(parse(source), SAMPLE_VALUES), None
    except TemplateError as problem:
        text, error = None, str(problem)
    return render(request, "fragments/template_preview.html", {"text": text, "error": error})


@router.post(f"{PAGE}/enabled")
def set_enabled(
    request: Request,
    engine: EngineDep,
    user: UserDep,
    enabled: Annotated[str, Form()] = "off",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    turn_on = enabled == "on"
    if turn_on and confirm != "yes":
        return render(request, "go_live.html", {"section": "settings", "title": "Go live"})
    try:
        with write_transaction(engine) as conn:
            current, _ = current_settings(conn, user.team_id)
            document = {**current.model_dump(mode="json"), "enabled": turn_on}
            saved = save_settings(conn, user.team_id, document, user.id)
    except SettingsError as error:  # e.g. a stage renamed since the last save
        return _page(request, engine, user, problems=error.problems, status=422)
    return RedirectResponse(f"{PAGE}?saved={saved.version}", status_code=303)
