"""``/sobjects/X/updated`` and ``/sobjects/X/deleted`` (the replication API simple-salesforce's
`updated()` / `deleted()` call), over SystemModstamp in [start, end]."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from localforce import responses
from localforce.errors import fail
from localforce.httputil import object_or_404, org_of
from localforce.values import format_datetime, parse_datetime

router = APIRouter(prefix="/services/data/v{version}/sobjects/{sobject}")


def _window(request: Request) -> tuple[str, str]:
    bounds = []
    for name in ("start", "end"):
        raw = request.query_params.get(name, "").replace(" ", "+")
        moment = parse_datetime(raw) if raw else None
        if moment is None:
            raise fail(
                "INVALID_REPLICATION_DATE", f"{name}: a datetime is required, got {raw!r}", None
            )
        bounds.append(format_datetime(moment))
    return bounds[0], bounds[1]


@router.get("/updated")
async def updated(request: Request, version: str, sobject: str) -> Response:
    org = org_of(request)
    obj = object_or_404(org, sobject)
    start, end = _window(request)
    changed = [r["Id"] for r in org.scan(obj.name) if start <= r.get("SystemModstamp", "") <= end]
    return responses.json_response({"ids": changed, "latestDateCovered": end})


@router.get("/deleted")
async def deleted(request: Request, version: str, sobject: str) -> Response:
    org = org_of(request)
    obj = object_or_404(org, sobject)
    start, end = _window(request)
    gone = [
        {"id": r["Id"], "deletedDate": r["SystemModstamp"]}
        for r in org.scan(obj.name, include_deleted=True)
        if r["IsDeleted"] and start <= r.get("SystemModstamp", "") <= end
    ]
    return responses.json_response(
        {"deletedRecords": gone, "earliestDateAvailable": start, "latestDateCovered": end}
    )
