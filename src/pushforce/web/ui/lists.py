"""People, Companies and Deals lists: search, "Saved", stage filter, Salesforce status, paging.

The search form is a GET form (works without JavaScript); with htmx it swaps only the table and
keeps the URL in step. Every query is the store's ``list_records`` scoped to the user's team.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Query, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from pushforce.store import ListQuery, list_records, read_connection
from pushforce.store.errors import StoreError
from pushforce.store.schema import accounts
from pushforce.store.stages import stage_names
from pushforce.web.ui.deps import EngineDep, UserDep, ui_router
from pushforce.web.ui.render import is_htmx, render
from pushforce.web.ui.sf_status import instance_url_of, statuses

router = ui_router()
PAGE_SIZE = 50


@dataclass(frozen=True)
class ListKind:
    kind: str  # the record kind (records.md)
    path: str  # /people …
    title: str
    noun: str  # "person" — used in labels
    sorts: tuple[tuple[str, str], ...]
    importable: bool


LISTS = {
    "people": ListKind(
        "contact",
        "/people",
        "People",
        "person",
        (("-created_at", "Newest"), ("name", "Name")),
        True,
    ),
    "companies": ListKind(
        "account",
        "/companies",
        "Companies",
        "company",
        (("-created_at", "Newest"), ("name", "Name")),
        True,
    ),
    "deals": ListKind(
        "deal",
        "/deals",
        "Deals",
        "deal",
        (("-created_at", "Newest"), ("name", "Name"), ("close_date", "Close date")),
        False,
    ),
}
BY_KIND = {spec.kind: spec for spec in LISTS.values()}


def display_name(kind: str, record: dict[str, Any]) -> str:
    if kind == "contact":
        full = " ".join(p for p in (record.get("first_name"), record.get("last_name")) if p)
        return full or record.get("email") or f"Person {record['id']}"
    return str(record.get("name") or f"{kind.title()} {record['id']}")


def account_names(conn: Connection, team_id: int, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = sa.select(accounts.c.id, accounts.c.name).where(
        accounts.c.team_id == team_id, accounts.c.id.in_(ids)
    )
    return {row.id: row.name for row in conn.execute(query)}


def _query(kind: str, q: str, saved: str, stage: str, sort: str, cursor: str | None) -> ListQuery:
    filters = {"saved": True} if saved == "1" and kind != "deal" else {}
    return ListQuery(
        q=q or None, stage=stage or None, filters=filters, sort=sort, limit=PAGE_SIZE, cursor=cursor
    )


def _rows(conn: Connection, team_id: int, kind: str, items: list[dict[str, Any]]) -> list[Any]:
    """Each listed record with its display name, Salesforce status and company name."""
    ids = [r["id"] for r in items]
    found = statuses(conn, team_id, kind, ids, instance_url_of(conn, team_id))
    names = account_names(conn, team_id, {r["account_id"] for r in items if r.get("account_id")})
    return [
        {"record": r, "name": display_name(kind, r), "status": found[r["id"]],
         "account_name": names.get(r.get("account_id") or 0)}
        for r in items
    ]  # fmt: skip


def _list_page(
    request: Request, engine: Any, user: Any, spec: ListKind, params: dict[str, Any]
) -> Response:
    sort = params["sort"] if params["sort"] in dict(spec.sorts) else spec.sorts[0][0]
    query = _query(spec.kind, params["q"], params["saved"], params["stage"], sort, params["cursor"])
    page, error = None, None
    with read_connection(engine) as conn:
        try:
            page = list_records(conn, user.team_id, spec.kind, query)
        except StoreError as problem:
            error = str(problem)
        rows = _rows(conn, user.team_id, spec.kind, page.items if page is not None else [])
        stages = stage_names(conn, user.team_id, spec.kind)
    context = {
        "section": spec.path[1:],
        "title": spec.title,
        "spec": spec,
        "rows": rows,
        "params": {**params, "sort": sort},
        "stages": stages,
        "next_cursor": page.next_cursor if page is not None else None,
        "error": error,
    }
    template = "fragments/list_table.html" if is_htmx(request) else "list.html"
    return render(request, template, context, status=422 if error else 200)


def _params(q: str, saved: str, stage: str, sort: str, cursor: str | None) -> dict[str, Any]:
    return {"q": q, "saved": saved, "stage": stage, "sort": sort, "cursor": cursor}


Text = Annotated[str, Query(max_length=200)]


def _register(name: str, spec: ListKind) -> None:
    def listing(
        request: Request,
        engine: EngineDep,
        user: UserDep,
        q: Text = "",
        saved: Text = "",
        stage: Text = "",
        sort: Text = "",
        cursor: Annotated[str | None, Query(max_length=500)] = None,
    ) -> Response:
        return _list_page(request, engine, user, spec, _params(q, saved, stage, sort, cursor))

    router.add_api_route(spec.path, listing, methods=["GET"], name=f"list_{name}")


for _name, _spec in LISTS.items():
    _register(_name, _spec)
