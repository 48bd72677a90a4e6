"""Which column of the file feeds which field: header recognition and explicit column maps.

Headers are compared after :func:`normalise` (case, spaces and punctuation ignored), so
``First Name``, ``first_name`` and ``FIRST-NAME`` are the same. A column map given by the caller
(``{"Header": "field"}``) wins over recognition; mapping a header to ``""`` or ``"-"`` ignores it.

Targets are the field names of docs/records.md. A contact import also fills the contact's
company: ``account.name``, ``account.website``, ``account.domain``, ``account.industry``,
``account.employees``, ``account.phone``. ``custom.<key>`` stores the cell in the record's custom
fields, ``full_name`` is split into first and last name, and ``owner`` (a user's email or name)
becomes ``owner_id``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["contacts", "accounts"]

IGNORE = ""

# The owner is a user of the team, named in the file by email or by name.
OWNER_ALIASES = (
    "owner",
    "owner email",
    "contact owner",
    "account owner",
    "assigned to",
    "sales rep",
)

_CONTACT_ALIASES: dict[str, tuple[str, ...]] = {
    "first_name": ("first name", "firstname", "first", "given name", "forename"),
    "last_name": ("last name", "lastname", "last", "surname", "family name"),
    "full_name": ("full name", "name", "contact name", "contact", "person"),
    "email": ("email", "e-mail", "email address", "work email", "business email", "mail"),
    "email_status": ("email status", "email verification", "email verification status"),
    "title": ("title", "job title", "position", "role", "job"),
    "phone": ("phone", "phone number", "work phone", "direct phone", "office phone", "telephone"),
    "mobile_phone": ("mobile", "mobile phone", "cell", "cell phone", "mobile number"),
    "stage": ("stage", "contact stage", "lead stage", "status"),
    "saved": ("saved",),
    "owner": OWNER_ALIASES,
    "account.name": (
        "company", "company name", "account", "account name", "organization",
        "organisation", "organization name", "employer",
    ),
    "account.website": ("website", "company website", "url", "company url", "web", "site"),
    "account.domain": ("domain", "company domain", "website domain"),
    "account.industry": ("industry", "company industry"),
    "account.employees": (
        "employees", "# employees", "number of employees", "employee count", "headcount",
        "company size", "# of employees",
    ),
    "account.phone": ("company phone", "account phone", "main phone"),
}  # fmt: skip

_ACCOUNT_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "name", "company", "company name", "account", "account name", "organization",
        "organisation", "organization name",
    ),
    "domain": ("domain", "company domain", "website domain"),
    "website": ("website", "company website", "url", "company url", "web", "site"),
    "phone": ("phone", "phone number", "company phone", "main phone", "telephone"),
    "industry": ("industry",),
    "employees": (
        "employees", "# employees", "number of employees", "employee count", "headcount",
        "company size", "# of employees",
    ),
    "stage": ("stage", "account stage", "company stage", "status"),
    "saved": ("saved",),
}  # fmt: skip


def normalise(header: str) -> str:
    """Header text reduced to lower-case letters and digits (``#`` kept: "# Employees")."""
    return re.sub(r"[^a-z0-9#]", "", header.casefold())


def _alias_index(aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    index = {normalise(target): target for target in aliases}
    for target, names in aliases.items():
        for name in names:
            index[normalise(name)] = target
    return index


_INDEXES: dict[Kind, dict[str, str]] = {
    "contacts": _alias_index(_CONTACT_ALIASES),
    "accounts": _alias_index(_ACCOUNT_ALIASES),
}


class ColumnMapError(ValueError):
    """A column map names a field that does not exist, or is malformed."""


@dataclass
class Columns:
    """The resolved layout of a file: target field by column index, plus what was ignored."""

    targets: dict[int, str] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def header_of(self, target: str) -> str:
        for index, name in self.targets.items():
            if name == target:
                return self.headers[index]
        return target

    def has(self, *targets: str) -> bool:
        return any(name in targets for name in self.targets.values())


def resolve_target(kind: Kind, name: str) -> str:
    """The canonical target for a column-map value (an alias or a canonical name)."""
    stripped = name.strip()
    if stripped in ("", "-"):
        return IGNORE
    if stripped.startswith("custom.") and len(stripped) > len("custom."):
        return stripped
    target = _INDEXES[kind].get(normalise(stripped))
    if target is None:
        known = ", ".join(sorted(_CONTACT_ALIASES if kind == "contacts" else _ACCOUNT_ALIASES))
        raise ColumnMapError(
            f"unknown field {name!r} for {kind}; known fields: {known}, custom.<key>"
        )
    return target


def resolve_columns(kind: Kind, headers: Sequence[str], column_map: Mapping[str, str]) -> Columns:
    """Decide which field each header feeds; an explicit map overrides recognition."""
    by_header = {
        normalise(header): resolve_target(kind, target) for header, target in column_map.items()
    }
    columns = Columns(headers=[header.strip() for header in headers])
    taken: set[str] = set()
    for index, header in enumerate(columns.headers):
        key = normalise(header)
        target = by_header[key] if key in by_header else _INDEXES[kind].get(key)
        if not target or target in taken:
            if header:
                columns.ignored.append(header)
            continue
        taken.add(target)
        columns.targets[index] = target
    _check_map_headers_exist(column_map, columns.headers)
    return columns


def _check_map_headers_exist(column_map: Mapping[str, str], headers: Sequence[str]) -> None:
    present = {normalise(header) for header in headers}
    missing = [header for header in column_map if normalise(header) not in present]
    if missing:
        raise ColumnMapError(f"column map names header(s) not in the file: {', '.join(missing)}")


def parse_map_option(text: str) -> dict[str, str]:
    """``'Header=field,Other=field'`` (the CLI's ``--map``) as a dict."""
    mapping: dict[str, str] = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        header, sep, target = part.partition("=")
        if not sep or not header.strip():
            raise ColumnMapError(f"--map entry {part!r} is not of the form Header=field")
        mapping[header.strip()] = target.strip()
    return mapping
