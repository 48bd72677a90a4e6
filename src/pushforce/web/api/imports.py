"""``POST /api/v1/contacts/import`` and ``/accounts/import``: CSV upload → import report.

The file is a multipart upload (``file``); ``column_map`` (optional form field) is a JSON object
``{"Header": "field"}`` overriding header recognition. The answer is the report: counts and the
per-row errors ``{row, column, reason}``; ``?format=csv`` answers the errors as a CSV file
instead (written formula-injection-safe). Uploads are capped at :data:`MAX_UPLOAD_BYTES`; larger
files go through ``pushforce import``, which streams any size.
"""

from __future__ import annotations

import io
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.engine import Engine

from pushforce import csv_safe
from pushforce.importing.headers import Kind
from pushforce.importing.pipeline import ImportFileError
from pushforce.importing.report import ImportReport
from pushforce.importing.service import import_csv
from pushforce.web.api.deps import Caller, current_caller, get_engine
from pushforce.web.errors import ApiError

MAX_UPLOAD_BYTES = 25 * 1024 * 1024

router = APIRouter()


class RowErrorOut(BaseModel):
    row: int
    column: str | None
    reason: str


class ImportReportOut(BaseModel):
    kind: Literal["contacts", "accounts"]
    rows: int
    created: int
    updated: int
    unchanged: int
    failed: int
    accounts_created: int
    accounts_updated: int
    errors: list[RowErrorOut]
    errors_not_listed: int
    notes: list[str]


def _column_map(text: str | None) -> dict[str, str]:
    if not text:
        return {}
    try:
        parsed: Any = json.loads(text)
    except json.JSONDecodeError:
        raise ApiError(422, "body.column_map", "must be a JSON object") from None
    if not isinstance(parsed, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in parsed.items()
    ):
        raise ApiError(422, "body.column_map", 'must map headers to fields: {"Header": "field"}')
    return parsed


def _check_size(file: UploadFile) -> None:
    size = file.size
    if size is None:
        file.file.seek(0, io.SEEK_END)
        size = file.file.tell()
        file.file.seek(0)
    if size > MAX_UPLOAD_BYTES:
        message = f"the file is {size} bytes; uploads are capped at {MAX_UPLOAD_BYTES} bytes"
        raise ApiError(413, "body.file", message + " (use `pushforce import` for larger files)")


def errors_csv(report: ImportReport) -> str:
    out = io.StringIO()
    rows = [(error.row, error.column, error.reason) for error in report.errors]
    csv_safe.write_rows(out, ["row", "column", "reason"], rows)
    return out.getvalue()


def _run(kind: Kind, file: UploadFile, column_map: str | None, caller: Caller, engine: Engine,
         format: str) -> ImportReportOut | Response:  # fmt: skip
    _check_size(file)
    mapping = _column_map(column_map)
    try:
        report = import_csv(engine, caller.team_id, kind, file.file, mapping)
    except ImportFileError as exc:
        raise ApiError(422, "body.file", str(exc)) from None
    if format == "csv":
        headers = {"Content-Disposition": f'attachment; filename="{kind}-import-errors.csv"'}
        return Response(errors_csv(report), media_type="text/csv", headers=headers)
    return ImportReportOut.model_validate(report.to_dict())


FileParam = Annotated[UploadFile, File(description="The CSV file (UTF-8; Windows-1252 is read)")]
MapParam = Annotated[
    str | None,
    Form(description='JSON object mapping file headers to fields, e.g. {"Surname": "last_name"}'),
]
FormatParam = Annotated[
    Literal["json", "csv"], Query(description="`csv`: answer the per-row errors as a CSV file")
]
CallerParam = Annotated[Caller, Depends(current_caller)]
EngineParam = Annotated[Engine, Depends(get_engine)]


def _add_import_route(kind: Kind, summary: str) -> None:
    def endpoint(
        file: FileParam,
        caller: CallerParam,
        engine: EngineParam,
        column_map: MapParam = None,
        format: FormatParam = "json",
    ) -> ImportReportOut | Response:
        return _run(kind, file, column_map, caller, engine, format)

    router.add_api_route(
        f"/{kind}/import",
        endpoint,
        methods=["POST"],
        name=f"import_{kind}",
        tags=[kind],
        response_model=ImportReportOut,
        summary=summary,
    )


_add_import_route("contacts", "Import contacts (and their companies) from a CSV file")
_add_import_route("accounts", "Import accounts (companies) from a CSV file")
