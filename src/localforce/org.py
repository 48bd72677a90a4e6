"""The org: records of every object, their indexes, and the DML operations with validation.

Records are dicts with canonical field names, dates as ``"YYYY-MM-DD"`` and datetimes as
``"YYYY-MM-DDTHH:MM:SS.000+0000"`` strings (the wire format: every write path goes through
`validation.coerce_value`, and snapshots of older formats are converted on load). They always
hold `Id` (18 chars), `IsDeleted` and the object's system fields; any other field that is
absent is null (records are stored sparse so a million of them fit in memory). Record dicts
are never mutated in place — every write stores a new dict — so a dict returned by
`get`/`scan`/`lookup` is a stable snapshot; do not mutate it.

Deleted records stay in the store with ``IsDeleted: True`` (the recycle bin, seen by queryAll).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from localforce import ids
from localforce.cascade import dependents
from localforce.clock import Clock
from localforce.derived import derive
from localforce.duplicates import DuplicateRule, check_duplicates
from localforce.errors import entity_is_deleted, fail, invalid_field
from localforce.indexes import ObjectIndexes
from localforce.org_checks import (
    check_activity_relations,
    check_event_times,
    check_not_converted,
    check_references,
    check_unique,
)
from localforce.org_journal import (
    _TRANSACTION,
    WRITES,
    MultipleMatches,
    Transaction,
    duplicate_external_id,
)
from localforce.schema import ObjectSchema, Schema
from localforce.side_effects import after_save
from localforce.validation import ParsedInput, coerce_input, coerce_value, missing_required
from localforce.values import format_datetime

Record = dict[str, Any]
SYSTEM_STAMPS = ("CreatedDate", "LastModifiedDate", "SystemModstamp")
ACTIVITIES = frozenset({"task", "event"})
__all__ = ["WRITES", "MultipleMatches", "Org", "Transaction"]


class Org:
    default_version = "60.0"

    def __init__(
        self,
        schema: Schema,
        duplicate_rules: Iterable[DuplicateRule] = (),
        org_name: str = "Localforce",
    ) -> None:
        self.schema = schema
        self.duplicate_rules = list(duplicate_rules)
        self.org_name = org_name
        self.clock = Clock()
        self.lock = threading.RLock()
        self.reset()

    # -- state -------------------------------------------------------------------------------
    def reset(self) -> None:
        with self.lock:
            previous = getattr(self, "ids", None)
            self.ids = ids.IdGenerator()
            # keeps counting across resets: a snapshot taken at change N must never pass for a
            # later, different org that happens to be at change N again
            self.changes = getattr(self, "changes", 0) + 1
            self._last_stamp = ""
            self.records: dict[str, Record] = {}
            self.tables: dict[str, dict[str, Record]] = {name: {} for name in self.schema.objects}
            self.indexes = {name: ObjectIndexes(obj) for name, obj in self.schema.objects.items()}
            self.org_id = self.ids.new(ids.KEY_PREFIXES["Organization"])
            self.user_id = self.ids.new(ids.KEY_PREFIXES["User"])
            if previous is not None and previous.last > self.ids.last:
                # same organization and user ids, but no record id is ever handed out twice
                self.ids = ids.IdGenerator(start=previous.last + 1)
            self._seed_system_records()

    def _seed_system_records(self) -> None:
        self.system_insert(
            "Organization",
            {
                "Id": self.org_id,
                "Name": self.org_name,
                "OrganizationType": "Enterprise Edition",
                "IsSandbox": False,
                "InstanceName": "LF01",
                "DefaultLocaleSidKey": "en_US",
                "TimeZoneSidKey": "America/Los_Angeles",
                "LanguageLocaleKey": "en_US",
            },
        )
        self.system_insert(
            "User",
            {
                "Id": self.user_id,
                "Username": "integration@localforce.test",
                "LastName": "User",
                "FirstName": "Integration",
                "Alias": "integ",
                "Email": "integration@localforce.test",
                "TimeZoneSidKey": "America/Los_Angeles",
                "LocaleSidKey": "en_US",
                "LanguageLocaleKey": "en_US",
                "EmailEncodingKey": "UTF-8",
            },
        )

    def load_records(self, records: Iterable[Record], id_last: int) -> None:
        """Replace the state with stored records (a snapshot); no validation."""
        with self.lock:
            self.reset()
            for record in records:
                self._place(
                    self.object_of(record).lower(),
                    record["Id"],
                    record,
                    self.records.get(record["Id"]),
                )
            self.ids = ids.IdGenerator(start=id_last + 1)

    def now(self) -> datetime:
        return self.clock.now()

    def object(self, name: str) -> ObjectSchema:
        obj = self.schema.object(name)
        if obj is None:
            raise fail("INVALID_TYPE", f"sObject type '{name}' is not supported.", None)
        return obj

    # -- reads -------------------------------------------------------------------------------
    def get(self, record_id: str) -> Record | None:
        normalized = ids.normalize(record_id)
        return self.records.get(normalized) if normalized else None

    def scan(self, sobject: str, include_deleted: bool = False) -> Iterator[Record]:
        table = self.tables.get(sobject.lower(), {})
        with self.lock:
            rows = list(table.values())
        return (r for r in rows if include_deleted or not r["IsDeleted"])

    def lookup(
        self, sobject: str, field: str, values: Iterable[Any], include_deleted: bool = False
    ) -> list[Record] | None:
        """Records whose `field` matches one of `values` through an index; None if unindexed.

        Text keys compare case-insensitively (unless the field is case-sensitive); a Website
        look-up matches by domain, so callers re-apply their exact predicate.
        """
        obj = self.object(sobject)
        if field.lower() == "id":
            found = (self.get(v) for v in values if isinstance(v, str))
            candidates = [r for r in found if r is not None and r["Id"].startswith(obj.key_prefix)]
        else:
            candidate_ids = self.indexes[obj.name.lower()].candidates(field, values)
            if candidate_ids is None:
                return None
            candidates = [self.records[i] for i in candidate_ids]
        return [r for r in candidates if include_deleted or not r["IsDeleted"]]

    def count(self, sobject: str) -> int:
        return len(self.tables.get(sobject.lower(), {}))

    # -- DML ---------------------------------------------------------------------------------
    def insert(self, sobject: str, body: Mapping[str, Any], allow_save: bool = False) -> str:
        obj = self.object(sobject)
        if not obj.createable:
            raise fail(
                "INVALID_TYPE_FOR_OPERATION", f"entity type cannot be inserted: {obj.name}", ()
            )
        with self.lock:
            values = self._parse(obj, body, creating=True)
            record = self._new_record(obj, values)
            self._validate(obj, record, values, allow_save, creating=True)
            self._put(obj, record)
            after_save(self, obj.name, record, values, created=True)
            return str(record["Id"])

    def update(
        self,
        record_id: str,
        body: Mapping[str, Any],
        sobject: str | None = None,
        allow_save: bool = False,
    ) -> str:
        with self.lock:
            current = self._existing(record_id, sobject)
            obj = self.object(self.object_of(current))
            if obj.name == "Lead":
                check_not_converted(current)
            values = self._parse(obj, body, creating=False)
            record = {**current, **values}
            self._stamp(record, created=False)
            self._validate(obj, record, values, allow_save, creating=False)
            self._put(obj, record)
            after_save(self, obj.name, record, values, created=False)
            return str(record["Id"])

    def upsert(
        self,
        sobject: str,
        field: str,
        value: Any,
        body: Mapping[str, Any],
        allow_save: bool = False,
    ) -> tuple[str, bool]:
        """Update the one record whose external id `field` equals `value`, or create it."""
        obj = self.object(sobject)
        ext = obj.field(field)
        if ext is None or not (ext.external_id or ext.id_lookup):
            raise fail(
                "NOT_FOUND",
                f"Provided external ID field does not exist or is not accessible: {field}",
                None,
                status=404,
            )
        body = {k: v for k, v in body.items() if k.lower() != ext.name.lower()}
        with self.lock:
            if ext.type == "id":
                if value in (None, ""):
                    return self.insert(obj.name, body, allow_save), True
                return self.update(value, body, obj.name, allow_save), False
            matches = self.find_by_external_id(obj, ext.name, value)
            if len(matches) > 1:
                raise MultipleMatches(obj.name, [m["Id"] for m in matches])
            if matches:
                return self.update(matches[0]["Id"], body, obj.name, allow_save), False
            return self.insert(obj.name, {**body, ext.name: value}, allow_save), True

    def delete(self, record_id: str, sobject: str | None = None) -> str:
        with self.lock:
            current = self._existing(record_id, sobject)
            obj = self.object(self.object_of(current))
            if not obj.deletable:
                raise fail(
                    "INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object id", ()
                )
            self._mark_deleted(obj, current)
            return str(current["Id"])

    def _mark_deleted(self, obj: ObjectSchema, current: Record) -> None:
        record = {**current, "IsDeleted": True}
        self._stamp(record, created=False)
        self._put(obj, record)
        for child in list(dependents(self, obj.name, record["Id"])):
            if not self.records[child["Id"]]["IsDeleted"]:  # reached twice (Task: Who and What)
                self._mark_deleted(self.object(self.object_of(child)), child)

    # -- system writes (seeding, lead conversion, merge) ----------------------------------------
    def system_insert(self, sobject: str, values: Mapping[str, Any]) -> str:
        """Insert without permission or relation checks; values may set read-only fields and Id."""
        obj = self.object(sobject)
        with self.lock:
            canonical = self._system_values(obj, values)
            record = self._new_record(obj, canonical, canonical.get("Id"))
            derive(obj.name, record, canonical, self)
            self._put(obj, record)
            return str(record["Id"])

    def system_update(self, record_id: str, values: Mapping[str, Any]) -> str:
        with self.lock:
            current = self.get(record_id)
            if current is None:
                raise fail(
                    "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", (), status=404
                )
            obj = self.object(self.object_of(current))
            canonical = self._system_values(obj, values)
            record = {**current, **canonical}
            self._stamp(record, created=False)
            derive(obj.name, record, canonical, self)
            self._put(obj, record)
            return str(record["Id"])

    def _system_values(self, obj: ObjectSchema, values: Mapping[str, Any]) -> Record:
        canonical: Record = {}
        for name, value in values.items():
            f = obj.field(name)
            if f is None:
                raise invalid_field(name, obj.name)
            canonical[f.name] = (
                self._seed_id(obj, value) if f.type == "id" else coerce_value(f, value)
            )
        return canonical

    def _seed_id(self, obj: ObjectSchema, value: Any) -> str:
        record_id = ids.normalize(value)
        if record_id is None or not record_id.startswith(obj.key_prefix):
            raise fail("MALFORMED_ID", f"malformed id {value}", ("Id",))
        return record_id

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Journal writes so the caller can `rollback()`; an exception rolls back too."""
        parent = _TRANSACTION.get()
        tx = Transaction(self)
        token = _TRANSACTION.set(tx)
        try:
            yield tx
        except BaseException:
            tx.rollback()
            raise
        finally:
            _TRANSACTION.reset(token)
        if parent is not None:
            parent.journal.extend(tx.journal)

    # -- internals ---------------------------------------------------------------------------
    def object_of(self, record: Record) -> str:
        obj = self.schema.by_prefix(ids.key_prefix(record["Id"]))
        assert obj is not None
        return obj.name

    def _existing(self, record_id: str, sobject: str | None) -> Record:
        normalized = ids.normalize(record_id)
        if normalized is None:
            raise fail("MALFORMED_ID", f"malformed id {record_id}", (), status=400)
        current = self.records.get(normalized)
        if (
            sobject is not None
            and current is not None
            and self.object_of(current).lower() != sobject.lower()
        ):
            current = None
        if current is None:
            raise fail("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", (), status=404)
        if current["IsDeleted"]:
            raise entity_is_deleted(status=404)
        return current

    def find_by_external_id(self, obj: ObjectSchema, field: str, value: Any) -> list[Record]:
        found = self.lookup(obj.name, field, [value])
        if found is None:
            lowered = str(value).lower()
            found = [r for r in self.scan(obj.name) if str(r.get(field, "")).lower() == lowered]
        return found

    def _parse(self, obj: ObjectSchema, body: Mapping[str, Any], creating: bool) -> Record:
        parsed = coerce_input(obj, body, creating)
        self._resolve_relationships(obj, parsed)
        return parsed.values

    def _resolve_relationships(self, obj: ObjectSchema, parsed: ParsedInput) -> None:
        for field_name, (target, ext_field, value) in parsed.references.items():
            target_obj = self.object(target or "")
            matches = self.find_by_external_id(target_obj, ext_field, value)
            if len(matches) != 1:
                code = "DUPLICATE_EXTERNAL_ID" if matches else "INVALID_FIELD"
                message = (
                    (
                        f"Foreign key external ID: {value} not found for field {ext_field} in "
                        f"entity {target_obj.name}"
                    )
                    if not matches
                    else duplicate_external_id().message
                )
                raise fail(code, message, ())
            parsed.values[field_name] = matches[0]["Id"]

    def _new_record(
        self, obj: ObjectSchema, values: Record, record_id: str | None = None
    ) -> Record:
        record: Record = {"Id": record_id or self.ids.new(obj.key_prefix), "IsDeleted": False}
        for f in obj.fields.values():
            if f.defaulted_on_create and f.default_value is not None:
                record[f.name] = f.default_value
        if obj.field("OwnerId"):
            record["OwnerId"] = self.user_id
        record.update({k: v for k, v in values.items() if v is not None or k not in record})
        self._stamp(record, created=True)
        return {k: v for k, v in record.items() if v is not None or k == "Id"}

    def _stamp(self, record: Record, created: bool) -> None:
        now = format_datetime(self.now())
        if now == self._last_stamp:  # share one string between records of the same millisecond
            now = self._last_stamp
        self._last_stamp = now
        obj = self.object(self.object_of(record))
        for name in SYSTEM_STAMPS if created else SYSTEM_STAMPS[1:]:
            if obj.field(name) and (not created or name not in record):
                record[name] = now
        for name in ("CreatedById", "LastModifiedById") if created else ("LastModifiedById",):
            if obj.field(name) and (not created or name not in record):
                record[name] = self.user_id

    def _validate(
        self, obj: ObjectSchema, record: Record, changes: Record, allow_save: bool, creating: bool
    ) -> None:
        missing = missing_required(obj, record, None if creating else list(changes))
        if missing is not None:
            raise missing
        check_references(self, obj, changes)
        key = obj.name.lower()
        if key in ACTIVITIES:
            check_activity_relations(record)
        derive(obj.name, record, changes, self)
        if key == "event":
            check_event_times(record)
        check_unique(self, obj, record, changes)
        check_duplicates(self, obj.name, record, allow_save)

    def _put(self, obj: ObjectSchema, record: Record) -> None:
        record = {k: v for k, v in record.items() if v is not None or k == "Id"}
        record_id = record["Id"]
        previous = self.records.get(record_id)
        tx = _TRANSACTION.get()
        if tx is not None:
            tx.journal.append((record_id, previous))
        self._place(obj.name.lower(), record_id, record, previous)
        writes = WRITES.get()
        if writes is not None:
            writes[0] += 1

    def _place(
        self, table: str, record_id: str, record: Record | None, previous: Record | None
    ) -> None:
        index = self.indexes[table]
        self.changes += 1
        if record is None:
            if previous is not None:
                index.remove(previous)
            self.records.pop(record_id, None)
            self.tables[table].pop(record_id, None)
            return
        self.records[record_id] = record
        self.tables[table][record_id] = record
        if previous is None:
            index.add(record)
        else:
            index.replace(previous, record)

    def _restore(self, record_id: str, previous: Record | None) -> None:
        current = self.records.get(record_id)
        table = self.object_of(current or previous or {"Id": record_id}).lower()
        self._place(table, record_id, previous, current)
