"""Batched SOQL look-ups for matching (R5, R6, R20), each under Salesforce's URI limit.

Look-ups go out as ``GET /services/data/vXX.X/query/?q=<SOQL>`` (simple-salesforce's form,
encoded like ``requests`` does: ``quote_plus``). A request line plus headers may not pass
16,384 bytes (HTTP 414/431, reference §5), so ``IN (…)`` lists are cut into chunks whose whole
URI, measured exactly, stays under a budget that leaves room for the headers.

When the org holds few records of an object, one full scan (2,000 rows per page) costs fewer
calls than many chunked queries; :func:`plan_lookups` picks the cheaper one per look-up.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from math import ceil
from urllib.parse import quote_plus

from pushforce.core.decisions import AccountLookup, Decision, PersonLookup, execution_order

__all__ = [
    "DEFAULT_API_VERSION",
    "DEFAULT_URI_BUDGET",
    "QUERY_PAGE_ROWS",
    "URI_LIMIT",
    "LookupBy",
    "LookupQuery",
    "plan_lookups",
    "query_uri",
    "row_matches",
    "soql_literal",
    "website_domain",
]

URI_LIMIT = 16_384
HEADER_ALLOWANCE = 1_024  # Authorization, Host, User-Agent, Accept, … share the 16 KB (431)
DEFAULT_URI_BUDGET = URI_LIMIT - HEADER_ALLOWANCE
DEFAULT_API_VERSION = "59.0"
QUERY_PAGE_ROWS = 2_000
MATCH_COLUMNS = ("Id", "CreatedDate", "LastModifiedDate")


class LookupBy(StrEnum):
    EMAIL = "email"
    DOMAIN = "domain"
    NAME = "name"


@dataclass(frozen=True, slots=True)
class LookupQuery:
    """One SOQL query. ``keys`` are the values it answers for; a full scan answers for every
    key of its look-up and the engine filters the rows itself. ``reuse_rows``: an earlier
    query has the same SOQL (one Account scan serves domain and name look-ups) — use its rows
    instead of sending it again; it costs no call."""

    sobject: str
    by: LookupBy
    soql: str
    keys: tuple[str, ...]
    full_scan: bool
    estimated_calls: int
    reuse_rows: bool = False


@dataclass(frozen=True, slots=True)
class _Shape:
    """How one kind of look-up is written: ``head`` + one piece per key (joined) + ``tail``."""

    sobject: str
    by: LookupBy
    head: str
    joiner: str
    tail: str
    scan: str

    def piece(self, key: str) -> str:
        if self.by is LookupBy.DOMAIN:
            return f"Website LIKE {soql_literal('%' + _escape_like(key) + '%')}"
        return soql_literal(key)


def query_uri(soql: str, api_version: str = DEFAULT_API_VERSION) -> str:
    """The request target the gateway sends for ``soql`` (path and query string)."""
    return f"/services/data/v{api_version}/query/?q={quote_plus(soql, safe='')}"


def soql_literal(value: str) -> str:
    """A SOQL string literal: backslash escapes for quote, backslash and control characters."""
    escaped = value.translate(_SOQL_ESCAPES)
    return f"'{escaped}'"


_SOQL_ESCAPES = str.maketrans(
    {"\\": "\\\\", "'": "\\'", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    | {"\b": "\\b", "\f": "\\f"}
)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def plan_lookups(
    decisions: Iterable[Decision],
    *,
    org_counts: Mapping[str, int] | None = None,
    extra_columns: Mapping[str, Iterable[str]] | None = None,
    api_version: str = DEFAULT_API_VERSION,
    uri_budget: int = DEFAULT_URI_BUDGET,
) -> tuple[LookupQuery, ...]:
    """Every look-up the decisions need, deduplicated, as the fewest calls.

    ``org_counts`` — records per object in the org (from ``SELECT COUNT()``), when known, to
    weigh a full scan. ``extra_columns`` — more fields to select per object (current values
    for ``fill_if_empty`` writes on a match).
    """
    keys = _collect_keys(decisions)
    counts = org_counts or {}
    queries: list[LookupQuery] = []
    scans: set[str] = set()
    for (sobject, by), values in keys.items():
        columns = _columns(sobject, by, (extra_columns or {}).get(sobject, ()))
        shape = _shape(sobject, by, columns)
        chunked = list(_chunks(shape, values, api_version, uri_budget))
        scan_calls = 0 if shape.scan in scans else _scan_calls(counts.get(sobject))
        if scan_calls is not None and scan_calls < len(chunked):
            reuse = shape.scan in scans
            scans.add(shape.scan)
            scan = LookupQuery(sobject, by, shape.scan, tuple(values), True, scan_calls, reuse)
            queries.append(scan)
        else:
            queries.extend(chunked)
    return tuple(queries)


def _collect_keys(decisions: Iterable[Decision]) -> dict[tuple[str, LookupBy], list[str]]:
    keys: dict[tuple[str, LookupBy], dict[str, None]] = {}
    for decision in decisions:
        for leaf in execution_order(decision):
            lookup = getattr(leaf, "lookup", None)
            for target, key in _keys_of(lookup):
                keys.setdefault(target, {})[key] = None  # dict keeps first-seen order
    return {target: list(values) for target, values in keys.items()}


def _keys_of(lookup: object) -> Iterator[tuple[tuple[str, LookupBy], str]]:
    if isinstance(lookup, PersonLookup) and lookup.email:
        for sobject in lookup.objects:
            yield (sobject, LookupBy.EMAIL), lookup.email.lower()
    elif isinstance(lookup, AccountLookup):
        if lookup.domain:
            yield ("Account", LookupBy.DOMAIN), lookup.domain.lower()
        if lookup.name:
            yield ("Account", LookupBy.NAME), lookup.name


def _columns(sobject: str, by: LookupBy, extra: Iterable[str]) -> tuple[str, ...]:
    key_column = {LookupBy.EMAIL: ("Email",), LookupBy.DOMAIN: ("Name", "Website")}
    wanted = [*MATCH_COLUMNS, *key_column.get(by, ("Name", "Website")), *sorted(extra)]
    return tuple(dict.fromkeys(wanted))


def _shape(sobject: str, by: LookupBy, columns: tuple[str, ...]) -> _Shape:
    select = f"SELECT {', '.join(columns)} FROM {sobject}"
    unconverted = " WHERE IsConverted = false" if sobject == "Lead" else ""
    scan = select + unconverted
    if by is LookupBy.DOMAIN:
        return _Shape(sobject, by, f"{select} WHERE (", " OR ", ")", scan)
    field_name = "Email" if by is LookupBy.EMAIL else "Name"
    where = f"{unconverted} AND " if unconverted else " WHERE "
    return _Shape(sobject, by, f"{select}{where}{field_name} IN (", ", ", ")", scan)


def _chunks(
    shape: _Shape, values: list[str], api_version: str, budget: int
) -> Iterator[LookupQuery]:
    """Greedy packing; URL encoding is per character, so encoded lengths simply add up."""
    fixed = _encoded_len(query_uri(shape.head + shape.tail, api_version), raw=True)
    joiner = _encoded_len(shape.joiner)
    chunk: list[str] = []
    size = fixed
    for value in values:
        piece = _encoded_len(shape.piece(value))
        added = piece + (joiner if chunk else 0)
        if fixed + piece > budget:
            raise ValueError(f"look-up value too long for one query: {value[:80]!r}")
        if size + added > budget:
            yield _query(shape, chunk)
            chunk, size, added = [], fixed, piece
        chunk.append(value)
        size += added
    if chunk:
        yield _query(shape, chunk)


def _query(shape: _Shape, keys: list[str]) -> LookupQuery:
    soql = shape.head + shape.joiner.join(shape.piece(key) for key in keys) + shape.tail
    return LookupQuery(shape.sobject, shape.by, soql, tuple(keys), False, 1)


def _encoded_len(text: str, *, raw: bool = False) -> int:
    return len(text.encode()) if raw else len(quote_plus(text, safe=""))


def _scan_calls(count: int | None) -> int | None:
    if count is None:
        return None
    return max(1, ceil(count / QUERY_PAGE_ROWS))


def row_matches(by: LookupBy, key: str, row: Mapping[str, object]) -> bool:
    """Does a returned row answer ``key``? SOQL compares text case-insensitively and a domain
    LIKE also finds ``notacme.com`` for ``acme.com``, so rows are checked exactly here."""
    if by is LookupBy.EMAIL:
        return _text(row.get("Email")).casefold() == key.casefold()
    if by is LookupBy.NAME:
        return _text(row.get("Name")).casefold() == key.casefold()
    return website_domain(_text(row.get("Website"))) == key.lower()


def website_domain(website: str) -> str:
    """``https://www.Acme.com:443/about`` → ``acme.com`` (docs/records.md's account domain)."""
    host = website.strip().lower().split("://", 1)[-1]
    host = host.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].rstrip(".")
    return host.removeprefix("www.")


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
