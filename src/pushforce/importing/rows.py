"""One CSV row → validated input models, or the row's errors.

Validation is the shared input models' (``pushforce.inputs``); this module only turns cells into
the models' fields and pydantic's errors into ``{row, column, reason}`` naming the file's header.
Empty cells are absent values: they never clear what a record already has.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ValidationError

from pushforce.importing.headers import Columns, Kind
from pushforce.importing.report import RowError
from pushforce.inputs import AccountIn, ContactIn, error_location

ACCOUNT_PREFIX = "account."
CUSTOM_PREFIX = "custom."


@dataclass(frozen=True)
class Validated:
    """A record's validated values (all fields, as for a create) and the fields the file gave."""

    values: dict[str, Any]
    given: frozenset[str]

    def given_values(self) -> dict[str, Any]:
        return {name: self.values[name] for name in self.given}

    def with_value(self, name: str, value: Any) -> Validated:
        """A copy where the file gave ``name`` (a value resolved later, such as owner_id)."""
        return Validated({**self.values, name: value}, self.given | {name})


@dataclass
class PreparedRow:
    """A valid row: the record and, for a contact with a Company cell, its company."""

    number: int
    record: Validated
    account: Validated | None = None
    columns: Columns | None = None
    owner: str | None = None  # a user's email or name, resolved to owner_id by the writer

    def column(self, target: str) -> str:
        """The file's header for a target field (for error reports)."""
        return self.columns.header_of(target) if self.columns else target


@dataclass
class RejectedRow:
    number: int
    errors: list[RowError]


def _clean(target: str, value: str) -> str:
    if target.endswith("email_status"):
        return value.lower()
    if target.endswith("employees"):
        return value.replace(",", "").replace(" ", "").replace("_", "")
    return value


def split_cells(columns: Columns, cells: Sequence[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(record fields, company fields) from the non-empty cells of one row."""
    record: dict[str, Any] = {}
    company: dict[str, Any] = {}
    for index, target in columns.targets.items():
        value = cells[index].strip() if index < len(cells) else ""
        if not value:
            continue
        value = _clean(target, value)
        if target.startswith(ACCOUNT_PREFIX):
            company[target.removeprefix(ACCOUNT_PREFIX)] = value
        elif target.startswith(CUSTOM_PREFIX):
            record.setdefault("custom", {})[target.removeprefix(CUSTOM_PREFIX)] = value
        else:
            record[target] = value
    return record, company


def _split_full_name(record: dict[str, Any]) -> None:
    full = record.pop("full_name", None)
    if full is None or "last_name" in record:
        return
    first, _, last = full.rpartition(" ")
    record["last_name"] = last
    if first and "first_name" not in record:
        record["first_name"] = first


def _reason(error: Any) -> str:
    if error["type"] == "missing":
        return "a value is required"
    return str(error["msg"]).removeprefix("Value error, ")


def _errors(exc: ValidationError, columns: Columns, number: int, prefix: str) -> list[RowError]:
    found = []
    for error in exc.errors(include_url=False):
        location = error_location(error)
        column = columns.header_of(prefix + str(location[0])) if location else None
        found.append(RowError(number, column, _reason(error)))
    return found


def _validate(
    model: type[BaseModel], data: dict[str, Any], columns: Columns, number: int, prefix: str
) -> tuple[Validated | None, list[RowError]]:
    try:
        valid = model(**data)
    except ValidationError as exc:
        return None, _errors(exc, columns, number, prefix)
    return _validated(valid, data), []


def _validated(valid: BaseModel, data: dict[str, Any]) -> Validated:
    given = set(data) | ({"domain"} if "website" in data else set())
    return Validated(valid.model_dump(), frozenset(given & set(type(valid).model_fields)))


@lru_cache(maxsize=4096)
def _valid_company(cells: tuple[tuple[str, str], ...]) -> Validated | None:
    data: dict[str, Any] = dict(cells)
    data = dict(cells)
    try:
        return _validated(AccountIn(**data), data)
    except ValidationError:
        return None


def prepare_contact(
    columns: Columns, number: int, cells: Sequence[str]
) -> PreparedRow | RejectedRow:
    """A contact row validated by ContactIn (and its company by AccountIn)."""
    record, company = split_cells(columns, cells)
    owner = record.pop("owner", None)
    _split_full_name(record)
    contact, errors = _validate(ContactIn, {**record, "origin": "imported"}, columns, number, "")
    account, account_errors = _validate_company(company, columns, number)
    errors += account_errors
    if errors or contact is None:
        return RejectedRow(number, errors)
    # origin is set on create only; a status the file doesn't give is the model's default,
    # which is used on create but never compared with an existing contact.
    contact = replace(contact, given=contact.given - {"origin"})
    return PreparedRow(number, contact, account, columns, owner)


def _validate_company(
    company: dict[str, Any], columns: Columns, number: int
) -> tuple[Validated | None, list[RowError]]:
    if not company:
        return None, []
    if "name" not in company:
        column = columns.header_of(ACCOUNT_PREFIX + next(iter(company)))
        return None, [RowError(number, column, "a company needs a name: add a Company column")]
    cached = _valid_company(tuple(sorted(company.items())))
    if cached is not None:
        return cached, []
    return _validate(AccountIn, company, columns, number, ACCOUNT_PREFIX)


def prepare_account(
    columns: Columns, number: int, cells: Sequence[str]
) -> PreparedRow | RejectedRow:
    """An account row validated by AccountIn."""
    record, _ = split_cells(columns, cells)
    owner = record.pop("owner", None)
    account, errors = _validate(AccountIn, record, columns, number, "")
    if errors or account is None:
        return RejectedRow(number, errors)
    return PreparedRow(number, account, columns=columns, owner=owner)


def prepare(
    kind: Kind, columns: Columns, number: int, cells: Sequence[str]
) -> PreparedRow | RejectedRow:
    if kind == "contacts":
        return prepare_contact(columns, number, cells)
    return prepare_account(columns, number, cells)
