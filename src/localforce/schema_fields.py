"""Short constructors for the field tables of `schema_objects` (system fields, addresses, ...)."""

from __future__ import annotations

from typing import Any

from localforce.ids import KEY_PREFIXES
from localforce.schema import FieldSchema, ObjectSchema, make_field


def field_of(name: str, type_: str, **props: Any) -> FieldSchema:
    return make_field(name, type_, **props)


def text(name: str, length: int, **props: Any) -> FieldSchema:
    return field_of(name, "string", length=length, **props)


def required(name: str, length: int, **props: Any) -> FieldSchema:
    return field_of(name, props.pop("type", "string"), length=length, nillable=False, **props)


def readonly(name: str, type_: str, **props: Any) -> FieldSchema:
    return field_of(name, type_, createable=False, updateable=False, **props)


def picklist(name: str, values: tuple[str, ...], **props: Any) -> FieldSchema:
    return field_of(name, "picklist", length=255, picklist_values=values, **props)


def defaulted_picklist(name: str, values: tuple[str, ...], default: str, **p: Any) -> FieldSchema:
    return picklist(
        name, values, nillable=False, defaulted_on_create=True, default_value=default, **p
    )


def ref(name: str, *targets: str, **props: Any) -> FieldSchema:
    props.setdefault("relationship_name", name[:-2])
    return field_of(name, "reference", length=18, reference_to=targets, **props)


def flag(name: str, default: bool = False, **props: Any) -> FieldSchema:
    return field_of(
        name, "boolean", nillable=False, defaulted_on_create=True, default_value=default, **props
    )


def phone(name: str, **props: Any) -> FieldSchema:
    return field_of(name, "phone", length=40, **props)


def email(name: str = "Email", **props: Any) -> FieldSchema:
    return field_of(name, "email", length=80, id_lookup=True, **props)


def long_text(name: str = "Description", length: int = 32000, **props: Any) -> FieldSchema:
    return field_of(name, "textarea", length=length, **props)


def address(prefix: str) -> list[FieldSchema]:
    return [
        long_text(f"{prefix}Street", 255),
        text(f"{prefix}City", 40),
        text(f"{prefix}State", 80),
        text(f"{prefix}PostalCode", 20),
        text(f"{prefix}Country", 80),
    ]


def system_fields(owned: bool = True) -> list[FieldSchema]:
    fields = [
        field_of(
            "Id",
            "id",
            length=18,
            nillable=False,
            createable=False,
            updateable=False,
            defaulted_on_create=True,
            id_lookup=True,
            unique=True,
        ),
        readonly("IsDeleted", "boolean", nillable=False, defaulted_on_create=True),
        readonly("CreatedDate", "datetime", nillable=False, defaulted_on_create=True),
        ref(
            "CreatedById",
            "User",
            nillable=False,
            createable=False,
            updateable=False,
            defaulted_on_create=True,
            relationship_name="CreatedBy",
        ),
        readonly("LastModifiedDate", "datetime", nillable=False, defaulted_on_create=True),
        ref(
            "LastModifiedById",
            "User",
            nillable=False,
            createable=False,
            updateable=False,
            defaulted_on_create=True,
            relationship_name="LastModifiedBy",
        ),
        readonly("SystemModstamp", "datetime", nillable=False, defaulted_on_create=True),
    ]
    if owned:
        fields.append(
            ref(
                "OwnerId",
                "User",
                nillable=False,
                defaulted_on_create=True,
                relationship_name="Owner",
            )
        )
    return fields


def master_record(object_name: str) -> FieldSchema:
    """Set on the losers of a merge (they are deleted and point at the winner)."""
    return ref(
        "MasterRecordId",
        object_name,
        createable=False,
        updateable=False,
        relationship_name="MasterRecord",
    )


def full_name() -> FieldSchema:
    return readonly("Name", "string", length=121, label="Full Name")


def obj(name: str, fields: list[FieldSchema], plural: str, **props: Any) -> ObjectSchema:
    return ObjectSchema(
        name=name,
        key_prefix=KEY_PREFIXES[name],
        fields={f.name.lower(): f for f in fields},
        label=props.pop("label", name),
        label_plural=plural,
        **props,
    )
