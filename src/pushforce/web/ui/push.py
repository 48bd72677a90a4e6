"""Salesforce actions › Push to Salesforce: one record (from a list row or a record page) or a
selection, answered in place — the Salesforce Id and link, or the error and its hint (R11)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response

from pushforce.app.manual import PUSHABLE_KINDS, ManualResult, push_now
from pushforce.app.ports import GatewayFor
from pushforce.store import read_connection
from pushforce.web.api.ops_deps import CLOCK, gateway_source
from pushforce.web.ui.auth import UiUser
from pushforce.web.ui.deps import EngineDep, UserDep, ui_router
from pushforce.web.ui.render import render
from pushforce.web.ui.sf_status import instance_url_of, statuses

router = ui_router()
GatewayDep = Annotated[GatewayFor, Depends(gateway_source)]
MAX_SELECTION = 100  # a bigger selection is a push-all


def actor(user: UiUser) -> str:
    return f"user:{user.id}"


def _push(
    engine: Any, gateway_for: GatewayFor, user: UiUser, kind: str, record_id: int
) -> ManualResult:
    return push_now(engine, gateway_for, CLOCK, user.team_id, kind, record_id, actor(user))


def _not_pushable(request: Request, kind: str) -> Response:
    context = {"title": "Not found", "message": f"{kind}s are not pushed from here"}
    return render(request, "error.html", context, status=404)


@router.post("/push/{kind}/selected")
async def push_selected(
    request: Request, kind: str, engine: EngineDep, user: UserDep, gateway_for: GatewayDep
) -> Response:
    if kind not in PUSHABLE_KINDS:
        return _not_pushable(request, kind)
    ids = [int(str(v)) for v in (await request.form()).getlist("ids") if str(v).isdigit()]
    if not ids:
        return render(request, "fragments/selection_result.html", {"results": [], "empty": True})
    results = [_push(engine, gateway_for, user, kind, i) for i in ids[:MAX_SELECTION]]
    context = {"results": results, "kind": kind, "left_out": max(len(ids) - MAX_SELECTION, 0)}
    context |= _oob_statuses(engine, user, kind, [r.record_id for r in results])
    return render(request, "fragments/selection_result.html", context)


@router.post("/push/{kind}/{record_id}")
def push_one(
    request: Request,
    kind: str,
    record_id: int,
    engine: EngineDep,
    user: UserDep,
    gateway_for: GatewayDep,
) -> Response:
    if kind not in PUSHABLE_KINDS:
        return _not_pushable(request, kind)
    result = _push(engine, gateway_for, user, kind, record_id)
    context = {"result": result, "kind": kind}
    context |= _oob_statuses(engine, user, kind, [record_id])
    response = render(request, "fragments/push_result.html", context)
    response.headers["HX-Trigger"] = "pushed"  # the record page reloads its sync history
    return response


def _oob_statuses(engine: Any, user: UiUser, kind: str, ids: list[int]) -> dict[str, Any]:
    """The fresh status badges, swapped out of band into a list's status column."""
    with read_connection(engine) as conn:
        found = statuses(conn, user.team_id, kind, ids, instance_url_of(conn, user.team_id))
    return {"oob_statuses": found}
