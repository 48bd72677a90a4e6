"""Status: connection, queue depth, oldest pending push, failures by class, API usage — the
numbers of ``pushforce status`` (``app.status.team_status``)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from pushforce.app.status import connection_and_usage, team_status
from pushforce.web.api.ops_deps import CLOCK
from pushforce.web.ui.deps import EngineDep, UserDep, ui_router
from pushforce.web.ui.render import render

router = ui_router()


@router.get("/status")
def status_page(request: Request, engine: EngineDep, user: UserDep) -> Response:
    view, usage = connection_and_usage(engine, user.team_id)
    found = team_status(engine, user.team_id, CLOCK.now(), view, usage)
    return render(request, "status.html", {"section": "status", "title": "Status", "s": found})
