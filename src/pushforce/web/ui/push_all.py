"""Push all (R12) from the Contacts/Leads and Accounts tabs: a preview first (R22), then a job
page whose progress bar polls (htmx, every second while the run is active), counts and cancel."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from pushforce.app.drain import new_owner
from pushforce.app.ports import GatewayFor
from pushforce.app.push_all import (
    ACTIVE,
    PushAllError,
    PushAllRequest,
    cancel_push_all,
    preview_push_all,
    push_all_progress,
    start_in_background,
    start_push_all,
)
from pushforce.store import read_connection
from pushforce.store.stages import stage_names
from pushforce.web.api.ops_deps import CLOCK, gateway_source
from pushforce.web.ui.deps import EngineDep, UserDep, ui_router
from pushforce.web.ui.render import render

router = ui_router()
GatewayDep = Annotated[GatewayFor, Depends(gateway_source)]
KINDS = {"contact": "contacts", "account": "accounts", "deal": "deals"}
Text = Annotated[str, Query(max_length=255)]


def _request(kind: str, stage: str, saved: str) -> PushAllRequest:
    only_saved = True if saved == "1" and kind != "deal" else None
    return PushAllRequest(kind, stage or None, only_saved)


def _not_found(request: Request, message: str) -> Response:
    return render(request, "error.html", {"title": "Not found", "message": message}, 404)


@router.get("/push-all/{kind}/preview")
def preview(
    request: Request, kind: str, engine: EngineDep, user: UserDep, stage: Text = "",
    saved: Text = "",
) -> Response:  # fmt: skip
    if kind not in KINDS:
        return _not_found(request, f"there is no push-all of {kind}")
    error, found = None, None
    try:
        found = preview_push_all(engine, CLOCK, user.team_id, _request(kind, stage, saved))
    except PushAllError as problem:
        error = str(problem)
    with read_connection(engine) as conn:
        stages = stage_names(conn, user.team_id, kind)
    context = {"section": "settings", "title": f"Push all {KINDS[kind]}", "kind": kind,
               "plural": KINDS[kind], "preview": found, "error": error, "stages": stages,
               "params": {"stage": stage, "saved": saved}}  # fmt: skip
    return render(request, "push_all_preview.html", context, status=422 if error else 200)


@router.post("/push-all/{kind}")
def start(
    request: Request,
    kind: str,
    engine: EngineDep,
    user: UserDep,
    gateway_for: GatewayDep,
    stage: Annotated[str, Form(max_length=255)] = "",
    saved: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    if kind not in KINDS:
        return _not_found(request, f"there is no push-all of {kind}")
    if gateway_for(user.team_id) is None:
        message = "This team has no Salesforce connection; connect it first."
        return render(request, "error.html", {"title": "Not connected", "message": message}, 409)
    try:
        run_id = start_push_all(engine, CLOCK, user.team_id, _request(kind, stage, saved),
                                f"user:{user.id}")  # fmt: skip
    except PushAllError as problem:
        return render(request, "error.html", {"title": "Cannot start", "message": str(problem)},
                      409)  # fmt: skip
    start_in_background(engine, gateway_for, CLOCK, user.team_id, run_id, new_owner())
    return RedirectResponse(f"/push-all/runs/{run_id}", status_code=303)


def _progress(engine: Any, team_id: int, run_id: int) -> dict[str, Any] | None:
    try:
        return push_all_progress(engine, CLOCK, team_id, run_id)
    except PushAllError:
        return None


@router.get("/push-all/runs/{run_id}")
def run_page(request: Request, run_id: int, engine: EngineDep, user: UserDep) -> Response:
    progress = _progress(engine, user.team_id, run_id)
    if progress is None:
        return _not_found(request, f"no push-all run {run_id} for this team")
    context = {"section": "settings", "title": "Push all", "p": progress, "active": ACTIVE}
    return render(request, "push_all_run.html", context)


@router.get("/push-all/runs/{run_id}/progress")
def run_progress(request: Request, run_id: int, engine: EngineDep, user: UserDep) -> Response:
    progress = _progress(engine, user.team_id, run_id)
    if progress is None:
        return _not_found(request, f"no push-all run {run_id} for this team")
    return render(request, "fragments/push_all_progress.html", {"p": progress, "active": ACTIVE})


@router.post("/push-all/runs/{run_id}/cancel")
def cancel(request: Request, run_id: int, engine: EngineDep, user: UserDep) -> Response:
    try:
        progress = cancel_push_all(engine, CLOCK, user.team_id, run_id)
    except PushAllError:
        return _not_found(request, f"no push-all run {run_id} for this team")
    return render(request, "fragments/push_all_progress.html", {"p": progress, "active": ACTIVE})
