"""The settings history panel: every version with its diff, and restore (R21)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from pushforce.store import read_connection, write_transaction
from pushforce.store.settings_repo import UnknownVersion, list_versions, restore_version
from pushforce.web.ui.deps import EngineDep, UserDep, ui_router
from pushforce.web.ui.render import is_htmx, render

router = ui_router()
PAGE = "/settings/integrations/salesforce"


@router.get(f"{PAGE}/history")
def history(request: Request, engine: EngineDep, user: UserDep) -> Response:
    with read_connection(engine) as conn:
        versions = list_versions(conn, user.team_id)
    template = "fragments/history.html" if is_htmx(request) else "history.html"
    context = {"versions": versions, "section": "settings", "title": "Settings history"}
    return render(request, template, context)


@router.post(f"{PAGE}/versions/{{version}}/restore")
def restore(request: Request, version: int, engine: EngineDep, user: UserDep) -> Response:
    try:
        with write_transaction(engine) as conn:
            saved = restore_version(conn, user.team_id, version, user.id)
    except UnknownVersion as error:
        context = {"title": "No such version", "message": str(error)}
        return render(request, "error.html", context, status=404)
    return RedirectResponse(f"{PAGE}?saved={saved.version}", status_code=303)
