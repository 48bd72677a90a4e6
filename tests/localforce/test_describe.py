"""Describe for every object issue 3 names, through simple-salesforce (reference §2.4, §9): key
prefixes, what a create requires, which picklists are restricted, and the Pushforce_Id__c and
config custom fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from localforce.testing import running_server

FIELD_KEYS = {
    "name", "label", "type", "soapType", "length", "byteLength", "precision", "scale", "digits",
    "nillable", "createable", "updateable", "defaultedOnCreate", "defaultValue", "calculated",
    "autoNumber", "unique", "externalId", "idLookup", "caseSensitive", "filterable", "sortable",
    "groupable", "picklistValues", "restrictedPicklist", "dependentPicklist", "controllerName",
    "referenceTo", "relationshipName", "polymorphicForeignKey", "custom",
}  # fmt: skip
OBJECTS = [
    # name, key prefix, required on create (createable, not nillable, not defaulted), restricted
    ("Account", "001", {"Name"}, set()),
    ("Contact", "003", {"LastName"}, set()),
    ("Lead", "00Q", {"LastName", "Company"}, set()),
    ("Opportunity", "006", {"Name", "StageName", "CloseDate"}, set()),
    ("OpportunityContactRole", "00K", {"OpportunityId", "ContactId"}, set()),
    ("Task", "00T", set(), {"TaskSubtype"}),
    ("Event", "00U", set(), {"EventSubtype"}),
    ("ContentNote", "069", {"Title"}, set()),
    ("ContentDocumentLink", "06A", {"ContentDocumentId", "LinkedEntityId"},
     {"ShareType", "Visibility"}),
    ("User", "005", {"Username", "LastName", "Alias", "Email"}, set()),
]  # fmt: skip


def required_on_create(fields: list[dict[str, Any]]) -> set[str]:
    return {
        f["name"]
        for f in fields
        if f["createable"] and not f["nillable"] and not f["defaultedOnCreate"]
    }


@pytest.mark.parametrize(("sobject", "prefix", "required", "restricted"), OBJECTS)
def test_object_describe(
    sf: Any, sobject: str, prefix: str, required: set[str], restricted: set[str]
) -> None:
    described = getattr(sf, sobject).describe()
    assert (described["name"], described["keyPrefix"]) == (sobject, prefix)
    assert described["urls"]["sobject"] == f"/services/data/v60.0/sobjects/{sobject}"
    fields = described["fields"]
    assert all(set(f) >= FIELD_KEYS for f in fields)
    assert required_on_create(fields) == required
    assert {f["name"] for f in fields if f["restrictedPicklist"]} == restricted
    ids = [f for f in fields if f["name"] == "Id"]
    assert ids and ids[0]["type"] == "id" and ids[0]["createable"] is False


def test_task_status_and_priority_are_defaulted_not_required(sf: Any) -> None:
    fields = {f["name"]: f for f in sf.Task.describe()["fields"]}
    for name in ("Status", "Priority"):
        assert (fields[name]["nillable"], fields[name]["defaultedOnCreate"]) == (False, True)


def test_config_custom_field_is_described(sf: Any) -> None:
    legacy = {f["name"]: f for f in sf.Contact.describe()["fields"]}["Legacy_Id__c"]
    assert (legacy["type"], legacy["length"], legacy["externalId"], legacy["custom"]) == (
        "string",
        40,
        True,
        True,
    )


def test_switching_pushforce_id_fields_off_removes_them_everywhere(tmp_path: Path) -> None:
    with running_server(tmp_path, config={"pushforce_id_fields": False}) as lf:
        sf = lf.simple_salesforce()
        for sobject in ("Account", "Contact", "Lead", "Opportunity", "Task", "Event"):
            names = {f["name"] for f in getattr(sf, sobject).describe()["fields"]}
            assert "Pushforce_Id__c" not in names, sobject
