"""Generic create / read / update / delete / list routes for one record kind.

``add_record_routes(router, kind, plural)`` adds, under ``/<plural>``: ``POST`` (201),
``GET`` (list: ``q``, ``stage``, ``owner_id``, ``saved``, ``account_id``, ``contact_id``,
``deal_id``, ``sort``, ``limit``, ``cursor`` → ``{"items", "next_cursor"}``), and
``GET`` / ``PATCH`` / ``DELETE`` on ``/<plural>/{record_id}``. Every route is scoped to the
caller's team; another team's id answers 404, another team's reference in a body answers 422.
"""

# No ``from __future__ import annotations`` here: FastAPI reads these routes' annotations at
# runtime, and they name models chosen per kind.

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from pydantic_core import to_jsonable_python
from sqlalchemy.engine import Engine

from pushforce.inputs import KIND_MODELS, check_update
from pushforce.store import (
    DuplicateRecord,
    ListQuery,
    StoreError,
    delete_record,
    get_record,
    insert_record,
    list_records,
    read_connection,
    update_record,
    write_transaction,
)
from pushforce.web.api.deps import Caller, current_caller, get_engine
from pushforce.web.api.outputs import output_models
from pushforce.web.errors import ApiError, validation_errors

MAX_ID = 2**63 - 1
RecordId = Annotated[int, Path(ge=1, le=MAX_ID, description="The record's id")]
CallerDep = Annotated[Caller, Depends(current_caller)]
EngineDep = Annotated[Engine, Depends(get_engine)]
FILTERS = ("owner_id", "saved", "account_id", "contact_id", "deal_id")


@contextmanager
def store_errors(location: str) -> Iterator[None]:
    """Store input errors → 422 (409 for duplicates) at ``<location>.<field>``."""
    try:
        yield
    except StoreError as error:
        status = 409 if isinstance(error, DuplicateRecord) else 422
        raise ApiError(status, f"{location}.{error.field}", error.message) from error


def record_json(record: dict[str, Any], status: int = 200) -> JSONResponse:
    public = {key: value for key, value in record.items() if key != "team_id"}
    return JSONResponse(to_jsonable_python(public), status_code=status)


def not_found(kind: str, record_id: int) -> ApiError:
    return ApiError(404, "path.record_id", f"there is no {kind} {record_id} in this team")


def _check_whole_record(kind: str, current: dict[str, Any], changes: dict[str, Any]) -> None:
    try:
        check_update(kind, current, changes)
    except ValidationError as error:
        raise ApiError.from_errors(422, validation_errors(error.errors(), ("body",))) from error


def list_query(
    q: Annotated[
        str | None, Query(max_length=200, description="Search name, email or domain")
    ] = None,
    stage: Annotated[str | None, Query(max_length=255, description="A stage name")] = None,
    owner_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    saved: Annotated[bool | None, Query()] = None,
    account_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    contact_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    deal_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    sort: Annotated[
        str, Query(max_length=40, description="e.g. name, -created_at")
    ] = "-created_at",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[
        str | None, Query(max_length=2000, description="next_cursor of the previous page")
    ] = None,
) -> ListQuery:
    values = dict(
        owner_id=owner_id,
        saved=saved,
        account_id=account_id,
        contact_id=contact_id,
        deal_id=deal_id,
    )
    filters = {name: value for name, value in values.items() if value is not None}
    for name, text in (("q", q), ("stage", stage), ("sort", sort), ("cursor", cursor)):
        if text is not None and "\x00" in text:
            raise ApiError(422, f"query.{name}", "must not contain NUL characters")
    return ListQuery(q=q, stage=stage, filters=filters, sort=sort, limit=limit, cursor=cursor)


def add_record_routes(router: APIRouter, kind: str, plural: str) -> None:
    create_model, patch_model = KIND_MODELS[kind]
    out_model, page_model = output_models(kind)

    @router.post(
        f"/{plural}",
        status_code=201,
        tags=[plural],
        response_model=out_model,
        summary=f"Create a {kind}",
    )
    def create(payload: create_model, caller: CallerDep, engine: EngineDep) -> Any:  # type: ignore[valid-type]
        with store_errors("body"), write_transaction(engine) as conn:
            record = insert_record(conn, caller.team_id, kind, payload.model_dump())  # type: ignore[attr-defined]
        return record_json(record, 201)

    @router.get(f"/{plural}", tags=[plural], response_model=page_model, summary=f"List {plural}")
    def list_(
        query: Annotated[ListQuery, Depends(list_query)], caller: CallerDep, engine: EngineDep
    ) -> Any:
        with store_errors("query"), read_connection(engine) as conn:
            page = list_records(conn, caller.team_id, kind, query)
        items = [{k: v for k, v in item.items() if k != "team_id"} for item in page.items]
        return JSONResponse(to_jsonable_python({"items": items, "next_cursor": page.next_cursor}))

    @router.get(
        f"/{plural}/{{record_id}}",
        tags=[plural],
        response_model=out_model,
        summary=f"Read a {kind}",
    )
    def read(record_id: RecordId, caller: CallerDep, engine: EngineDep) -> Any:
        with read_connection(engine) as conn:
            record = get_record(conn, caller.team_id, kind, record_id)
        if record is None:
            raise not_found(kind, record_id)
        return record_json(record)

    @router.patch(
        f"/{plural}/{{record_id}}",
        tags=[plural],
        response_model=out_model,
        summary=f"Update a {kind}",
    )
    def update(
        record_id: RecordId,
        payload: patch_model,  # type: ignore[valid-type]
        caller: CallerDep,
        engine: EngineDep,
    ) -> Any:
        changes = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        with store_errors("body"), write_transaction(engine) as conn:
            current = get_record(conn, caller.team_id, kind, record_id)
            if current is None:
                raise not_found(kind, record_id)
            _check_whole_record(kind, current, changes)
            record = update_record(conn, caller.team_id, kind, record_id, changes)
        assert record is not None, "the row is locked by this transaction"
        return record_json(record)

    @router.delete(
        f"/{plural}/{{record_id}}", status_code=204, tags=[plural], summary=f"Delete a {kind}"
    )
    def delete(record_id: RecordId, caller: CallerDep, engine: EngineDep) -> Response:
        with write_transaction(engine) as conn:
            deleted = delete_record(conn, caller.team_id, kind, record_id)
        if not deleted:
            raise not_found(kind, record_id)
        return Response(status_code=204)
