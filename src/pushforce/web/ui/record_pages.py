"""Record pages (person, company, deal) with their Salesforce panel: status, link, last push,
the record's sync history, errors with hints, push and retry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from pushforce.store import ListQuery, get_record, list_records, read_connection
from pushforce.store.synclog import entries_of
from pushforce.web.ui.deps import EngineDep, UserDep, ui_router
from pushforce.web.ui.lists import LISTS, ListKind, account_names, display_name
from pushforce.web.ui.render import render
from pushforce.web.ui.sf_status import actor_names, instance_url_of, statuses

router = ui_router()
HISTORY_SIZE = 25
HIDDEN_FIELDS = {"id", "team_id", "custom", "contacts", "account_id", "owner_id"}


def _shown(value: Any) -> Any:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value


def _fields(record: dict[str, Any], owner: str | None) -> list[tuple[str, Any]]:
    shown = [(k, v) for k, v in record.items() if k not in HIDDEN_FIELDS and v not in (None, "")]
    fields = [(k.replace("_", " ").capitalize(), _shown(v)) for k, v in shown]
    return [*fields, ("Owner", owner)] if owner else fields


RELATED_SIZE = 20


def _listed(conn: Connection, team_id: int, kind: str, account_id: int) -> list[dict[str, Any]]:
    query = ListQuery(filters={"account_id": account_id}, sort="name", limit=RELATED_SIZE)
    return list_records(conn, team_id, kind, query).items


def related(conn: Connection, team_id: int, kind: str, record: dict[str, Any]) -> list[Any]:
    """Sections of linked records: a company's people and deals, a deal's people (with role)."""
    if kind == "account":
        people = [(r["id"], display_name("contact", r), r.get("title") or "")
                  for r in _listed(conn, team_id, "contact", record["id"])]  # fmt: skip
        deals = [(r["id"], display_name("deal", r), r.get("stage") or "")
                 for r in _listed(conn, team_id, "deal", record["id"])]  # fmt: skip
        return [("People", "/people", people), ("Deals", "/deals", deals)]
    if kind == "deal":
        roles = {c["contact_id"]: c.get("role") or "" for c in record.get("contacts") or []}
        found = [get_record(conn, team_id, "contact", contact_id) for contact_id in roles]
        rows = [(c["id"], display_name("contact", c), roles[c["id"]]) for c in found if c]
        return [("People", "/people", rows)]
    return []


def _missing(spec: ListKind, record_id: int) -> dict[str, str]:
    return {"title": "Not found", "message": f"No {spec.noun} {record_id} here."}


def _record_page(
    request: Request, engine: Any, user: Any, spec: ListKind, record_id: int
) -> Response:
    with read_connection(engine) as conn:
        record = get_record(conn, user.team_id, spec.kind, record_id)
        if record is None:  # another team's record looks exactly like a missing one
            return render(request, "error.html", _missing(spec, record_id), status=404)
        instance = instance_url_of(conn, user.team_id)
        status = statuses(conn, user.team_id, spec.kind, [record_id], instance)[record_id]
        history = entries_of(
            conn, user.team_id, kind=spec.kind, record_id=record_id, limit=HISTORY_SIZE
        )
        actors = actor_names(conn, user.team_id, history)
        sections = related(conn, user.team_id, spec.kind, record)
        owner_key = f"user:{record.get('owner_id')}"
        owner = actor_names(conn, user.team_id, [{"actor": owner_key}]).get(owner_key)
        account = account_names(conn, user.team_id, {record.get("account_id") or 0})
    context: dict[str, Any] = {
        "section": spec.path[1:],
        "title": display_name(spec.kind, record),
        "spec": spec,
        "record": record,
        "fields": _fields(record, owner),
        "status": status,
        "history": history,
        "actors": actors,
        "related": sections,
        "account_name": account.get(record.get("account_id") or 0),
        "instance_url": instance,
    }
    return render(request, "record.html", context)


def _history(request: Request, engine: Any, user: Any, spec: ListKind, record_id: int) -> Response:
    """The record's sync history alone (refreshed after a push from its page)."""
    with read_connection(engine) as conn:
        if get_record(conn, user.team_id, spec.kind, record_id) is None:  # another team's id
            return render(request, "error.html", _missing(spec, record_id), status=404)
        history = entries_of(conn, user.team_id, kind=spec.kind, record_id=record_id,
                             limit=HISTORY_SIZE)  # fmt: skip
        context = {"history": history, "actors": actor_names(conn, user.team_id, history),
                   "instance_url": instance_url_of(conn, user.team_id)}  # fmt: skip
    return render(request, "fragments/log_table.html", context)


def _register(spec: ListKind) -> None:
    def page(request: Request, record_id: int, engine: EngineDep, user: UserDep) -> Response:
        return _record_page(request, engine, user, spec, record_id)

    def history(request: Request, record_id: int, engine: EngineDep, user: UserDep) -> Response:
        return _history(request, engine, user, spec, record_id)

    path = f"{spec.path}/{{record_id}}"
    router.add_api_route(path, page, methods=["GET"], name=f"record_{spec.kind}")
    router.add_api_route(f"{path}/history", history, methods=["GET"], name=f"log_{spec.kind}")


for _spec in LISTS.values():
    _register(_spec)
