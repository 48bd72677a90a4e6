"""Store helpers the import needs in bulk: stage names per import, diffs, look-ups.

Records are written through the store's one write path: new rows of a chunk with
``store.records.insert_records`` (its same-team reference checks and the bulk write hook, so
the push engine sees imported records exactly as records created one by one), matched ones
with ``store.records.update_record``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pushforce.store import schema
from pushforce.store.kinds import spec_for
from pushforce.store.records import record_select
from pushforce.store.stages import list_stages

IN_LIST_CHUNK = 500


class StageNames:
    """A team's stages of one object, by case-insensitive name."""

    def __init__(self, conn: Connection, team_id: int, object: str) -> None:
        self.object = object
        found = list_stages(conn, team_id, object)
        self._ids = {s["name"].lower(): s["id"] for s in found}
        self._names = [s["name"] for s in found]

    def unknown(self, name: str | None) -> str | None:
        """Why ``name`` is not a stage of the team, or ``None`` when it is (or is empty)."""
        if name is None or name.lower() in self._ids:
            return None
        known = ", ".join(self._names) or "none"
        return f"the team has no {self.object} stage {name!r} (its stages: {known})"


def differences(existing: Mapping[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    """The given fields whose value differs from the record's (custom fields are merged)."""
    changed: dict[str, Any] = {}
    for name, value in given.items():
        current = existing.get(name)
        if name == "custom":
            merged = {**(current or {}), **(value or {})}
            if merged != (current or {}):
                changed[name] = merged
        elif name == "stage":
            if (current or "").lower() != (value or "").lower():
                changed[name] = value
        elif current != value:
            changed[name] = value
    return changed


def find_emailless_contacts(
    conn: Connection, team_id: int, last_names: Iterable[str]
) -> dict[tuple[str, str, int | None], dict[str, Any]]:
    """Contacts without an email, keyed by (first name, last name, account id), lower-cased."""
    table = schema.contacts
    wanted = sorted({name.lower() for name in last_names})
    found: dict[tuple[str, str, int | None], dict[str, Any]] = {}
    for start in range(0, len(wanted), IN_LIST_CHUNK):
        statement = (
            record_select(spec_for("contact"))
            .where(table.c.team_id == team_id, table.c.email.is_(None))
            .where(sa.func.lower(table.c.last_name).in_(wanted[start : start + IN_LIST_CHUNK]))
            .order_by(table.c.id.desc())
        )
        for row in conn.execute(statement).mappings():
            key = ((row["first_name"] or "").lower(), row["last_name"].lower(), row["account_id"])
            found[key] = dict(row)
    return found


def team_users(conn: Connection, team_id: int) -> dict[str, int]:
    """User ids of the team by lower-cased email and by lower-cased name."""
    users = schema.users
    statement = sa.select(users.c.id, users.c.email, users.c.name).where(users.c.team_id == team_id)
    found: dict[str, int] = {}
    for row in conn.execute(statement.order_by(users.c.id.desc())):
        if row.name:
            found[row.name.lower()] = row.id
        found[row.email.lower()] = row.id
    return found
