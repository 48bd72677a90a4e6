"""Composite (≤25 subrequests, `@{ref.field}` references, allOrNone → PROCESSING_HALTED) and
Composite Batch (independent subrequests, each counted as an API call) (§4)."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from localforce import responses
from localforce.errors import PROCESSING_HALTED, fail
from localforce.httputil import json_object, org_of, set_api_calls, state_of
from localforce.render import sobject_url
from localforce.subrequest import SubResponse, call

router = APIRouter(prefix="/services/data/v{version}/composite")
MAX_SUBREQUESTS = 25
MAX_QUERY_OR_COLLECTION = 5
HEAVY_URL = re.compile(r"/(query|queryAll)(/|\?|$)|/composite/sobjects")
REFERENCE = re.compile(r"@\{([A-Za-z0-9_]+)\.([^}]+)\}")
PATH_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
FORWARDED_HEADERS = ("sforce-duplicate-rule-header", "sforce-auto-assign")


class UnresolvedReference(Exception):
    pass


def resolve_path(value: Any, path: str) -> Any:
    for name, index in PATH_STEP.findall(path):
        try:
            value = value[int(index)] if index else value[name]
        except (KeyError, IndexError, TypeError):
            raise UnresolvedReference(path) from None
    return value


def substitute(value: Any, results: dict[str, SubResponse]) -> Any:
    """Replace `@{ref.path}` in strings (whole-string references keep the referenced type)."""
    if isinstance(value, dict):
        return {k: substitute(v, results) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, results) for v in value]
    if not isinstance(value, str) or "@{" not in value:
        return value
    whole = REFERENCE.fullmatch(value)
    if whole:
        return _lookup(whole, results)
    return REFERENCE.sub(lambda m: str(_lookup(m, results)), value)


def _lookup(match: re.Match[str], results: dict[str, SubResponse]) -> Any:
    ref = results.get(match[1])
    if ref is None or ref.status >= 400:
        raise UnresolvedReference(match[0])
    return resolve_path(ref.body, match[2])


def validate_subrequests(body: dict[str, Any]) -> list[dict[str, Any]]:
    subrequests = body.get("compositeRequest")
    if not isinstance(subrequests, list) or not subrequests:
        raise fail("INVALID_FIELD", "compositeRequest: a non-empty list is required", None)
    if len(subrequests) > MAX_SUBREQUESTS:
        raise fail(
            "LIMIT_EXCEEDED", "Composite requests cannot have more than 25 subrequests", None
        )
    heavy = [s for s in subrequests if HEAVY_URL.search(str(s.get("url", "")))]
    if len(heavy) > MAX_QUERY_OR_COLLECTION:
        raise fail(
            "LIMIT_EXCEEDED",
            "Composite requests cannot contain more than 5 query or "
            "sObject Collections subrequests",
            None,
        )
    for i, sub in enumerate(subrequests):
        missing = [k for k in ("method", "url", "referenceId") if not sub.get(k)]
        if missing:
            raise fail(
                "INVALID_FIELD", f"compositeRequest[{i}]: {', '.join(missing)} required", None
            )
    return subrequests


def _entry(sub: dict[str, Any], response: SubResponse, version: str) -> dict[str, Any]:
    headers = {}
    if response.status == 201 and isinstance(response.body, dict) and "id" in response.body:
        sobject = sub["url"].rstrip("/").split("/sobjects/")[-1].split("/")[0]
        headers["Location"] = sobject_url(version, sobject, response.body["id"])
    return {
        "body": response.body,
        "httpHeaders": headers,
        "httpStatusCode": response.status,
        "referenceId": sub["referenceId"],
    }


def _halted(sub: dict[str, Any], message: str | None = None) -> dict[str, Any]:
    error = PROCESSING_HALTED.rest()
    if message:
        error["message"] = message
    error.pop("fields", None)
    return {
        "body": [error],
        "httpHeaders": {},
        "httpStatusCode": 400,
        "referenceId": sub["referenceId"],
    }


@router.post("")
async def composite(request: Request, version: str) -> Response:
    body = await json_object(request)
    subrequests = validate_subrequests(body)
    entries = await run_subrequests(request, version, subrequests, bool(body.get("allOrNone")))
    return responses.json_response({"compositeResponse": entries})


async def run_subrequests(
    request: Request, version: str, subrequests: list[dict[str, Any]], all_or_none: bool
) -> list[dict[str, Any]]:
    """Run subrequests in order, resolving references; all-or-none rolls back and halts."""
    state, org = state_of(request), org_of(request)
    forwarded = {h: request.headers[h] for h in FORWARDED_HEADERS if h in request.headers}
    results: dict[str, SubResponse] = {}
    entries: list[dict[str, Any]] = []
    with org.transaction() as tx:
        for sub in subrequests:
            try:
                url, sub_body = (
                    substitute(sub["url"], results),
                    substitute(sub.get("body"), results),
                )
            except UnresolvedReference as exc:
                entries.append(
                    _halted(sub, f"Invalid reference specified. No value for {exc} found")
                )
                if all_or_none:
                    break
                continue
            headers = {**forwarded, **(sub.get("httpHeaders") or {})}
            response = await call(
                state.inner_app, request.scope, sub["method"], url, sub_body, headers
            )
            results[sub["referenceId"]] = response
            entries.append(_entry(sub, response, version))
            if all_or_none and response.status >= 400:
                break
        if all_or_none and any(e["httpStatusCode"] >= 400 for e in entries):
            tx.rollback()
            entries = _halt_all(subrequests, entries)
    return entries


def _halt_all(
    subrequests: list[dict[str, Any]], entries: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Under allOrNone the failing subrequest keeps its error; every other one is halted."""
    done = {e["referenceId"]: e for e in entries}
    out = []
    for sub in subrequests:
        entry = done.get(sub["referenceId"])
        out.append(entry if entry and entry["httpStatusCode"] >= 400 else _halted(sub))
    return out


@router.post("/batch")
async def batch(request: Request, version: str) -> Response:
    body = await json_object(request)
    subrequests = body.get("batchRequests")
    if not isinstance(subrequests, list) or not subrequests:
        raise fail("INVALID_FIELD", "batchRequests: a non-empty list is required", None)
    if len(subrequests) > MAX_SUBREQUESTS:
        raise fail("LIMIT_EXCEEDED", "A batch cannot contain more than 25 requests", None)
    set_api_calls(request, len(subrequests))
    state = state_of(request)
    halt, halted = bool(body.get("haltOnError")), False
    results: list[dict[str, Any]] = []
    for sub in subrequests:
        if halted:
            results.append(
                {
                    "statusCode": 412,
                    "result": [
                        {
                            "errorCode": "BATCH_PROCESSING_HALTED",
                            "message": "Batch processing halted per request",
                        }
                    ],
                }
            )
            continue
        url = "/services/data/" + str(sub.get("url", "")).lstrip("/")
        response = await call(
            state.inner_app,
            request.scope,
            str(sub.get("method", "GET")),
            url,
            sub.get("richInput"),
            {},
        )
        results.append({"statusCode": response.status, "result": response.body})
        halted = halt and response.status >= 400
    has_errors = any(r["statusCode"] >= 400 for r in results)
    return responses.json_response({"hasErrors": has_errors, "results": results})
