"""sObject Collections: create, update, upsert, delete and retrieve up to 200 records (§3).

Per-record results come back in input order with `statusCode`-keyed errors; with allOrNone
every write is rolled back on any failure and the innocent records report
ALL_OR_NONE_OPERATION_ROLLED_BACK.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from localforce import ids, responses
from localforce.errors import ROLLED_BACK, OrgError, SalesforceError, fail
from localforce.httputil import allow_save, json_object, object_or_404, org_of, state_of
from localforce.org import MultipleMatches, Org
from localforce.render import render_record
from localforce.routes_sobjects import requested_fields

router = APIRouter(prefix="/services/data/v{version}/composite/sobjects")
MAX_RECORDS = 200
MAX_RETRIEVE_POST = 2000
Result = dict[str, Any]


def exceeded_id_limit() -> OrgError:
    return fail(
        "EXCEEDED_ID_LIMIT",
        "record limit reached. cannot submit more than 200 records into this call",
        None,
    )


def _records(body: dict[str, Any]) -> list[dict[str, Any]]:
    records = body.get("records")
    if not isinstance(records, list):
        raise fail("INVALID_FIELD", "Required field records is missing or not a list", None)
    if len(records) > MAX_RECORDS:
        raise exceeded_id_limit()
    return records


def _failure(error: SalesforceError, record_id: str | None = None) -> Result:
    result: Result = {"success": False, "errors": [error.collection()]}
    if record_id:
        result["id"] = record_id
    return result


def _record_type(record: dict[str, Any]) -> str:
    sobject = (record.get("attributes") or {}).get("type")
    if not sobject:
        raise fail("INVALID_TYPE", "Must specify an sObject type for each record", ())
    return str(sobject)


def run_all(
    request: Request, items: list[Any], operation: Callable[[Any], Result], all_or_none: bool
) -> list[Result]:
    """Apply `operation` to each item inside one transaction; roll back on failure if asked."""
    org = org_of(request)
    faults, path = state_of(request).faults, request.url.path
    results: list[Result] = []
    with org.transaction() as tx:
        for item in items:
            rule = (
                faults.take(request.method, path, _objects(item), per_record=True)
                if faults.rules
                else None
            )
            if rule is not None:
                lock = responses.lock_error()[0]
                results.append(_failure(SalesforceError(lock["errorCode"], lock["message"])))
                continue
            results.append(_safely(operation, item))
        if all_or_none and not all(r["success"] for r in results):
            tx.rollback()
            results = [r if not r["success"] else _failure(ROLLED_BACK) for r in results]
    return results


def _objects(item: Any) -> set[str]:
    if isinstance(item, dict):
        return {str((item.get("attributes") or {}).get("type", "")).lower()}
    return set()


def _safely(operation: Callable[[Any], Result], item: Any) -> Result:
    try:
        return operation(item)
    except MultipleMatches as exc:
        return _failure(exc.first)
    except OrgError as exc:
        return _failure(exc.first, getattr(exc, "record_id", None))


def _all_or_none(body: dict[str, Any]) -> bool:
    return bool(body.get("allOrNone", False))


@router.post("")
async def create(request: Request, version: str) -> Response:
    body = await json_object(request)
    records, org, save = _records(body), org_of(request), allow_save(request)

    def create_one(record: dict[str, Any]) -> Result:
        if any(k.lower() == "id" for k in record):
            raise fail("INVALID_FIELD", "cannot specify Id in an insert call", ("Id",))
        return {"id": org.insert(_record_type(record), record, save), "success": True, "errors": []}

    return responses.json_response(run_all(request, records, create_one, _all_or_none(body)))


@router.patch("")
async def update(request: Request, version: str) -> Response:
    body = await json_object(request)
    records, org, save = _records(body), org_of(request), allow_save(request)

    def update_one(record: dict[str, Any]) -> Result:
        raw_id = next((v for k, v in record.items() if k.lower() == "id"), None)
        if not raw_id:
            raise fail("MISSING_ARGUMENT", "Id not specified in an update call", ())
        fields = {k: v for k, v in record.items() if k.lower() != "id"}
        return _with_id(raw_id, lambda rid: org.update(rid, fields, _record_type(record), save))

    return responses.json_response(run_all(request, records, update_one, _all_or_none(body)))


def _with_id(raw_id: Any, action: Callable[[str], str]) -> Result:
    record_id = ids.normalize(raw_id)
    if record_id is None:
        error = fail("MALFORMED_ID", f"malformed id {raw_id}", ())
        return _failure(error.first, str(raw_id))
    try:
        return {"id": action(record_id), "success": True, "errors": []}
    except OrgError as exc:
        return _failure(exc.first, record_id)


@router.patch("/{sobject}/{field}")
async def upsert(request: Request, version: str, sobject: str, field: str) -> Response:
    body = await json_object(request)
    records, org, save = _records(body), org_of(request), allow_save(request)
    obj = object_or_404(org, sobject)
    ext = obj.field(field)
    if ext is None or not (ext.external_id or ext.id_lookup):
        raise fail(
            "INVALID_FIELD",
            f"Field name provided, {field} is not an External ID or indexed field for {obj.name}",
            None,
        )

    def upsert_one(record: dict[str, Any]) -> Result:
        value = next((v for k, v in record.items() if k.lower() == ext.name.lower()), None)
        if value in (None, ""):
            raise fail("MISSING_ARGUMENT", f"{ext.name} not specified", ())
        record_id, created = org.upsert(obj.name, ext.name, value, record, save)
        return {"id": record_id, "success": True, "errors": [], "created": created}

    return responses.json_response(run_all(request, records, upsert_one, _all_or_none(body)))


@router.delete("")
async def delete(request: Request, version: str) -> Response:
    raw_ids = [i for i in request.query_params.get("ids", "").split(",") if i]
    if len(raw_ids) > MAX_RECORDS:
        raise exceeded_id_limit()
    org = org_of(request)
    all_or_none = request.query_params.get("allOrNone", "false").lower() == "true"

    def delete_one(raw_id: str) -> Result:
        return _with_id(raw_id, lambda rid: org.delete(rid))

    return responses.json_response(run_all(request, raw_ids, delete_one, all_or_none))


@router.get("/{sobject}")
async def retrieve(request: Request, version: str, sobject: str) -> Response:
    raw_ids = [i for i in request.query_params.get("ids", "").split(",") if i]
    fields = request.query_params.get("fields", "")
    return _retrieve(org_of(request), version, sobject, raw_ids, fields, MAX_RECORDS)


@router.post("/{sobject}")
async def retrieve_post(request: Request, version: str, sobject: str) -> Response:
    body = await json_object(request)
    fields = body.get("fields") or []
    return _retrieve(
        org_of(request),
        version,
        sobject,
        list(body.get("ids") or []),
        ",".join(fields),
        MAX_RETRIEVE_POST,
    )


def _retrieve(
    org: Org, version: str, sobject: str, raw_ids: list[str], fields: str, limit: int
) -> Response:
    obj = object_or_404(org, sobject)
    if len(raw_ids) > limit:
        raise exceeded_id_limit()
    if not fields:
        raise fail("MISSING_ARGUMENT", "fields parameter is required", None)
    chosen = requested_fields(obj, fields)
    records = []
    for raw_id in raw_ids:
        record_id = ids.normalize(raw_id)
        if record_id is None:
            raise fail("MALFORMED_ID", f"malformed id {raw_id}", None)
        record = org.get(record_id)
        ok = record is not None and not record["IsDeleted"] and record_id.startswith(obj.key_prefix)
        records.append(render_record(obj, record, version, chosen) if ok and record else None)
    return responses.json_response(records)
