"""Writes Salesforce makes to other records when one is saved.

* An Opportunity created with `ContactId` (v46+) gets a primary OpportunityContactRole for it.
* A role saved as primary makes every other role of its opportunity non-primary and becomes the
  opportunity's `ContactId`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from localforce.org import Org

Record = dict[str, Any]


def after_save(org: Org, object_name: str, record: Record, changes: Record, created: bool) -> None:
    name = object_name.lower()
    if name == "opportunity" and created and record.get("ContactId"):
        org.system_insert(
            "OpportunityContactRole",
            {"OpportunityId": record["Id"], "ContactId": record["ContactId"], "IsPrimary": True},
        )
    elif name == "opportunitycontactrole" and record.get("IsPrimary") and "IsPrimary" in changes:
        _make_primary(org, record)


def _make_primary(org: Org, role: Record) -> None:
    siblings = org.lookup("OpportunityContactRole", "OpportunityId", [role["OpportunityId"]]) or []
    for other in siblings:
        if other["Id"] != role["Id"] and other.get("IsPrimary"):
            org.system_update(other["Id"], {"IsPrimary": False})
    org.system_update(role["OpportunityId"], {"ContactId": role["ContactId"]})
