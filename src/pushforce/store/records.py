"""Record writes and reads: THE one place every record insert, update and delete goes through.

``values`` and ``changes`` are the validated output of ``pushforce.inputs`` (``model_dump()``
for create, ``model_dump(exclude_unset=True)`` for update): vocabulary field names, ``stage`` by
name, deals with ``contacts: [{contact_id, role}]``. Returned records are dicts with the same
names plus ``id``, ``team_id``, ``created_at`` and ``updated_at``.

* ``insert_record(conn, team_id, kind, values) -> dict``
* ``update_record(conn, team_id, kind, record_id, changes) -> dict | None`` (``None``: no such
  record in the team; an update that changes nothing writes nothing)
* ``insert_records(conn, team_id, kind, records) -> list[int]`` (bulk twin of ``insert_record``)
* ``delete_record(conn, team_id, kind, record_id) -> bool``
* ``get_record(conn, team_id, kind, record_id) -> dict[str, Any] | None``

Each write checks that every referenced row (account, contact, deal, owner …) belongs to the same
team and that stage names exist, raising ``InvalidRecordInput`` / ``UnknownStage`` before writing
anything, then calls ``hooks.record_written`` in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pushforce.store import schema
from pushforce.store.errors import InvalidRecordInput, UnknownStage
from pushforce.store.hooks import RecordChange, record_written, records_written
from pushforce.store.kinds import KindSpec, reference_table, spec_for
from pushforce.store.stages import first_stage_id, list_stages, resolve_stage, stage_names

DEAL_CONTACTS = "contacts"


def utcnow() -> datetime:
    return datetime.now(UTC)


# ---- writes ----------------------------------------------------------------------------------


def insert_record(
    conn: Connection, team_id: int, kind: str, values: Mapping[str, Any]
) -> dict[str, Any]:
    spec = spec_for(kind)
    row, contacts = _split_contacts(values)
    row = _to_row(conn, team_id, spec, row)
    if spec.default_stage_on_create and row.get("stage_id") is None:
        row["stage_id"] = first_stage_id(conn, team_id, spec.stage_object or kind)
    _check_deal_contacts(conn, team_id, contacts)
    now = utcnow()
    row |= {"team_id": team_id, "created_at": now, "updated_at": now}
    statement = sa.insert(spec.table).values(row).returning(spec.table.c.id)
    record_id = conn.execute(statement).scalar_one()
    if contacts is not None:
        _replace_deal_contacts(conn, team_id, record_id, contacts)
    record_written(conn, RecordChange(team_id, kind, record_id, "insert", frozenset(values)))
    return _must_get(conn, team_id, kind, record_id)


def update_record(
    conn: Connection, team_id: int, kind: str, record_id: int, changes: Mapping[str, Any]
) -> dict[str, Any] | None:
    spec = spec_for(kind)
    current = _current_row(conn, spec, team_id, record_id)
    if current is None:
        return None
    row, contacts = _split_contacts(changes)
    row = _to_row(conn, team_id, spec, row)
    _check_deal_contacts(conn, team_id, contacts)
    changed = {name: value for name, value in row.items() if current[name] != value}
    changed_fields = {_field_name(name) for name in changed}
    if contacts is not None and _deal_contacts_differ(conn, record_id, contacts):
        _replace_deal_contacts(conn, team_id, record_id, contacts)
        changed_fields.add(DEAL_CONTACTS)
    if changed_fields:
        statement = (
            sa.update(spec.table)
            .where(spec.table.c.id == record_id, spec.table.c.team_id == team_id)
            .values({**changed, "updated_at": utcnow()})
        )
        conn.execute(statement)
        change = RecordChange(team_id, kind, record_id, "update", frozenset(changed_fields))
        record_written(conn, change)
    return _must_get(conn, team_id, kind, record_id)


def delete_record(conn: Connection, team_id: int, kind: str, record_id: int) -> bool:
    table = spec_for(kind).table
    statement = sa.delete(table).where(table.c.id == record_id, table.c.team_id == team_id)
    if conn.execute(statement).rowcount != 1:
        return False
    record_written(conn, RecordChange(team_id, kind, record_id, "delete", frozenset()))
    return True


def insert_records(
    conn: Connection, team_id: int, kind: str, records: Sequence[Mapping[str, Any]]
) -> list[int]:
    """The bulk twin of ``insert_record`` (CSV import, seeding): the same checks and one hook
    call per record, with one look-up per reference field and one ``executemany`` INSERT.

    Every record must carry the same fields (full input-model dumps do); an error names the
    record's index, e.g. ``3.account_id``. Deals' ``contacts`` are not taken here.
    """
    if not records:
        return []
    spec = spec_for(kind)
    stages = _StageIds(conn, team_id, spec)
    rows = [_bulk_row(spec, index, values, stages) for index, values in enumerate(records)]
    if len({frozenset(row) for row in rows}) != 1:
        raise ValueError("insert_records needs the same fields in every record")
    _check_references_in_bulk(conn, team_id, spec, rows)
    now = utcnow()
    for row in rows:
        row |= {"team_id": team_id, "created_at": now, "updated_at": now}
    statement = sa.insert(spec.table).returning(spec.table.c.id, sort_by_parameter_order=True)
    ids = list(conn.execute(statement, rows).scalars())
    changes = [
        RecordChange(team_id, kind, record_id, "insert", frozenset(values))
        for record_id, values in zip(ids, records, strict=True)
    ]
    records_written(conn, changes)
    return ids


class _StageIds:
    """The team's stages of one object by lower-cased name, read once for a bulk insert."""

    def __init__(self, conn: Connection, team_id: int, spec: KindSpec) -> None:
        self.spec = spec
        found = list_stages(conn, team_id, spec.stage_object) if spec.stage_object else []
        self.by_name: dict[str, int] = {stage["name"].lower(): stage["id"] for stage in found}
        self.names = [stage["name"] for stage in found]

    def id_for(self, field: str, name: str | None) -> int | None:
        if name is None:
            first = next(iter(self.by_name.values()), None)  # stages come in position order
            return first if self.spec.default_stage_on_create else None
        stage_id = self.by_name.get(name.strip().lower())
        if stage_id is None:
            known = ", ".join(self.names) or "none"
            message = (
                f"the team has no {self.spec.stage_object} stage {name!r} (its stages: {known})"
            )
            raise UnknownStage(field, message)
        return stage_id


