"""A small in-memory org implementing the read API of the localforce contract, for SOQL unit tests.

It uses the real schema, and answers ``lookup`` only for the fields the real org indexes
(Id, external ids, Email, Name, Website), recording each call so tests can assert index use.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from localforce import ids
from localforce.schema import Schema, build_schema

INDEXED = {"id", "email", "name", "website", "pushforce_id__c"}


class FakeOrg:
    def __init__(self, schema: Schema | None = None) -> None:
        self.schema = schema or build_schema()
        self.records: dict[str, dict[str, Any]] = {}
        self.clock = datetime(2024, 3, 14, 12, 0, tzinfo=UTC)  # a Thursday
        self.lookups: list[tuple[str, str, list[object]]] = []
        self._ids = ids.IdGenerator()

    def now(self) -> datetime:
        return self.clock

    def add(self, sobject: str, **fields: Any) -> dict[str, Any]:
        obj = self.schema.object(sobject)
        assert obj is not None
        record = {f.name: None for f in obj.fields.values()}
        record.update(Id=self._ids.new(obj.key_prefix), IsDeleted=False)
        record.update(fields)
        self.records[record["Id"]] = record
        return record

    def get(self, record_id: str) -> dict[str, Any] | None:
        canonical = ids.normalize(record_id)
        return self.records.get(canonical) if canonical else None

    def scan(self, sobject: str, include_deleted: bool = False) -> Iterator[dict[str, Any]]:
        prefix = self.schema.object(sobject).key_prefix  # type: ignore[union-attr]
        for record in self.records.values():
            if record["Id"].startswith(prefix) and (include_deleted or not record["IsDeleted"]):
                yield record

    def lookup(
        self, sobject: str, field: str, values: Iterable[object], include_deleted: bool = False
    ) -> list[dict[str, Any]] | None:
        if field.lower() not in INDEXED:
            return None
        wanted = [v.lower() if isinstance(v, str) else v for v in values]
        self.lookups.append((sobject, field, wanted))
        found = []
        for record in self.scan(sobject, include_deleted):
            value = record.get(field)
            if (value.lower() if isinstance(value, str) else value) in wanted:
                found.append(record)
        return found
