"""WHERE conditions compiled to predicates over stored records.

SOQL semantics kept here: text comparison is case-insensitive (``=`` too); 15- and 18-char ids
are equal; null is an ordinary value (``!= 'x'`` matches null, ``< 5`` does not); a literal must
match the field's type (INVALID_FIELD otherwise); date literals are day ranges.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from datetime import date
from typing import Any, cast

from localforce import ids
from localforce.soql_ast import (
    And,
    Compare,
    Condition,
    InList,
    Like,
    Literal,
    Not,
    Or,
    located_error,
)
from localforce.soql_dates import day_range, is_known
from localforce.soql_fields import Binder, FieldPath, Getter, Record

Predicate = Callable[[Record], bool]

TEXT_TYPES = frozenset(
    {"string", "email", "phone", "url", "textarea", "picklist", "combobox", "multipicklist"}
)
ID_TYPES = frozenset({"id", "reference"})
NUMBER_TYPES = frozenset({"double", "currency", "int", "percent"})
_LITERAL_KIND = {"boolean": "boolean", "date": "date", "datetime": "datetime"}
_TYPE_WORD = {"datetime": "dateTime", "int": "integer", "currency": "double", "percent": "double"}
_ORDERING = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _identity(value: Any) -> Any:
    return value


def record_key(field_type: str) -> Callable[[Any], Any]:
    """How a stored value of this type is compared (and sorted)."""
    return _lower if field_type in TEXT_TYPES else _identity


class FilterCompiler:
    def __init__(self, binder: Binder, root: Any, today: date) -> None:
        self.binder = binder
        self.root = root
        self.today = today

    def compile(self, condition: Condition) -> Predicate:
        if isinstance(condition, And):
            parts = [self.compile(c) for c in condition.items]
            return lambda r: all(p(r) for p in parts)
        if isinstance(condition, Or):
            parts = [self.compile(c) for c in condition.items]
            return lambda r: any(p(r) for p in parts)
        if isinstance(condition, Not):
            inner = self.compile(condition.item)
            return lambda r: not inner(r)
        if isinstance(condition, Compare):
            return self._compare(condition)
        if isinstance(condition, Like):
            return self._like(condition)
        return self._in(condition)

    def bind(self, ref: Any) -> tuple[FieldPath, Getter]:
        path = self.binder.path(self.root, ref)
        return path, self.binder.getter(path)

    def literal_key(self, path: FieldPath, literal: Literal) -> Any:
        """The comparable form of a literal, checked against the field's type."""
        if literal.kind == "null":
            return None
        expected = self._expected_kind(path.type)
        if expected is not None and literal.kind != expected:
            raise self._type_mismatch(path, literal)
        if path.type in ID_TYPES:
            return self._id_key(literal)
        if path.type in NUMBER_TYPES:
            return float(literal.value)  # type: ignore[arg-type]
        return record_key(path.type)(literal.value)

    # -- operators
    def _compare(self, node: Compare) -> Predicate:
        path, get = self.bind(node.field)
        if node.value.kind == "date_literal":
            return self._date_range(path, get, node.op, node.value)
        key = self.literal_key(path, node.value)
        norm = record_key(path.type)
        if node.op == "=":
            return lambda r: norm(get(r)) == key
        if node.op == "!=":
            return lambda r: norm(get(r)) != key
        if key is None:
            return lambda r: False
        compare = _ORDERING[node.op]
        return lambda r: (value := get(r)) is not None and compare(norm(value), key)

    def _like(self, node: Like) -> Predicate:
        path, get = self.bind(node.field)
        if path.type not in TEXT_TYPES or node.value.kind != "string":
            raise located_error(
                "INVALID_FIELD",
                self.binder.query_text,
                node.field.pos,
                f"invalid operator on field '{path.text}': LIKE",
            )
        pattern = like_regex(node.value.text[1:-1])
        return lambda r: isinstance(value := get(r), str) and pattern.fullmatch(value) is not None

    def _in(self, node: InList) -> Predicate:
        path, get = self.bind(node.field)
        if any(v.kind == "date_literal" for v in node.values):
            raise self._type_mismatch(path, next(v for v in node.values if v.kind != "null"))
        keys = frozenset(self.literal_key(path, v) for v in node.values)
        norm = record_key(path.type)
        if node.negated:
            return lambda r: norm(get(r)) not in keys
        return lambda r: norm(get(r)) in keys

    def _date_range(self, path: FieldPath, get: Getter, op: str, literal: Literal) -> Predicate:
        name, n = cast(tuple[str, int | None], literal.value)
        if path.type not in ("date", "datetime"):
            raise self._type_mismatch(path, literal)
        if not is_known(name, n):
            raise located_error(
                "MALFORMED_QUERY",
                self.binder.query_text,
                literal.pos,
                f"unexpected token: '{literal.text}'",
            )
        first, after = day_range(name, n, self.today)
        start, end = _bound(first, path.type), _bound(after, path.type)
        tests: dict[str, Callable[[str], bool]] = {
            "=": lambda v: start <= v < end,
            "!=": lambda v: not start <= v < end,
            "<": lambda v: v < start,
            "<=": lambda v: v < end,
            ">": lambda v: v >= end,
            ">=": lambda v: v >= start,
        }
        test = tests[op]
        if op == "!=":
            return lambda r: (value := get(r)) is None or test(value)
        return lambda r: (value := get(r)) is not None and test(value)

    # -- helpers
    def _expected_kind(self, field_type: str) -> str | None:
        if field_type in TEXT_TYPES or field_type in ID_TYPES:
            return "string"
        if field_type in NUMBER_TYPES:
            return "number"
        return _LITERAL_KIND.get(field_type)

    def _id_key(self, literal: Literal) -> str:
        normalized = ids.normalize(literal.value)
        if normalized is None:
            raise located_error(
                "INVALID_QUERY_FILTER_OPERATOR",
                self.binder.query_text,
                literal.pos,
                f"invalid ID field: {literal.value}",
            )
        return normalized

    def _type_mismatch(self, path: FieldPath, literal: Literal) -> Exception:
        word = "string" if path.type in TEXT_TYPES | ID_TYPES else _TYPE_WORD.get(path.type)
        word = word or path.type
        quoting = (
            "should be enclosed in quotes"
            if word == "string"
            else ("should not be enclosed in quotes")
        )
        detail = (
            f"value of filter criterion for field '{path.text}' must be of type {word}"
            f" and {quoting}"
        )
        return located_error("INVALID_FIELD", self.binder.query_text, literal.pos, detail)


def _bound(day: date, field_type: str) -> str:
    return day.isoformat() if field_type == "date" else f"{day.isoformat()}T00:00:00.000+0000"


def like_regex(body: str) -> re.Pattern[str]:
    """A LIKE pattern (``%`` any run, ``_`` one char, ``\\%``/``\\_`` literal) as a regex."""
    out, chars = [], iter(body)
    for char in chars:
        if char == "\\":
            out.append(re.escape(next(chars, "")))
        elif char == "%":
            out.append(".*")
        elif char == "_":
            out.append(".")
        else:
            out.append(re.escape(char))
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


def index_probes(condition: Condition | None) -> list[Condition]:
    """Top-level conjuncts an index can answer: ``Field = value`` and ``Field IN (...)``."""
    if condition is None:
        return []
    items = condition.items if isinstance(condition, And) else (condition,)
    return [item for item in items if _indexable(item)]


def _indexable(item: Condition) -> bool:
    if isinstance(item, Compare):
        return item.op == "=" and item.value.kind == "string"
    if isinstance(item, InList):
        return not item.negated and all(v.kind == "string" for v in item.values)
    return False
