"""The parsed form of a SOQL query, and the error every SOQL stage raises.

Positions are 1-based (row, column), as Salesforce reports them in its caret messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Pos:
    row: int
    column: int


class SoqlError(Exception):
    """A query the org refuses: HTTP 400 with ``[{"message", "errorCode"}]``."""

    def __init__(self, error_code: str, message: str) -> None:
        super().__init__(f"{error_code}: {message}")
        self.error_code = error_code
        self.message = message

    def body(self) -> list[dict[str, str]]:
        return [{"message": self.message, "errorCode": self.error_code}]


def located_error(error_code: str, query: str, pos: Pos, detail: str) -> SoqlError:
    """Salesforce's caret form: the query row, a caret under the column, then the detail."""
    rows = query.split("\n")
    row_text = rows[pos.row - 1] if 0 < pos.row <= len(rows) else query
    caret = " " * (pos.column - 1) + "^"
    message = f"\n{row_text}\n{caret}\nERROR at Row:{pos.row}:Column:{pos.column}\n{detail}"
    return SoqlError(error_code, message)


@dataclass(frozen=True)
class FieldRef:
    """``Email`` or a parent path such as ``Account.Owner.Name``."""

    parts: tuple[str, ...]
    pos: Pos

    @property
    def text(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True)
class Literal:
    """kind: string, number, date, datetime, boolean, null or date_literal (value = (NAME, n))."""

    kind: str
    value: object
    text: str
    pos: Pos


@dataclass(frozen=True)
class Compare:
    field: FieldRef
    op: str  # one of = != < <= > >=  ("<>" is normalised to "!=")
    value: Literal


@dataclass(frozen=True)
class Like:
    field: FieldRef
    value: Literal


@dataclass(frozen=True)
class InList:
    field: FieldRef
    values: tuple[Literal, ...]
    negated: bool


@dataclass(frozen=True)
class And:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


Condition = Union[Compare, Like, InList, And, Or, Not]  # noqa: UP007 (forward references)


@dataclass(frozen=True)
class Count:
    """``COUNT()`` (field None) or ``COUNT(Id) [alias]``."""

    field: FieldRef | None
    alias: str | None
    pos: Pos


@dataclass(frozen=True)
class OrderItem:
    field: FieldRef
    descending: bool
    nulls_first: bool  # Salesforce's default: NULLS FIRST ascending, NULLS LAST descending


@dataclass(frozen=True)
class Query:
    text: str
    items: tuple[FieldRef | Count, ...]
    sobject: str
    sobject_pos: Pos
    where: Condition | None
    order: tuple[OrderItem, ...]
    limit: int | None
    offset: int | None
    offset_pos: Pos | None
    alias: str | None = None  # "FROM Contact c": paths may start with "c."
