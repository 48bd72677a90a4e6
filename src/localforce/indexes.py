"""Hash indexes over records: external ids and unique fields, Email, Name, Website domain, and
reference fields (AccountId, WhoId, ...: children of a record, for cascades and look-ups).

Each index maps a normalised key to one id (the common case, stored as a plain string) or an
insertion-ordered dict of ids, so a million records cost one dict entry each, not one set each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from localforce import ids
from localforce.schema import FieldSchema, ObjectSchema

DOMAIN_FIELDS = frozenset({"website"})
# Every record points at the one running user: an index on these would be one giant entry.
UNINDEXED_REFERENCES = frozenset({"OwnerId", "CreatedById", "LastModifiedById"})
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")


def website_domain(value: str) -> str:
    """``https://www.Acme.com/about`` → ``acme.com``."""
    host = _SCHEME.sub("", value.strip().lower())
    host = re.split(r"[/?#:]", host, maxsplit=1)[0]
    return host[4:] if host.startswith("www.") else host


class FieldIndex:
    def __init__(self, field_name: str, case_sensitive: bool, reference: bool = False) -> None:
        self.field_name = field_name
        self.case_sensitive = case_sensitive
        self.reference = reference
        self.domain = field_name.lower() in DOMAIN_FIELDS
        # one id as a plain string; several as an insertion-ordered dict (O(1) removal)
        self._map: dict[Any, str | dict[str, None]] = {}

    def key(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if self.reference:
            return ids.normalize(value) or value
        if self.domain:
            return website_domain(value)
        return value if self.case_sensitive else value.lower()

    def add(self, value: Any, record_id: str) -> None:
        if value is None:
            return
        key = self.key(value)
        current = self._map.get(key)
        if current is None:
            self._map[key] = record_id
        elif isinstance(current, str):
            if current != record_id:
                self._map[key] = {current: None, record_id: None}
        else:
            current[record_id] = None

    def remove(self, value: Any, record_id: str) -> None:
        if value is None:
            return
        key = self.key(value)
        current = self._map.get(key)
        if current == record_id:
            del self._map[key]
        elif isinstance(current, dict) and record_id in current:
            del current[record_id]
            if len(current) == 1:
                self._map[key] = next(iter(current))

    def ids(self, value: Any) -> list[str]:
        current = self._map.get(self.key(value))
        if current is None:
            return []
        return [current] if isinstance(current, str) else list(current)

    def clear(self) -> None:
        self._map.clear()


def _indexed(f: FieldSchema) -> bool:
    if f.type == "reference":
        return f.name not in UNINDEXED_REFERENCES
    return f.external_id or f.unique or f.type == "email" or f.name in ("Name", "Website")


class ObjectIndexes:
    """All indexes of one object, kept in step with its records."""

    def __init__(self, obj: ObjectSchema) -> None:
        self.by_field: dict[str, FieldIndex] = {
            f.name.lower(): FieldIndex(f.name, f.case_sensitive, f.type == "reference")
            for f in obj.fields.values()
            if f.type != "id" and _indexed(f)
        }

    def add(self, record: dict[str, Any]) -> None:
        for index in self.by_field.values():
            index.add(record.get(index.field_name), record["Id"])

    def remove(self, record: dict[str, Any]) -> None:
        for index in self.by_field.values():
            index.remove(record.get(index.field_name), record["Id"])

    def replace(self, previous: dict[str, Any], record: dict[str, Any]) -> None:
        """Re-index only the fields whose value changed."""
        for index in self.by_field.values():
            old, new = previous.get(index.field_name), record.get(index.field_name)
            if old != new:
                index.remove(old, record["Id"])
                index.add(new, record["Id"])

    def get(self, field_name: str) -> FieldIndex | None:
        return self.by_field.get(field_name.lower())

    def candidates(self, field_name: str, values: Iterable[Any]) -> list[str] | None:
        index = self.get(field_name)
        if index is None:
            return None
        found: dict[str, None] = {}
        for value in values:
            for record_id in index.ids(value):
                found[record_id] = None
        return list(found)