def _bulk_row(
    spec: KindSpec, index: int, values: Mapping[str, Any], stages: _StageIds
) -> dict[str, Any]:
    row = dict(values)
    if row.pop(DEAL_CONTACTS, None):
        raise ValueError("insert_records does not take deal contacts; use insert_record")
    _check_field_names(spec, row)
    if spec.has_stage:
        row["stage_id"] = stages.id_for(f"{index}.stage", row.pop("stage", None))
    if row.get("custom", {}) is None:
        row["custom"] = {}
    return row


def _check_references_in_bulk(
    conn: Connection, team_id: int, spec: KindSpec, rows: list[dict[str, Any]]
) -> None:
    for field, target in spec.references.items():
        wanted = {row[field] for row in rows if row.get(field) is not None}
        owned = _owned_ids(conn, team_id, target, wanted)
        for index, row in enumerate(rows):
            if row.get(field) is not None and row[field] not in owned:
                message = f"no {target} with id {row[field]} in this team"
                raise InvalidRecordInput(f"{index}.{field}", message)


def _owned_ids(conn: Connection, team_id: int, target: str, ids: set[int]) -> set[int]:
    table, ordered = reference_table(target), sorted(ids)
    owned: set[int] = set()
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        statement = sa.select(table.c.id).where(table.c.team_id == team_id, table.c.id.in_(chunk))
        owned.update(conn.execute(statement).scalars())
    return owned


def _split_contacts(
    values: Mapping[str, Any],
) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    row = dict(values)
    contacts = row.pop(DEAL_CONTACTS, None)
    return row, None if contacts is None else [dict(c) for c in contacts]


def _field_name(column: str) -> str:
    return "stage" if column == "stage_id" else column


def _to_row(
    conn: Connection, team_id: int, spec: KindSpec, values: dict[str, Any]
) -> dict[str, Any]:
    """Input names → column values: stage name → stage_id; references checked; JSON defaults."""
    _check_field_names(spec, values)
    row = dict(values)
    if "stage" in row:
        row["stage_id"] = _stage_id(conn, team_id, spec, row.pop("stage"))
    if "custom" in row and row["custom"] is None:
        row["custom"] = {}
    _check_references(conn, team_id, spec, row)
    return row


def _check_field_names(spec: KindSpec, values: Mapping[str, Any]) -> None:
    unknown = set(values) - set(spec.table.c.keys()) - {"stage"}
    reserved = {"id", "team_id", "stage_id", "created_at", "updated_at"} & set(values)
    if unknown or reserved:
        raise ValueError(f"not {spec.kind} input fields: {sorted(unknown | reserved)}")


