"""``/api/v1/salesforce/settings``: the team's push settings, their history and restore (R21).

* ``GET  /salesforce/settings`` — the whole document (defaults for a new team); the version is
  in the ``ETag`` (``"settings-v<n>"``, ``v0`` before the first save).
* ``PUT  /salesforce/settings`` — replace the whole document. Bad input → 422 naming the path of
  every problem, nothing saved. Send ``If-Match: <ETag>`` to refuse (412) a save over a newer
  version than the one you read.
* ``GET  /salesforce/settings/versions`` (newest first, with diffs) and ``…/versions/{n}``.
* ``POST /salesforce/settings/versions/{n}/restore`` — a new version with version n's document.
* ``POST /salesforce/settings/preview-template`` — render a title template with sample values.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Response
from pydantic import BaseModel, Field
from sqlalchemy.engine import Connection, Engine

from pushforce.core.settings import SettingsError
from pushforce.core.templates import VARIABLES, TemplateError, parse, render
from pushforce.store import read_connection, write_transaction
from pushforce.store.settings_repo import (
    SettingsVersion,
    UnknownVersion,
    current_settings,
    get_version,
    list_versions,
    restore_version,
    save_settings,
)
from pushforce.web.api.deps import Caller, current_caller, get_engine
from pushforce.web.errors import ApiError

router = APIRouter(prefix="/salesforce/settings", tags=["settings"])

CallerDep = Annotated[Caller, Depends(current_caller)]
EngineDep = Annotated[Engine, Depends(get_engine)]

SAMPLE_VALUES: dict[str, str] = {
    "subject": "Quarterly review",
    "direction": "outgoing",
    "sender_name": "Riley Rep",
    "sender_email": "riley@pushforce.example.com",
    "recipient_name": "Jane Doe",
    "contact_name": "Jane Doe",
    "account_name": "Acme Corp",
    "deal_name": "Acme Corp – Expansion",
    "task_type": "Call",
    "task_title": "Follow up on pricing",
    "call_disposition": "Connected",
    "call_purpose": "Discovery",
    "duration": "12 min",
    "meeting_title": "Kick-off",
    "date": "2026-01-05",
    "owner_name": "Riley Rep",
}


class Change(BaseModel):
    path: str
    old: Any
    new: Any


class VersionOut(BaseModel):
    version: int
    author_user_id: int | None
    author: str | None
    created_at: datetime
    restored_from: int | None = Field(description="the version this one restored, if any")
    changes: list[Change]
    summary: list[str] = Field(description="the diff as readable lines: 'path: old → new'")


class VersionWithDocument(VersionOut):
    settings: dict[str, Any]


class TemplatePreviewIn(BaseModel):
    template: str
    values: dict[str, str | int | float | None] | None = Field(
        default=None, description="values by variable name; omitted: sample values"
    )


class TemplatePreviewOut(BaseModel):
    text: str
    variables: list[str]


def etag(version: int | None) -> str:
    return f'"settings-v{version or 0}"'


@router.get("", summary="The team's push settings (the whole document)")
def get_settings(caller: CallerDep, engine: EngineDep, response: Response) -> dict[str, Any]:
    with read_connection(engine) as conn:
        settings, version = current_settings(conn, caller.team_id)
    response.headers["ETag"] = etag(version)
    return settings.model_dump(mode="json")


@router.put("", summary="Replace the push settings (a new version)")
def put_settings(
    caller: CallerDep,
    engine: EngineDep,
    response: Response,
    document: Annotated[dict[str, Any], Body(description="the whole settings document")],
    if_match: Annotated[str | None, Header()] = None,
) -> VersionWithDocument:
    with write_transaction(engine) as conn:
        _check_precondition(conn, caller.team_id, if_match)
        saved = _saving(lambda: save_settings(conn, caller.team_id, document, caller.user_id))
    response.headers["ETag"] = etag(saved.version)
    return _with_document(saved)


@router.get("/versions", summary="Every saved version, newest first, with its diff")
def versions(caller: CallerDep, engine: EngineDep) -> list[VersionOut]:
    with read_connection(engine) as conn:
        return [_out(found) for found in list_versions(conn, caller.team_id)]


@router.get("/versions/{version}", summary="One saved version with its document")
def version(version: int, caller: CallerDep, engine: EngineDep) -> VersionWithDocument:
    with read_connection(engine) as conn:
        found = get_version(conn, caller.team_id, version)
    if found is None:
        raise _no_version(version)
    return _with_document(found)


@router.post("/versions/{version}/restore", summary="Restore a version (saved as a new one)")
def restore(
    version: int, caller: CallerDep, engine: EngineDep, response: Response
) -> VersionWithDocument:
    with write_transaction(engine) as conn:
        saved = _saving(lambda: restore_version(conn, caller.team_id, version, caller.user_id))
    response.headers["ETag"] = etag(saved.version)
    return _with_document(saved)


@router.post("/preview-template", summary="Render a title template with sample values")
def preview_template(body: TemplatePreviewIn, caller: CallerDep) -> TemplatePreviewOut:
    unknown = sorted(set(body.values or {}) - VARIABLES)
    if unknown:
        raise ApiError(422, f"body.values.{unknown[0]}", f"unknown variable '{unknown[0]}'")
    try:
        template = parse(body.template)
    except TemplateError as error:
        raise ApiError(422, "body.template", str(error)) from None
    values = SAMPLE_VALUES if body.values is None else body.values
    return TemplatePreviewOut(text=render(template, values), variables=sorted(template.names))


def _saving(save: Any) -> SettingsVersion:
    try:
        saved: SettingsVersion = save()
    except SettingsError as error:
        raise _invalid(error) from None
    except UnknownVersion as error:
        raise _no_version(error.version) from None
    return saved


def _check_precondition(conn: Connection, team_id: int, if_match: str | None) -> None:
    if if_match is None or if_match.strip() == "*":
        return
    _, version = current_settings(conn, team_id)
    if if_match.strip().removeprefix("W/") != etag(version):
        message = f"the settings changed since you read them (now {etag(version)}); read again"
        raise ApiError(412, "header.if-match", message)


def _invalid(error: SettingsError) -> ApiError:
    api_error = ApiError(422, None, str(error))
    api_error.errors = [
        {"path": f"body.{problem.path}", "message": problem.message} for problem in error.problems
    ]
    return api_error


def _no_version(version: int) -> ApiError:
    return ApiError(404, "path.version", f"the team has no settings version {version}")


def _out(found: SettingsVersion) -> VersionOut:
    return VersionOut.model_validate(found.as_json())


def _with_document(found: SettingsVersion) -> VersionWithDocument:
    return VersionWithDocument.model_validate(found.as_json(with_document=True))
