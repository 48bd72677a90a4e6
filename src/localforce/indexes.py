"""Hash indexes over records: external ids and unique fields, Email, Name and Website domain.

Each index maps a normalised key to one id (the common case, stored as a plain string) or a
list of ids, so a million records cost one dict entry each, not one set each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from localforce.schema import ObjectSchema

DOMAIN_FIELDS = frozenset({"website"})
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")


def website_domain(value: str) -> str:
    """``https://www.Acme.com/about`` → ``acme.com``."""
    host = _SCHEME.sub("", value.strip().lower())
    host = re.split(r"[/?#:]", host, maxsplit=1)[0]
    return host[4:] if host.startswith("www.") else host


class FieldIndex:
    def __init__(self, field_name: str, case_sensitive: bool) -> None:
        self.field_name = field_name
        self.case_sensitive = case_sensitive
        self.domain = field_name.lower() in DOMAIN_FIELDS
        self._map: dict[Any, str | list[str]] = {}

    def key(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
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
                self._map[key] = [current, record_id]
        elif record_id not in current:
            current.append(record_id)

    def remove(self, value: Any, record_id: str) -> None:
        if value is None:
            return
        key = self.key(value)
        current = self._map.get(key)
        if current == record_id:
            del self._map[key]
        elif isinstance(current, list) and record_id in current:
            current.remove(record_id)
            if len(current) == 1:
                self._map[key] = current[0]

    def ids(self, value: Any) -> list[str]:
        current = self._map.get(self.key(value))
        if current is None:
            return []
        return [current] if isinstance(current, str) else list(current)

    def clear(self) -> None:
        self._map.clear()


class ObjectIndexes:
    """All indexes of one object, kept in step with its records."""

    def __init__(self, obj: ObjectSchema) -> None:
        self.by_field: dict[str, FieldIndex] = {}
        for f in obj.fields.values():
            if f.type == "id":
                continue
            if f.external_id or f.unique or f.type == "email" or f.name in ("Name", "Website"):
                self.by_field[f.name.lower()] = FieldIndex(f.name, f.case_sensitive)

    def add(self, record: dict[str, Any]) -> None:
        for index in self.by_field.values():
            index.add(record.get(index.field_name), record["Id"])

    def remove(self, record: dict[str, Any]) -> None:
        for index in self.by_field.values():
            index.remove(record.get(index.field_name), record["Id"])

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
