"""What the gateway knows about an org's objects, from ``describe`` (pure values; the port in
``pushforce.app.ports`` uses them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["PUSHFORCE_ID_FIELD", "FieldInfo", "ObjectInfo", "object_info"]

PUSHFORCE_ID_FIELD = "Pushforce_Id__c"


@dataclass(frozen=True, slots=True)
class FieldInfo:
    name: str
    type: str
    length: int
    nillable: bool
    createable: bool
    updateable: bool
    picklist_values: tuple[str, ...] = ()
    restricted: bool = False
    external_id: bool = False


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    name: str
    fields: Mapping[str, FieldInfo] = field(default_factory=dict)

    @property
    def has_pushforce_id(self) -> bool:
        """R16: ``Pushforce_Id__c`` exists and is an External ID, so creates can be upserts."""
        info = self.fields.get(PUSHFORCE_ID_FIELD)
        return info is not None and info.external_id

    def field(self, name: str) -> FieldInfo | None:
        """A field by name, case-insensitively (Salesforce field names are)."""
        found = self.fields.get(name)
        if found is not None:
            return found
        lowered = name.lower()
        return next((f for n, f in self.fields.items() if n.lower() == lowered), None)


def object_info(describe: Mapping[str, Any]) -> ObjectInfo:
    """``GET /sobjects/X/describe`` → :class:`ObjectInfo`."""
    fields = {spec["name"]: _field(spec) for spec in describe.get("fields", [])}
    return ObjectInfo(str(describe["name"]), fields)


def _field(spec: Mapping[str, Any]) -> FieldInfo:
    values = tuple(
        str(entry["value"])
        for entry in spec.get("picklistValues") or ()
        if entry.get("active", True)
    )
    return FieldInfo(
        name=str(spec["name"]),
        type=str(spec.get("type", "")),
        length=int(spec.get("length") or 0),
        nillable=bool(spec.get("nillable", True)),
        createable=bool(spec.get("createable", False)),
        updateable=bool(spec.get("updateable", False)),
        picklist_values=values,
        restricted=bool(spec.get("restrictedPicklist", False)),
        external_id=bool(spec.get("externalId", False)),
    )
