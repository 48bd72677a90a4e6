"""Field paths of a query bound to the schema: validation (INVALID_FIELD), reading, projection.

A path is the fields of the queried object or a walk through parent relationships
(``Account.Owner.Name``). A polymorphic relationship (``Who``, ``What``) lands on Salesforce's
``Name`` pseudo-object, whose few fields are read from whichever record the id points at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn, Protocol

from localforce.soql_ast import FieldRef, Pos, located_error

NAME_OBJECT = "Name"
# The Name pseudo-object (object reference: "Name"): canonical field → type.
NAME_FIELDS = {
    "Id": "id",
    "Name": "string",
    "Type": "string",
    "FirstName": "string",
    "LastName": "string",
    "Alias": "string",
    "Email": "email",
    "Phone": "phone",
    "Title": "string",
    "Username": "string",
    "IsActive": "boolean",
    "UserRoleId": "reference",
}
_NO_COLUMN = (
    "No such column '{column}' on entity '{entity}'. If you are attempting to use a custom field,"
    " be sure to append the '__c' after the custom field name. Please reference your WSDL or the"
    " describe call for the appropriate names."
)
_NO_RELATIONSHIP = (
    "Didn't understand relationship '{name}' in field path. If you are attempting to use a custom"
    " relationship, be sure to append the '__r' after the custom relationship name. Please"
    " reference your WSDL or the describe call for the appropriate names."
)
_NO_TYPE = (
    "sObject type '{name}' is not supported. If you are attempting to use a custom object, be"
    " sure to append the '__c' after the entity name. Please reference your WSDL or the describe"
    " call for the appropriate names."
)

Record = dict[str, Any]
Getter = Callable[[Record], Any]


class OrgReader(Protocol):
    schema: Any

    def get(self, record_id: str) -> Record | None: ...


@dataclass(frozen=True)
class Hop:
    id_field: str  # e.g. "AccountId"
    relationship: str  # e.g. "Account"
    polymorphic: bool


@dataclass(frozen=True)
class FieldPath:
    hops: tuple[Hop, ...]
    leaf: str  # canonical name on the last object
    type: str  # the leaf's field type
    entity: str  # the object (or "Name") the leaf belongs to
    text: str
    pos: Pos


def field_value(record: Record, name: str, field_type: str = "") -> Any:
    """A stored field; a person's compound Name is derived when the org does not store it, and
    a checkbox the org never set reads false (Salesforce booleans are never null)."""
    value = record.get(name)
    if value is None and field_type == "boolean":
        return False
    if value is None and name == "Name" and record.get("LastName") is not None:
        parts = (record.get("FirstName"), record.get("LastName"))
        return " ".join(p for p in parts if p)
    return value  # dates and datetimes are stored in their wire format already


class Binder:
    """Resolves names against the org schema for one query (errors carry its caret text)."""

    def __init__(self, org: OrgReader, query_text: str, alias: str | None = None) -> None:
        self.org = org
        self.query_text = query_text
        self.alias = alias
        self._types_by_prefix = {o.key_prefix: o.name for o in org.schema.objects.values()}
        self._relationships: dict[str, dict[str, Any]] = {}

    def sobject(self, name: str, pos: Pos) -> Any:
        found = self.org.schema.object(name)
        if found is None:
            raise located_error("INVALID_TYPE", self.query_text, pos, _NO_TYPE.format(name=name))
        return found

    def type_of(self, record_id: str) -> str:
        return str(self._types_by_prefix.get(record_id[:3], NAME_OBJECT))

    def path(self, root: Any, ref: FieldRef) -> FieldPath:
        parts = self._strip_object_prefix(root, ref.parts)
        obj: Any = root
        hops: list[Hop] = []
        for part in parts[:-1]:
            ref_field = None if obj is None else self._relationship(obj, part)
            if ref_field is None:
                self._fail(ref.pos, _NO_RELATIONSHIP.format(name=part))
            polymorphic = len(ref_field.reference_to) != 1
            hops.append(Hop(ref_field.name, ref_field.relationship_name, polymorphic))
            obj = None if polymorphic else self.org.schema.object(ref_field.reference_to[0])
        leaf, leaf_type = self._leaf(obj, parts[-1], ref.pos)
        entity = NAME_OBJECT if obj is None else obj.name
        return FieldPath(tuple(hops), leaf, leaf_type, entity, ref.text, ref.pos)

    def getter(self, path: FieldPath) -> Getter:
        leaf, leaf_type = path.leaf, path.type
        if not path.hops:
            return lambda r: field_value(r, leaf, leaf_type)
        read_leaf = self._leaf_reader(path)

        def get(record: Record) -> Any:
            current: Record | None = record
            for hop in path.hops:
                parent_id = current.get(hop.id_field) if current else None
                current = self.org.get(parent_id) if parent_id else None
            return read_leaf(current) if current is not None else None

        return get

    def _leaf_reader(self, path: FieldPath) -> Getter:
        if path.entity == NAME_OBJECT and path.leaf == "Type":
            return lambda r: self.type_of(r["Id"])
        return lambda r: field_value(r, path.leaf, path.type)

    def _leaf(self, obj: Any, name: str, pos: Pos) -> tuple[str, str]:
        if obj is None:
            canonical = next((f for f in NAME_FIELDS if f.lower() == name.lower()), None)
            if canonical is None:
                self._fail(pos, _NO_COLUMN.format(column=name, entity=NAME_OBJECT))
            return canonical, NAME_FIELDS[canonical]
        found = obj.field(name)
        if found is None:
            self._fail(pos, _NO_COLUMN.format(column=name, entity=obj.name))
        return found.name, found.type

    def _relationship(self, obj: Any, name: str) -> Any:
        by_name = self._relationships.get(obj.name)
        if by_name is None:
            by_name = {
                f.relationship_name.lower(): f
                for f in obj.fields.values()
                if f.type == "reference" and f.relationship_name
            }
            self._relationships[obj.name] = by_name
        return by_name.get(name.lower())

    def _strip_object_prefix(self, root: Any, parts: tuple[str, ...]) -> tuple[str, ...]:
        # "SELECT Contact.Email FROM Contact" and "SELECT c.Email FROM Contact c" are legal SOQL.
        prefixes = {root.name.lower(), (self.alias or root.name).lower()}
        prefixed = len(parts) > 1 and parts[0].lower() in prefixes
        if prefixed and self._relationship(root, parts[0]) is None:
            return parts[1:]
        return parts

    def _fail(self, pos: Pos, detail: str) -> NoReturn:
        raise located_error("INVALID_FIELD", self.query_text, pos, detail)


@dataclass
class _Node:
    """The select list as a tree: leaf fields and parent relationships, in select order."""

    order: list[tuple[str, str]] = field(default_factory=list)  # ("field"|"parent", key)
    parents: dict[str, tuple[Hop, _Node]] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)

    def add(self, hops: tuple[Hop, ...], leaf: str, leaf_type: str) -> None:
        if not hops:
            if ("field", leaf) not in self.order:
                self.order.append(("field", leaf))
                self.types[leaf] = leaf_type
            return
        hop = hops[0]
        if hop.relationship not in self.parents:
            self.parents[hop.relationship] = (hop, _Node())
            self.order.append(("parent", hop.relationship))
        self.parents[hop.relationship][1].add(hops[1:], leaf, leaf_type)


class Projection:
    """Renders stored records as query rows, with ``attributes`` on each (parent) object."""

    def __init__(self, binder: Binder, sobject: str, paths: list[FieldPath]) -> None:
        self.binder = binder
        self.sobject = sobject
        self.root = _Node()
        for path in paths:
            self.root.add(path.hops, path.leaf, path.type)

    def render(self, record: Record, version: str) -> Record:
        return self._render(record, self.root, self.sobject, version)

    def _render(self, record: Record, node: _Node, type_name: str, version: str) -> Record:
        record_type = self.binder.type_of(record["Id"]) if type_name == NAME_OBJECT else type_name
        url = f"/services/data/v{version}/sobjects/{record_type}/{record['Id']}"
        out: Record = {"attributes": {"type": type_name, "url": url}}
        for kind, key in node.order:
            if kind == "field":
                polymorphic_type = type_name == NAME_OBJECT and key == "Type"
                value = (
                    record_type if polymorphic_type else field_value(record, key, node.types[key])
                )
                out[key] = value
                continue
            hop, child = node.parents[key]
            out[key] = self._render_parent(record.get(hop.id_field), hop, child, version)
        return out

    def _render_parent(self, parent_id: Any, hop: Hop, node: _Node, version: str) -> Any:
        parent = self.binder.org.get(parent_id) if parent_id else None
        if parent is None:
            return None
        type_name = NAME_OBJECT if hop.polymorphic else self.binder.type_of(parent["Id"])
        return self._render(parent, node, type_name, version)
