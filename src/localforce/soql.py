"""Run a SOQL query against an org: parse, bind, pick rows (by index when it can), sort, slice.

The org is read through four calls only (``schema``, ``scan``, ``lookup``, ``get``); a WHERE
whose top-level conjunct is ``Field = x`` or ``Field IN (...)`` on an indexed field reads just
the matching records, so a 200-value ``Email IN (...)`` costs the same at any org size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from localforce.soql_ast import (
    Compare,
    Count,
    FieldRef,
    InList,
    OrderItem,
    Query,
    SoqlError,
    located_error,
)
from localforce.soql_fields import Binder, FieldPath, Projection, Record
from localforce.soql_filter import ID_TYPES, FilterCompiler, index_probes, record_key
from localforce.soql_parser import parse

MAX_OFFSET = 2000


class QueryableOrg(Protocol):
    schema: Any

    def now(self) -> Any: ...

    def get(self, record_id: str) -> Record | None: ...

    def scan(self, sobject: str, include_deleted: bool = False) -> Iterable[Record]: ...

    def lookup(
        self, sobject: str, field: str, values: Iterable[object], include_deleted: bool = False
    ) -> list[Record] | None: ...


@dataclass
class QueryResult:
    """All rows of a query; ``render(row, api_version)`` turns one into its JSON form."""

    sobject: str
    total_size: int
    rows: list[Record]
    render: Callable[[Record, str], Record]
    columns: list[tuple[str, ...]] = field(default_factory=list)  # canonical select paths


@dataclass
class _Plan:
    """A query bound to the schema: every name checked, the WHERE compiled, no rows read yet."""

    query: Query
    binder: Binder
    root: Any
    counts: list[Count]
    paths: list[FieldPath]
    keep: Callable[[Record], bool] | None


def _plan(org: QueryableOrg, text: str) -> _Plan:
    query = parse(text)
    binder = Binder(org, text, query.alias)
    root = binder.sobject(query.sobject, query.sobject_pos)
    _check_offset(query)
    counts = [item for item in query.items if isinstance(item, Count)]
    fields = [item for item in query.items if isinstance(item, FieldRef)]
    _check_counts(query, counts, fields)
    paths = [binder.path(root, f) for f in fields]
    for count in counts:
        if count.field is not None:
            binder.path(root, count.field)
    for item in query.order:
        binder.path(root, item.field)
    keep = None
    if query.where is not None:
        keep = FilterCompiler(binder, root, org.now().date()).compile(query.where)
    return _Plan(query, binder, root, counts, paths, keep)


def validate(org: QueryableOrg, text: str) -> str:
    """The queried object's name, or the SoqlError `execute` would raise (reads no rows)."""
    return str(_plan(org, text).root.name)


def execute(org: QueryableOrg, text: str, include_deleted: bool = False) -> QueryResult:
    plan = _plan(org, text)
    query, binder, root = plan.query, plan.binder, plan.root
    rows = _matching_rows(org, plan, include_deleted)
    if query.order:
        rows = _sorted(binder, root, rows, query.order)
    rows = rows[query.offset or 0 :]
    if query.limit is not None:
        rows = rows[: query.limit]
    if plan.counts:
        return _count_result(binder, root, plan.counts, rows)
    projection = Projection(binder, root.name, plan.paths)
    columns = [(*(h.relationship for h in p.hops), p.leaf) for p in plan.paths]
    return QueryResult(root.name, len(rows), rows, projection.render, list(dict.fromkeys(columns)))


def _matching_rows(org: QueryableOrg, plan: _Plan, include_deleted: bool) -> list[Record]:
    indexed = _indexed_candidates(org, plan.binder, plan.root, plan.query, include_deleted)
    candidates: Iterable[Record] = (
        indexed
        if indexed is not None
        else org.scan(plan.root.name, include_deleted=include_deleted)
    )
    keep = plan.keep
    if keep is None:
        return list(candidates)
    return [record for record in candidates if keep(record)]


def _indexed_candidates(
    org: QueryableOrg, binder: Binder, root: Any, query: Query, include_deleted: bool
) -> list[Record] | None:
    compiler = FilterCompiler(binder, root, org.now().date())
    for probe in index_probes(query.where):
        assert isinstance(probe, InList | Compare)
        path, _ = compiler.bind(probe.field)
        if path.hops:
            continue
        literals = probe.values if isinstance(probe, InList) else (probe.value,)
        values = [_probe_value(compiler, path, literal) for literal in literals]
        found = org.lookup(root.name, path.leaf, values, include_deleted=include_deleted)
        if found is not None:
            return list({record["Id"]: record for record in found}.values())
    return None


def _probe_value(compiler: FilterCompiler, path: Any, literal: Any) -> object:
    # Ids go to the index in canonical 18-char form; text goes as written (indexes fold case).
    key = compiler.literal_key(path, literal)
    return key if path.type in ID_TYPES else literal.value


def _sorted(
    binder: Binder, root: Any, rows: list[Record], order: tuple[OrderItem, ...]
) -> list[Record]:
    result = list(rows)
    for item in reversed(order):  # stable sorts, least significant key first
        path = binder.path(root, item.field)
        get, norm = binder.getter(path), record_key(path.type)
        null_rank = 0 if item.nulls_first != item.descending else 2

        def key(
            record: Record, get: Any = get, norm: Any = norm, null_rank: int = null_rank
        ) -> Any:
            value = get(record)
            return (null_rank, 0) if value is None else (1, norm(value))

        result.sort(key=key, reverse=item.descending)
    return result


def _check_offset(query: Query) -> None:
    if query.offset is not None and query.offset > MAX_OFFSET:
        raise SoqlError("NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed is 2000")


def _check_counts(query: Query, counts: list[Count], fields: list[FieldRef]) -> None:
    if not counts:
        return
    bare = [c for c in counts if c.field is None]
    if bare and len(query.items) > 1:
        raise located_error(
            "MALFORMED_QUERY",
            query.text,
            bare[0].pos,
            "COUNT() must be the only element in the SELECT list",
        )
    if bare and query.order:
        raise located_error(
            "MALFORMED_QUERY",
            query.text,
            query.order[0].field.pos,
            "ORDER BY is not allowed with COUNT()",
        )
    if fields:
        raise located_error(
            "MALFORMED_QUERY",
            query.text,
            fields[0].pos,
            f"Field must be grouped or aggregated: {fields[0].text}",
        )


def _count_result(
    binder: Binder, root: Any, counts: list[Count], rows: list[Record]
) -> QueryResult:
    if counts[0].field is None:
        return QueryResult(root.name, len(rows), [], lambda row, version: row)
    aggregate: Record = {"attributes": {"type": "AggregateResult"}}
    for index, count in enumerate(counts):
        get = binder.getter(binder.path(root, count.field))  # type: ignore[arg-type]
        aggregate[count.alias or f"expr{index}"] = sum(1 for r in rows if get(r) is not None)
    return QueryResult(root.name, 1, [aggregate], lambda row, version: row)
