"""SOQL text → :class:`soql_ast.Query`, with Salesforce's MALFORMED_QUERY errors.

The grammar lives in ``soql.lark`` (package data); it is compiled once, LALR, so a 200-value
``IN (...)`` list parses in well under a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from typing import Any

from lark import Lark, Token, Transformer, UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.exceptions import VisitError

from localforce.soql_ast import (
    And,
    Compare,
    Count,
    FieldRef,
    InList,
    Like,
    Literal,
    Not,
    Or,
    OrderItem,
    Pos,
    Query,
    SoqlError,
    located_error,
)
from localforce.soql_lists import ListFolding

MAX_QUERY_CHARS = 100_000
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


@cache
def _lark() -> Lark:
    grammar = resources.files("localforce").joinpath("soql.lark").read_text("utf-8")
    return Lark(grammar, parser="lalr", maybe_placeholders=False)


def parse(text: str) -> Query:
    if len(text) > MAX_QUERY_CHARS:
        raise SoqlError(
            "MALFORMED_QUERY", "SOQL statements cannot be longer than 100,000 characters."
        )
    folding = ListFolding(text, unescape)
    try:
        tree = _lark().parse(folding.text)
    except UnexpectedInput as exc:
        raise _syntax_error(text, exc) from None
    try:
        query: Query = _ToQuery(text, folding).transform(tree)
        return query
    except VisitError as exc:
        if isinstance(exc.orig_exc, SoqlError):
            raise exc.orig_exc from None
        raise


def _syntax_error(text: str, exc: UnexpectedInput) -> SoqlError:
    if isinstance(exc, UnexpectedCharacters):
        at = exc.pos_in_stream or 0
        shown = text[at] if at < len(text) else "<EOF>"
        return located_error(
            "MALFORMED_QUERY", text, Pos(exc.line, exc.column), f"unexpected token: '{shown}'"
        )
    token = exc.token if isinstance(exc, UnexpectedToken) else None
    if token is None or token.type == "$END":
        return located_error("MALFORMED_QUERY", text, _end_pos(text), "unexpected token: '<EOF>'")
    return located_error(
        "MALFORMED_QUERY", text, Pos(token.line, token.column), f"unexpected token: '{token}'"
    )


def _end_pos(text: str) -> Pos:
    rows = text.rstrip().split("\n")
    return Pos(len(rows), len(rows[-1]) + 1)


def _pos(token: Token) -> Pos:
    return Pos(token.line or 1, token.column or 1)


def unescape(raw: str) -> str:
    """The value of a quoted SOQL string literal (``\\'``, ``\\\\``, ``\\n``… escapes)."""
    if "\\" not in raw:
        return raw[1:-1]
    out, chars = [], iter(raw[1:-1])
    for char in chars:
        if char == "\\":
            nxt = next(chars, "")
            out.append(_ESCAPES.get(nxt, nxt))
        else:
            out.append(char)
    return "".join(out)


def format_datetime(moment: datetime) -> str:
    """Salesforce's wire format, always in UTC: ``2024-01-31T09:30:00.000+0000``."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}+0000"


def _parse_datetime(text: str, pos: Pos, query: str) -> str:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise located_error(
            "MALFORMED_QUERY", query, pos, f"line {pos.row}:{pos.column} no viable alternative"
        ) from None
    return format_datetime(moment)


class _ToQuery(Transformer):  # type: ignore[type-arg]
    def __init__(self, text: str, folding: ListFolding) -> None:
        super().__init__()
        self.text = text
        self.folding = folding

    # -- values
    def string(self, items: list[Token]) -> Literal:
        token = items[0]
        return Literal("string", unescape(str(token)), str(token), _pos(token))

    def number(self, items: list[Token]) -> Literal:
        token = items[0]
        raw = str(token)
        value = float(raw) if "." in raw else int(raw)
        return Literal("number", value, raw, _pos(token))

    def date(self, items: list[Token]) -> Literal:
        token = items[0]
        try:
            value = date.fromisoformat(str(token)).isoformat()
        except ValueError:
            raise located_error(
                "MALFORMED_QUERY", self.text, _pos(token), f"unexpected token: '{token}'"
            ) from None
        return Literal("date", value, str(token), _pos(token))

    def datetime(self, items: list[Token]) -> Literal:
        token = items[0]
        value = _parse_datetime(str(token), _pos(token), self.text)
        return Literal("datetime", value, str(token), _pos(token))

    def true(self, items: list[Token]) -> Literal:
        return Literal("boolean", True, str(items[0]), _pos(items[0]))

    def false(self, items: list[Token]) -> Literal:
        return Literal("boolean", False, str(items[0]), _pos(items[0]))

    def null(self, items: list[Token]) -> Literal:
        return Literal("null", None, str(items[0]), _pos(items[0]))

    def date_literal(self, items: list[Token]) -> Literal:
        name = str(items[0]).upper()
        n = int(items[1]) if len(items) > 1 else None
        text = name if n is None else f"{name}:{n}"
        return Literal("date_literal", (name, n), text, _pos(items[0]))

    def value_list(self, items: list[Literal]) -> tuple[Literal, ...]:
        return self.folding.unfold(tuple(items))

    # -- conditions
    def compare(self, items: list[object]) -> Compare:
        field, op, value = items
        op_text = "!=" if str(op) == "<>" else str(op)
        return Compare(field, op_text, value)  # type: ignore[arg-type]

    def like(self, items: list[object]) -> Like:
        return Like(items[0], items[2])  # type: ignore[arg-type]

    def in_(self, items: list[object]) -> InList:
        return InList(items[0], items[2], negated=False)  # type: ignore[arg-type]

    def not_in(self, items: list[object]) -> InList:
        return InList(items[0], items[3], negated=True)  # type: ignore[arg-type]

    def and_(self, items: list[object]) -> And:
        return And(tuple(i for i in items if not isinstance(i, Token)))  # type: ignore[misc]

    def or_(self, items: list[object]) -> Or:
        return Or(tuple(i for i in items if not isinstance(i, Token)))  # type: ignore[misc]

    def not_(self, items: list[object]) -> Not:
        return Not(items[1])  # type: ignore[arg-type]

    def where_clause(self, items: list[object]) -> _Clause:
        return _Clause("where", items[0])

    # -- select list, order, limits
    def field_path(self, items: list[Token]) -> FieldRef:
        return FieldRef(tuple(str(t) for t in items), _pos(items[0]))

    def count_call(self, items: list[object]) -> Count:
        keyword = items[0]
        field = next((i for i in items[1:] if isinstance(i, FieldRef)), None)
        alias = next((str(i) for i in items[1:] if isinstance(i, Token)), None)
        return Count(field, alias, _pos(keyword))  # type: ignore[arg-type]

    def select_list(self, items: list[object]) -> tuple[object, ...]:
        return tuple(items)

    def object_name(self, items: list[Token]) -> Token:
        return items[0]

    def object_alias(self, items: list[Token]) -> _Clause:
        return _Clause("alias", str(items[0]))

    def order_item(self, items: list[object]) -> OrderItem:
        field = items[0]
        descending = any(isinstance(i, str) and i == "DESC" for i in items[1:])
        nulls = next((i for i in items[1:] if isinstance(i, str) and i.startswith("NULLS_")), None)
        nulls_first = (nulls == "NULLS_FIRST") if nulls else not descending
        return OrderItem(field, descending, nulls_first)  # type: ignore[arg-type]

    def direction(self, items: list[Token]) -> str:
        return str(items[0]).upper()

    def nulls(self, items: list[Token]) -> str:
        return "NULLS_" + str(items[0]).upper()

    def order_clause(self, items: list[OrderItem]) -> _Clause:
        return _Clause("order", tuple(items))

    def limit_clause(self, items: list[Token]) -> _Clause:
        return _Clause("limit", int(items[0]), _pos(items[0]))

    def offset_clause(self, items: list[Token]) -> _Clause:
        return _Clause("offset", int(items[0]), _pos(items[0]))

    def start(self, items: list[Any]) -> Query:
        select_items, sobject = items[0], items[1]
        clauses: dict[str, _Clause] = {clause.name: clause for clause in items[2:]}

        def value(name: str, default: Any = None) -> Any:
            return clauses[name].value if name in clauses else default

        return Query(
            text=self.text,
            items=select_items,
            sobject=str(sobject),
            sobject_pos=_pos(sobject),
            where=value("where"),
            order=value("order", ()),
            limit=value("limit"),
            offset=value("offset"),
            offset_pos=clauses["offset"].pos if "offset" in clauses else None,
            alias=value("alias"),
        )


@dataclass(frozen=True)
class _Clause:
    """One optional part of the statement (WHERE, ORDER BY, LIMIT, OFFSET, the alias)."""

    name: str
    value: Any
    pos: Pos | None = None
