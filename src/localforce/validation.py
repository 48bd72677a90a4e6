"""Field-level validation of incoming values (reference §8): names, types, lengths, formats.

`coerce_input` turns a request body into canonical field names and stored values, raising
`OrgError` with Salesforce's code, message and fields for the first problem found. Checks that
need other records (references, uniqueness, duplicates) live in `org_checks`.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from localforce import ids
from localforce.errors import OrgError, fail, invalid_field, json_parser_error
from localforce.schema import NUMBER_TYPES, TEXT_TYPES, FieldSchema, ObjectSchema
from localforce.values import format_datetime, parse_date, parse_datetime

EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$"
)
JSON_TYPE_NAMES = {
    "double": "double",
    "currency": "double",
    "percent": "double",
    "int": "int",
    "boolean": "boolean",
    "date": "date",
    "datetime": "datetime",
}


@dataclass
class ParsedInput:
    """Canonical values to store, plus relationship references to resolve by external id."""

    values: dict[str, Any] = field(default_factory=dict)
    references: dict[str, tuple[str | None, str, Any]] = field(default_factory=dict)


def coerce_input(obj: ObjectSchema, body: Mapping[str, Any], creating: bool) -> ParsedInput:
    parsed = ParsedInput()
    not_writable: list[str] = []
    for raw_name, raw_value in body.items():
        if raw_name == "attributes":
            continue
        schema_field = obj.field(raw_name)
        if schema_field is None:
            _relationship_reference(obj, raw_name, raw_value, parsed)
            continue
        if not (schema_field.createable if creating else schema_field.updateable):
            not_writable.append(schema_field.name)
            continue
        parsed.values[schema_field.name] = coerce_value(schema_field, raw_value)
    if not_writable:
        raise fail(
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            f"Unable to create/update fields: {', '.join(not_writable)}. Please check the security "
            "settings of this field and verify that it is read/write for your profile or "
            "permission set.",
            tuple(not_writable),
        )
    return parsed


def _relationship_reference(obj: ObjectSchema, name: str, value: Any, parsed: ParsedInput) -> None:
    """``"Account": {"Ext__c": "x"}`` sets AccountId to the Account whose Ext__c is x."""
    ref_field = obj.relationship(name)
    if ref_field is None or not isinstance(value, Mapping):
        raise invalid_field(name, obj.name)
    keys = [k for k in value if k != "attributes"]
    if len(keys) != 1:
        raise fail(
            "INVALID_FIELD", f"Foreign key external ID: {name} must name exactly one field", None
        )
    target = (value.get("attributes") or {}).get("type")
    if target is None and len(ref_field.reference_to) == 1:
        target = ref_field.reference_to[0]
    parsed.references[ref_field.name] = (target, keys[0], value[keys[0]])


def coerce_value(f: FieldSchema, value: Any) -> Any:
    if value is None or (value == "" and f.type != "boolean"):
        return None
    coerce = _COERCERS.get(f.type, _coerce_text)
    return coerce(f, value)


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "VALUE_TRUE" if value else "VALUE_FALSE"
    if isinstance(value, int):
        return "VALUE_NUMBER_INT"
    if isinstance(value, float):
        return "VALUE_NUMBER_FLOAT"
    if isinstance(value, dict):
        return "START_OBJECT"
    if isinstance(value, list):
        return "START_ARRAY"
    return "VALUE_STRING"


def cannot_deserialize(type_name: str, value: Any) -> OrgError:
    shown = {"START_OBJECT": "{", "START_ARRAY": "["}.get(_json_kind(value), value)
    return json_parser_error(
        f"Cannot deserialize instance of {type_name} from {_json_kind(value)} value {shown} "
        "or request may be missing a required field"
    )


def _coerce_text(f: FieldSchema, value: Any) -> str:
    if isinstance(value, dict | list):
        raise cannot_deserialize("string", value)
    text = _stringify(value)
    if f.length and len(text) > f.length:
        raise fail(
            "STRING_TOO_LONG",
            f"{f.label}: data value too large: {text} (max length={f.length})",
            (f.name,),
        )
    if f.type == "email" and not EMAIL.match(text):
        raise fail("INVALID_EMAIL_ADDRESS", f"{f.label}: invalid email address: {text}", (f.name,))
    if f.restricted_picklist and text not in f.picklist_values:
        raise fail(
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            f"{f.label}: bad value for restricted picklist field: {text}",
            (f.name,),
        )
    return text


def _stringify(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _coerce_boolean(f: FieldSchema, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    if value == "" or value is None:
        return False
    raise cannot_deserialize("boolean", value)


def _coerce_number(f: FieldSchema, value: Any) -> int | float:
    number = _to_number(f, value)
    if f.type == "int":
        if number != int(number):
            raise cannot_deserialize("int", value)
        number = int(number)
    elif f.scale:
        number = round(number, f.scale)
    integer_digits = (f.precision - f.scale) if f.precision else 0
    if integer_digits and abs(number) >= 10**integer_digits:
        raise fail(
            "NUMBER_OUTSIDE_VALID_RANGE",
            f"{f.label}: value outside of valid range on numeric field: {value}",
            (f.name,),
        )
    return number


def _to_number(f: FieldSchema, value: Any) -> float:
    if isinstance(value, bool | dict | list):
        raise cannot_deserialize(JSON_TYPE_NAMES[f.type], value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise cannot_deserialize(JSON_TYPE_NAMES[f.type], value) from None
    if math.isnan(number) or math.isinf(number):
        raise cannot_deserialize(JSON_TYPE_NAMES[f.type], value)
    return number


def _coerce_date(f: FieldSchema, value: Any) -> str:
    if isinstance(value, str):
        day = parse_date(value)
        parsed = day.isoformat() if day else _date_of_datetime(value)
        if parsed is not None:
            return parsed
    raise cannot_deserialize("date", value)


def _date_of_datetime(value: str) -> str | None:
    moment = parse_datetime(value)
    return moment.date().isoformat() if moment else None


def _coerce_datetime(f: FieldSchema, value: Any) -> str:
    if isinstance(value, str):
        moment = parse_datetime(value)
        if moment is None and parse_date(value):
            moment = parse_datetime(value + "T00:00:00Z")
        if moment is not None:
            return format_datetime(moment)
    raise cannot_deserialize("datetime", value)


def _coerce_reference(f: FieldSchema, value: Any) -> str:
    normalized = ids.normalize(value)
    if normalized is None:
        raise fail("MALFORMED_ID", f"{f.label}: id value of incorrect type: {value}", (f.name,))
    return normalized


def _coerce_base64(f: FieldSchema, value: Any) -> str:
    if not isinstance(value, str):
        raise cannot_deserialize("base64", value)
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise json_parser_error(f"Illegal character in base64 value for field {f.name}") from None
    return value


_COERCERS = {
    "boolean": _coerce_boolean,
    "date": _coerce_date,
    "datetime": _coerce_datetime,
    "reference": _coerce_reference,
    "id": _coerce_reference,
    "base64": _coerce_base64,
    **dict.fromkeys(NUMBER_TYPES, _coerce_number),
    **dict.fromkeys(TEXT_TYPES, _coerce_text),
}


def missing_required(
    obj: ObjectSchema, record: Mapping[str, Any], names: list[str] | None = None
) -> OrgError | None:
    """REQUIRED_FIELD_MISSING for non-nillable fields that are null (all of them, or `names`)."""
    candidates = [obj.field(n) for n in names] if names is not None else list(obj.fields.values())
    missing = [
        f.name
        for f in candidates
        if f is not None
        and f.createable
        and not f.nillable
        and record.get(f.name) is None
        and f.type != "boolean"
    ]
    if not missing:
        return None
    return fail(
        "REQUIRED_FIELD_MISSING",
        f"Required fields are missing: [{', '.join(missing)}]",
        tuple(missing),
    )
