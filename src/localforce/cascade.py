"""What Salesforce deletes along with a record: an Account's contacts, opportunities and
activities; a Contact's or Lead's activities and roles; an Opportunity's roles and activities;
every ContentDocumentLink of a deleted entity or note. Children are found through the reference
indexes, so a cascade costs what it deletes, not a scan."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from localforce.org import Org

LINKS = ("ContentDocumentLink", "LinkedEntityId")
CASCADES: dict[str, tuple[tuple[str, str], ...]] = {
    "account": (
        ("Contact", "AccountId"),
        ("Opportunity", "AccountId"),
        ("Task", "WhatId"),
        ("Event", "WhatId"),
        LINKS,
    ),
    "contact": (
        ("Task", "WhoId"),
        ("Event", "WhoId"),
        ("OpportunityContactRole", "ContactId"),
        LINKS,
    ),
    "lead": (("Task", "WhoId"), ("Event", "WhoId"), LINKS),
    "opportunity": (
        ("OpportunityContactRole", "OpportunityId"),
        ("Task", "WhatId"),
        ("Event", "WhatId"),
        LINKS,
    ),
    "contentnote": (("ContentDocumentLink", "ContentDocumentId"),),
}


def dependents(org: Org, object_name: str, record_id: str) -> Iterator[dict[str, Any]]:
    """Live records that go to the recycle bin with `record_id`."""
    for child_object, field in CASCADES.get(object_name.lower(), ()):
        yield from org.lookup(child_object, field, [record_id]) or ()
