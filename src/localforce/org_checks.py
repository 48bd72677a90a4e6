"""Record-level checks that need the org's other records (reference §8, §9.2).

References (MALFORMED_ID is caught earlier), activity Who/What rules, converted leads, unique
fields, and the Event time requirements. Each check raises `OrgError` on the first problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from localforce import ids
from localforce.errors import entity_is_deleted, fail
from localforce.schema import FieldSchema, ObjectSchema

if TYPE_CHECKING:
    from localforce.org import Org

LEAD_PREFIX = ids.KEY_PREFIXES["Lead"]
CONVERTED_LEAD = ("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead")


def check_references(org: Org, obj: ObjectSchema, changes: Mapping[str, Any]) -> None:
    for name, value in changes.items():
        f = obj.field(name)
        if f is None or f.type != "reference" or value is None:
            continue
        check_reference(org, f, value)


def check_reference(org: Org, f: FieldSchema, record_id: str) -> None:
    allowed = {ids.KEY_PREFIXES.get(target) for target in f.reference_to}
    if ids.key_prefix(record_id) not in allowed:
        raise fail(
            "FIELD_INTEGRITY_EXCEPTION",
            f"{f.label}: id value of incorrect type: {record_id}",
            (f.name,),
        )
    target = org.get(record_id)
    if target is None:
        raise fail("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", ())
    if target["IsDeleted"]:
        raise entity_is_deleted()
    if target.get("IsConverted") and ids.key_prefix(record_id) == LEAD_PREFIX:
        raise fail(*CONVERTED_LEAD, ())


def check_activity_relations(record: Mapping[str, Any]) -> None:
    """A Task or Event whose WhoId is a Lead cannot have a WhatId."""
    who, what = record.get("WhoId"), record.get("WhatId")
    if who and what and ids.key_prefix(who) == LEAD_PREFIX:
        # [inferred] wording: Salesforce names the What field as the offending one
        raise fail(
            "FIELD_INTEGRITY_EXCEPTION",
            f"Related To ID: id value of incorrect type: {what}",
            ("WhatId",),
        )


def check_not_converted(record: Mapping[str, Any]) -> None:
    if record.get("IsConverted"):
        raise fail(*CONVERTED_LEAD, ())


def check_unique(
    org: Org, obj: ObjectSchema, record: Mapping[str, Any], changes: Mapping[str, Any]
) -> None:
    for name in changes:
        f = obj.field(name)
        value = record.get(name)
        if f is None or not f.unique or f.type == "id" or value is None:
            continue
        for other in org.lookup(obj.name, f.name, [value]) or ():
            if other["Id"] != record["Id"]:
                raise fail(
                    "DUPLICATE_VALUE",
                    f"duplicate value found: {f.name} duplicates value on record with id: "
                    f"{ids.to15(other['Id'])}",
                    (),
                )


def check_event_times(record: Mapping[str, Any]) -> None:
    if record.get("IsAllDayEvent"):
        missing = (
            [] if record.get("ActivityDate") or record.get("StartDateTime") else ["ActivityDate"]
        )
    else:
        missing = [] if record.get("StartDateTime") else ["ActivityDateTime"]
        if record.get("DurationInMinutes") is None and not record.get("EndDateTime"):
            missing.append("DurationInMinutes")
    if missing:
        raise fail(
            "REQUIRED_FIELD_MISSING",
            f"Required fields are missing: [{', '.join(missing)}]",
            tuple(missing),
        )
    duration = record.get("DurationInMinutes")
    if duration is not None and not 0 <= duration <= 14 * 24 * 60:
        raise fail(
            "FIELD_INTEGRITY_EXCEPTION",
            "Event duration cannot be negative or longer than 14 days",
            ("DurationInMinutes",),
        )
