"""Records and metadata as Salesforce serialises them: `attributes`, every field, nulls."""

from __future__ import annotations

from typing import Any

from localforce.schema import FieldSchema, ObjectSchema

SOAP_TYPES = {
    "id": "tns:ID",
    "reference": "tns:ID",
    "boolean": "xsd:boolean",
    "date": "xsd:date",
    "datetime": "xsd:dateTime",
    "double": "xsd:double",
    "currency": "xsd:double",
    "percent": "xsd:double",
    "int": "xsd:int",
    "base64": "xsd:base64Binary",
}


def sobject_url(version: str, sobject: str, record_id: str | None = None) -> str:
    base = f"/services/data/v{version}/sobjects/{sobject}"
    return f"{base}/{record_id}" if record_id else base


def render_record(
    obj: ObjectSchema, record: dict[str, Any], version: str, fields: list[FieldSchema] | None = None
) -> dict[str, Any]:
    record_id = record["Id"]
    out: dict[str, Any] = {
        "attributes": {"type": obj.name, "url": sobject_url(version, obj.name, record_id)}
    }
    for f in fields if fields is not None else obj.fields.values():
        value = record.get(f.name)
        if f.type == "base64" and value is not None:
            value = f"{sobject_url(version, obj.name, record_id)}/{f.name}"
        out[f.name] = value
    return out


def describe_field(f: FieldSchema) -> dict[str, Any]:
    text = f.type not in SOAP_TYPES
    return {
        "name": f.name,
        "label": f.label,
        "type": f.type,
        "soapType": SOAP_TYPES.get(f.type, "xsd:string"),
        "length": f.length if text or f.type in ("id", "reference") else 0,
        "byteLength": f.length * 3 if text or f.type in ("id", "reference") else 0,
        "precision": f.precision,
        "scale": f.scale,
        "digits": f.precision if f.type == "int" else 0,
        "nillable": f.nillable,
        "createable": f.createable,
        "updateable": f.updateable,
        "defaultedOnCreate": f.defaulted_on_create,
        "defaultValue": f.default_value if f.type == "boolean" else None,
        "defaultValueFormula": None,
        "calculated": False,
        "autoNumber": False,
        "unique": f.unique,
        "externalId": f.external_id,
        "idLookup": f.id_lookup,
        "caseSensitive": f.case_sensitive,
        "filterable": f.type != "textarea" or f.length <= 255,
        "sortable": f.type != "textarea" or f.length <= 255,
        "groupable": f.type not in NUMBER_LIKE,
        "picklistValues": [_picklist_entry(f, v) for v in f.picklist_values],
        "restrictedPicklist": f.restricted_picklist,
        "dependentPicklist": False,
        "controllerName": None,
        "referenceTo": list(f.reference_to),
        "relationshipName": f.relationship_name,
        "polymorphicForeignKey": f.polymorphic,
        "custom": f.custom,
        "htmlFormatted": False,
        "nameField": f.name == "Name",
        "permissionable": f.nillable and not f.custom and f.createable,
    }


NUMBER_LIKE = frozenset({"double", "currency", "percent", "datetime", "base64"})


def _picklist_entry(f: FieldSchema, value: str) -> dict[str, Any]:
    return {
        "active": True,
        "defaultValue": value == f.default_value,
        "label": value,
        "value": value,
        "validFor": None,
    }


def object_summary(obj: ObjectSchema, version: str) -> dict[str, Any]:
    base = sobject_url(version, obj.name)
    return {
        "name": obj.name,
        "label": obj.label,
        "labelPlural": obj.label_plural,
        "keyPrefix": obj.key_prefix,
        "custom": False,
        "customSetting": False,
        "createable": obj.createable,
        "updateable": obj.updateable,
        "deletable": obj.deletable,
        "undeletable": obj.deletable,
        "mergeable": obj.name in ("Account", "Contact", "Lead"),
        "queryable": True,
        "retrieveable": True,
        "searchable": True,
        "layoutable": True,
        "triggerable": True,
        "replicateable": True,
        "feedEnabled": False,
        "activateable": False,
        "deprecatedAndHidden": False,
        "urls": {"sobject": base, "describe": f"{base}/describe", "rowTemplate": f"{base}/{{ID}}"},
    }


def describe_object(
    obj: ObjectSchema, version: str, children: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        **object_summary(obj, version),
        "fields": [describe_field(f) for f in obj.fields.values()],
        "childRelationships": children,
        "recordTypeInfos": [
            {
                "active": True,
                "available": True,
                "defaultRecordTypeMapping": True,
                "developerName": "Master",
                "master": True,
                "name": "Master",
                "recordTypeId": "012000000000000AAA",
            }
        ],
    }


def child_relationships(schema_objects: list[ObjectSchema], parent: str) -> list[dict[str, Any]]:
    children = []
    for obj in schema_objects:
        for f in obj.fields.values():
            if parent in f.reference_to and f.name not in ("CreatedById", "LastModifiedById"):
                children.append(
                    {
                        "childSObject": obj.name,
                        "field": f.name,
                        "cascadeDelete": False,
                        "relationshipName": None,
                    }
                )
    return children
