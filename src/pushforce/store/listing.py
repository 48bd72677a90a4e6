"""Listing records: search, filters, sort and opaque keyset cursors.

``list_records(conn, team_id, kind, ListQuery(...)) -> Page(items, next_cursor)``.

* ``q`` — case-insensitive substring of the kind's search columns (name, email, domain, …).
* ``stage`` — a stage name; ``filters`` — equality on columns (``owner_id``, ``saved``,
  ``account_id``, ``contact_id``, ``deal_id`` …) that the kind has.
* ``sort`` — a sort name, ``-`` for descending (``name``, ``-created_at`` …); ties broken by id.
* ``cursor`` — from a previous page of the *same* sort; pages by keyset (no OFFSET), so paging
  stays fast and stable while rows are added.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pushforce.store.dialect import icontains
from pushforce.store.errors import InvalidListQuery, UnknownStage
from pushforce.store.kinds import KindSpec, search_column, spec_for
from pushforce.store.records import attach_deal_contacts, record_select
from pushforce.store.stages import resolve_stage

MAX_LIMIT = 500
SORT_KEY = "_sort"


@dataclass(frozen=True)
class ListQuery:
    q: str | None = None
    stage: str | None = None
    filters: Mapping[str, Any] = field(default_factory=dict[str, Any])
    sort: str = "-created_at"
    limit: int = 50
    cursor: str | None = None


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


def list_records(conn: Connection, team_id: int, kind: str, query: ListQuery) -> Page:
    spec = spec_for(kind)
    if not 1 <= query.limit <= MAX_LIMIT:
        raise InvalidListQuery("limit", f"must be between 1 and {MAX_LIMIT}")
    sort_name, descending, sort_expr = _parse_sort(spec, query.sort)
    statement = record_select(spec).add_columns(sort_expr.label(SORT_KEY))
    statement = statement.where(spec.table.c.team_id == team_id)
    statement = statement.where(*_conditions(conn, team_id, spec, query))
    if query.cursor:
        value, last_id = decode_cursor(query.cursor, sort_name, sort_expr.type.python_type)
        statement = statement.where(_after(sort_expr, spec.table.c.id, value, last_id, descending))
    order = (
        (sort_expr.desc(), spec.table.c.id.desc()) if descending else (sort_expr, spec.table.c.id)
    )
    rows = list(conn.execute(statement.order_by(*order).limit(query.limit + 1)).mappings())
    page, more = rows[: query.limit], len(rows) > query.limit
    next_cursor = encode_cursor(sort_name, page[-1][SORT_KEY], page[-1]["id"]) if more else None
    items = [{k: v for k, v in row.items() if k != SORT_KEY} for row in page]
    return Page(attach_deal_contacts(conn, kind, items), next_cursor)


def _parse_sort(spec: KindSpec, sort: str) -> tuple[str, bool, Any]:
    name = sort.removeprefix("-")
    expression = spec.sort_expression(name)
    if expression is None:
        allowed = ", ".join(spec.sort_names())
        raise InvalidListQuery(
            "sort",
            f"{spec.kind}s cannot be sorted by {name!r} "
            f"(sorts: {allowed}; prefix - for descending)",
        )
    return sort, sort.startswith("-"), expression


def _conditions(conn: Connection, team_id: int, spec: KindSpec, query: ListQuery) -> list[Any]:
    conditions = [_equals(spec, name, value) for name, value in query.filters.items()]
    if query.stage is not None:
        stage_id = _stage_filter(conn, team_id, spec, query.stage)
        conditions.append(spec.table.c.stage_id == stage_id)
    if query.q and query.q.strip():
        text = query.q.strip()
        conditions.append(
            sa.or_(*(icontains(conn, search_column(spec, c), text) for c in spec.search))
        )
    return conditions


def _equals(spec: KindSpec, name: str, value: Any) -> Any:
    if name not in spec.table.c or name in {"id", "team_id", "stage_id"}:
        raise InvalidListQuery(name, f"{spec.kind}s cannot be filtered by {name}")
    return spec.table.c[name] == value


def _stage_filter(conn: Connection, team_id: int, spec: KindSpec, name: str) -> int:
    if spec.stage_object is None:
        raise InvalidListQuery("stage", f"{spec.kind}s have no stage")
    stage_id = resolve_stage(conn, team_id, spec.stage_object, name)
    if stage_id is None:
        raise UnknownStage("stage", f"the team has no {spec.stage_object} stage {name!r}")
    return stage_id


def _after(sort_expr: Any, id_column: Any, value: Any, last_id: int, descending: bool) -> Any:
    """Rows after the cursor, as one row-value comparison so the (team, key, id) index serves."""
    key, cursor = (
        sa.tuple_(sort_expr, id_column),
        sa.tuple_(sa.literal(value, sort_expr.type), last_id),
    )
    return key < cursor if descending else key > cursor


# ---- cursors ---------------------------------------------------------------------------------


def _tag(value: Any) -> list[Any]:
    if isinstance(value, datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, Decimal):
        return ["dec", str(value)]
    return ["v", value]


def _untag(tagged: list[Any]) -> Any:
    kind, raw = tagged
    parsers: dict[str, Any] = {
        "v": lambda value: value,
        "dt": datetime.fromisoformat,
        "d": date.fromisoformat,
        "dec": Decimal,
    }
    return parsers[kind](raw)


def encode_cursor(sort: str, value: Any, last_id: int) -> str:
    payload = json.dumps({"s": sort, "k": _tag(value), "i": last_id}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str, expected: type = object) -> tuple[Any, int]:
    """The (sort value, id) a cursor continues after; refused unless it is well-formed, of this
    sort and its value of the sort key's type (a crafted cursor must not reach the SQL)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        value, last_id, cursor_sort = _untag(payload["k"]), payload["i"], payload["s"]
    except (ValueError, KeyError, TypeError, binascii.Error, ArithmeticError) as error:
        raise InvalidListQuery("cursor", "is not a cursor returned by this list") from error
    if cursor_sort != sort:
        raise InvalidListQuery("cursor", f"belongs to sort {cursor_sort!r}, not {sort!r}")
    if not (_fits(last_id, int) and _fits(value, expected)):
        raise InvalidListQuery("cursor", "is not a cursor returned by this list")
    return value, last_id


def _fits(value: Any, expected: type) -> bool:
    if isinstance(value, bool) or (expected is date and isinstance(value, datetime)):
        return False
    if isinstance(value, datetime):
        return value.tzinfo is not None and expected in (datetime, object)
    if isinstance(value, int):
        return -(2**63) <= value < 2**63 and expected in (int, object)
    if isinstance(value, str):
        return "\x00" not in value and expected in (str, object)
    if isinstance(value, Decimal):
        return value.is_finite() and expected in (Decimal, object)
    return isinstance(value, date) and expected in (date, object)
