"""Single-record REST: create, get, update, delete, upsert and get by external id (§2)."""

from __future__ import annotations

import base64

from fastapi import APIRouter, Request
from starlette.responses import Response

from localforce import ids, responses
from localforce.errors import entity_is_deleted, fail, not_found
from localforce.httputil import (
    allow_save,
    json_object,
    normalized_id_or_404,
    object_or_404,
    org_of,
    version_number,
)
from localforce.org import MultipleMatches
from localforce.render import render_record
from localforce.schema import FieldSchema, ObjectSchema

router = APIRouter(prefix="/services/data/v{version}")
UPSERT_CREATED_SINCE = 46.0


def _result(record_id: str, created: bool | None = None) -> dict[str, object]:
    body: dict[str, object] = {"id": record_id, "success": True, "errors": []}
    if created is not None:
        body["created"] = created
    return body


@router.post("/sobjects/{sobject}")
async def create(request: Request, version: str, sobject: str) -> Response:
    org = org_of(request)
    obj = object_or_404(org, sobject)
    record_id = org.insert(obj.name, await json_object(request), allow_save(request))
    return responses.json_response(_result(record_id), 201)


@router.post("/sobjects/{sobject}/{field}")
async def create_by_id_field(request: Request, version: str, sobject: str, field: str) -> Response:
    """``POST /sobjects/X/Id`` creates a record (v37+)."""
    if field.lower() != "id":
        raise not_found()
    return await create(request, version, sobject)


@router.get("/sobjects/{sobject}/{record_id}")
async def get_record(request: Request, version: str, sobject: str, record_id: str) -> Response:
    org = org_of(request)
    obj = object_or_404(org, sobject)
    normalized = normalized_id_or_404(record_id)
    record = readable(org.get(normalized), obj)
    fields = requested_fields(obj, request.query_params.get("fields"))
    return responses.json_response(render_record(obj, record, version, fields))


def readable(record: dict[str, object] | None, obj: ObjectSchema) -> dict[str, object]:
    """The record a GET by Id answers: 404 NOT_FOUND when there is none of this object, 404
    ENTITY_IS_DELETED when it is in the recycle bin (deleted, or a merge's loser) — §8, §11.3."""
    if record is None or not str(record["Id"]).startswith(obj.key_prefix):
        raise not_found()
    if record["IsDeleted"]:
        raise entity_is_deleted(status=404)
    return record


def requested_fields(obj: ObjectSchema, spec: str | None) -> list[FieldSchema] | None:
    if not spec:
        return None
    chosen = []
    for name in (n.strip() for n in spec.split(",") if n.strip()):
        f = obj.field(name)
        if f is None:
            raise fail(
                "INVALID_FIELD",
                f"No such column '{name}' on entity '{obj.name}'. If you are "
                "attempting to use a custom field, be sure to append the '__c' after the "
                "custom field name. Please reference your WSDL or the describe call for the "
                "appropriate names.",
                None,
            )
        chosen.append(f)
    return chosen


@router.patch("/sobjects/{sobject}/{record_id}")
async def update(request: Request, version: str, sobject: str, record_id: str) -> Response:
    org = org_of(request)
    obj = object_or_404(org, sobject)
    if record_id.lower() == "id":
        return responses.json_response(
            [
                {
                    "errorCode": "METHOD_NOT_ALLOWED",
                    "message": "HTTP Method 'PATCH' not allowed. Allowed are GET,HEAD,POST",
                }
            ],
            405,
        )
    normalized = normalized_id_or_404(record_id)
    org.update(normalized, await json_object(request), obj.name, allow_save(request))
    return Response(status_code=204)


@router.delete("/sobjects/{sobject}/{record_id}")
async def delete(request: Request, version: str, sobject: str, record_id: str) -> Response:
    org = org_of(request)
    obj = object_or_404(org, sobject)
    org.delete(normalized_id_or_404(record_id), obj.name)
    return Response(status_code=204)


@router.patch("/sobjects/{sobject}/{field}/{value:path}")
async def upsert(request: Request, version: str, sobject: str, field: str, value: str) -> Response:
    org = org_of(request)
    obj = object_or_404(org, sobject)
    record_id, created = org.upsert(
        obj.name, field, value, await json_object(request), allow_save(request)
    )
    if version_number(version) < UPSERT_CREATED_SINCE:
        if created:
            return responses.json_response(_result(record_id), 201)
        return Response(status_code=204)
    return responses.json_response(_result(record_id, created), 201 if created else 200)


@router.get("/sobjects/{sobject}/{field}/{value:path}")
async def get_by_external_id(
    request: Request, version: str, sobject: str, field: str, value: str
) -> Response:
    org = org_of(request)
    obj = object_or_404(org, sobject)
    if ids.normalize(field) is not None:
        return blob(org.get(field), obj, value)
    record = _single_match(request, obj, field, value)
    fields = requested_fields(obj, request.query_params.get("fields"))
    return responses.json_response(render_record(obj, record, version, fields))


@router.delete("/sobjects/{sobject}/{field}/{value:path}")
async def delete_by_external_id(
    request: Request, version: str, sobject: str, field: str, value: str
) -> Response:
    org = org_of(request)
    obj = object_or_404(org, sobject)
    record = _single_match(request, obj, field, value)
    org.delete(str(record["Id"]), obj.name)
    return Response(status_code=204)


def _single_match(request: Request, obj: ObjectSchema, field: str, value: str) -> dict[str, object]:
    org = org_of(request)
    ext = obj.field(field)
    if ext is None or not (ext.external_id or ext.id_lookup):
        raise fail(
            "NOT_FOUND",
            f"Provided external ID field does not exist or is not accessible: {field}",
            None,
            status=404,
        )
    matches = org.find_by_external_id(obj, ext.name, value)
    if len(matches) > 1:
        raise MultipleMatches(obj.name, [m["Id"] for m in matches])
    if not matches:
        raise not_found()
    return matches[0]


def blob(record: dict[str, object] | None, obj: ObjectSchema, field_name: str) -> Response:
    f = obj.field(field_name)
    if f is None or f.type != "base64":
        raise not_found()
    stored = readable(record, obj)
    return Response(
        base64.b64decode(str(stored.get(f.name) or "")), media_type="application/octetstream"
    )