def _stage_id(conn: Connection, team_id: int, spec: KindSpec, name: str | None) -> int | None:
    if spec.stage_object is None:
        raise ValueError(f"{spec.kind} records have no stage")
    if name is None:
        return None
    stage_id = resolve_stage(conn, team_id, spec.stage_object, name)
    if stage_id is None:
        known = ", ".join(stage_names(conn, team_id, spec.stage_object)) or "none"
        raise UnknownStage(
            "stage", f"the team has no {spec.stage_object} stage {name!r} (its stages: {known})"
        )
    return stage_id


def _check_references(conn: Connection, team_id: int, spec: KindSpec, row: dict[str, Any]) -> None:
    for field, target in spec.references.items():
        record_id = row.get(field)
        if record_id is not None and not _team_owns(conn, team_id, target, record_id):
            raise InvalidRecordInput(field, f"no {target} with id {record_id} in this team")


def _team_owns(conn: Connection, team_id: int, target: str, record_id: int) -> bool:
    return record_id in _owned_ids(conn, team_id, target, {record_id})


def _check_deal_contacts(
    conn: Connection, team_id: int, contacts: list[dict[str, Any]] | None
) -> None:
    if not contacts:
        return
    table = schema.contacts
    ids = [c["contact_id"] for c in contacts]
    statement = sa.select(table.c.id).where(table.c.team_id == team_id, table.c.id.in_(ids))
    found = set(conn.execute(statement).scalars())
    for index, contact_id in enumerate(ids):
        if contact_id not in found:
            path = f"{DEAL_CONTACTS}.{index}.contact_id"
            raise InvalidRecordInput(path, f"no contact with id {contact_id} in this team")


def _replace_deal_contacts(
    conn: Connection, team_id: int, deal_id: int, contacts: list[dict[str, Any]]
) -> None:
    table = schema.deal_contacts
    conn.execute(sa.delete(table).where(table.c.deal_id == deal_id))
    if contacts:
        rows = [{"team_id": team_id, "deal_id": deal_id, **c} for c in contacts]
        conn.execute(sa.insert(table), rows)


def _deal_contacts_differ(conn: Connection, deal_id: int, contacts: list[dict[str, Any]]) -> bool:
    current = {(c["contact_id"], c["role"]) for c in deal_contacts_of(conn, [deal_id])[deal_id]}
    return current != {(c["contact_id"], c.get("role")) for c in contacts}


def _current_row(conn: Connection, spec: KindSpec, team_id: int, record_id: int) -> Any:
    table = spec.table
    statement = sa.select(table).where(table.c.id == record_id, table.c.team_id == team_id)
    # Lock the row (PostgreSQL; SQLite's writer already holds the database) so the fields an
    # update reports as changed are judged against the state it overwrites.
    return conn.execute(statement.with_for_update()).mappings().one_or_none()


# ---- reads -----------------------------------------------------------------------------------


def record_select(spec: KindSpec) -> sa.Select[Any]:
    """SELECT of a kind's records as the API shows them (``stage`` by name, no ``stage_id``)."""
    table = spec.table
    columns = [c for c in table.c if c.name != "stage_id"]
    if not spec.has_stage:
        return sa.select(*columns)
    stages = schema.stages
    joined = table.outerjoin(stages, stages.c.id == table.c.stage_id)
    return sa.select(*columns, stages.c.name.label("stage")).select_from(joined)


def get_record(conn: Connection, team_id: int, kind: str, record_id: int) -> dict[str, Any] | None:
    spec = spec_for(kind)
    statement = record_select(spec).where(
        spec.table.c.id == record_id, spec.table.c.team_id == team_id
    )
    row = conn.execute(statement).mappings().one_or_none()
    if row is None:
        return None
    return attach_deal_contacts(conn, kind, [dict(row)])[0]


def _must_get(conn: Connection, team_id: int, kind: str, record_id: int) -> dict[str, Any]:
    record = get_record(conn, team_id, kind, record_id)
    assert record is not None, "a record just written is readable in the same transaction"
    return record


def attach_deal_contacts(
    conn: Connection, kind: str, records: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    if kind != "deal" or not records:
        return records
    by_deal = deal_contacts_of(conn, [r["id"] for r in records])
    for record in records:
        record[DEAL_CONTACTS] = by_deal[record["id"]]
    return records


def deal_contacts_of(conn: Connection, deal_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    table = schema.deal_contacts
    statement = (
        sa.select(table.c.deal_id, table.c.contact_id, table.c.role)
        .where(table.c.deal_id.in_(deal_ids))
        .order_by(table.c.deal_id, table.c.contact_id)
    )
    result: dict[int, list[dict[str, Any]]] = {deal_id: [] for deal_id in deal_ids}
    for row in conn.execute(statement):
        result[row.deal_id].append({"contact_id": row.contact_id, "role": row.role})
    return result
