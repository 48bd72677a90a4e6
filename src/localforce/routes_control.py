"""The control API under ``/__localforce__/`` (same bearer token): reset, seed, limits, clock,
faults, tokens, the request log, counters, record inspection and snapshots.

Lead conversion and merge endpoints come from `localforce.lifecycle` (mounted by `app`).
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from localforce import responses
from localforce.errors import OrgError, fail
from localforce.httputil import json_object, state_of
from localforce.values import format_datetime

router = APIRouter(prefix="/__localforce__")


def _bad_request(message: str) -> OrgError:
    return fail("INVALID_INPUT", message, None)


@router.post("/reset")
async def reset(request: Request) -> Response:
    # in a worker thread: it waits for running bulk jobs to stop, which must not block the loop
    await asyncio.to_thread(state_of(request).reset)
    return responses.json_response({"reset": True})


@router.post("/seed")
async def seed(request: Request) -> Response:
    """``{"records": {"Account": [{...}], ...}, "validate": false}`` → ids per object, in order.

    Without validation records may set read-only fields (IsConverted, CreatedDate, Id, ...).
    One failing record fails the whole seed and leaves the org unchanged.
    """
    body = await json_object(request)
    org = state_of(request).org
    validate = bool(body.get("validate", False))
    created: dict[str, list[str]] = {}
    with org.transaction():  # all or nothing: a failing record rolls back the whole seed
        for sobject, records in (body.get("records") or {}).items():
            obj = org.object(sobject)
            insert = org.insert if validate else org.system_insert
            created[obj.name] = [insert(obj.name, record) for record in records]
    return responses.json_response({"ids": created})


@router.get("/limits")
async def get_limits(request: Request) -> Response:
    state = state_of(request)
    return responses.json_response(
        {
            "daily_api_requests": state.usage.daily_max,
            "used": state.usage.used(),
            "max_concurrent_long_requests": state.long_requests.cap,
            "long_request_seconds": state.long_requests.threshold,
            **state.latency,
        }
    )


@router.post("/limits")
async def set_limits(request: Request) -> Response:
    body = await json_object(request)
    state = state_of(request)
    if "daily_api_requests" in body:
        state.usage.daily_max = int(body["daily_api_requests"])
    if "used" in body:
        state.usage.set_used(int(body["used"]))
    if "max_concurrent_long_requests" in body:
        state.long_requests.cap = int(body["max_concurrent_long_requests"])
    if "long_request_seconds" in body:
        state.long_requests.threshold = float(body["long_request_seconds"])
    for key in ("per_request_ms", "per_record_ms"):
        if key in body:
            state.latency[key] = float(body[key])
    return await get_limits(request)


@router.get("/clock")
async def get_clock(request: Request) -> Response:
    clock = state_of(request).org.clock
    return responses.json_response(
        {"now": format_datetime(clock.now()), "frozen": clock.frozen is not None}
    )


@router.post("/clock")
async def set_clock(request: Request) -> Response:
    """``{"now": "2024-01-31T10:00:00Z", "frozen": true}``, ``{"advance_seconds": 3600}``
    or ``{"reset": true}``."""
    body = await json_object(request)
    clock = state_of(request).org.clock
    if body.get("reset"):
        clock.reset()
    if "now" in body:
        try:
            moment = datetime.fromisoformat(str(body["now"]).replace("Z", "+00:00"))
        except ValueError:
            raise _bad_request(f"now: not an ISO datetime: {body['now']!r}") from None
        clock.set(moment, bool(body.get("frozen", False)))
    if "advance_seconds" in body:
        clock.advance(float(body["advance_seconds"]))
    return await get_clock(request)


@router.get("/faults")
async def list_faults(request: Request) -> Response:
    return responses.json_response([r.public() for r in state_of(request).faults.rules])


@router.post("/faults")
async def add_fault(request: Request) -> Response:
    try:
        rule = state_of(request).faults.add(await json_object(request))
    except (TypeError, ValueError) as exc:
        raise _bad_request(str(exc)) from None
    return responses.json_response(rule.public(), 201)


@router.delete("/faults")
async def clear_faults(request: Request) -> Response:
    state_of(request).faults.clear()
    return Response(status_code=204)


@router.delete("/faults/{rule_id}")
async def remove_fault(request: Request, rule_id: int) -> Response:
    if not state_of(request).faults.remove(rule_id):
        return responses.json_response(responses.NOT_FOUND, 404)
    return Response(status_code=204)


@router.post("/tokens/expire")
async def expire_tokens(request: Request) -> Response:
    return responses.json_response({"expired": state_of(request).tokens.expire_all()})


@router.post("/tokens/restore")
async def restore_token(request: Request) -> Response:
    state_of(request).tokens.restore_static()
    return responses.json_response({"restored": True})


@router.post("/oauth/refresh-tokens")
async def mint_refresh_token(request: Request) -> Response:
    """Stands in for the browser half of the web-server flow: a refresh token for a client."""
    body = await json_object(request)
    state = state_of(request)
    client_id = str(body.get("client_id", ""))
    if state.client(client_id) is None:
        raise _bad_request(f"client_id: unknown client {client_id!r}")
    return responses.json_response({"refresh_token": state.tokens.mint_refresh_token(client_id)})


@router.get("/log")
async def request_log(request: Request) -> Response:
    since = int(request.query_params.get("since", 0))
    entries: list[dict[str, Any]] = [e for e in state_of(request).log if e["seq"] > since]
    return responses.json_response(entries)


@router.delete("/log")
async def clear_log(request: Request) -> Response:
    state_of(request).log.clear()
    return Response(status_code=204)


@router.get("/counters")
async def counters(request: Request) -> Response:
    state = state_of(request)
    body = state.counters.public()
    body["records"] = {
        obj.name: state.org.count(obj.name) for obj in state.org.schema.objects.values()
    }
    body["api_usage"] = state.usage.used()
    return responses.json_response(body)


@router.get("/records/{sobject}")
async def records(request: Request, sobject: str) -> Response:
    """Raw stored records (canonical names, nulls omitted); ``?include_deleted=true``."""
    org = state_of(request).org
    include_deleted = request.query_params.get("include_deleted", "false").lower() == "true"
    rows = list(org.scan(org.object(sobject).name, include_deleted))
    return responses.json_response(rows)


@router.get("/record/{record_id}")
async def record(request: Request, record_id: str) -> Response:
    found = state_of(request).org.get(record_id)
    if found is None:
        return responses.json_response(responses.NOT_FOUND, 404)
    return responses.json_response(found)


@router.post("/snapshot")
async def snapshot(request: Request) -> Response:
    state = state_of(request)
    if state.persistence is None:
        raise _bad_request("no --data-dir: nothing to snapshot to")
    path = state.persistence.save()
    return responses.json_response({"path": str(path)})
