"""Object and field metadata: the read API every other localforce layer relies on.

`build_schema(config)` returns the standard objects (see `schema_objects`) plus the custom
fields from the config, including the default `Pushforce_Id__c` fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

TEXT_TYPES = frozenset(
    ["string", "email", "phone", "url", "textarea", "picklist", "multipicklist", "combobox"]
)
NUMBER_TYPES = frozenset(["double", "currency", "int", "percent"])
FIELD_TYPES = (
    TEXT_TYPES | NUMBER_TYPES | {"id", "reference", "boolean", "date", "datetime", "base64"}
)


@dataclass(frozen=True)
class FieldSchema:
    name: str
    type: str
    length: int = 0
    nillable: bool = True
    createable: bool = True
    updateable: bool = True
    defaulted_on_create: bool = False
    external_id: bool = False
    unique: bool = False
    case_sensitive: bool = False
    picklist_values: tuple[str, ...] = ()
    restricted_picklist: bool = False
    reference_to: tuple[str, ...] = ()
    relationship_name: str | None = None
    label: str = ""
    default_value: Any = None
    id_lookup: bool = False
    custom: bool = False
    precision: int = 0
    scale: int = 0

    @property
    def required_on_create(self) -> bool:
        return self.createable and not self.nillable and not self.defaulted_on_create

    @property
    def polymorphic(self) -> bool:
        return len(self.reference_to) > 1


@dataclass
class ObjectSchema:
    name: str
    key_prefix: str
    fields: dict[str, FieldSchema]
    label: str = ""
    label_plural: str = ""
    createable: bool = True
    updateable: bool = True
    deletable: bool = True

    def field(self, name: str) -> FieldSchema | None:
        return self.fields.get(name.lower())

    def field_names(self) -> list[str]:
        return [f.name for f in self.fields.values()]

    def relationship(self, name: str) -> FieldSchema | None:
        """The reference field whose relationship name is `name` (case-insensitive)."""
        lowered = name.lower()
        for f in self.fields.values():
            if f.relationship_name and f.relationship_name.lower() == lowered:
                return f
        return None

    def external_id_fields(self) -> list[FieldSchema]:
        return [f for f in self.fields.values() if f.external_id]


@dataclass
class Schema:
    objects: dict[str, ObjectSchema] = field(default_factory=dict)

    def object(self, name: str) -> ObjectSchema | None:
        return self.objects.get(name.lower())

    def add(self, obj: ObjectSchema) -> None:
        self.objects[obj.name.lower()] = obj

    def by_prefix(self, prefix: str) -> ObjectSchema | None:
        for obj in self.objects.values():
            if obj.key_prefix == prefix:
                return obj
        return None


def label_for(name: str) -> str:
    """Salesforce-style label from an API name: ``AccountId`` → ``Account ID``."""
    base = name[:-3] if name.endswith("__c") else name
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", base).replace("_", " ").split()
    return " ".join("ID" if w == "Id" else w for w in words)


def make_field(name: str, type_: str, **props: Any) -> FieldSchema:
    if type_ not in FIELD_TYPES:
        raise ValueError(f"unknown field type {type_!r} for field {name!r}")
    props.setdefault("label", label_for(name))
    if "picklist_values" in props:
        props["picklist_values"] = tuple(props["picklist_values"])
    if "reference_to" in props:
        props["reference_to"] = tuple(props["reference_to"])
    return FieldSchema(name=name, type=type_, **props)


def with_fields(obj: ObjectSchema, fields: Iterable[FieldSchema]) -> ObjectSchema:
    merged = dict(obj.fields)
    merged.update({f.name.lower(): f for f in fields})
    return replace(obj, fields=merged)


CUSTOM_FIELD_KEYS = {
    "name",
    "type",
    "length",
    "label",
    "external_id",
    "unique",
    "case_sensitive",
    "required",
    "picklist_values",
    "restricted_picklist",
    "reference_to",
    "default_value",
    "precision",
    "scale",
}


def custom_field_from_config(object_name: str, spec: Mapping[str, Any]) -> FieldSchema:
    """A custom field from a config entry such as ``{"name": "Ext__c", "type": "string", ...}``."""
    where = f"custom_fields.{object_name}"
    unknown = set(spec) - CUSTOM_FIELD_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    name = spec.get("name")
    if not isinstance(name, str) or not name.endswith("__c"):
        raise ValueError(f"{where}: field name {name!r} must end with __c")
    props = {k: v for k, v in spec.items() if k not in {"name", "type", "required"}}
    type_ = spec.get("type", "string")
    if type_ in TEXT_TYPES and "length" not in props:
        props["length"] = 255
    if spec.get("external_id"):
        props["id_lookup"] = True
    if type_ == "reference":
        props["relationship_name"] = name[:-3] + "__r"
    props["nillable"] = not spec.get("required", False) and type_ != "boolean"
    if type_ == "boolean":
        props.update(defaulted_on_create=True, default_value=bool(spec.get("default_value")))
    try:
        return make_field(name, type_, custom=True, **props)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}.{name}: {exc}") from exc


PUSHFORCE_ID_FIELD = "Pushforce_Id__c"
PUSHFORCE_EXTERNAL_ID_OBJECTS = ("Account", "Contact", "Lead", "Opportunity")
PUSHFORCE_PLAIN_OBJECTS = ("Task", "Event")


def pushforce_id_fields() -> dict[str, FieldSchema]:
    """The default `Pushforce_Id__c` field per object (PRODUCT links records by it)."""
    external = make_field(
        PUSHFORCE_ID_FIELD,
        "string",
        length=64,
        external_id=True,
        unique=True,
        id_lookup=True,
        custom=True,
        label="Pushforce Id",
    )
    plain = make_field(PUSHFORCE_ID_FIELD, "string", length=64, custom=True, label="Pushforce Id")
    fields = {name: external for name in PUSHFORCE_EXTERNAL_ID_OBJECTS}
    fields.update({name: plain for name in PUSHFORCE_PLAIN_OBJECTS})
    return fields


def build_schema(
    custom_fields: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    pushforce_id_fields_enabled: bool = True,
    restricted_picklists: Iterable[str] = (),
) -> Schema:
    from localforce.schema_objects import standard_objects

    schema = Schema()
    for obj in standard_objects():
        schema.add(obj)
    if pushforce_id_fields_enabled:
        for object_name, f in pushforce_id_fields().items():
            _add_fields(schema, object_name, [f])
    for object_name, specs in (custom_fields or {}).items():
        _add_fields(schema, object_name, [custom_field_from_config(object_name, s) for s in specs])
    for dotted in restricted_picklists:
        _restrict_picklist(schema, dotted)
    return schema


def _add_fields(schema: Schema, object_name: str, fields: list[FieldSchema]) -> None:
    obj = schema.object(object_name)
    if obj is None:
        raise ValueError(f"custom_fields: unknown object {object_name!r}")
    schema.add(with_fields(obj, fields))


def _restrict_picklist(schema: Schema, dotted: str) -> None:
    object_name, _, field_name = dotted.partition(".")
    obj = schema.object(object_name)
    f = obj.field(field_name) if obj else None
    if obj is None or f is None or f.type != "picklist":
        raise ValueError(f"restricted_picklists: {dotted!r} is not a picklist field")
    schema.add(with_fields(obj, [replace(f, restricted_picklist=True)]))
